import yaml from 'js-yaml';
import type { Kind, KindProducedBy } from '../../inventory/kinds/index.js';
import { scalarText } from '../../text/scalar-text.js';
import { arr, bool, droppedAnnotations, int, isObject, isoDate, obj, plain, selector, str, stringMap, strings, type K8sObject } from './values.js';

/**
 * Every zt kind the Kubernetes collector produces, described once: the API types whose
 * objects map into it (group, versions, plural, scope; custom resources found through
 * discovery) and the mapper of each. The live collector lists these types, manifests
 * and list items are mapped by them, and coverage accounts for these kinds. The table
 * is keyed by the kinds whose inventory entry names the `kubernetes` collector
 * (src/inventory/kinds/kubernetes.ts), so adding one there asks for its entry here.
 *
 * Field names follow the Kubernetes API. Only fields the kinds declare are copied, so
 * what is not copied cannot leak: environment values, Secret `data` and `stringData`,
 * and the `last-applied-configuration` annotation never leave the mappers.
 */

export interface Meta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** An object's audited fields, as the attributes of its zt kind. */
export type Mapper = (object: K8sObject, meta: Meta) => Record<string, unknown>;

/** One Kubernetes API type zt reads: where it is listed, and how its objects map into their zt kind. */
export interface ApiType {
  /** The Kubernetes kind, as objects and manifests name it. */
  readonly kind: string;
  /** API group ('' for core). */
  readonly group: string;
  /**
   * The versions zt reads, preferred first; objects in any of them are mapped. A built-in
   * type is listed in the first of them the server serves; a custom resource in the
   * server's preferred version when zt reads it, else the first served one zt reads.
   */
  readonly versions: readonly [string, ...string[]];
  /** The resource name in list paths (`/apis/<group>/<version>/<plural>`). */
  readonly plural: string;
  readonly namespaced: boolean;
  /** A custom resource: listed only where /apis discovery names its group, else `not_installed` (`product` installs the CRD). */
  readonly crd?: { readonly product: string };
  /** Listed as PartialObjectMetadata: no object body crosses the wire. */
  readonly metadataOnly?: true;
  /** Listed only when the live collection's `option` is on; otherwise the kind is `collector_disabled` with `detail`. */
  readonly optIn?: { readonly option: 'secrets'; readonly detail: string };
  /** Only this object is audited: listed by field selector; the type's other objects in manifests are not audited. */
  readonly only?: { readonly namespace: string; readonly name: string };
  /** The kind as written in resource ids when two groups share a kind name (Istio's and Linkerd's AuthorizationPolicy). */
  readonly idKind?: string;
  /** Its objects own pods, directly or through a ReplicaSet or Job. */
  readonly controller?: true;
  /** Left out when its controlling owner is mapped too, so a workload is counted once. */
  readonly owned?: true;
  readonly map: Mapper;
}

/** How the collector produces a zt kind: from the API types listed, or (k8s.cluster) from /version and /apis discovery. */
export type KubernetesKindSource = { readonly types: readonly [ApiType, ...ApiType[]] } | { readonly discovery: true };

// ---------------------------------------------------------------------------------------
// pod specs

const envSources = ['secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef'] as const;

/** name + where the value comes from; the value itself is never read. */
function envVar(value: unknown): Record<string, unknown> {
  const e = obj(value);
  const from = obj(e.valueFrom);
  const source = envSources.find((s) => isObject(from[s])) ?? 'literal';
  const refName = source === 'secretKeyRef' || source === 'configMapKeyRef' ? str(obj(from[source]).name) : null;
  return { name: scalarText(e.name), source, refName };
}

function securityContext(value: unknown): Record<string, unknown> {
  const s = obj(value);
  const capabilities = obj(s.capabilities);
  return {
    privileged: bool(s.privileged),
    allowPrivilegeEscalation: bool(s.allowPrivilegeEscalation),
    readOnlyRootFilesystem: bool(s.readOnlyRootFilesystem),
    runAsNonRoot: bool(s.runAsNonRoot),
    runAsUser: int(s.runAsUser),
    capabilitiesAdd: strings(capabilities.add),
    capabilitiesDrop: strings(capabilities.drop),
    seccompProfileType: str(obj(s.seccompProfile).type),
  };
}

