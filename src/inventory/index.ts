import { scalarText } from '../text/scalar-text.js';
import type { Kind } from './kinds/index.js';
import type { Resource, Snapshot } from './snapshot.js';

/** Lookups over a snapshot, built once and shared by analysis and evaluation. */
export class InventoryIndex {
  readonly snapshot: Snapshot;
  private readonly kinds = new Map<Kind, Resource[]>();
  private readonly ids = new Map<string, Resource>();

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    for (const resource of snapshot.resources) {
      let list = this.kinds.get(resource.kind);
      if (!list) this.kinds.set(resource.kind, (list = []));
      list.push(resource);
      this.ids.set(resource.id, resource);
    }
  }

  ofKind(kind: Kind): readonly Resource[] {
    return this.kinds.get(kind) ?? [];
  }

  byId(id: string): Resource | undefined {
    return this.ids.get(id);
  }

  /** Resources of a kind grouped by provenance source (one cluster, account or tenant each). */
  bySource(kind: Kind): Map<string, Resource[]> {
    const out = new Map<string, Resource[]>();
    for (const resource of this.ofKind(kind)) {
      let list = out.get(resource.provenance.source);
      if (!list) out.set(resource.provenance.source, (list = []));
      list.push(resource);
    }
    return out;
  }

  /** Resources of a namespaced Kubernetes kind, grouped by namespace. */
  byNamespace(kind: Kind): Map<string, Resource[]> {
    const out = new Map<string, Resource[]>();
    for (const resource of this.ofKind(kind)) {
      const ns = scalarText(resource.attributes.namespace);
      let list = out.get(ns);
      if (!list) out.set(ns, (list = []));
      list.push(resource);
    }
    return out;
  }
}
