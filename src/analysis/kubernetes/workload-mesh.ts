import { z } from 'zod';
import { analyser } from '../analyser.js';
import type { TypedResource } from '../../inventory/snapshot.js';
import { selectorMatches } from './label-selector.js';
import { linkerdReadings } from './linkerd.js';
import { namespaceOf } from './namespace-lookup.js';

const ISTIO_ROOT_NAMESPACE = 'istio-system';
type Mode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';
type SetMode = Exclude<Mode, 'UNSET'>;
type PeerAuthentication = TypedResource<'istio.peerAuthentication'>;

/**
 * Whether Istio's data plane carries the pods. Sidecar injection is the namespace label
 * (istio-injection=enabled or istio.io/rev) or the pod label sidecar.istio.io/inject=true
 * (the webhook selects on labels; the annotation of that name only opts out); ambient is
 * the namespace label istio.io/dataplane-mode=ambient, which a pod leaves with the label
 * istio.io/dataplane-mode=none. Neither takes host-network pods.
 */
export function istioEnrolled(nsLabels: Readonly<Record<string, string>>, podLabels: Readonly<Record<string, string>>, podAnnotations: Readonly<Record<string, string>>, hostNetwork: boolean): boolean {
  if (hostNetwork) return false;
  const label = podLabels['sidecar.istio.io/inject'];
  if (label === 'false' || podAnnotations['sidecar.istio.io/inject'] === 'false') return false;
  if (nsLabels['istio.io/dataplane-mode'] === 'ambient') return podLabels['istio.io/dataplane-mode'] !== 'none';
  if (nsLabels['istio-injection'] === 'disabled') return false;
  return nsLabels['istio-injection'] === 'enabled' || 'istio.io/rev' in nsLabels || label === 'true';
}

/**
 * Istio PeerAuthentication precedence: a workload-selector policy in the workload's
 * namespace, then the namespace-wide policy, then the mesh-wide policy in the root
 * namespace, then Istio's default PERMISSIVE. UNSET inherits from the next level.
 * Port-level overrides are reported separately (mtlsPortOverrides).
 */
export function effectiveMtls(
  namespacePolicies: readonly PeerAuthentication[],
  meshPolicy: PeerAuthentication | undefined,
  podLabels: Readonly<Record<string, string>>,
): { mode: SetMode; portOverrides: Readonly<Record<string, Mode>> } {
  const workloadLevel = namespacePolicies.find(
    (p) => p.attributes.selector !== null && selectorMatches(p.attributes.selector, podLabels),
  );
  const namespaceLevel = namespacePolicies.find((p) => p.attributes.selector === null);
  let mode: SetMode = 'PERMISSIVE';
  for (const level of [workloadLevel, namespaceLevel, meshPolicy]) {
    const m = level?.attributes.mtlsMode;
    if (m && m !== 'UNSET') {
      mode = m;
      break;
    }
  }
  const portOverrides = workloadLevel?.attributes.portLevelMtls ?? {};
  return { mode, portOverrides };
}

const output = z.object({
  mesh: z.enum(['istio', 'linkerd']).nullable().describe('The service mesh that carries the pods\' traffic: istio, linkerd, or null.'),
  meshEnrolled: z.boolean().describe('An Istio sidecar (or ambient mode) or a Linkerd proxy carries the pods\' traffic.'),
  // Optional: left out for Linkerd pods when its Servers or authorizations could not be read.
  mtlsMode: z
    .enum(['STRICT', 'PERMISSIVE', 'DISABLE', 'NONE'])
    .optional()
    .describe(
      'Effective mTLS mode for the pods: STRICT, PERMISSIVE, DISABLE, or NONE when not in a mesh. For Linkerd, STRICT when the default inbound policy admits only authenticated (mTLS) traffic, PERMISSIVE when it admits plaintext.',
    ),
  mtlsPortOverrides: z
    .record(z.string(), z.enum(['STRICT', 'PERMISSIVE', 'DISABLE']))
    .optional()
    .describe('Port-level mTLS modes that differ from the workload mode (Istio portLevelMtls; Linkerd Servers).'),
});

export const workloadMeshAnalyser = analyser({
  kind: 'k8s.workload',
  // Namespace labels decide Istio injection; PeerAuthentications the mTLS mode.
  inputs: ['k8s.namespace', 'istio.peerAuthentication'],
  // The cluster's API groups only add evidence that a mesh is installed; Linkerd's policy is judged per workload.
  judges: ['k8s.cluster', 'linkerd.server', 'linkerd.authorizationPolicy', 'linkerd.serverAuthorization'],
  output,
  derive(inventory) {
    const istioSources = new Set<string>();
    for (const c of inventory.ofKind('k8s.cluster')) if (c.attributes.apiGroups.includes('security.istio.io')) istioSources.add(c.provenance.source);
    // Per cluster, per namespace, sorted by name so that, as in Istio, one policy wins deterministically when several match.
    const peerAuthentications = new Map<string, Map<string, PeerAuthentication[]>>();
    for (const [source, list] of inventory.bySource('istio.peerAuthentication')) {
      istioSources.add(source);
      const byNamespace = new Map<string, PeerAuthentication[]>();
      for (const p of [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const ns = String(p.attributes.namespace);
        const policies = byNamespace.get(ns);
        if (policies) policies.push(p);
        else byNamespace.set(ns, [p]);
      }
      peerAuthentications.set(source, byNamespace);
    }
    const linkerd = linkerdReadings(inventory);
    const out = new Map<string, z.output<typeof output>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const source = workload.provenance.source;
      const namespace = String(workload.attributes.namespace);
      const ns = namespaceOf(inventory, source, namespace);
      const { podLabels, podAnnotations, pod } = workload.attributes;
      if (istioSources.has(source) && istioEnrolled(ns?.labels ?? {}, podLabels, podAnnotations, pod.hostNetwork)) {
        const policies = peerAuthentications.get(source);
        const meshPolicy = policies?.get(ISTIO_ROOT_NAMESPACE)?.find((p) => p.attributes.selector === null);
        const { mode, portOverrides } = effectiveMtls(policies?.get(namespace) ?? [], meshPolicy, podLabels);
        out.set(workload.id, {
          mesh: 'istio',
          meshEnrolled: true,
          mtlsMode: mode,
          mtlsPortOverrides: Object.fromEntries(Object.entries(portOverrides).filter((e): e is [string, SetMode] => e[1] !== 'UNSET' && e[1] !== mode)),
        });
        continue;
      }
      const reading = linkerd.get(workload.id);
      if (reading?.meshed) {
        // Without its reading (policy data unreadable) the port modes are unknown: rules on them report an error.
        const l = reading.workload;
        out.set(workload.id, l ? { mesh: 'linkerd', meshEnrolled: true, mtlsMode: l.mode, mtlsPortOverrides: l.portOverrides } : { mesh: 'linkerd', meshEnrolled: true });
        continue;
      }
      out.set(workload.id, { mesh: null, meshEnrolled: false, mtlsMode: 'NONE', mtlsPortOverrides: {} });
    }
    return out;
  },
});
