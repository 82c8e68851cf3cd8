import type { Analyser } from '../analyser.js';
import type { LabelSelector } from '../../inventory/kinds/common.js';
import type { Resource } from '../../inventory/snapshot.js';
import { selectorMatches } from './label-selector.js';

const ISTIO_ROOT_NAMESPACE = 'istio-system';
type Mode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

function enrolled(nsLabels: Record<string, string>, podLabels: Record<string, string>, podAnnotations: Record<string, string>): boolean {
  const podSays = podLabels['sidecar.istio.io/inject'] ?? podAnnotations['sidecar.istio.io/inject'];
  if (podSays === 'false') return false;
  if (nsLabels['istio.io/dataplane-mode'] === 'ambient') return true;
  if (nsLabels['istio-injection'] === 'disabled') return false;
  return nsLabels['istio-injection'] === 'enabled' || 'istio.io/rev' in nsLabels || podSays === 'true';
}

/**
 * Istio PeerAuthentication precedence: a workload-selector policy in the workload's
 * namespace, then the namespace-wide policy, then the mesh-wide policy in the root
 * namespace, then Istio's default PERMISSIVE. UNSET inherits from the next level.
 * Port-level overrides are reported separately (mtlsPortOverrides).
 */
export function effectiveMtls(
  namespacePolicies: readonly Resource[],
  meshPolicy: Resource | undefined,
  podLabels: Record<string, string>,
): { mode: Exclude<Mode, 'UNSET'>; portOverrides: Record<string, Mode> } {
  const workloadLevel = namespacePolicies.find(
    (p) => p.attributes.selector !== null && selectorMatches(p.attributes.selector as LabelSelector, podLabels),
  );
  const namespaceLevel = namespacePolicies.find((p) => p.attributes.selector === null);
  let mode: Exclude<Mode, 'UNSET'> = 'PERMISSIVE';
  for (const level of [workloadLevel, namespaceLevel, meshPolicy]) {
    const m = level?.attributes.mtlsMode as Mode | undefined;
    if (m && m !== 'UNSET') {
      mode = m;
      break;
    }
  }
  const portOverrides = (workloadLevel?.attributes.portLevelMtls as Record<string, Mode> | undefined) ?? {};
  return { mode, portOverrides };
}

export const workloadMeshAnalyser: Analyser = {
  kind: 'k8s.workload',
  fields: {
    meshEnrolled: 'An Istio sidecar (or ambient mode) carries the pods\' traffic.',
    mtlsMode: 'Effective Istio mTLS mode for the pods: STRICT, PERMISSIVE, DISABLE, or NONE when not in the mesh.',
    mtlsPortOverrides: 'Port-level mTLS modes that differ from the workload mode.',
  },
  derive(inventory) {
    const istioInstalled = inventory
      .ofKind('k8s.cluster')
      .some((c) => (c.attributes.apiGroups as string[]).includes('security.istio.io'));
    const nsLabels = new Map(inventory.ofKind('k8s.namespace').map((ns) => [ns.name, ns.attributes.labels as Record<string, string>]));
    const policies = inventory.ofKind('istio.peerAuthentication');
    // Sorted by name so that, as in Istio, one policy wins deterministically when several match.
    const byNamespace = new Map<string, Resource[]>();
    for (const [ns, list] of inventory.byNamespace('istio.peerAuthentication')) {
      byNamespace.set(ns, [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    }
    const meshPolicy = byNamespace.get(ISTIO_ROOT_NAMESPACE)?.find((p) => p.attributes.selector === null);
    const out = new Map<string, Record<string, unknown>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const namespace = String(workload.attributes.namespace);
      const podLabels = workload.attributes.podLabels as Record<string, string>;
      const inMesh =
        (istioInstalled || policies.length > 0) &&
        enrolled(nsLabels.get(namespace) ?? {}, podLabels, workload.attributes.podAnnotations as Record<string, string>);
      const { mode, portOverrides } = effectiveMtls(byNamespace.get(namespace) ?? [], meshPolicy, podLabels);
      out.set(workload.id, {
        meshEnrolled: inMesh,
        mtlsMode: inMesh ? mode : 'NONE',
        mtlsPortOverrides: inMesh ? Object.fromEntries(Object.entries(portOverrides).filter(([, m]) => m !== 'UNSET' && m !== mode)) : {},
      });
    }
    return out;
  },
};
