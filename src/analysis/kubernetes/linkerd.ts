import { z } from 'zod';
import { analyser } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { TypedResource } from '../../inventory/snapshot.js';
import { selectorMatches } from './label-selector.js';
import { namespaceOf } from './namespace-lookup.js';

/**
 * Linkerd, per workload (policy.linkerd.io):
 * - Meshed: the pod template already runs `linkerd-proxy`, or `linkerd.io/inject` is
 *   `enabled`/`ingress` on the pod template, or on the namespace and not `disabled` on
 *   the pod; and Linkerd is installed (its API group is served, its objects exist, or a
 *   proxy container is there).
 * - Between meshed pods Linkerd always uses mTLS; whether a pod also accepts plaintext is
 *   its inbound policy. Ports no Server selects follow the default inbound policy
 *   (`config.linkerd.io/default-inbound-policy` on the pod template, else the namespace,
 *   else the cluster's installation value, which zt does not read and takes as Linkerd's
 *   default `all-unauthenticated`). A port a Server selects admits only what its
 *   AuthorizationPolicies allow, and otherwise its `accessPolicy` (deny when unset). Ports
 *   listed in `config.linkerd.io/skip-inbound-ports` bypass the proxy: plaintext.
 * - An AuthorizationPolicy admits a request when all its requiredAuthenticationRefs hold;
 *   it requires a mesh identity when one of them is a MeshTLSAuthentication or a
 *   ServiceAccount (a NetworkAuthentication alone admits plaintext). Policies targeting a
 *   Server apply to it; those targeting the Namespace, or a route (HTTPRoute/GRPCRoute,
 *   whose parent Server zt does not read), are applied to every Server of the namespace.
 *   The older ServerAuthorization (still honoured) admits unauthenticated clients with
 *   `client.unauthenticated` or `meshTLS.unauthenticatedTLS`; one that selects Servers by
 *   label is applied to every Server of the namespace.
 *
 * In Istio's terms, an inbound policy or Server that admits only authenticated traffic is
 * STRICT, one that admits unauthenticated traffic is PERMISSIVE.
 */

export const LINKERD_GROUP = 'policy.linkerd.io';
const LINKERD_KINDS = ['linkerd.server', 'linkerd.authorizationPolicy', 'linkerd.serverAuthorization'] as const;
type Mode = 'STRICT' | 'PERMISSIVE';
const AUTHENTICATED_POLICIES = new Set(['all-authenticated', 'cluster-authenticated', 'deny']);
export const LINKERD_DEFAULT_INBOUND_POLICY = 'all-unauthenticated';

interface Container {
  readonly name: string;
}

type LinkerdServer = TypedResource<'linkerd.server'>;
/** An AuthorizationPolicy or the older ServerAuthorization. */
type LinkerdAuthorization = TypedResource<'linkerd.authorizationPolicy' | 'linkerd.serverAuthorization'>;

/**
 * Whether Linkerd's proxy carries the pods: injected already, or injection asked for on
 * a cluster that runs Linkerd. The injector leaves host-network pods alone.
 */
export function linkerdMeshed(
  installed: boolean,
  namespaceAnnotations: Readonly<Record<string, string>>,
  podAnnotations: Readonly<Record<string, string>>,
  pod: { readonly hostNetwork: boolean; readonly containers: readonly Container[]; readonly initContainers: readonly Container[] },
): boolean {
  if ([...pod.containers, ...pod.initContainers].some((c) => c.name === 'linkerd-proxy')) return true;
  return installed && !pod.hostNetwork && injectionAsked(namespaceAnnotations, podAnnotations);
}

/** `linkerd.io/inject` enabled (or ingress) on the pod template, or on the namespace and not disabled on the pod. */
function injectionAsked(namespaceAnnotations: Readonly<Record<string, string>>, podAnnotations: Readonly<Record<string, string>>): boolean {
  const podSays = podAnnotations['linkerd.io/inject'];
  if (podSays === 'disabled') return false;
  if (podSays === 'enabled' || podSays === 'ingress') return true;
  const nsSays = namespaceAnnotations['linkerd.io/inject'];
  return nsSays === 'enabled' || nsSays === 'ingress';
}

export function defaultInboundPolicy(namespaceAnnotations: Readonly<Record<string, string>>, podAnnotations: Readonly<Record<string, string>>): string {
  const key = 'config.linkerd.io/default-inbound-policy';
  return podAnnotations[key] ?? namespaceAnnotations[key] ?? LINKERD_DEFAULT_INBOUND_POLICY;
}

