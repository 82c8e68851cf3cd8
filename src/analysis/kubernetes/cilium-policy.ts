import { z } from 'zod';
import { type Analyser, analyser, type DerivedRecord } from '../analyser.js';
import { targetInputGap } from '../input-gaps.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { LabelSelector } from '../../inventory/kinds/common.js';
import type { TypedResource } from '../../inventory/snapshot.js';
import { cniFacts } from './cni.js';
import { selectorMatches } from './label-selector.js';
import { namespaceOf } from './namespace-lookup.js';

/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy, per workload and namespace.
 *
 * - A namespaced policy selects endpoints of its own namespace only; a cluster-wide one
 *   selects across namespaces. Cilium gives every pod endpoint its pod labels plus
 *   `io.kubernetes.pod.namespace`, `io.cilium.k8s.policy.serviceaccount` and
 *   `io.cilium.k8s.namespace.labels.<key>`; selector keys may carry a source prefix
 *   (`k8s:`, `any:`) that matches those labels.
 * - A rule with a non-empty `ingress` or `ingressDeny` section puts the endpoints it
 *   selects in default-deny for ingress (likewise egress), unless its
 *   `enableDefaultDeny` turns that off for the direction. An empty section (`[]`) is
 *   treated as absent: zt never counts an endpoint as isolated on a reading Cilium
 *   might not share.
 * - Host policies (nodeSelector) select nodes, not pods, and are not counted; nor are
 *   host-network pods, which are not Cilium endpoints.
 * - Policies count only where Cilium can be the CNI: a cluster whose DaemonSets show
 *   another policy-enforcing CNI (CRDs left behind) gets nothing from them.
 *
 * zt's reachability and blast radius read Kubernetes NetworkPolicies only, so for pods
 * Cilium isolates they over-state who can connect: never a false pass.
 */

type Section = Readonly<Record<string, unknown>>;
interface CiliumRule {
  readonly endpointSelector: LabelSelector | null;
  readonly ingress: readonly Section[] | null;
  readonly ingressDeny: readonly Section[] | null;
  readonly egress: readonly Section[] | null;
  readonly egressDeny: readonly Section[] | null;
  readonly enableDefaultDeny: { readonly ingress: boolean | null; readonly egress: boolean | null };
}

type CiliumPolicy = TypedResource<'cilium.networkPolicy'>;

const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';

/** Strips the label source Cilium allows on selector keys: `k8s:app` and `any:app` select the pod label `app`. */
function unprefixed(key: string): string {
  return key.startsWith('k8s:') ? key.slice(4) : key.startsWith('any:') ? key.slice(4) : key;
}

export function normaliseSelector(selector: LabelSelector): LabelSelector {
  const out: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelector['matchExpressions'] } = {};
  if (selector.matchLabels) out.matchLabels = Object.fromEntries(Object.entries(selector.matchLabels).map(([k, v]) => [unprefixed(k), v]));
  if (selector.matchExpressions) out.matchExpressions = selector.matchExpressions.map((e) => ({ ...e, key: unprefixed(e.key) }));
  return out;
}

/** The labels Cilium gives a pod's endpoint. */
export function endpointLabels(
  podLabels: Readonly<Record<string, string>>,
  namespace: string,
  namespaceLabels: Readonly<Record<string, string>>,
  serviceAccount: string,
): Record<string, string> {
  const labels: Record<string, string> = { ...podLabels, [NAMESPACE_LABEL]: namespace, [SERVICE_ACCOUNT_LABEL]: serviceAccount };
  for (const [k, v] of Object.entries(namespaceLabels)) labels[`${NAMESPACE_LABELS_PREFIX}${k}`] = v;
  return labels;
}

function rulesOf(policy: CiliumPolicy): readonly CiliumRule[] {
  return policy.attributes.rules;
}

function ruleSelects(policy: CiliumPolicy, rule: CiliumRule, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  if (rule.endpointSelector === null) return false;
  if (policy.attributes.clusterwide !== true && String(policy.attributes.namespace) !== namespace) return false;
  return selectorMatches(normaliseSelector(rule.endpointSelector), labels);
}

const nonEmpty = (sections: readonly Section[] | null): boolean => sections !== null && sections.length > 0;

export function isolatesIngress(rule: CiliumRule): boolean {
  return (nonEmpty(rule.ingress) || nonEmpty(rule.ingressDeny)) && rule.enableDefaultDeny.ingress !== false;
}

export function isolatesEgress(rule: CiliumRule): boolean {
  return (nonEmpty(rule.egress) || nonEmpty(rule.egressDeny)) && rule.enableDefaultDeny.egress !== false;
}

const WORLD_ENTITIES = new Set(['world', 'all', 'world-ipv4', 'world-ipv6']);
const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