/**
 * The boolean flags of a container's command line: `--name=true`, `--name=false`, or a
 * bare `--name` (true). Values are kept only when they are true or false, so nothing else
 * of the command line (a token, a password) is copied.
 */
export function booleanFlags(command: unknown, args: unknown): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const raw of [...arr(command), ...arr(args)]) {
    if (typeof raw !== 'string') continue;
    const match = /^--?([a-z0-9][a-z0-9._-]*)(?:=(true|false))?$/i.exec(raw);
    if (match) out[(match[1] as string).toLowerCase()] = match[2] === undefined ? true : match[2].toLowerCase() === 'true';
  }
  return out;
}

/**
 * A container as zt judges it. `hostNetwork`: its pod shares the node's network, where the
 * API server defaults every port's hostPort to its containerPort (SetDefaults_PodSpec,
 * defaultHostNetworkPorts, for containers and init containers): the port is bound on the
 * node whether the object says so or not, so live objects and manifests read alike.
 */
function container(value: unknown, hostNetwork = false): Record<string, unknown> {
  const c = obj(value);
  return {
    name: scalarText(c.name),
    image: scalarText(c.image),
    securityContext: securityContext(c.securityContext),
    env: arr(c.env).map(envVar),
    envFrom: arr(c.envFrom).flatMap((raw) => {
      const e = obj(raw);
      if (isObject(e.secretRef)) return [{ source: 'secret', name: scalarText(e.secretRef.name) }];
      if (isObject(e.configMapRef)) return [{ source: 'configMap', name: scalarText(e.configMapRef.name) }];
      return [];
    }),
    ports: arr(c.ports).flatMap((raw) => {
      const p = obj(raw);
      const port = int(p.containerPort);
      const given = int(p.hostPort);
      const hostPort = given !== null && given > 0 ? given : hostNetwork ? port : null;
      if (port === null) return [];
      return [{ name: str(p.name), containerPort: port, protocol: str(p.protocol) ?? 'TCP', ...(hostPort !== null && hostPort > 0 ? { hostPort } : {}) }];
    }),
    flags: booleanFlags(c.command, c.args),
    imagePullPolicy: pullPolicy(c.imagePullPolicy, scalarText(c.image)),
    resources: { limits: quantities(obj(c.resources).limits), requests: quantities(obj(c.resources).requests) },
  };
}

/**
 * The pull policy the API server gives a container that names none (SetDefaults_Container,
 * pkg/apis/core/v1/defaults.go): Always when the image's tag is `latest`, or when it has
 * neither tag nor digest (ParseImageName then takes the tag `latest`); IfNotPresent
 * otherwise. Live objects carry it already; manifests then read alike.
 */
export function pullPolicy(given: unknown, image: string): string {
  if (typeof given === 'string' && given !== '') return given;
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.lastIndexOf(':');
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon + 1) : '';
  if (tag === 'latest' || (tag === '' && at < 0)) return 'Always';
  return 'IfNotPresent';
}

/** A ResourceList (`cpu: 500m`, `memory: 1Gi`, `cpu: 2`): names and quantities, as text. */
function quantities(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, quantity] of Object.entries(obj(value))) {
    if (typeof quantity === 'string' || typeof quantity === 'number') out[name] = String(quantity);
  }
  return out;
}

function volume(value: unknown): Record<string, unknown> {
  const v = obj(value);
  const type = Object.keys(v).find((k) => k !== 'name' && v[k] !== undefined) ?? 'unknown';
  return {
    name: scalarText(v.name),
    type,
    hostPath: type === 'hostPath' ? str(obj(v.hostPath).path) : null,
    secretName: type === 'secret' ? str(obj(v.secret).secretName) : null,
  };
}

