import type { Analyser } from '../analyser.js';
import type { LabelSelector } from '../../inventory/kinds/common.js';
import type { Resource } from '../../inventory/snapshot.js';
import { selectorMatches } from './label-selector.js';
import { linkerdInjected, linkerdInstalled, linkerdObjectsBySource, linkerdPolicyUnreadable, linkerdWorkload, type LinkerdObjects } from './linkerd.js';

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

const NO_LINKERD: LinkerdObjects = { servers: new Map(), authorizations: new Map() };

export const workloadMeshAnalyser: Analyser = {
  kind: 'k8s.workload',
  fields: {
    mesh: 'The service mesh that carries the pods\' traffic: istio, linkerd, or null.',
    meshEnrolled: 'An Istio sidecar (or ambient mode) or a Linkerd proxy carries the pods\' traffic.',
    mtlsMode:
      'Effective mTLS mode for the pods: STRICT, PERMISSIVE, DISABLE, or NONE when not in a mesh. For Linkerd, STRICT when the default inbound policy admits only authenticated (mTLS) traffic, PERMISSIVE when it admits plaintext.',
    mtlsPortOverrides: 'Port-level mTLS modes that differ from the workload mode (Istio portLevelMtls; Linkerd Servers).',
  },
  derive(inventory) {
    const istioInstalled = inventory
      .ofKind('k8s.cluster')
      .some((c) => (c.attributes.apiGroups as string[]).includes('security.istio.io'));
    const namespaces = new Map(inventory.ofKind('k8s.namespace').map((ns) => [ns.name, ns.attributes as { labels: Record<string, string>; annotations: Record<string, string> }]));
    const policies = inventory.ofKind('istio.peerAuthentication');
    // Sorted by name so that, as in Istio, one policy wins deterministically when several match.
    const byNamespace = new Map<string, Resource[]>();
    for (const [ns, list] of inventory.byNamespace('istio.peerAuthentication')) {
      byNamespace.set(ns, [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    }
    const meshPolicy = byNamespace.get(ISTIO_ROOT_NAMESPACE)?.find((p) => p.attributes.selector === null);
    const linkerdHere = linkerdInstalled(inventory);
    const linkerdUnreadable = linkerdPolicyUnreadable(inventory);
    const linkerdObjects = linkerdObjectsBySource(inventory);
    const out = new Map<string, Record<string, unknown>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const namespace = String(workload.attributes.namespace);
      const ns = namespaces.get(namespace);
      const podLabels = workload.attributes.podLabels as Record<string, string>;
      const podAnnotations = workload.attributes.podAnnotations as Record<string, string>;
      const inIstio = (istioInstalled || policies.length > 0) && enrolled(ns?.labels ?? {}, podLabels, podAnnotations);
      if (inIstio) {
        const { mode, portOverrides } = effectiveMtls(byNamespace.get(namespace) ?? [], meshPolicy, podLabels);
        out.set(workload.id, {
          mesh: 'istio',
          meshEnrolled: true,
          mtlsMode: mode,
          mtlsPortOverrides: Object.fromEntries(Object.entries(portOverrides).filter(([, m]) => m !== 'UNSET' && m !== mode)),
        });
        continue;
      }
      const pod = workload.attributes.pod as { containers: { name: string }[]; initContainers: { name: string }[] };
      const containers = [...pod.containers, ...pod.initContainers];
      const inLinkerd = (linkerdHere || containers.some((c) => c.name === 'linkerd-proxy')) && linkerdInjected(ns?.annotations ?? {}, podAnnotations, containers);
      if (inLinkerd) {
        // Servers or their authorizations unreadable: the port modes are unknown, so rules on them report an error.
        if (linkerdUnreadable) out.set(workload.id, { mesh: 'linkerd', meshEnrolled: true });
        else {
          const l = linkerdWorkload(linkerdObjects.get(workload.provenance.source) ?? NO_LINKERD, namespace, ns?.annotations ?? {}, podLabels, podAnnotations);
          out.set(workload.id, { mesh: 'linkerd', meshEnrolled: true, mtlsMode: l.mode, mtlsPortOverrides: l.portOverrides });
        }
        continue;
      }
      out.set(workload.id, { mesh: null, meshEnrolled: false, mtlsMode: 'NONE', mtlsPortOverrides: {} });
    }
    return out;
  },
};
