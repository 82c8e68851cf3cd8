import { z } from 'zod';
import { type Analyser, analyser, type DerivedRecord } from '../analyser.js';
import type { TypedResource } from '../../inventory/snapshot.js';
import { selectorMatches } from './label-selector.js';

/**
 * Istio AuthorizationPolicy, per workload (security.istio.io/v1):
 * - A policy applies to a workload when it is in the workload's namespace and has no
 *   selector (namespace-wide) or a matching one, or when it is in the root namespace
 *   (istio-system) with no selector (mesh-wide) or a matching one (any namespace).
 * - ALLOW with no rules (`spec: {}`, or `rules: []`) matches nothing: "allow-nothing".
 *   Once any ALLOW policy applies, a request is denied unless an ALLOW rule matches it,
 *   so an allow-nothing policy namespace- or mesh-wide is the default-deny baseline.
 * - A rule constrains its sources when it has `from` and every `from[].source` names
 *   principals or namespaces (not "*"); it constrains operations when it has `to` and
 *   every `to[].operation` names hosts, ports, methods or paths. An empty rule `{}`
 *   matches every request.
 */

export const ISTIO_ROOT_NAMESPACE = 'istio-system';

type Rule = Readonly<Record<string, unknown>>;
type AuthorizationPolicy = TypedResource<'istio.authorizationPolicy'>;

function nonEmptyList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function namesSpecific(value: unknown): boolean {
  return nonEmptyList(value) && !value.some((v) => v === '*');
}

export function ruleConstrainsSources(rule: Rule): boolean {
  const from = rule.from;
  if (!nonEmptyList(from)) return false;
  return from.every((f) => {
    const source = ((f ?? {}) as { source?: Record<string, unknown> }).source ?? {};
    return namesSpecific(source.principals) || namesSpecific(source.namespaces);
  });
}

export function ruleConstrainsOperations(rule: Rule): boolean {
  const to = rule.to;
  if (!nonEmptyList(to)) return false;
  return to.every((t) => {
    const op = ((t ?? {}) as { operation?: Record<string, unknown> }).operation ?? {};
    return ['hosts', 'ports', 'methods', 'paths'].some((k) => namesSpecific(op[k]));
  });
}

function isAllowNothing(policy: AuthorizationPolicy): boolean {
  const rules = policy.attributes.rules;
  return policy.attributes.action === 'ALLOW' && (rules === null || rules.length === 0);
}

export interface WorkloadAuthz {
  readonly allowNothing: boolean;
  readonly defaultDeny: boolean;
  readonly allowPolicies: readonly string[];
  readonly sourcesConstrained: boolean;
  readonly operationsConstrained: boolean;
}

/** The AuthorizationPolicies of one cluster that apply to a workload (namespace + pod labels). */
export function applicablePolicies(policies: readonly AuthorizationPolicy[], namespace: string, podLabels: Readonly<Record<string, string>>): AuthorizationPolicy[] {
  return policies.filter((p) => {
    const ns = String(p.attributes.namespace);
    if (ns !== namespace && ns !== ISTIO_ROOT_NAMESPACE) return false;
    const selector = p.attributes.selector;
    return selector === null || selectorMatches(selector, podLabels);
  });
}

export function workloadAuthz(policies: readonly AuthorizationPolicy[], namespace: string, podLabels: Readonly<Record<string, string>>): WorkloadAuthz {
  const applying = applicablePolicies(policies, namespace, podLabels).filter((p) => p.attributes.action === 'ALLOW');
  const allowNothing = applying.some((p) => p.attributes.selector === null && isAllowNothing(p));
  const withRules = applying.filter((p) => !isAllowNothing(p));
  const rules = withRules.flatMap((p) => p.attributes.rules ?? []);
  return {
    allowNothing,
    defaultDeny: applying.length > 0,
    allowPolicies: withRules.map((p) => `${String(p.attributes.namespace)}/${p.name}`).sort(),
    sourcesConstrained: rules.every(ruleConstrainsSources),
    operationsConstrained: rules.every(ruleConstrainsOperations),
  };
}

const workloadOutput = z.object({
  istioAllowNothing: z
    .boolean()
    .describe('A namespace-wide (or mesh-wide, in istio-system) Istio AuthorizationPolicy with action ALLOW and no rules covers the pods: the default-deny baseline.'),
  istioDefaultDeny: z.boolean().describe('Some Istio ALLOW AuthorizationPolicy applies to the pods, so requests no ALLOW rule matches are denied.'),
  istioAllowPolicies: z.array(z.string()).describe('Istio ALLOW AuthorizationPolicies with rules that apply to the pods, as namespace/name.'),
  istioAllowSourcesConstrained: z
    .boolean()
    .describe('Every rule of those ALLOW policies names its callers (from.source.principals or namespaces, not "*"); true when there are none.'),
  istioAllowOperationsConstrained: z
    .boolean()
    .describe('Every rule of those ALLOW policies names operations (to.operation hosts, ports, methods or paths); true when there are none.'),
});

export const workloadIstioAuthzAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: ['istio.authorizationPolicy'],
  output: workloadOutput,
  derive(inventory) {
    const policies = inventory.bySource('istio.authorizationPolicy');
    const out = new Map<string, DerivedRecord<typeof workloadOutput>>();
    for (const w of inventory.ofKind('k8s.workload')) {
      const a = workloadAuthz(policies.get(w.provenance.source) ?? [], String(w.attributes.namespace), w.attributes.podLabels);
      out.set(w.id, {
        istioAllowNothing: a.allowNothing,
        istioDefaultDeny: a.defaultDeny,
        istioAllowPolicies: a.allowPolicies,
        istioAllowSourcesConstrained: a.sourcesConstrained,
        istioAllowOperationsConstrained: a.operationsConstrained,
      });
    }
    return out;
  },
});

const namespaceOutput = z.object({
  istioAllowNothing: z
    .boolean()
    .describe('A namespace-wide (or mesh-wide, in istio-system) Istio ALLOW AuthorizationPolicy with no rules covers the namespace: the default-deny baseline.'),
});

export const namespaceIstioAuthzAnalyser = analyser({
  kind: 'k8s.namespace',
  inputs: ['istio.authorizationPolicy'],
  output: namespaceOutput,
  derive(inventory) {
    const policies = inventory.bySource('istio.authorizationPolicy');
    const out = new Map<string, z.output<typeof namespaceOutput>>();
    for (const ns of inventory.ofKind('k8s.namespace')) {
      const list = policies.get(ns.provenance.source) ?? [];
      const covered = list.some(
        (p) =>
          (String(p.attributes.namespace) === ns.name || String(p.attributes.namespace) === ISTIO_ROOT_NAMESPACE) &&
          p.attributes.selector === null &&
          isAllowNothing(p),
      );
      out.set(ns.id, { istioAllowNothing: covered });
    }
    return out;
  },
});

export const istioAuthzAnalysers: readonly Analyser[] = [workloadIstioAuthzAnalyser, namespaceIstioAuthzAnalyser];