function podSpec(value: unknown): Record<string, unknown> {
  const spec = obj(value);
  const podSecurity = obj(spec.securityContext);
  return {
    // Kubernetes uses the namespace's `default` service account when none is named.
    serviceAccountName: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default',
    automountServiceAccountToken: bool(spec.automountServiceAccountToken),
    hostNetwork: spec.hostNetwork === true,
    hostPID: spec.hostPID === true,
    hostIPC: spec.hostIPC === true,
    runAsNonRoot: bool(podSecurity.runAsNonRoot),
    runAsUser: int(podSecurity.runAsUser),
    seccompProfileType: str(obj(podSecurity.seccompProfile).type),
    containers: arr(spec.containers).map((c) => container(c, spec.hostNetwork === true)),
    initContainers: arr(spec.initContainers).map((c) => container(c, spec.hostNetwork === true)),
    // Ephemeral containers may not declare ports.
    ephemeralContainers: arr(spec.ephemeralContainers).map((c) => container(c)),
    volumes: arr(spec.volumes).map(volume),
  };
}

function workload(workloadKind: string, template: (spec: Record<string, unknown>) => unknown, replicas: (spec: Record<string, unknown>) => number | null): Mapper {
  return (object, meta) => {
    const spec = obj(object.spec);
    const podTemplate = workloadKind === 'Pod' ? { metadata: object.metadata, spec: object.spec } : obj(template(spec));
    const podMeta = obj(obj(podTemplate).metadata);
    return {
      namespace: meta.namespace,
      labels: meta.labels,
      annotations: meta.annotations,
      workloadKind,
      replicas: replicas(spec),
      podLabels: stringMap(podMeta.labels),
      podAnnotations: stringMap(podMeta.annotations, droppedAnnotations),
      pod: podSpec(obj(podTemplate).spec),
      ...(workloadKind === 'Pod' && isoDate(obj(object.metadata).creationTimestamp) !== null ? { admitted: true } : {}),
    };
  };
}

const templateOf = (spec: Record<string, unknown>): unknown => spec.template;
// Kubernetes defaults replicas to 1 for these controllers.
const replicasOrOne = (spec: Record<string, unknown>): number | null => (spec.replicas === undefined || spec.replicas === null ? 1 : int(spec.replicas));
const noReplicas = (): null => null;

// ---------------------------------------------------------------------------------------
// the other kinds

/**
 * aws-auth's mapRoles / mapUsers: YAML lists held as strings in the ConfigMap. Entries
 * without an ARN are dropped; a list that is not valid YAML maps to nothing (the EKS
 * control plane would not honour it either).
 */
function awsAuthMappings(text: unknown, type: 'role' | 'user'): { arn: string; type: 'role' | 'user'; username: string | null; groups: string[] }[] {
  if (typeof text !== 'string') return [];
  let entries: unknown;
  try {
    entries = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch {
    return [];
  }
  return arr(entries).flatMap((raw) => {
    const entry = obj(raw);
    const arn = str(type === 'role' ? entry.rolearn : entry.userarn);
    return arn ? [{ arn, type, username: str(entry.username), groups: strings(entry.groups) }] : [];
  });
}

/** Names of the Services an Ingress routes to: its defaultBackend and every rule's paths (networking.k8s.io/v1). */
function ingressBackends(spec: Record<string, unknown>): string[] {
  const named = (backend: unknown): string | null => str(obj(obj(backend).service).name);
  const names = [named(spec.defaultBackend), ...arr(spec.rules).flatMap((r) => arr(obj(obj(r).http).paths).map((p) => named(obj(p).backend)))];
  return [...new Set(names.filter((n): n is string => n !== null))].sort();
}

const withMeta = (meta: Meta): Record<string, unknown> => ({ namespace: meta.namespace, labels: meta.labels, annotations: meta.annotations });

function rules(value: unknown, clusterScoped: boolean): Record<string, unknown>[] {
  return arr(value).map((raw) => {
    const r = obj(raw);
    const rule: Record<string, unknown> = {
      apiGroups: strings(r.apiGroups),
      resources: strings(r.resources),
      verbs: strings(r.verbs),
      resourceNames: strings(r.resourceNames),
    };
    if (clusterScoped) rule.nonResourceURLs = strings(r.nonResourceURLs);
    return rule;
  });
}

function subjects(value: unknown): Record<string, unknown>[] {
  return arr(value).flatMap((raw) => {
    const s = obj(raw);
    const kind = str(s.kind);
    if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') return [];
    return [{ kind, name: scalarText(s.name), namespace: str(s.namespace) }];
  });
}

const mtlsModes = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];
const mtlsMode = (value: unknown): string => {
  const mode = str(obj(value).mode);
  return mode && mtlsModes.includes(mode) ? mode : 'UNSET';
};

