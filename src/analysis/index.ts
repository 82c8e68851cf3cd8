import type { InventoryIndex } from '../inventory/index.js';
import type { Analyser } from './analyser.js';
import { adminEquivalentAnalysers } from './aws/admin-equivalent.js';
import { entraTenantAnalyser } from './identity/entra-tenant.js';
import { factorStrengthAnalyser } from './identity/factor-strength.js';
import { policyExclusionsAnalyser } from './identity/policy-exclusions.js';
import { ciliumAnalysers } from './kubernetes/cilium-policy.js';
import { cniAnalysers } from './kubernetes/cni.js';
import { istioAuthzAnalysers } from './kubernetes/istio-authz.js';
import { workloadLinkerdAuthzAnalyser } from './kubernetes/linkerd.js';
import { namespaceAnalyser } from './kubernetes/namespace.js';
import { kubernetesPostureAnalysers } from './kubernetes/posture.js';
import { workloadIdentityAnalyser } from './kubernetes/workload-identity.js';
import { workloadMeshAnalyser } from './kubernetes/workload-mesh.js';
import { workloadNetworkAnalyser } from './kubernetes/workload-network.js';

/** Every analyser, in the order they run (independent of each other today). */
export const analysers: readonly Analyser[] = [
  workloadIdentityAnalyser,
  workloadNetworkAnalyser,
  workloadMeshAnalyser,
  ...cniAnalysers,
  ...istioAuthzAnalysers,
  workloadLinkerdAuthzAnalyser,
  ...ciliumAnalysers,
  namespaceAnalyser,
  ...kubernetesPostureAnalysers,
  ...adminEquivalentAnalysers,
  factorStrengthAnalyser,
  policyExclusionsAnalyser,
  entraTenantAnalyser,
];

/**
 * Derived facts per resource id: each analyser's fields kept as their own object and
 * merged only when asked for. Merging up front copied a workload's growing fact object
 * once per analyser (half a second at 100k resources); the audit instead copies each
 * resource's parts once, straight into its CEL view.
 */
export class DerivedFacts {
  private readonly byKind = new Map<string, ReadonlyMap<string, Readonly<Record<string, unknown>>>[]>();

  /** Each analyser's output (id → its fields) with the kind it derives for, in analyser order. */
  constructor(parts: readonly { readonly kind: string; readonly facts: ReadonlyMap<string, Readonly<Record<string, unknown>>> }[]) {
    for (const { kind, facts } of parts) {
      const list = this.byKind.get(kind);
      if (list) list.push(facts);
      else this.byKind.set(kind, [facts]);
    }
  }

  /** The derived fields of one resource, one object per analyser of its kind that has any, in analyser order. */
  partsOf(resource: { readonly kind: string; readonly id: string }): Readonly<Record<string, unknown>>[] {
    const found: Readonly<Record<string, unknown>>[] = [];
    for (const facts of this.byKind.get(resource.kind) ?? []) {
      const fields = facts.get(resource.id);
      if (fields !== undefined) found.push(fields);
    }
    return found;
  }

  /** The derived fields of the resource with this id merged (later analysers win on a shared name), or undefined when none. */
  get(id: string): Readonly<Record<string, unknown>> | undefined {
    const found: Readonly<Record<string, unknown>>[] = [];
    for (const list of this.byKind.values()) {
      for (const facts of list) {
        const fields = facts.get(id);
        if (fields !== undefined) found.push(fields);
      }
    }
    return found.length <= 1 ? found[0] : (Object.assign({}, ...found) as Record<string, unknown>);
  }
}

export function analyse(inventory: InventoryIndex): DerivedFacts {
  const parts: { kind: string; facts: ReadonlyMap<string, Record<string, unknown>> }[] = [];
  for (const analyser of analysers) {
    try {
      parts.push({ kind: analyser.kind, facts: analyser.derive(inventory) });
    } catch {
      // Data that does not match its schema (only possible when validation was skipped,
      // as in rule error cases) must not crash the audit: the analyser's fields are then
      // absent and the rules that read them report an error, never a pass.
    }
  }
  return new DerivedFacts(parts);
}
