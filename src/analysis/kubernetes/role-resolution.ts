import type { InventoryIndex } from '../../inventory/index.js';
import type { TypedResource } from '../../inventory/snapshot.js';
import { bootstrapClusterRoles, type BootstrapEdition, type BootstrapRole } from './bootstrap-roles.js';
import { parseServerVersion } from './k8s-releases.js';

/**
 * What a binding's roleRef names: the Role or ClusterRole of the input, or, for input
 * read offline (manifests), one of Kubernetes' bootstrap ClusterRoles the API server
 * would have created (bootstrap-roles.ts), provided its ClusterRoles were read completely
 * (else the input may define the role its own way: unknown). A live cluster's own roles
 * are always what counts there: a live binding to a missing `edit` is dangling, as it is
 * on the cluster.
 * Roles are looked up per source (cluster): a snapshot can hold several.
 */

export interface ResolvedRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

export type ResolvedRole =
  | { readonly origin: 'input'; readonly rules: readonly ResolvedRule[] }
  | { readonly origin: 'bootstrap'; readonly rules: readonly ResolvedRule[]; readonly edition: BootstrapEdition; readonly editionAssumed: boolean };

type RoleResource = TypedResource<'k8s.rbac.role' | 'k8s.rbac.clusterRole'>;
type BindingResource = TypedResource<'k8s.rbac.roleBinding' | 'k8s.rbac.clusterRoleBinding'>;

const bootstrapByName = new Map<string, BootstrapRole>(bootstrapClusterRoles.map((r) => [r.name, r]));

export function isBootstrapClusterRole(name: string): boolean {
  return bootstrapByName.has(name);
}

/**
 * The bootstrap edition for a cluster's API server minor: exact for 1.20, the current
 * policy from 1.27; releases in between are not bundled (undefined: unknown).
 */
export function editionForMinor(major: number, minor: number): BootstrapEdition | undefined {
  if (major !== 1) return undefined;
  if (minor === 20) return '1.20';
  return minor >= 27 ? '1.27' : undefined;
}

const toRule = (r: BootstrapRole['rules'][number]): ResolvedRule => ({
  apiGroups: r.g ?? [],
  resources: r.r ?? [],
  verbs: r.v,
  resourceNames: r.names ?? [],
  nonResourceURLs: r.urls ?? [],
});

/**
 * A bootstrap ClusterRole's rules in an edition, its aggregation resolved as the API
 * server's aggregation controller does: the rules of every ClusterRole labelled
 * `<key>: "true"`, bootstrap ones (themselves aggregated first: admin takes edit, which
 * takes view) and the input's own (a chart's `aggregate-to-edit` role for its CRDs).
 */
export function bootstrapRoleRules(
  name: string,
  edition: BootstrapEdition,
  inputClusterRoles: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly rules: readonly ResolvedRule[] }[] = [],
  seen: ReadonlySet<string> = new Set(),
): ResolvedRule[] | undefined {
  const role = bootstrapByName.get(name);
  if (!role) return undefined;
  const own = role.rules.filter((r) => r.only === undefined || r.only === edition).map(toRule);
  const key = role.aggregateFrom;
  if (key === undefined) return own;
  const visiting = new Set([...seen, name]);
  const aggregated: ResolvedRule[] = [...own];
  for (const member of bootstrapClusterRoles) {
    if (member.labels?.[key] !== 'true' || visiting.has(member.name)) continue;
    aggregated.push(...(bootstrapRoleRules(member.name, edition, inputClusterRoles, visiting) ?? []));
  }
  for (const member of inputClusterRoles) {
    if (member.labels[key] === 'true' && !visiting.has(member.name) && !bootstrapByName.has(member.name)) aggregated.push(...member.rules);
  }
  return aggregated;
}

/** Resolves roleRefs over one inventory; build once per analysis. */
export class RoleResolver {
  private readonly roles = new Map<string, RoleResource>();
  private readonly clusterRoles = new Map<string, RoleResource>();
  private readonly clusterRolesBySource = new Map<string, { name: string; labels: Readonly<Record<string, string>>; rules: readonly ResolvedRule[] }[]>();
  private readonly liveSources = new Set<string>();
  private readonly editions = new Map<string, BootstrapEdition | undefined>();
  /** The input's ClusterRoles were read completely, so a built-in name missing from them is not defined there. */
  private readonly clusterRolesComplete: boolean;

