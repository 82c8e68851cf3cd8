import yaml from 'js-yaml';
import type { Kind } from '../../inventory/kinds/index.js';
import type { Provenance, Resource } from '../../inventory/snapshot.js';
import type { CollectionIssue } from '../../model/coverage.js';
import { scalarText } from '../../text/scalar-text.js';

/**
 * Pure mapping from Kubernetes objects to zt kinds, shared by the live collector and
 * manifests on disk. Input is the wire (JSON/YAML) form: what `kubectl get -o json`,
 * the list API and a manifest file all look like. Only fields the kinds declare are
 * copied, so what is not copied cannot leak: environment values, Secret `data` and
 * `stringData`, and the `last-applied-configuration` annotation never leave this file.
 */

export type K8sObject = Record<string, unknown>;

export interface MapInput {
  readonly object: K8sObject;
  /** Where a manifest object came from (file relative to the working directory, start line). */
  readonly file?: string;
  readonly line?: number;
}

export interface MapSettings {
  /** Cluster name used in ids (`k8s://<cluster>/…`). */
  readonly cluster: string;
  /** provenance.source, e.g. `k8s:prod` or `manifests:deploy`. */
  readonly source: string;
  readonly collector: string;
  /** Namespace for namespaced objects that do not name one (manifests): kubectl's `default`. */
  readonly defaultNamespace: string;
}

export interface Unmapped {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  /** `unknown-kind`: zt does not audit this kind; `unknown-version`: a kind zt audits, in an apiVersion it does not know. */
  readonly reason: 'unknown-kind' | 'unknown-version' | 'malformed';
  readonly detail?: string;
}

export interface MapOutput {
  readonly resources: Resource[];
  readonly unmapped: Unmapped[];
  /** Pods, ReplicaSets and Jobs left out because their controller is in the inventory. */
  readonly owned: number;
}

/** Annotations dropped at collection: they can hold whole manifests, including Secret data and env values. */
export const droppedAnnotations: ReadonlySet<string> = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

type Mapper = (object: K8sObject, meta: Meta, settings: MapSettings) => { kind: Kind; attributes: Record<string, unknown> };

interface Meta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

interface KindSpec {
  /** Group part of apiVersion (`` for core) and the versions zt knows. */
  readonly group: string;
  readonly versions: readonly string[];
  readonly namespaced: boolean;
  /** Only some objects of the kind are audited (one ConfigMap); the rest are "not audited". */
  readonly only?: { readonly namespace: string; readonly name: string };
  /** The kind as written in resource ids when two groups share a kind name (Istio's and Linkerd's AuthorizationPolicy). */
  readonly idKind?: string;
  readonly map: Mapper;
}

/** A kind name two API groups use, with the spec of each. */
interface SharedKindName {
  readonly byGroup: readonly KindSpec[];
}

// ---------------------------------------------------------------------------------------
// small readers: tolerant of absent fields, never inventing a value that could pass a rule

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const obj = (value: unknown): Record<string, unknown> => (isObject(value) ? value : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);
const int = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
const strings = (value: unknown): string[] => arr(value).filter((v): v is string => typeof v === 'string');

function stringMap(value: unknown, drop?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) {
    if (drop?.has(k)) continue;
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** A deep copy with only JSON values (drops undefined, keeps Dates as ISO strings). */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

function isoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string') return null;
  // YAML may have turned a quoted timestamp into a string already; keep only real date-times.
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  return /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : parsed.toISOString();
}

function selector(value: unknown): Record<string, unknown> | null {
  if (!isObject(value)) return null;
  const out: Record<string, unknown> = {};
  if (isObject(value.matchLabels)) out.matchLabels = stringMap(value.matchLabels);
  if (Array.isArray(value.matchExpressions)) {
    out.matchExpressions = value.matchExpressions.filter(isObject).map((e) => {
      const expression: Record<string, unknown> = { key: scalarText(e.key), operator: scalarText(e.operator) };
      if (Array.isArray(e.values)) expression.values = strings(e.values);
      return expression;
    });
  }
  return out;
}

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