/** `config.linkerd.io/skip-inbound-ports` (pod template, else namespace): ports or ranges the proxy does not intercept. */
export function skippedInboundPorts(namespaceAnnotations: Readonly<Record<string, string>>, podAnnotations: Readonly<Record<string, string>>): string[] {
  const key = 'config.linkerd.io/skip-inbound-ports';
  const value = podAnnotations[key] ?? namespaceAnnotations[key] ?? '';
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export const modeOfPolicy = (policy: string): Mode => (AUTHENTICATED_POLICIES.has(policy) ? 'STRICT' : 'PERMISSIVE');

/** An authorization (AuthorizationPolicy or the older ServerAuthorization) admits only clients with a mesh identity. */
export function requiresIdentity(policy: LinkerdAuthorization): boolean {
  if (policy.kind === 'linkerd.serverAuthorization') return policy.attributes.unauthenticated !== true;
  return policy.attributes.requiredAuthenticationRefs.some((r) => r.kind === 'MeshTLSAuthentication' || r.kind === 'ServiceAccount');
}

/** The AuthorizationPolicies that govern a Server (see the module comment for route-targeted ones). */
export function authorizationsOf(server: LinkerdServer, namespacePolicies: readonly LinkerdAuthorization[]): LinkerdAuthorization[] {
  return namespacePolicies.filter((p) => {
    // A ServerAuthorization names its Server, or selects Servers by labels zt does not keep: then every Server of the namespace.
    if (p.kind === 'linkerd.serverAuthorization') return p.attributes.serverName === null || p.attributes.serverName === server.name;
    const target = p.attributes.targetRef;
    if (target.kind === 'Server') return target.name === server.name;
    if (target.kind === 'Namespace') return target.name === String(server.attributes.namespace);
    return target.kind === 'HTTPRoute' || target.kind === 'GRPCRoute';
  });
}

export function serverMode(server: LinkerdServer, authorizations: readonly LinkerdAuthorization[]): Mode {
  if (authorizations.some((a) => !requiresIdentity(a))) return 'PERMISSIVE';
  return modeOfPolicy(String(server.attributes.accessPolicy));
}

export interface LinkerdWorkload {
  /** Mode of ports no Server selects. */
  readonly mode: Mode;
  readonly inboundPolicy: string;
  /** Ports (as the Server names them) whose Server's mode differs from `mode`. */
  readonly portOverrides: Record<string, Mode>;
  readonly servers: readonly LinkerdServer[];
  readonly authorizations: readonly LinkerdAuthorization[];
}

/** One cluster's Servers and AuthorizationPolicies, by namespace. */
export interface LinkerdObjects {
  readonly servers: ReadonlyMap<string, readonly LinkerdServer[]>;
  readonly authorizations: ReadonlyMap<string, readonly LinkerdAuthorization[]>;
}

export function linkerdWorkload(
  objects: LinkerdObjects,
  namespace: string,
  namespaceAnnotations: Readonly<Record<string, string>>,
  podLabels: Readonly<Record<string, string>>,
  podAnnotations: Readonly<Record<string, string>>,
): LinkerdWorkload {
  const inboundPolicy = defaultInboundPolicy(namespaceAnnotations, podAnnotations);
  const mode = modeOfPolicy(inboundPolicy);
  const namespacePolicies = objects.authorizations.get(namespace) ?? [];
  const servers = (objects.servers.get(namespace) ?? []).filter((s) => {
    const selector = s.attributes.podSelector;
    return selector !== null && selectorMatches(selector, podLabels);
  });
  const portModes = new Map<string, Mode>();
  const authorizations = new Set<LinkerdAuthorization>();
  for (const server of [...servers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const governing = authorizationsOf(server, namespacePolicies);
    for (const a of governing) authorizations.add(a);
    const port = String(server.attributes.port);
    // Two Servers on one port is a Linkerd conflict; the weaker mode is the honest reading.
    if (portModes.get(port) !== 'PERMISSIVE') portModes.set(port, serverMode(server, governing));
  }
  // Ports the proxy is told to skip take plaintext whatever the policy says.
  for (const port of skippedInboundPorts(namespaceAnnotations, podAnnotations)) portModes.set(port, 'PERMISSIVE');
  const portOverrides: Record<string, Mode> = {};
  for (const [port, m] of [...portModes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (m !== mode) portOverrides[port] = m;
  return { mode, inboundPolicy, portOverrides, servers, authorizations: [...authorizations] };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Servers and AuthorizationPolicies per provenance source, by namespace. */
export function linkerdObjectsBySource(inventory: InventoryIndex): Map<string, LinkerdObjects> {
  const out = new Map<string, { servers: Map<string, LinkerdServer[]>; authorizations: Map<string, LinkerdAuthorization[]> }>();
  const add = (r: LinkerdServer | LinkerdAuthorization): void => {
    let entry = out.get(r.provenance.source);
    if (!entry) out.set(r.provenance.source, (entry = { servers: new Map(), authorizations: new Map() }));
    const ns = String(r.attributes.namespace);
    if (r.kind === 'linkerd.server') push(entry.servers, ns, r);
    else push(entry.authorizations, ns, r);
  };
  for (const s of inventory.ofKind('linkerd.server')) add(s);
  for (const a of inventory.ofKind('linkerd.authorizationPolicy')) add(a);
  for (const a of inventory.ofKind('linkerd.serverAuthorization')) add(a);
  return out;
}

/** The clusters (provenance sources) Linkerd is in: its policy API is served there or its objects were read from there. */
export function linkerdSources(inventory: InventoryIndex): ReadonlySet<string> {
  const sources = new Set<string>();
  for (const c of inventory.ofKind('k8s.cluster')) if (c.attributes.apiGroups.includes(LINKERD_GROUP)) sources.add(c.provenance.source);
  for (const kind of LINKERD_KINDS) for (const r of inventory.ofKind(kind)) sources.add(r.provenance.source);
  return sources;
}

/** Servers or AuthorizationPolicies could not be read (denied, failed): port modes are unknown. */
export function linkerdPolicyUnreadable(inventory: InventoryIndex): boolean {
  return LINKERD_KINDS.some((kind) => {
    const coverage = inventory.snapshot.coverage[kind];
    return coverage !== undefined && coverage.state !== 'complete' && coverage.reason !== 'not_installed';
  });
}

const EMPTY: LinkerdObjects = { servers: new Map(), authorizations: new Map() };

/** What Linkerd means for one workload: not meshed, meshed with policy data unreadable, or its reading. */
export type LinkerdReading = { readonly meshed: false } | { readonly meshed: true; readonly workload?: LinkerdWorkload };

const readings = new WeakMap<InventoryIndex, Map<string, LinkerdReading>>();

/** Per workload id, computed once per inventory (the mesh and the authorization analysers both read it). */
export function linkerdReadings(inventory: InventoryIndex): ReadonlyMap<string, LinkerdReading> {
  let out = readings.get(inventory);
  if (out) return out;
  out = new Map();
  const unreadable = linkerdPolicyUnreadable(inventory);
  const installed = linkerdSources(inventory);
  const objects = linkerdObjectsBySource(inventory);
  for (const w of inventory.ofKind('k8s.workload')) {
    const source = w.provenance.source;
    const namespace = String(w.attributes.namespace);
    const podAnnotations = w.attributes.podAnnotations;
    const pod = w.attributes.pod;
    const nsAnnotations = namespaceOf(inventory, source, namespace)?.annotations ?? {};
    if (!linkerdMeshed(installed.has(source), nsAnnotations, podAnnotations, pod)) out.set(w.id, { meshed: false });
    // Servers or their authorizations unreadable: port modes unknown, so the fields that need them are left out.
    else if (unreadable) out.set(w.id, { meshed: true });
    else out.set(w.id, { meshed: true, workload: linkerdWorkload(objects.get(source) ?? EMPTY, namespace, nsAnnotations, w.attributes.podLabels, podAnnotations) });
  }
  readings.set(inventory, out);
  return out;
}

const output = z.object({
  linkerdDefaultInboundPolicy: z
    .string()
    .nullable()
    .describe("Linkerd's default inbound policy for the pods (pod, then namespace config.linkerd.io/default-inbound-policy, else all-unauthenticated); null when not meshed by Linkerd."),
  linkerdDefaultDeny: z
    .boolean()
    .describe('Meshed by Linkerd with default inbound policy deny, and every Linkerd Server selecting the pods has accessPolicy deny: traffic no authorization admits is refused.'),
  linkerdAuthorizationsAuthenticated: z
    .boolean()
    .describe(
      'Every Linkerd AuthorizationPolicy (or ServerAuthorization) governing the pods\' Servers requires a mesh identity (MeshTLSAuthentication or ServiceAccount; no unauthenticated clients); true when there are none.',
    ),
  linkerdAuthorizationPolicies: z.array(z.string()).describe('Linkerd AuthorizationPolicies and ServerAuthorizations governing the pods\' Servers, as namespace/name.'),
});

export const workloadLinkerdAuthzAnalyser = analyser({
  kind: 'k8s.workload',
  // Namespace annotations enrol workloads and set their default inbound policy.
  inputs: ['k8s.namespace'],
  // Unreadable Linkerd policy leaves a meshed workload's fields out (linkerdPolicyUnreadable).
  judges: ['k8s.cluster', 'linkerd.server', 'linkerd.authorizationPolicy', 'linkerd.serverAuthorization'],
  output,
  derive(inventory) {
    const out = new Map<string, z.output<typeof output>>();
    for (const [id, reading] of linkerdReadings(inventory)) {
      if (!reading.meshed) {
        out.set(id, { linkerdDefaultInboundPolicy: null, linkerdDefaultDeny: false, linkerdAuthorizationsAuthenticated: true, linkerdAuthorizationPolicies: [] });
        continue;
      }
      const l = reading.workload;
      if (!l) continue;
      out.set(id, {
        linkerdDefaultInboundPolicy: l.inboundPolicy,
        linkerdDefaultDeny: l.inboundPolicy === 'deny' && l.servers.every((s) => s.attributes.accessPolicy === 'deny'),
        linkerdAuthorizationsAuthenticated: l.authorizations.every(requiresIdentity),
        linkerdAuthorizationPolicies: l.authorizations.map((a) => `${String(a.attributes.namespace)}/${a.name}`).sort(),
      });
    }
    return out;
  },
});