  constructor(inventory: InventoryIndex) {
    const coverage = inventory.snapshot.coverage['k8s.rbac.clusterRole'];
    this.clusterRolesComplete = coverage ? coverage.state === 'complete' : inventory.ofKind('k8s.rbac.clusterRole').length > 0;
    for (const role of inventory.ofKind('k8s.rbac.role')) this.roles.set(`${role.provenance.source}\u0000${String(role.attributes.namespace)}/${role.name}`, role);
    for (const role of inventory.ofKind('k8s.rbac.clusterRole')) {
      this.clusterRoles.set(`${role.provenance.source}\u0000${role.name}`, role);
      let list = this.clusterRolesBySource.get(role.provenance.source);
      if (!list) this.clusterRolesBySource.set(role.provenance.source, (list = []));
      list.push({ name: role.name, labels: role.attributes.labels, rules: role.attributes.rules });
    }
    for (const source of inventory.snapshot.sources) if (source.mode === 'live') this.liveSources.add(source.source);
    for (const cluster of inventory.ofKind('k8s.cluster')) {
      const version = cluster.attributes.serverVersion ? parseServerVersion(cluster.attributes.serverVersion) : undefined;
      this.editions.set(cluster.provenance.source, version ? editionForMinor(version.major, version.minor) : undefined);
    }
  }

  /** The role a binding names, or undefined when neither the input nor (offline) the bootstrap roles hold it. */
  resolve(binding: BindingResource): ResolvedRole | undefined {
    const source = binding.provenance.source;
    const ref = binding.attributes.roleRef;
    const namespace = binding.kind === 'k8s.rbac.roleBinding' ? String(binding.attributes.namespace) : '';
    const role = ref.kind === 'Role' ? this.roles.get(`${source}\u0000${namespace}/${ref.name}`) : this.clusterRoles.get(`${source}\u0000${ref.name}`);
    if (role) return { origin: 'input', rules: role.attributes.rules.map((r) => ({ ...r, nonResourceURLs: 'nonResourceURLs' in r ? r.nonResourceURLs : [] })) };
    if (!this.bootstrapApplies(binding)) return undefined;
    // Offline input rarely says its Kubernetes version; without one, the current policy (zt's supported releases).
    const known = this.editions.has(source);
    const edition = known ? this.editions.get(source) : '1.27';
    if (edition === undefined) return undefined;
    const rules = bootstrapRoleRules(ref.name, edition, this.clusterRolesBySource.get(source) ?? []);
    return rules ? { origin: 'bootstrap', rules, edition, editionAssumed: !known } : undefined;
  }

  /** A bootstrap role whose edition is unknown (a cluster version with no bundled edition): neither found nor dangling. */
  bootstrapUnknown(binding: BindingResource): boolean {
    const source = binding.provenance.source;
    return this.bootstrapApplies(binding) && this.editions.has(source) && this.editions.get(source) === undefined;
  }

  /** Offline input whose ClusterRoles were all read, naming a built-in role it does not define. */
  private bootstrapApplies(binding: BindingResource): boolean {
    const ref = binding.attributes.roleRef;
    return ref.kind === 'ClusterRole' && this.clusterRolesComplete && !this.liveSources.has(binding.provenance.source) && isBootstrapClusterRole(ref.name);
  }
}

/** Where a bootstrap role's rules came from, for messages and review notes. */
export function bootstrapNote(resolved: Extract<ResolvedRole, { origin: 'bootstrap' }>): string {
  const edition = resolved.edition === '1.20' ? 'v1.20' : 'v1.27+';
  return `built in, not in the input: zt's bundled Kubernetes ${edition} bootstrap role${resolved.editionAssumed ? ', version assumed' : ''}`;
}

/** "ClusterRole/edit (built in, not in the input: …)" for messages; "Role/x" for a role of the input. */
export function roleText(kind: string, name: string, resolved: ResolvedRole | undefined): string {
  return resolved?.origin === 'bootstrap' ? `${kind}/${name} (${bootstrapNote(resolved)})` : `${kind}/${name}`;
}