const PEER_FIELDS = ['fromEndpoints', 'fromRequires', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromGroups', 'fromNodes'];

/** An ingress allow section admits addresses outside the cluster: no peer named at all, the world entity, or a CIDR of every address. */
export function admitsWorld(section: Section): boolean {
  if (!PEER_FIELDS.some((f) => f in section)) return true;
  const entities = Array.isArray(section.fromEntities) ? section.fromEntities : [];
  if (entities.some((e) => typeof e === 'string' && WORLD_ENTITIES.has(e))) return true;
  const cidrs = Array.isArray(section.fromCIDR) ? section.fromCIDR : [];
  if (cidrs.some((c) => typeof c === 'string' && ANY_ADDRESS.has(c))) return true;
  const cidrSets = Array.isArray(section.fromCIDRSet) ? section.fromCIDRSet : [];
  return cidrSets.some((c) => {
    const set = (c ?? {}) as { cidr?: unknown; except?: unknown };
    return typeof set.cidr === 'string' && ANY_ADDRESS.has(set.cidr) && !(Array.isArray(set.except) && set.except.length > 0);
  });
}

/** An ingress allow section requires Cilium mutual authentication of the peer. */
export function requiresAuthentication(section: Section): boolean {
  const authentication = (section.authentication ?? {}) as { mode?: unknown };
  return authentication.mode === 'required';
}

/** An HTTP rule that names something (method, path, host or headers): `{}` matches every request. */
const namesRequests = (rule: unknown): boolean => {
  const r = (rule ?? {}) as Record<string, unknown>;
  return ['method', 'path', 'host'].some((k) => typeof r[k] === 'string' && r[k] !== '') || (Array.isArray(r.headers) && r.headers.length > 0) || (Array.isArray(r.headerMatches) && r.headerMatches.length > 0);
};

/** An ingress allow section admits only named HTTP requests (L7 rules, each naming something, on every port entry). */
export function scopedToHttpRequests(section: Section): boolean {
  const toPorts = Array.isArray(section.toPorts) ? section.toPorts : [];
  return (
    toPorts.length > 0 &&
    toPorts.every((p) => {
      const http = ((p ?? {}) as { rules?: { http?: unknown } }).rules?.http;
      return Array.isArray(http) && http.length > 0 && http.every(namesRequests);
    })
  );
}

/**
 * Cilium policies could not be read (denied, failed), or there are some and the workloads
 * were not all read (their DaemonSets tell whether another CNI, not Cilium, enforces
 * policy): the fields are left out, so rules reading them report an error, never a pass.
 * Without Cilium policies the workloads do not matter.
 */
function unreadable(inventory: InventoryIndex, source: string, policies: ReadonlyMap<string, readonly CiliumPolicy[]>): boolean {
  if (targetInputGap(inventory, 'cilium.networkPolicy', source) !== null) return true;
  return policies.has(source) && targetInputGap(inventory, 'k8s.workload', source) !== null;
}

/** unreadable() per cluster, worked out once per cluster: one cluster's gap leaves another's facts known. */
function unreadableIn(inventory: InventoryIndex): (source: string) => boolean {
  const policies = inventory.bySource('cilium.networkPolicy');
  const known = new Map<string, boolean>();
  return (source) => {
    let answer = known.get(source);
    if (answer === undefined) known.set(source, (answer = unreadable(inventory, source, policies)));
    return answer;
  };
}

/** Cilium policies by cluster, leaving out clusters whose DaemonSets show another policy-enforcing CNI. */
function enforcedPolicies(inventory: InventoryIndex): Map<string, CiliumPolicy[]> {
  const policies = inventory.bySource('cilium.networkPolicy');
  const cni = cniFacts(inventory);
  for (const source of [...policies.keys()]) {
    const other = cni.get(source)?.cni;
    if (other && other !== 'cilium') policies.delete(source);
  }
  return policies;
}

const policyName = (p: CiliumPolicy): string => (p.attributes.clusterwide === true ? p.name : `${String(p.attributes.namespace)}/${p.name}`);

const workloadOutput = z.object({
  ciliumIngressIsolated: z
    .boolean()
    .describe('A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy with ingress rules selects the pods, so Cilium admits only the traffic its policies allow.'),
  ciliumEgressIsolated: z.boolean().describe('A Cilium policy with egress rules selects the pods, so they reach only what Cilium policies allow.'),
  ciliumPolicies: z.array(z.string()).describe('Cilium policies that select the pods (namespace/name; cluster-wide ones by name).'),
  ciliumIngressFromWorld: z
    .boolean()
    .describe('A Cilium policy selecting the pods admits ingress from outside the cluster (entity world or all, or 0.0.0.0/0 or ::/0 without exceptions).'),
  ciliumIngressAuthenticated: z
    .boolean()
    .describe('Cilium policies select the pods for ingress and every ingress allow rule requires mutual authentication (authentication.mode required).'),
  ciliumIngressHttpScoped: z
    .boolean()
    .describe('Cilium policies select the pods for ingress and every ingress allow rule names the HTTP requests it admits (toPorts[].rules.http).'),
});

/** The facts of a workload in a cluster without Cilium policies (shared: facts are read-only). */
const NOT_SELECTED: DerivedRecord<typeof workloadOutput> = Object.freeze({
  ciliumIngressIsolated: false,
  ciliumEgressIsolated: false,
  ciliumPolicies: Object.freeze([]),
  ciliumIngressFromWorld: false,
  ciliumIngressAuthenticated: false,
  ciliumIngressHttpScoped: false,
});

export const workloadCiliumAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: ['cilium.networkPolicy', 'k8s.namespace'],
  // The workloads' DaemonSets matter only where Cilium policies exist (unreadable()); the rest names clusters.
  judges: ['k8s.workload', 'k8s.cluster', 'k8s.networkPolicy'],
  output: workloadOutput,
  derive(inventory) {
    const out = new Map<string, DerivedRecord<typeof workloadOutput>>();
    const unread = unreadableIn(inventory);
    const policies = enforcedPolicies(inventory);
    for (const w of inventory.ofKind('k8s.workload')) {
      if (unread(w.provenance.source)) continue;
      const candidates = policies.get(w.provenance.source);
      const pod = w.attributes.pod;
      if (!candidates || pod.hostNetwork) {
        out.set(w.id, NOT_SELECTED);
        continue;
      }
      const namespace = String(w.attributes.namespace);
      const nsLabels = namespaceOf(inventory, w.provenance.source, namespace)?.labels ?? {};
      const labels = endpointLabels(w.attributes.podLabels, namespace, nsLabels, pod.serviceAccountName);
      let ingress = false;
      let egress = false;
      let world = false;
      const allows: Section[] = [];
      const names = new Set<string>();
      for (const policy of candidates) {
        for (const rule of rulesOf(policy)) {
          if (!ruleSelects(policy, rule, namespace, labels)) continue;
          names.add(policyName(policy));
          ingress ||= isolatesIngress(rule);
          egress ||= isolatesEgress(rule);
          world ||= (rule.ingress ?? []).some(admitsWorld);
          allows.push(...(rule.ingress ?? []));
        }
      }
      out.set(w.id, {
        ciliumIngressIsolated: ingress,
        ciliumEgressIsolated: egress,
        ciliumPolicies: [...names].sort(),
        ciliumIngressFromWorld: world,
        ciliumIngressAuthenticated: ingress && allows.every(requiresAuthentication),
        ciliumIngressHttpScoped: ingress && allows.every(scopedToHttpRequests),
      });
    }
    return out;
  },
});