function portRules(value: unknown, direction: 'from' | 'to'): Record<string, unknown>[] {
  return arr(value).map((raw) => {
    const r = obj(raw);
    const out: Record<string, unknown> = {};
    if (Array.isArray(r[direction])) out[direction] = plain(r[direction]);
    if (Array.isArray(r.ports)) out.ports = plain(r.ports);
    return out;
  });
}

/**
 * One LimitRange item as the API server stores it: for a Container item the defaulting of
 * SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go) fills in `default` from `max`,
 * then `defaultRequest` from `default`, then from `min`, each only where unset. Live objects
 * carry it already; manifests then read alike.
 */
function limitRangeItem(value: unknown): Record<string, unknown> {
  const item = obj(value);
  const type = str(item.type) ?? '';
  const given = {
    default: quantities(item.default),
    defaultRequest: quantities(item.defaultRequest),
    max: quantities(item.max),
    min: quantities(item.min),
    maxLimitRequestRatio: quantities(item.maxLimitRequestRatio),
  };
  if (type === 'Container') {
    given.default = { ...given.max, ...given.default };
    given.defaultRequest = { ...given.min, ...given.default, ...given.defaultRequest };
  }
  return { type, ...given };
}

const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

// ---------------------------------------------------------------------------------------
// the table

const istio = { group: 'security.istio.io', crd: { product: 'Istio' } } as const;
const linkerd = { group: 'policy.linkerd.io', crd: { product: 'Linkerd' } } as const;
const cilium = { group: 'cilium.io', crd: { product: 'Cilium' } } as const;
const rbac = 'rbac.authorization.k8s.io';

