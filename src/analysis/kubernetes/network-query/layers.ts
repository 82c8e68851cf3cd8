import type { LayerNote } from './results.js';

/**
 * The policy layers above NetworkPolicy that zt models per workload — Istio and Linkerd
 * authorization, Cilium's own policies — as notes on a connection's destination (and, for
 * Cilium egress, its source). They are what the analysis derives for the workload
 * (istio-authz.ts, linkerd.ts, cilium-policy.ts, workload-mesh.ts), not an evaluation of
 * this connection: each note says so. Istio is evaluated per connection where its
 * policies were all read (istio-connection.ts); its note here is the fallback.
 */

type Facts = Readonly<Record<string, unknown>>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function layerNotes(facts: Facts | undefined, role: 'source' | 'destination'): LayerNote[] {
  if (!facts) return [];
  const notes: LayerNote[] = [];
  if (role === 'destination' && facts.mesh === 'istio') {
    const allow = list(facts.istioAllowPolicies);
    const summary =
      facts.istioDefaultDeny === true
        ? `in the Istio mesh (mTLS ${String(facts.mtlsMode)}): Istio ALLOW AuthorizationPolicies apply, so a request must also match one of their rules${allow.length > 0 ? ` (${allow.join(', ')})` : ' (none has rules: every request is denied)'}`
        : `in the Istio mesh (mTLS ${String(facts.mtlsMode)}): no Istio ALLOW AuthorizationPolicy applies, so Istio admits what NetworkPolicy lets through (DENY policies are not modelled)`;
    notes.push({
      layer: 'istio',
      evaluatedPerConnection: false,
      facts: pick(facts, ['mtlsMode', 'istioDefaultDeny', 'istioAllowNothing', 'istioAllowPolicies', 'istioAllowSourcesConstrained', 'istioAllowOperationsConstrained']),
      summary,
    });
  }
  if (role === 'destination' && facts.mesh === 'linkerd') {
    const summary =
      facts.linkerdDefaultDeny === true
        ? `meshed by Linkerd with a default-deny inbound policy: a connection must also be admitted by a Linkerd authorization (${list(facts.linkerdAuthorizationPolicies).join(', ') || 'none'})`
        : `meshed by Linkerd, default inbound policy ${typeof facts.linkerdDefaultInboundPolicy === 'string' ? facts.linkerdDefaultInboundPolicy : 'unknown'}: ports no Server covers follow it`;
    notes.push({
      layer: 'linkerd',
      evaluatedPerConnection: false,
      facts: pick(facts, ['mtlsMode', 'linkerdDefaultInboundPolicy', 'linkerdDefaultDeny', 'linkerdAuthorizationsAuthenticated', 'linkerdAuthorizationPolicies']),
      summary,
    });
  }
  const ciliumField = role === 'destination' ? 'ciliumIngressIsolated' : 'ciliumEgressIsolated';
  if (facts[ciliumField] === true) {
    notes.push({
      layer: 'cilium',
      evaluatedPerConnection: false,
      facts: pick(facts, ['ciliumPolicies', ciliumField, ...(role === 'destination' ? ['ciliumIngressFromWorld', 'ciliumIngressAuthenticated', 'ciliumIngressHttpScoped'] : [])]),
      summary: `Cilium policies (${list(facts.ciliumPolicies).join(', ')}) isolate the pods for ${role === 'destination' ? 'ingress' : 'egress'}: Cilium may deny what NetworkPolicy allows (its rules are not evaluated per connection)`,
    });
  }
  return notes;
}

function pick(facts: Facts, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (facts[k] !== undefined) out[k] = facts[k];
  return out;
}
