import type { Provenance, Resource } from '../../inventory/snapshot.js';
import type { CollectionIssue } from '../../model/coverage.js';
import { scalarText } from '../../text/scalar-text.js';
import { apiTypes, type KindApiType, type Meta } from './kinds.js';
import { arr, droppedAnnotations, obj, str, stringMap, type K8sObject } from './values.js';

export type { K8sObject } from './values.js';

/**
 * Pure mapping from Kubernetes objects to zt kinds, shared by the live collector and
 * manifests on disk. Input is the wire (JSON/YAML) form: what `kubectl get -o json`,
 * the list API and a manifest file all look like. Which objects map into which kind,
 * and how, is the table of kinds.ts.
 */

export interface MapInput {
  readonly object: K8sObject;
  /** Where a manifest object came from (file relative to the working directory, start line). */
  readonly file?: string;
  readonly line?: number;
  /** Lines of the object's containers and their env vars in that file (container-lines.ts). */
  readonly elementLines?: Readonly<Record<string, number>>;
  /** Their columns. */
  readonly elementColumns?: Readonly<Record<string, number>>;
}

export interface MapSettings {
  /** Cluster name used in ids (`k8s://<cluster>/…`). */
  readonly cluster: string;
  /** provenance.source, e.g. `k8s:prod` or `manifests:deploy`. */
  readonly source: string;
  readonly collector: string;
  /** Namespace for namespaced objects that do not name one (manifests): kubectl's `default`. */
  readonly defaultNamespace: string;
}

export interface Unmapped {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  /** `unknown-kind`: zt does not audit this kind; `unknown-version`: a kind zt audits, in an apiVersion it does not know. */
  readonly reason: 'unknown-kind' | 'unknown-version' | 'malformed';
  readonly detail?: string;
}

export interface MapOutput {
  readonly resources: Resource[];
  readonly unmapped: Unmapped[];
  /** Pods, ReplicaSets and Jobs left out because their controller is in the inventory. */
  readonly owned: number;
}

/** The API types of each Kubernetes kind name: two groups may share one (Istio's and Linkerd's AuthorizationPolicy). */
const typesByKindName = new Map<string, KindApiType[]>();
for (const type of apiTypes) typesByKindName.set(type.kind, [...(typesByKindName.get(type.kind) ?? []), type]);

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function ownerKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

export function resourceId(cluster: string, namespace: string | undefined, kind: string, name: string): string {
  return `k8s://${cluster}/${namespace ?? '_cluster'}/${kind}/${name}`;
}

/** One object mapped, with what is needed to drop it later if its controller is also in the inventory. */
export interface MappedObject {
  readonly resource?: Resource;
  readonly unmapped?: Unmapped;
  /** Keys (uid, kind/namespace/name) this object is known by, when it is a controller. */
  readonly controllerKeys?: readonly string[];
  /** Keys of its controlling owner, for Pods, ReplicaSets and Jobs. */
  readonly ownerKeys?: readonly string[];
}

/**
 * Maps one object. Pure and independent of the others, so a live collection maps each
 * page as it arrives and keeps only the (small) mapped form, never the whole cluster's
 * raw objects; `finishMapping` then drops what a listed controller owns.
 */
export function mapObject(input: MapInput, settings: MapSettings): MappedObject {
  const { object } = input;
  const kind = str(object.kind) ?? '';
  const apiVersion = str(object.apiVersion) ?? '';
  const metadata = obj(object.metadata);
  const name = str(metadata.name) ?? '';
  const where = { ...(input.file !== undefined ? { file: input.file } : {}), ...(input.line !== undefined ? { line: input.line } : {}) };
  const { group, version } = splitApiVersion(apiVersion);
  const candidates = typesByKindName.get(kind) ?? [];
  // A kind name zt knows in another group only (a CRD's own AuthorizationPolicy) is not audited, not a version zt misses.
  const spec = candidates.length === 1 ? candidates[0] : candidates.find((c) => c.group === group);
  const excluded = spec?.only !== undefined && !(name === spec.only.name && str(metadata.namespace) === spec.only.namespace);
  if (!spec || excluded) return { unmapped: { apiVersion, kind, name, reason: 'unknown-kind', ...where } };
  if (group !== spec.group || !spec.versions.includes(version)) return { unmapped: { apiVersion, kind, name, reason: 'unknown-version', ...where } };
  if (!name) return { unmapped: { apiVersion, kind, name, reason: 'malformed', detail: 'metadata.name is missing', ...where } };
  const namespace = spec.namespaced ? (str(metadata.namespace) ?? settings.defaultNamespace) : '';
  const uid = str(metadata.uid);
  const controllerKeys = spec.controller ? [ownerKey(kind, namespace, name), ...(uid ? [uid] : [])] : undefined;
  let ownerKeys: string[] | undefined;
  if (spec.owned) {
    const controller = arr(metadata.ownerReferences).map(obj).find((r) => r.controller === true);
    if (controller) {
      const byUid = str(controller.uid);
      ownerKeys = [ownerKey(scalarText(controller.kind), namespace, scalarText(controller.name)), ...(byUid ? [byUid] : [])];
    }
  }
  const meta: Meta = { name, namespace, labels: stringMap(metadata.labels), annotations: stringMap(metadata.annotations, droppedAnnotations) };
  const provenance: Provenance = {
    collector: settings.collector,
    source: settings.source,
    ...where,
    ...(input.elementLines !== undefined && spec.ztKind === 'k8s.workload' ? { elementLines: { ...input.elementLines } } : {}),
    ...(input.elementColumns !== undefined && spec.ztKind === 'k8s.workload' ? { elementColumns: { ...input.elementColumns } } : {}),
  };
  const resource: Resource = {
    kind: spec.ztKind,
    id: resourceId(settings.cluster, spec.namespaced ? namespace : undefined, spec.idKind ?? kind, name),
    name,
    attributes: spec.map(object, meta),
    provenance,
  };
  return { resource, ...(controllerKeys ? { controllerKeys } : {}), ...(ownerKeys ? { ownerKeys } : {}) };
}