// In listing order: built-in types first (their results keep this order), custom resources after.
export const kubernetesKinds: Readonly<Record<KindProducedBy<'kubernetes'>, KubernetesKindSource>> = {
  // The server's version (/version) and API groups (/apis): map.ts's clusterResource, live only.
  'k8s.cluster': { discovery: true },
  'k8s.namespace': {
    types: [{ kind: 'Namespace', group: '', versions: ['v1'], plural: 'namespaces', namespaced: false, map: (_o, meta) => ({ labels: meta.labels, annotations: meta.annotations }) }],
  },
  'k8s.workload': {
    types: [
      { kind: 'Pod', group: '', versions: ['v1'], plural: 'pods', namespaced: true, owned: true, map: workload('Pod', templateOf, noReplicas) },
      { kind: 'Deployment', group: 'apps', versions: ['v1'], plural: 'deployments', namespaced: true, controller: true, map: workload('Deployment', templateOf, replicasOrOne) },
      { kind: 'StatefulSet', group: 'apps', versions: ['v1'], plural: 'statefulsets', namespaced: true, controller: true, map: workload('StatefulSet', templateOf, replicasOrOne) },
      { kind: 'DaemonSet', group: 'apps', versions: ['v1'], plural: 'daemonsets', namespaced: true, controller: true, map: workload('DaemonSet', templateOf, noReplicas) },
      { kind: 'ReplicaSet', group: 'apps', versions: ['v1'], plural: 'replicasets', namespaced: true, controller: true, owned: true, map: workload('ReplicaSet', templateOf, replicasOrOne) },
      { kind: 'Job', group: 'batch', versions: ['v1'], plural: 'jobs', namespaced: true, controller: true, owned: true, map: workload('Job', templateOf, noReplicas) },
      {
        kind: 'CronJob',
        group: 'batch',
        // v1beta1: what Kubernetes before 1.21 serves (same pod template).
        versions: ['v1', 'v1beta1'],
        plural: 'cronjobs',
        namespaced: true,
        controller: true,
        map: workload('CronJob', (spec) => obj(obj(spec.jobTemplate).spec).template, noReplicas),
      },
    ],
  },
  'k8s.serviceAccount': {
    types: [
      {
        kind: 'ServiceAccount',
        group: '',
        versions: ['v1'],
        plural: 'serviceaccounts',
        namespaced: true,
        map: (o, meta) => ({ ...withMeta(meta), automountServiceAccountToken: bool(o.automountServiceAccountToken) }),
      },
    ],
  },
  'k8s.service': {
    types: [
      {
        kind: 'Service',
        group: '',
        versions: ['v1'],
        plural: 'services',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          const type = str(spec.type);
          return {
            ...withMeta(meta),
            type: type && serviceTypes.includes(type) ? type : 'ClusterIP',
            selector: stringMap(spec.selector),
            ports: arr(spec.ports).flatMap((raw) => {
              const p = obj(raw);
              const port = int(p.port);
              const target = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : null;
              return port === null ? [] : [{ name: str(p.name), port, targetPort: target, protocol: str(p.protocol) ?? 'TCP' }];
            }),
          };
        },
      },
    ],
  },
  'k8s.ingress': {
    types: [
      {
        kind: 'Ingress',
        group: 'networking.k8s.io',
        versions: ['v1'],
        plural: 'ingresses',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          return {
            ...withMeta(meta),
            ingressClassName: str(spec.ingressClassName) ?? meta.annotations['kubernetes.io/ingress.class'] ?? null,
            hosts: [...new Set(arr(spec.rules).map((r) => str(obj(r).host)).filter((h): h is string => h !== null))],
            tls: arr(spec.tls).map((raw) => ({ hosts: strings(obj(raw).hosts), secretName: str(obj(raw).secretName) })),
            backends: ingressBackends(spec),
          };
        },
      },
    ],
  },
  'k8s.networkPolicy': {
    types: [
      {
        kind: 'NetworkPolicy',
        group: 'networking.k8s.io',
        versions: ['v1'],
        plural: 'networkpolicies',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          const policyTypes = Array.isArray(spec.policyTypes) ? strings(spec.policyTypes).filter((t) => t === 'Ingress' || t === 'Egress') : null;
          return {
            ...withMeta(meta),
            podSelector: selector(spec.podSelector) ?? {},
            policyTypes,
            ingress: portRules(spec.ingress, 'from'),
            egress: portRules(spec.egress, 'to'),
          };
        },
      },
    ],
  },
  'k8s.rbac.role': {
    types: [{ kind: 'Role', group: rbac, versions: ['v1'], plural: 'roles', namespaced: true, map: (o, meta) => ({ ...withMeta(meta), rules: rules(o.rules, false) }) }],
  },
  'k8s.rbac.roleBinding': {
    types: [
      {
        kind: 'RoleBinding',
        group: rbac,
        versions: ['v1'],
        plural: 'rolebindings',
        namespaced: true,
        map: (o, meta) => {
          const ref = obj(o.roleRef);
          return { ...withMeta(meta), roleRef: { kind: ref.kind === 'ClusterRole' ? 'ClusterRole' : 'Role', name: scalarText(ref.name) }, subjects: subjects(o.subjects) };
        },
      },
    ],
  },
  'k8s.rbac.clusterRole': {
    types: [
      {
        kind: 'ClusterRole',
        group: rbac,
        versions: ['v1'],
        plural: 'clusterroles',
        namespaced: false,
        map: (o, meta) => ({ labels: meta.labels, annotations: meta.annotations, rules: rules(o.rules, true), aggregated: isObject(o.aggregationRule) }),
      },
    ],
  },
  'k8s.rbac.clusterRoleBinding': {
    types: [
      {
        kind: 'ClusterRoleBinding',
        group: rbac,
        versions: ['v1'],
        plural: 'clusterrolebindings',
        namespaced: false,
        map: (o, meta) => ({
          labels: meta.labels,
          annotations: meta.annotations,
          roleRef: { kind: 'ClusterRole', name: scalarText(obj(o.roleRef).name) },
          subjects: subjects(o.subjects),
        }),
      },
    ],
  },
  'k8s.node': {
    types: [
      {
        kind: 'Node',
        group: '',
        versions: ['v1'],
        plural: 'nodes',
        namespaced: false,
        map: (o, meta) => {
          const status = obj(o.status);
          const info = obj(status.nodeInfo);
          const ready = arr(status.conditions).map(obj).find((c) => c.type === 'Ready');
          return {
            labels: meta.labels,
            kubeletVersion: str(info.kubeletVersion) ?? '',
            osImage: str(info.osImage) ?? '',
            kernelVersion: str(info.kernelVersion) ?? '',
            containerRuntimeVersion: str(info.containerRuntimeVersion) ?? '',
            ready: ready ? ready.status === 'True' : null,
            createdAt: isoDate(obj(o.metadata).creationTimestamp) ?? '1970-01-01T00:00:00Z',
          };
        },
      },
    ],
  },
  // EKS's aws-auth (IAM role/user → Kubernetes user and groups); absent on other clusters.
  'k8s.awsAuth': {
    types: [
      {
        kind: 'ConfigMap',
        group: '',
        versions: ['v1'],
        plural: 'configmaps',
        namespaced: true,
        only: { namespace: 'kube-system', name: 'aws-auth' },
        map: (o, meta) => {
          const data = obj(o.data);
          return { ...withMeta(meta), mappings: [...awsAuthMappings(data.mapRoles, 'role'), ...awsAuthMappings(data.mapUsers, 'user')] };
        },
      },
    ],
  },
  'k8s.limitRange': {
    types: [{ kind: 'LimitRange', group: '', versions: ['v1'], plural: 'limitranges', namespaced: true, map: (o, meta) => ({ ...withMeta(meta), limits: arr(obj(o.spec).limits).map(limitRangeItem) }) }],
  },
  'k8s.secret': {
    types: [
      {
        kind: 'Secret',
        group: '',
        versions: ['v1'],
        plural: 'secrets',
        namespaced: true,
        metadataOnly: true,
        // `list secrets` also grants reading values.
        optIn: { option: 'secrets', detail: 'Secrets are listed only with --kubernetes-secrets (metadata only)' },
        // Metadata and type only: `data` and `stringData` are never read.
        map: (o, meta) => ({
          ...withMeta(meta),
          type: str(o.type),
          ownerKinds: arr(obj(o.metadata).ownerReferences).map((r) => str(obj(r).kind)).filter((k): k is string => k !== null),
          createdAt: isoDate(obj(o.metadata).creationTimestamp),
        }),
      },
    ],
  },
  'istio.peerAuthentication': {
    types: [
      {
        kind: 'PeerAuthentication',
        ...istio,
        versions: ['v1', 'v1beta1'],
        plural: 'peerauthentications',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          const portLevel: Record<string, string> = {};
          for (const [port, setting] of Object.entries(obj(spec.portLevelMtls))) portLevel[port] = mtlsMode(setting);
          return { namespace: meta.namespace, selector: selector(spec.selector), mtlsMode: mtlsMode(spec.mtls), portLevelMtls: portLevel };
        },
      },
    ],
  },
  // Istio's and Linkerd's AuthorizationPolicy share a kind name; the group tells them apart.
  'istio.authorizationPolicy': {
    types: [
      {
        kind: 'AuthorizationPolicy',
        ...istio,
        versions: ['v1', 'v1beta1'],
        plural: 'authorizationpolicies',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          const action = str(spec.action) ?? 'ALLOW';
          return {
            namespace: meta.namespace,
            selector: selector(spec.selector),
            action: ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'].includes(action) ? action : 'ALLOW',
            rules: Array.isArray(spec.rules) ? spec.rules.filter(isObject).map((r) => plain(r)) : null,
          };
        },
      },
    ],
  },
  'istio.requestAuthentication': {
    types: [
      {
        kind: 'RequestAuthentication',
        ...istio,
        versions: ['v1', 'v1beta1'],
        plural: 'requestauthentications',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          return {
            namespace: meta.namespace,
            selector: selector(spec.selector),
            issuers: arr(spec.jwtRules).map((r) => str(obj(r).issuer)).filter((i): i is string => i !== null),
          };
        },
      },
    ],
  },
  'linkerd.server': {
    types: [
      {
        kind: 'Server',
        ...linkerd,
        versions: ['v1beta3', 'v1beta2', 'v1beta1'],
        plural: 'servers',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          const port = int(spec.port) ?? str(spec.port) ?? '';
          return {
            namespace: meta.namespace,
            podSelector: selector(spec.podSelector),
            port,
            proxyProtocol: str(spec.proxyProtocol),
            accessPolicy: str(spec.accessPolicy) ?? 'deny',
          };
        },
      },
    ],
  },
  'linkerd.authorizationPolicy': {
    types: [
      {
        kind: 'AuthorizationPolicy',
        ...linkerd,
        versions: ['v1alpha1'],
        plural: 'authorizationpolicies',
        namespaced: true,
        idKind: 'AuthorizationPolicy.policy.linkerd.io',
        map: (o, meta) => {
          const spec = obj(o.spec);
          const target = obj(spec.targetRef);
          return {
            namespace: meta.namespace,
            targetRef: { group: str(target.group) ?? '', kind: str(target.kind) ?? '', name: str(target.name) ?? '' },
            requiredAuthenticationRefs: arr(spec.requiredAuthenticationRefs).map(obj).map((r) => ({
              group: str(r.group) ?? '',
              kind: str(r.kind) ?? '',
              name: str(r.name) ?? '',
              namespace: str(r.namespace),
            })),
          };
        },
      },
    ],
  },
  'linkerd.serverAuthorization': {
    types: [
      {
        kind: 'ServerAuthorization',
        ...linkerd,
        versions: ['v1beta1'],
        plural: 'serverauthorizations',
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          const client = obj(spec.client);
          return {
            namespace: meta.namespace,
            serverName: str(obj(spec.server).name),
            unauthenticated: client.unauthenticated === true || obj(client.meshTLS).unauthenticatedTLS === true,
          };
        },
      },
    ],
  },
  'cilium.networkPolicy': {
    types: [
      { kind: 'CiliumNetworkPolicy', ...cilium, versions: ['v2'], plural: 'ciliumnetworkpolicies', namespaced: true, map: ciliumPolicy(false) },
      { kind: 'CiliumClusterwideNetworkPolicy', ...cilium, versions: ['v2'], plural: 'ciliumclusterwidenetworkpolicies', namespaced: false, map: ciliumPolicy(true) },
    ],
  },
};

