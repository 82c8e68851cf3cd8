import type { FindingResource } from '../model/finding.js';
import { compareStrings } from '../text/order.js';
import type { SarifLogicalLocation } from './sarif-types.js';

/**
 * SARIF 2.1.0 §3.33 logical locations for what zt audits: the resource, inside the target
 * it was read from (a cluster, an AWS account, an IdP tenant: the finding's `source`), and
 * for a namespaced Kubernetes object inside its namespace. §3.33.7's list of kinds has
 * "namespace" and "resource"; for the targets none fits, so they are named for what they
 * are ("cluster", "account", "tenant"), which §3.33.7 allows.
 */
interface Level {
  readonly fullyQualifiedName: string;
  readonly name: string;
  readonly kind: string;
  readonly parent?: string;
}

/** The target's kind by its source's plane (`k8s:prod` → cluster). */
function targetKind(source: string): string {
  const plane = source.slice(0, source.indexOf(':'));
  if (plane === 'k8s') return 'cluster';
  if (plane === 'aws') return 'account';
  if (plane === 'okta' || plane === 'entra') return 'tenant';
  return 'namespace';
}

/** `k8s://<cluster>/<namespace>/<Kind>/<name>`'s namespace; undefined for cluster-scoped objects (`_cluster`) and other ids. */
function kubernetesNamespace(id: string): string | undefined {
  if (!id.startsWith('k8s://')) return undefined;
  const namespace = id.slice('k8s://'.length).split('/')[1];
  return namespace === undefined || namespace === '' || namespace === '_cluster' ? undefined : namespace;
}

/** The resource's levels, outermost first: target, (namespace), resource. */
function levelsOf(resource: FindingResource): Level[] {
  const levels: Level[] = [];
  const { source } = resource;
  let parent: string | undefined;
  if (source.includes(':')) {
    levels.push({ fullyQualifiedName: source, name: source.slice(source.indexOf(':') + 1), kind: targetKind(source) });
    parent = source;
  }
  const namespace = kubernetesNamespace(resource.id);
  if (namespace !== undefined) {
    const fullyQualifiedName = `${source}/${namespace}`;
    levels.push({ fullyQualifiedName, name: namespace, kind: 'namespace', ...(parent ? { parent } : {}) });
    parent = fullyQualifiedName;
  }
  levels.push({ fullyQualifiedName: resource.id, name: resource.name, kind: 'resource', ...(parent ? { parent } : {}) });
  return levels;
}

/**
 * The run's logical locations (each once, sorted by fully qualified name, parents by index)
 * and, per resource id, the one a result names: deterministic for the same resources.
 */
export interface LogicalLocations {
  readonly run: SarifLogicalLocation[];
  /** The result's logicalLocations entry for a resource (with its `index` into `run`). */
  of(resource: FindingResource): SarifLogicalLocation[];
}

export function logicalLocations(resources: Iterable<FindingResource>): LogicalLocations {
  const levels = new Map<string, Level>();
  for (const resource of resources) for (const level of levelsOf(resource)) if (!levels.has(level.fullyQualifiedName)) levels.set(level.fullyQualifiedName, level);
  const sorted = [...levels.values()].sort((a, b) => compareStrings(a.fullyQualifiedName, b.fullyQualifiedName));
  const indexOf = new Map(sorted.map((level, index) => [level.fullyQualifiedName, index]));
  const run = sorted.map((level): SarifLogicalLocation => {
    const parentIndex = level.parent === undefined ? undefined : indexOf.get(level.parent);
    return { fullyQualifiedName: level.fullyQualifiedName, name: level.name, kind: level.kind, ...(parentIndex !== undefined ? { parentIndex } : {}) };
  });
  return {
    run,
    of: (resource) => {
      const index = indexOf.get(resource.id);
      return [{ ...(index !== undefined ? { index } : {}), fullyQualifiedName: resource.id, name: resource.name, kind: 'resource' }];
    },
  };
}