function container(value: unknown): Record<string, unknown> {
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
      return port === null ? [] : [{ name: str(p.name), containerPort: port, protocol: str(p.protocol) ?? 'TCP' }];
    }),
  };
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
    containers: arr(spec.containers).map(container),
    initContainers: arr(spec.initContainers).map(container),
    volumes: arr(spec.volumes).map(volume),
  };
}

function workload(workloadKind: string, template: (spec: Record<string, unknown>) => unknown, replicas: (spec: Record<string, unknown>) => number | null): Mapper {
  return (object, meta) => {
    const spec = obj(object.spec);
    const podTemplate = workloadKind === 'Pod' ? { metadata: object.metadata, spec: object.spec } : obj(template(spec));
    const podMeta = obj(obj(podTemplate).metadata);
    return {
      kind: 'k8s.workload',
      attributes: {
        namespace: meta.namespace,
        labels: meta.labels,
        annotations: meta.annotations,
        workloadKind,
        replicas: replicas(spec),
        podLabels: stringMap(podMeta.labels),
        podAnnotations: stringMap(podMeta.annotations, droppedAnnotations),
        pod: podSpec(obj(podTemplate).spec),
      },
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

const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export const kindSpecs: Readonly<Record<string, KindSpec | SharedKindName>> = {
  Namespace: {
    group: '',
    versions: ['v1'],
    namespaced: false,
    map: (_o, meta) => ({ kind: 'k8s.namespace', attributes: { labels: meta.labels, annotations: meta.annotations } }),
  },
  Pod: { group: '', versions: ['v1'], namespaced: true, map: workload('Pod', templateOf, noReplicas) },
  Deployment: { group: 'apps', versions: ['v1'], namespaced: true, map: workload('Deployment', templateOf, replicasOrOne) },
  StatefulSet: { group: 'apps', versions: ['v1'], namespaced: true, map: workload('StatefulSet', templateOf, replicasOrOne) },
  DaemonSet: { group: 'apps', versions: ['v1'], namespaced: true, map: workload('DaemonSet', templateOf, noReplicas) },
  ReplicaSet: { group: 'apps', versions: ['v1'], namespaced: true, map: workload('ReplicaSet', templateOf, replicasOrOne) },
  Job: { group: 'batch', versions: ['v1'], namespaced: true, map: workload('Job', templateOf, noReplicas) },
  CronJob: {
    group: 'batch',
    // v1beta1: what Kubernetes before 1.21 serves (same pod template).
    versions: ['v1', 'v1beta1'],
    namespaced: true,
    map: workload('CronJob', (spec) => obj(obj(spec.jobTemplate).spec).template, noReplicas),
  },
  ServiceAccount: {
    group: '',
    versions: ['v1'],
    namespaced: true,
    map: (o, meta) => ({ kind: 'k8s.serviceAccount', attributes: { ...withMeta(meta), automountServiceAccountToken: bool(o.automountServiceAccountToken) } }),
  },
  Service: {
    group: '',
    versions: ['v1'],
    namespaced: true,
    map: (o, meta) => {
      const spec = obj(o.spec);
      const type = str(spec.type);
      return {
        kind: 'k8s.service',
        attributes: {
          ...withMeta(meta),
          type: type && serviceTypes.includes(type) ? type : 'ClusterIP',
          selector: stringMap(spec.selector),
          ports: arr(spec.ports).flatMap((raw) => {
            const p = obj(raw);
            const port = int(p.port);
            const target = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : null;
            return port === null ? [] : [{ name: str(p.name), port, targetPort: target, protocol: str(p.protocol) ?? 'TCP' }];
          }),
        },
      };
    },
  },
  Ingress: {
    group: 'networking.k8s.io',
    versions: ['v1'],
    namespaced: true,
    map: (o, meta) => {
      const spec = obj(o.spec);
      return {
        kind: 'k8s.ingress',
        attributes: {
          ...withMeta(meta),
          ingressClassName: str(spec.ingressClassName) ?? meta.annotations['kubernetes.io/ingress.class'] ?? null,
          hosts: [...new Set(arr(spec.rules).map((r) => str(obj(r).host)).filter((h): h is string => h !== null))],
          tls: arr(spec.tls).map((raw) => ({ hosts: strings(obj(raw).hosts), secretName: str(obj(raw).secretName) })),
          backends: ingressBackends(spec),
        },
      };
    },
  },
  NetworkPolicy: {
    group: 'networking.k8s.io',
    versions: ['v1'],
    namespaced: true,
    map: (o, meta) => {
      const spec = obj(o.spec);
      const policyTypes = Array.isArray(spec.policyTypes) ? strings(spec.policyTypes).filter((t) => t === 'Ingress' || t === 'Egress') : null;
      return {
        kind: 'k8s.networkPolicy',
        attributes: {
          ...withMeta(meta),
          podSelector: selector(spec.podSelector) ?? {},
          policyTypes,
          ingress: portRules(spec.ingress, 'from'),
          egress: portRules(spec.egress, 'to'),
        },
      };
    },
  },
  Role: {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    namespaced: true,
    map: (o, meta) => ({ kind: 'k8s.rbac.role', attributes: { ...withMeta(meta), rules: rules(o.rules, false) } }),
  },
  ClusterRole: {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    namespaced: false,
    map: (o, meta) => ({
      kind: 'k8s.rbac.clusterRole',
      attributes: { labels: meta.labels, annotations: meta.annotations, rules: rules(o.rules, true), aggregated: isObject(o.aggregationRule) },
    }),
  },
  RoleBinding: {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    namespaced: true,
    map: (o, meta) => {
      const ref = obj(o.roleRef);
      return {
        kind: 'k8s.rbac.roleBinding',
        attributes: { ...withMeta(meta), roleRef: { kind: ref.kind === 'ClusterRole' ? 'ClusterRole' : 'Role', name: scalarText(ref.name) }, subjects: subjects(o.subjects) },
      };
    },
  },
  ClusterRoleBinding: {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    namespaced: false,
    map: (o, meta) => ({
      kind: 'k8s.rbac.clusterRoleBinding',
      attributes: {
        labels: meta.labels,
        annotations: meta.annotations,
        roleRef: { kind: 'ClusterRole', name: scalarText(obj(o.roleRef).name) },
        subjects: subjects(o.subjects),
      },
    }),
  },
  Node: {
    group: '',
    versions: ['v1'],
    namespaced: false,
    map: (o, meta) => {
      const status = obj(o.status);
      const info = obj(status.nodeInfo);
      const ready = arr(status.conditions).map(obj).find((c) => c.type === 'Ready');
      return {
        kind: 'k8s.node',
        attributes: {
          labels: meta.labels,
          kubeletVersion: str(info.kubeletVersion) ?? '',
          osImage: str(info.osImage) ?? '',
          kernelVersion: str(info.kernelVersion) ?? '',
          containerRuntimeVersion: str(info.containerRuntimeVersion) ?? '',
          ready: ready ? ready.status === 'True' : null,
          createdAt: isoDate(obj(o.metadata).creationTimestamp) ?? '1970-01-01T00:00:00Z',
        },
      };
    },
  },
  ConfigMap: {
    group: '',
    versions: ['v1'],
    namespaced: true,
    only: { namespace: 'kube-system', name: 'aws-auth' },
    map: (o, meta) => {
      const data = obj(o.data);
      return {
        kind: 'k8s.awsAuth',
        attributes: { ...withMeta(meta), mappings: [...awsAuthMappings(data.mapRoles, 'role'), ...awsAuthMappings(data.mapUsers, 'user')] },
      };
    },
  },
  Secret: {
    group: '',
    versions: ['v1'],
    namespaced: true,
    // Metadata and type only: `data` and `stringData` are never read.
    map: (o, meta) => ({
      kind: 'k8s.secret',
      attributes: {
        ...withMeta(meta),
        type: str(o.type),
        ownerKinds: arr(obj(o.metadata).ownerReferences).map((r) => str(obj(r).kind)).filter((k): k is string => k !== null),
        createdAt: isoDate(obj(o.metadata).creationTimestamp),
      },
    }),
  },
  PeerAuthentication: {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    namespaced: true,
    map: (o, meta) => {
      const spec = obj(o.spec);
      const portLevel: Record<string, string> = {};
      for (const [port, setting] of Object.entries(obj(spec.portLevelMtls))) portLevel[port] = mtlsMode(setting);
      return {
        kind: 'istio.peerAuthentication',
        attributes: { namespace: meta.namespace, selector: selector(spec.selector), mtlsMode: mtlsMode(spec.mtls), portLevelMtls: portLevel },
      };
    },
  },
  // Istio's and Linkerd's share a kind name; the group tells them apart.
  AuthorizationPolicy: {
    byGroup: [
      {
        group: 'security.istio.io',
        versions: ['v1', 'v1beta1'],
        namespaced: true,
        map: (o, meta) => {
          const spec = obj(o.spec);
          const action = str(spec.action) ?? 'ALLOW';
          return {
            kind: 'istio.authorizationPolicy',
            attributes: {
              namespace: meta.namespace,
              selector: selector(spec.selector),
              action: ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'].includes(action) ? action : 'ALLOW',
              rules: Array.isArray(spec.rules) ? spec.rules.filter(isObject).map((r) => plain(r)) : null,
            },
          };
        },
      },
      {
        group: 'policy.linkerd.io',
        versions: ['v1alpha1'],
        namespaced: true,
        idKind: 'AuthorizationPolicy.policy.linkerd.io',
        map: (o, meta) => {
          const spec = obj(o.spec);
          const target = obj(spec.targetRef);
          return {
            kind: 'linkerd.authorizationPolicy',
            attributes: {
              namespace: meta.namespace,
              targetRef: { group: str(target.group) ?? '', kind: str(target.kind) ?? '', name: str(target.name) ?? '' },
              requiredAuthenticationRefs: arr(spec.requiredAuthenticationRefs).map(obj).map((r) => ({
                group: str(r.group) ?? '',
                kind: str(r.kind) ?? '',
                name: str(r.name) ?? '',
                namespace: str(r.namespace),
              })),
            },
          };
        },
      },
    ],
  },
  RequestAuthentication: {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    namespaced: true,
    map: (o, meta) => {
      const spec = obj(o.spec);
      return {
        kind: 'istio.requestAuthentication',
        attributes: {
          namespace: meta.namespace,
          selector: selector(spec.selector),
          issuers: arr(spec.jwtRules).map((r) => str(obj(r).issuer)).filter((i): i is string => i !== null),
        },
      };
    },
  },
  Server: {
    group: 'policy.linkerd.io',
    versions: ['v1beta1', 'v1beta2', 'v1beta3'],
    namespaced: true,
    map: (o, meta) => {
      const spec = obj(o.spec);
      const port = int(spec.port) ?? str(spec.port) ?? '';
      return {
        kind: 'linkerd.server',
        attributes: {
          namespace: meta.namespace,
          podSelector: selector(spec.podSelector),
          port,
          proxyProtocol: str(spec.proxyProtocol),
          accessPolicy: str(spec.accessPolicy) ?? 'deny',
        },
      };
    },
  },
  ServerAuthorization: {
    group: 'policy.linkerd.io',
    versions: ['v1beta1'],
    namespaced: true,
    map: (o, meta) => {
      const spec = obj(o.spec);
      const client = obj(spec.client);
      return {
        kind: 'linkerd.serverAuthorization',
        attributes: {
          namespace: meta.namespace,
          serverName: str(obj(spec.server).name),
          unauthenticated: client.unauthenticated === true || obj(client.meshTLS).unauthenticatedTLS === true,
        },
      };
    },
  },
  CiliumNetworkPolicy: { group: 'cilium.io', versions: ['v2'], namespaced: true, map: ciliumPolicy(false) },
  CiliumClusterwideNetworkPolicy: { group: 'cilium.io', versions: ['v2'], namespaced: false, map: ciliumPolicy(true) },
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
    kind: 'cilium.networkPolicy',
    attributes: {
      namespace: clusterwide ? '' : meta.namespace,
      clusterwide,
      rules: [...(isObject(o.spec) ? [o.spec] : []), ...arr(o.specs)].map(ciliumRule),
    },
  });
}

/** zt kind → the Kubernetes kinds that map into it. */
export const kubernetesKindsOf: Readonly<Partial<Record<Kind, readonly string[]>>> = {
  'k8s.namespace': ['Namespace'],
  'k8s.workload': ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  'k8s.serviceAccount': ['ServiceAccount'],
  'k8s.service': ['Service'],
  'k8s.ingress': ['Ingress'],
  'k8s.networkPolicy': ['NetworkPolicy'],
  'k8s.rbac.role': ['Role'],
  'k8s.rbac.clusterRole': ['ClusterRole'],
  'k8s.rbac.roleBinding': ['RoleBinding'],
  'k8s.rbac.clusterRoleBinding': ['ClusterRoleBinding'],
  'k8s.node': ['Node'],
  'k8s.secret': ['Secret'],
  'k8s.awsAuth': ['ConfigMap'],
  'istio.peerAuthentication': ['PeerAuthentication'],
  'istio.authorizationPolicy': ['AuthorizationPolicy'],
  'istio.requestAuthentication': ['RequestAuthentication'],
  'linkerd.server': ['Server'],
  'linkerd.authorizationPolicy': ['AuthorizationPolicy'],
  'linkerd.serverAuthorization': ['ServerAuthorization'],
  'cilium.networkPolicy': ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
};

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The Kubernetes kinds whose objects own pods (directly or through a ReplicaSet/Job). */
const controllerKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

function ownerKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

export function resourceId(cluster: string, namespace: string | undefined, kind: string, name: string): string {
  return `k8s://${cluster}/${namespace ?? '_cluster'}/${kind}/${name}`;
}

/** One object mapped, with what is needed to drop it later if its controller is also in the inventory. */
export interface MappedObject {
  readonly resource?: Resource;
  readonly unmapped?: Unmapped;
  /** Keys (uid, kind/namespace/name) this object is known by, when it is a controller. */
  readonly controllerKeys?: readonly string[];
  /** Keys of its controlling owner, for Pods, ReplicaSets and Jobs. */
  readonly ownerKeys?: readonly string[];
}

/**
 * Maps one object. Pure and independent of the others, so a live collection maps each
 * page as it arrives and keeps only the (small) mapped form, never the whole cluster's
 * raw objects; `finishMapping` then drops what a listed controller owns.
 */
export function mapObject(input: MapInput, settings: MapSettings): MappedObject {
  const { object } = input;
  const kind = str(object.kind) ?? '';
  const apiVersion = str(object.apiVersion) ?? '';
  const metadata = obj(object.metadata);
  const name = str(metadata.name) ?? '';
  const where = { ...(input.file !== undefined ? { file: input.file } : {}), ...(input.line !== undefined ? { line: input.line } : {}) };
  const { group, version } = splitApiVersion(apiVersion);
  const specs = kindSpecs[kind];
  const candidates: readonly KindSpec[] = specs === undefined ? [] : 'byGroup' in specs ? specs.byGroup : [specs];
  // A kind name zt knows in another group only (a CRD's own AuthorizationPolicy) is not audited, not a version zt misses.
  const spec = candidates.length === 1 ? candidates[0] : candidates.find((c) => c.group === group);
  const excluded = spec?.only !== undefined && !(name === spec.only.name && str(metadata.namespace) === spec.only.namespace);
  if (!spec || excluded) return { unmapped: { apiVersion, kind, name, reason: 'unknown-kind', ...where } };
  if (group !== spec.group || !spec.versions.includes(version)) return { unmapped: { apiVersion, kind, name, reason: 'unknown-version', ...where } };
  if (!name) return { unmapped: { apiVersion, kind, name, reason: 'malformed', detail: 'metadata.name is missing', ...where } };
  const namespace = spec.namespaced ? (str(metadata.namespace) ?? settings.defaultNamespace) : '';
  const uid = str(metadata.uid);
  const controllerKeys = controllerKinds.has(kind) ? [ownerKey(kind, namespace, name), ...(uid ? [uid] : [])] : undefined;
  let ownerKeys: string[] | undefined;
  if (kind === 'Pod' || kind === 'ReplicaSet' || kind === 'Job') {
    const controller = arr(metadata.ownerReferences).map(obj).find((r) => r.controller === true);
    if (controller) {
      const byUid = str(controller.uid);
      ownerKeys = [ownerKey(scalarText(controller.kind), namespace, scalarText(controller.name)), ...(byUid ? [byUid] : [])];
    }
  }
  const meta: Meta = { name, namespace, labels: stringMap(metadata.labels), annotations: stringMap(metadata.annotations, droppedAnnotations) };
  const mapped = spec.map(object, meta, settings);
  const provenance: Provenance = { collector: settings.collector, source: settings.source, ...where };
  const resource: Resource = {
    kind: mapped.kind,
    id: resourceId(settings.cluster, spec.namespaced ? namespace : undefined, spec.idKind ?? kind, name),
    name,
    attributes: mapped.attributes,
    provenance,
  };
  return { resource, ...(controllerKeys ? { controllerKeys } : {}), ...(ownerKeys ? { ownerKeys } : {}) };
}

/** Drops Pods, ReplicaSets and Jobs whose controller is also mapped, so a workload is counted once. */
export function finishMapping(mapped: readonly MappedObject[]): MapOutput {
  const controllers = new Set<string>();
  for (const m of mapped) for (const key of m.controllerKeys ?? []) controllers.add(key);
  const resources: Resource[] = [];
  const unmapped: Unmapped[] = [];
  let owned = 0;
  for (const m of mapped) {
    if (m.unmapped) unmapped.push(m.unmapped);
    if (!m.resource) continue;
    if (m.ownerKeys?.some((k) => controllers.has(k))) {
      owned += 1;
      continue;
    }
    resources.push(m.resource);
  }
  return { resources, unmapped, owned };
}

/** Maps a batch of objects (manifests: everything at once). */
export function mapObjects(inputs: readonly MapInput[], settings: MapSettings): MapOutput {
  return finishMapping(inputs.map((input) => mapObject(input, settings)));
}

/** The k8s.cluster resource of a live cluster. */
export function clusterResource(
  settings: MapSettings,
  serverVersion: { major: string; minor: string; gitVersion: string } | null,
  apiGroups: readonly string[],
): Resource {
  return {
    kind: 'k8s.cluster',
    id: resourceId(settings.cluster, undefined, 'Cluster', settings.cluster),
    name: settings.cluster,
    attributes: { clusterName: settings.cluster, serverVersion, apiGroups: [...apiGroups].sort() },
    provenance: { collector: settings.collector, source: settings.source },
  };
}

/** One issue per unrecognised apiVersion, one summary line for kinds zt does not audit. */
export function unmappedIssues(unmapped: readonly Unmapped[], collector: string): CollectionIssue[] {
  const issues: CollectionIssue[] = [];
  const ignored = new Map<string, number>();
  for (const u of unmapped) {
    const place = u.file !== undefined ? `${u.file}${u.line !== undefined ? `:${u.line}` : ''}: ` : '';
    if (u.reason === 'unknown-kind') ignored.set(`${u.apiVersion} ${u.kind}`, (ignored.get(`${u.apiVersion} ${u.kind}`) ?? 0) + 1);
    else if (u.reason === 'unknown-version') {
      issues.push({ collector, severity: 'warning', code: 'ZT_COLLECT_INPUT_SKIPPED', message: `${place}${u.kind} ${u.name} skipped: unrecognised apiVersion ${u.apiVersion} (zt reads the versions current Kubernetes serves)`, kinds: [] });
    } else {
      issues.push({ collector, severity: 'warning', code: 'ZT_COLLECT_INPUT_SKIPPED', message: `${place}${u.kind} skipped: ${u.detail ?? 'malformed'}`, kinds: [] });
    }
  }
  if (ignored.size > 0) {
    const list = [...ignored].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => (n > 1 ? `${k} ×${n}` : k));
    issues.push({ collector, severity: 'info', code: 'ZT_COLLECT_INPUT_SKIPPED', message: `unrecognised kinds not audited: ${list.join(', ')}`, kinds: [] });
  }
  return issues;
}

