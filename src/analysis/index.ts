import type { InventoryIndex } from '../inventory/index.js';
import type { Analyser } from './analyser.js';
import { adminEquivalentAnalysers } from './aws/admin-equivalent.js';
import { factorStrengthAnalyser } from './identity/factor-strength.js';
import { policyExclusionsAnalyser } from './identity/policy-exclusions.js';
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
  namespaceAnalyser,
  ...kubernetesPostureAnalysers,
  ...adminEquivalentAnalysers,
  factorStrengthAnalyser,
  policyExclusionsAnalyser,
];

/** Derived facts per resource id, merged across analysers. */
export type DerivedFacts = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

export function analyse(inventory: InventoryIndex): DerivedFacts {
  const facts = new Map<string, Record<string, unknown>>();
  for (const analyser of analysers) {
    for (const [id, fields] of analyser.derive(inventory)) {
      facts.set(id, { ...facts.get(id), ...fields });
    }
  }
  return facts;
}
