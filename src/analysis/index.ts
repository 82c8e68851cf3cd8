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

/** Derived facts per resource id, merged across analysers. */
export type DerivedFacts = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

export function analyse(inventory: InventoryIndex): DerivedFacts {
  const facts = new Map<string, Record<string, unknown>>();
  for (const analyser of analysers) {
    let derived: ReadonlyMap<string, Record<string, unknown>>;
    try {
      derived = analyser.derive(inventory);
    } catch {
      // Data that does not match its schema (only possible when validation was skipped,
      // as in rule error cases) must not crash the audit: the analyser's fields are then
      // absent and the rules that read them report an error, never a pass.
      continue;
    }
    for (const [id, fields] of derived) facts.set(id, { ...facts.get(id), ...fields });
  }
  return facts;
}