/** One Cilium rule (a `spec` or an entry of `specs`): its selector and peer sections as written. */
function ciliumRule(value: unknown): Record<string, unknown> {
  const rule = obj(value);
  const sections = (v: unknown): Record<string, unknown>[] | null => (Array.isArray(v) ? v.filter(isObject).map((r) => plain(r) as Record<string, unknown>) : null);
  const defaultDeny = obj(rule.enableDefaultDeny);
  return {
    endpointSelector: isObject(rule.endpointSelector) ? selector(rule.endpointSelector) : null,
    ingress: sections(rule.ingress),
    ingressDeny: sections(rule.ingressDeny),
    egress: sections(rule.egress),
    egressDeny: sections(rule.egressDeny),
    enableDefaultDeny: { ingress: bool(defaultDeny.ingress), egress: bool(defaultDeny.egress) },
  };
}

function ciliumPolicy(clusterwide: boolean): Mapper {
  return (o, meta) => ({
    namespace: clusterwide ? '' : meta.namespace,
    clusterwide,
    rules: [...(isObject(o.spec) ? [o.spec] : []), ...arr(o.specs)].map(ciliumRule),
  });
}

/** An API type with the zt kind its objects map into. */
export interface KindApiType extends ApiType {
  readonly ztKind: Kind;
}

/** Every API type, in the table's order. */
export const apiTypes: readonly KindApiType[] = Object.entries(kubernetesKinds).flatMap(([ztKind, source]) =>
  'types' in source ? source.types.map((type) => ({ ...type, ztKind: ztKind as Kind })) : [],
);

/** The zt kinds listed from the API (all but k8s.cluster), in the table's order. */
export const listedKinds: readonly Kind[] = [...new Set(apiTypes.map((t) => t.ztKind))];
