import { z } from 'zod';
import { analyser } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import { UnknownFact } from '../../model/unknown-fact.js';
import { allBindingGrants, dangerousPermissionTargets } from './rbac-permissions.js';

/**
 * The dangerous RBAC permissions a workload's pods hold through their service account's
 * token: every binding that names the account, directly (a ServiceAccount subject, or the
 * User `system:serviceaccount:<ns>:<name>`) or through a group its token carries
 * (`system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`), in
 * whatever namespace the binding is (the token works wherever the account is bound; a
 * RoleBinding's grants are already limited to namespaced permissions). Unknown when the cluster's bindings were not
 * all read, or when a binding naming the account has unknown grants (its role was not read).
 */

const output = z.object({
  serviceAccountGrants: z
    .array(z.string())
    .describe(
      'Dangerous permissions (see dangerousPermissions) the pods\' service account holds through every binding naming it, directly or through system:serviceaccounts, system:serviceaccounts:<namespace> or system:authenticated; sorted in the vocabulary\'s order.',
    ),
});

const ORDER = ['wildcard', 'secrets:read', 'secrets:read-named', ...Object.keys(dangerousPermissionTargets)];
const rank = (g: string): number => (ORDER.indexOf(g) === -1 ? ORDER.length : ORDER.indexOf(g));

type Held = { grants: Set<string>; unknown: boolean };

function heldByAccount(inventory: InventoryIndex): { held: Map<string, Held>; byGroup: Map<string, Held>; complete: (source: string) => boolean } {
  const { bindings, complete } = allBindingGrants(inventory);
  const held = new Map<string, Held>();
  const byGroup = new Map<string, Held>();
  const add = (map: Map<string, Held>, key: string, grants: readonly string[] | null): void => {
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = { grants: new Set(), unknown: false }));
    if (grants === null) entry.unknown = true;
    else for (const g of grants) entry.grants.add(g);
  };
  for (const { binding, namespace, grants } of bindings) {
    const source = binding.provenance.source;
    for (const s of binding.attributes.subjects) {
      if (s.kind === 'ServiceAccount') add(held, `${source}\u0000${s.namespace ?? namespace ?? ''}/${s.name}`, grants);
      else if (s.kind === 'User') {
        const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(s.name);
        if (sa) add(held, `${source}\u0000${sa[1]}/${sa[2]}`, grants);
      } else if (s.name === 'system:serviceaccounts' || s.name === 'system:authenticated' || s.name.startsWith('system:serviceaccounts:')) {
        add(byGroup, `${source}\u0000${s.name}`, grants);
      }
    }
  }
  return { held, byGroup, complete };
}

/** The account's own grants and its groups' together, or null when some are unknown. */
function grantsOf(source: string, namespace: string, account: string, held: Map<string, Held>, byGroup: Map<string, Held>): string[] | null {
  const parts = [
    held.get(`${source}\u0000${namespace}/${account}`),
    byGroup.get(`${source}\u0000system:serviceaccounts`),
    byGroup.get(`${source}\u0000system:serviceaccounts:${namespace}`),
    byGroup.get(`${source}\u0000system:authenticated`),
  ].filter((p): p is Held => p !== undefined);
  if (parts.some((p) => p.unknown)) return null;
  return [...new Set(parts.flatMap((p) => [...p.grants]))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

const unknownBecause = (why: string): UnknownFact => new UnknownFact({ kind: 'k8s.rbac.roleBinding', state: 'partial', reason: 'input_missing' }, why);
const BINDINGS_UNREAD = unknownBecause("the cluster's RoleBindings and ClusterRoleBindings were not all read");
const ROLE_UNREAD = unknownBecause('a binding naming the service account refers to a role that was not read');

export const workloadServiceAccountGrantsAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: [],
  // Gaps are judged per cluster and per binding here (unknowns).
  judges: ['k8s.rbac.roleBinding', 'k8s.rbac.clusterRoleBinding', 'k8s.rbac.role', 'k8s.rbac.clusterRole', 'k8s.cluster'],
  output,
  derive(inventory) {
    const { held, byGroup } = heldByAccount(inventory);
    const out = new Map<string, z.output<typeof output>>();
    for (const w of inventory.ofKind('k8s.workload')) {
      const grants = grantsOf(w.provenance.source, String(w.attributes.namespace), w.attributes.pod.serviceAccountName, held, byGroup);
      out.set(w.id, { serviceAccountGrants: grants ?? [] });
    }
    return out;
  },
  unknowns(inventory) {
    const { held, byGroup, complete } = heldByAccount(inventory);
    const out = new Map<string, Readonly<Record<string, UnknownFact>>>();
    for (const w of inventory.ofKind('k8s.workload')) {
      const source = w.provenance.source;
      if (!complete(source)) out.set(w.id, { serviceAccountGrants: BINDINGS_UNREAD });
      else if (grantsOf(source, String(w.attributes.namespace), w.attributes.pod.serviceAccountName, held, byGroup) === null) out.set(w.id, { serviceAccountGrants: ROLE_UNREAD });
    }
    return out;
  },
});
