import type { InventoryIndex } from '../inventory/index.js';
import type { Analyser } from './analyser.js';
import { adminEquivalentAnalysers } from './aws/admin-equivalent.js';
import { entraTenantAnalyser } from './identity/entra-tenant.js';
import { factorStrengthAnalyser } from './identity/factor-strength.js';
import { policyExclusionsAnalyser } from './identity/policy-exclusions.js';
import { cniAnalysers } from './kubernetes/cni.js';
import { istioAuthzAnalysers } from './kubernetes/istio-authz.js';
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
  private readonly byId = new Map<string, Readonly<Record<string, unknown>>[]>();

  /** One map per analyser (id → its fields), in analyser order. */
  constructor(parts: readonly ReadonlyMap<string, Readonly<Record<string, unknown>>>[]) {
    for (const part of parts) {
      for (const [id, fields] of part) {
        const list = this.byId.get(id);
        if (list) list.push(fields);
        else this.byId.set(id, [fields]);
      }
    }
  }

  /** The derived fields of one resource, one object per analyser that has any, in analyser order. */
  partsOf(id: string): readonly Readonly<Record<string, unknown>>[] {
    return this.byId.get(id) ?? [];
  }

  /** The derived fields of one resource merged (later analysers win on a shared name), or undefined when none. */
  get(id: string): Readonly<Record<string, unknown>> | undefined {
    const found = this.partsOf(id);
    return found.length <= 1 ? found[0] : Object.assign({}, ...found);
  }
}

export function analyse(inventory: InventoryIndex): DerivedFacts {
  const parts: ReadonlyMap<string, Record<string, unknown>>[] = [];
  for (const analyser of analysers) {
    try {
      parts.push(analyser.derive(inventory));
    } catch {
      // Data that does not match its schema (only possible when validation was skipped,
      // as in rule error cases) must not crash the audit: the analyser's fields are then
      // absent and the rules that read them report an error, never a pass.
    }
  }
  return new DerivedFacts(parts);
}
