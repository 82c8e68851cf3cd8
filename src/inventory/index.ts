import { scalarText } from '../text/scalar-text.js';
import { SourceTimes, type SourceTime } from './as-of.js';
import type { Kind, KindAttributes } from './kinds/index.js';
import type { Resource, Snapshot, TypedResource } from './snapshot.js';

/** Kinds whose attributes carry the Kubernetes namespace. */
export type NamespacedKind = { [K in Kind]: KindAttributes<K> extends { readonly namespace: string } ? K : never }[Kind];

/**
 * Lookups over a snapshot, built once and shared by analysis and evaluation. Resources
 * come out typed by their kind's schema (TypedResource): the snapshot's resources were
 * validated against those schemas when they were read or collected.
 */
export class InventoryIndex {
  readonly snapshot: Snapshot;
  private readonly kinds = new Map<Kind, Resource[]>();
  private readonly ids = new Map<string, Resource>();
  private times: SourceTimes | undefined;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    for (const resource of snapshot.resources) {
      let list = this.kinds.get(resource.kind);
      if (!list) this.kinds.set(resource.kind, (list = []));
      list.push(resource);
      this.ids.set(resource.id, resource);
    }
  }

  ofKind<K extends Kind>(kind: K): readonly TypedResource<K>[] {
    // Where attributes get their kind's type: these resources are of this kind and were validated against its schema.
    return (this.kinds.get(kind) ?? []) as readonly Resource[] as readonly TypedResource<K>[];
  }

  /** The resource with this id (check its `kind` to read its attributes), or with `kind`: only a resource of that kind. */
  byId(id: string): TypedResource | undefined;
  byId<K extends Kind>(id: string, kind: K): TypedResource<K> | undefined;
  byId(id: string, kind?: Kind): TypedResource | undefined {
    const resource = this.ids.get(id);
    // Every indexed resource is valid for its kind (see ofKind).
    return kind === undefined || resource?.kind === kind ? (resource as TypedResource | undefined) : undefined;
  }

  /** The as-of time of the resource's source: its rules' `now`, what its ages are measured from (inventory/as-of.ts). */
  timeOf(resource: Resource): SourceTime {
    return (this.times ??= new SourceTimes(this.snapshot)).of(resource);
  }

  /** The as-of time of a source by its name (`aws:111122223333`, as in provenance.source). */
  timeOfSource(source: string): SourceTime {
    return (this.times ??= new SourceTimes(this.snapshot)).ofSource(source);
  }

  /** Resources of a kind grouped by provenance source (one cluster, account or tenant each). */
  bySource<K extends Kind>(kind: K): Map<string, TypedResource<K>[]> {
    const out = new Map<string, TypedResource<K>[]>();
    for (const resource of this.ofKind(kind)) {
      let list = out.get(resource.provenance.source);
      if (!list) out.set(resource.provenance.source, (list = []));
      list.push(resource);
    }
    return out;
  }

  /**
   * Resources of a namespaced Kubernetes kind, grouped by cluster and namespace: the lookup
   * takes the cluster (provenance source) too, because two clusters of one snapshot have
   * namespaces of the same name that share nothing.
   */
  byNamespace<K extends NamespacedKind>(kind: K): (source: string, namespace: string) => readonly TypedResource<K>[] {
    const out = new Map<string, TypedResource<K>[]>();
    for (const resource of this.ofKind(kind)) {
      const key = `${resource.provenance.source}\u0000${scalarText(resource.attributes.namespace)}`;
      let list = out.get(key);
      if (!list) out.set(key, (list = []));
      list.push(resource);
    }
    return (source, namespace) => out.get(`${source}\u0000${namespace}`) ?? [];
  }
}