/** The selector selects every pod of the namespace: it names only namespace labels, and they hold. */
function selectsWholeNamespace(selector: LabelSelector, namespace: string, namespaceLabels: Readonly<Record<string, string>>): boolean {
  const s = normaliseSelector(selector);
  const keys = [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e) => e.key)];
  if (!keys.every((k) => k === NAMESPACE_LABEL || k.startsWith(NAMESPACE_LABELS_PREFIX))) return false;
  return selectorMatches(s, endpointLabels({}, namespace, namespaceLabels, ''));
}

const namespaceOutput = z.object({
  ciliumAllPodsIngressIsolated: z
    .boolean()
    .describe(
      'A Cilium policy selecting every pod of the namespace (endpointSelector {} in the namespace, or a cluster-wide one by namespace labels only) has ingress rules: Cilium default-deny.',
    ),
  ciliumAllPodsEgressIsolated: z.boolean().describe('A Cilium policy selecting every pod of the namespace has egress rules.'),
});

export const namespaceCiliumAnalyser = analyser({
  kind: 'k8s.namespace',
  inputs: ['cilium.networkPolicy'],
  judges: ['k8s.workload', 'k8s.cluster', 'k8s.networkPolicy'],
  output: namespaceOutput,
  derive(inventory) {
    const out = new Map<string, z.output<typeof namespaceOutput>>();
    const unread = unreadableIn(inventory);
    const policies = enforcedPolicies(inventory);
    for (const ns of inventory.ofKind('k8s.namespace')) {
      if (unread(ns.provenance.source)) continue;
      const labels = ns.attributes.labels;
      let ingress = false;
      let egress = false;
      for (const policy of policies.get(ns.provenance.source) ?? []) {
        if (policy.attributes.clusterwide !== true && String(policy.attributes.namespace) !== ns.name) continue;
        for (const rule of rulesOf(policy)) {
          if (rule.endpointSelector === null || !selectsWholeNamespace(rule.endpointSelector, ns.name, labels)) continue;
          ingress ||= isolatesIngress(rule);
          egress ||= isolatesEgress(rule);
        }
      }
      out.set(ns.id, { ciliumAllPodsIngressIsolated: ingress, ciliumAllPodsEgressIsolated: egress });
    }
    return out;
  },
});

export const ciliumAnalysers: readonly Analyser[] = [workloadCiliumAnalyser, namespaceCiliumAnalyser];