function hasEphemeralContainers(resource: Resource): boolean {
  const pod = resource.attributes.pod as { ephemeralContainers?: readonly unknown[] } | undefined;
  return resource.kind === 'k8s.workload' && (pod?.ephemeralContainers?.length ?? 0) > 0;
}

/** Drops Pods, ReplicaSets and Jobs whose controller is also mapped (unless a Pod has ephemeral containers), so a workload is counted once. */
export function finishMapping(mapped: readonly MappedObject[]): MapOutput {
  const controllers = new Set<string>();
  for (const m of mapped) for (const key of m.controllerKeys ?? []) controllers.add(key);
  const resources: Resource[] = [];
  const unmapped: Unmapped[] = [];
  let owned = 0;
  for (const m of mapped) {
    if (m.unmapped) unmapped.push(m.unmapped);
    if (!m.resource) continue;
    // A Pod with ephemeral containers (`kubectl debug`) is no longer what its template says: audited on its own.
    if (m.ownerKeys?.some((k) => controllers.has(k)) && !hasEphemeralContainers(m.resource)) {
      owned += 1;
      continue;
    }
    resources.push(m.resource);
  }
  return { resources, unmapped, owned };
}

/** Maps a batch of objects (manifests: everything at once). */
export function mapObjects(inputs: readonly MapInput[], settings: MapSettings): MapOutput {
  return finishMapping(inputs.map((input) => mapObject(input, settings)));
}

/** The k8s.cluster resource of a live cluster. */
export function clusterResource(
  settings: MapSettings,
  serverVersion: { major: string; minor: string; gitVersion: string } | null,
  apiGroups: readonly string[],
): Resource {
  return {
    kind: 'k8s.cluster',
    id: resourceId(settings.cluster, undefined, 'Cluster', settings.cluster),
    name: settings.cluster,
    attributes: { clusterName: settings.cluster, serverVersion, apiGroups: [...apiGroups].sort() },
    provenance: { collector: settings.collector, source: settings.source },
  };
}

/** One issue per unrecognised apiVersion, one summary line for kinds zt does not audit. */
export function unmappedIssues(unmapped: readonly Unmapped[], collector: string): CollectionIssue[] {
  const issues: CollectionIssue[] = [];
  const ignored = new Map<string, number>();
  for (const u of unmapped) {
    const place = u.file !== undefined ? `${u.file}${u.line !== undefined ? `:${u.line}` : ''}: ` : '';
    if (u.reason === 'unknown-kind') ignored.set(`${u.apiVersion} ${u.kind}`, (ignored.get(`${u.apiVersion} ${u.kind}`) ?? 0) + 1);
    else if (u.reason === 'unknown-version') {
      issues.push({ collector, severity: 'warning', code: 'ZT_COLLECT_INPUT_SKIPPED', message: `${place}${u.kind} ${u.name} skipped: unrecognised apiVersion ${u.apiVersion} (zt reads the versions current Kubernetes serves)`, kinds: [] });
    } else {
      issues.push({ collector, severity: 'warning', code: 'ZT_COLLECT_INPUT_SKIPPED', message: `${place}${u.kind} skipped: ${u.detail ?? 'malformed'}`, kinds: [] });
    }
  }
  if (ignored.size > 0) {
    const list = [...ignored].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => (n > 1 ? `${k} ×${n}` : k));
    issues.push({ collector, severity: 'info', code: 'ZT_COLLECT_INPUT_SKIPPED', message: `unrecognised kinds not audited: ${list.join(', ')}`, kinds: [] });
  }
  return issues;
}

