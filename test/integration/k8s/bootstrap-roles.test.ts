import { describe, expect, it } from 'vitest';
import { bootstrapClusterRoles } from '../../../src/analysis/kubernetes/bootstrap-roles.js';
import { bootstrapRoleRules, editionForMinor, type ResolvedRule } from '../../../src/analysis/kubernetes/role-resolution.js';
import { parseKubernetesVersion } from '../../../src/analysis/kubernetes/k8s-releases.js';
import { clusterInfo } from './cluster.js';
import { call, until } from './kube-rest.js';

// The bootstrap ClusterRoles zt bundles for offline input (src/analysis/kubernetes/bootstrap-roles.ts)
// against the ones this real kube-apiserver created at start-up: the edition for its
// version must hold exactly the same rules, aggregated roles included (the aggregation
// controller of the suite's kube-controller-manager fills admin, edit and view).

const cluster = clusterInfo();

interface LiveRole {
  metadata: { name: string; labels?: Record<string, string> };
  rules?: { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }[] | null;
}

const canonical = (r: Partial<ResolvedRule> & { verbs: readonly string[] }): string =>
  JSON.stringify([r.apiGroups ?? [], r.resources ?? [], r.verbs, r.resourceNames ?? [], r.nonResourceURLs ?? []]);
const ruleSet = (rules: readonly (Partial<ResolvedRule> & { verbs: readonly string[] })[]): string[] => [...new Set(rules.map(canonical))].sort();

describe('bundled bootstrap ClusterRoles = the live ones', () => {
  it('every bundled role, for the server\'s version, has the rules the server holds', async () => {
    const version = parseKubernetesVersion(cluster.version);
    const edition = version && editionForMinor(version.major, version.minor);
    expect(edition, `no bundled edition for ${cluster.version}`).toBeDefined();
    const listRoles = async (): Promise<LiveRole[]> => ((await call(cluster, cluster.adminToken, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')) as { items: LiveRole[] }).items;
    // Aggregated roles are filled by a controller shortly after start-up.
    const compare = async (): Promise<{ differences: string[]; unbundled: string[] }> => {
      const live = await listRoles();
      const byName = new Map(live.map((r) => [r.metadata.name, r]));
      // Roles other than the bootstrap ones (the demo's) join aggregation as on the server.
      const bundledNames = new Set(bootstrapClusterRoles.map((r) => r.name));
      const others = live
        .filter((r) => !bundledNames.has(r.metadata.name))
        .map((r) => ({ name: r.metadata.name, labels: r.metadata.labels ?? {}, rules: (r.rules ?? []).map((x) => ({ apiGroups: x.apiGroups ?? [], resources: x.resources ?? [], verbs: x.verbs, resourceNames: x.resourceNames ?? [], nonResourceURLs: x.nonResourceURLs ?? [] })) }));
      const differences: string[] = [];
      for (const role of bootstrapClusterRoles) {
        const server = byName.get(role.name);
        if (!server) {
          differences.push(`${role.name}: not on the server`);
          continue;
        }
        if (server.metadata.labels?.['kubernetes.io/bootstrapping'] !== 'rbac-defaults') differences.push(`${role.name}: no bootstrapping label`);
        const bundled = ruleSet(bootstrapRoleRules(role.name, edition!, others)!);
        const served = ruleSet(server.rules ?? []);
        if (JSON.stringify(bundled) !== JSON.stringify(served)) {
          differences.push(`${role.name}: bundled only ${JSON.stringify(bundled.filter((r) => !served.includes(r)))}, served only ${JSON.stringify(served.filter((r) => !bundled.includes(r)))}`);
        }
        for (const [key, value] of Object.entries(role.labels ?? {})) if (server.metadata.labels?.[key] !== value) differences.push(`${role.name}: label ${key} is not ${value}`);
      }
      // And the server has no bootstrap role (besides the controllers') that zt does not bundle.
      const unbundled = live
        .filter((r) => r.metadata.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults' && !r.metadata.name.startsWith('system:controller:') && !bundledNames.has(r.metadata.name))
        .map((r) => r.metadata.name);
      return { differences, unbundled };
    };
    // Aggregated roles are filled by a controller shortly after roles appear: wait for agreement, then report what differs.
    await until('the aggregated roles to settle', async () => ((await compare()).differences.length === 0 ? true : undefined), 20_000).catch(() => undefined);
    expect(await compare()).toEqual({ differences: [], unbundled: [] });
  });
});
