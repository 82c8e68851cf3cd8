import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The Kubernetes part of the demo organisation (fixtures/demo/kubernetes.json, a zt
// snapshot) turned back into the Kubernetes objects it describes, so the same objects can
// be created in a real API server and written as manifests. Only what zt maps is rebuilt,
// plus what the API server's validation requires (selectors, Job restart policy, TLS keys).

export type KubeObject = { apiVersion: string; kind: string; metadata: Record<string, unknown>; [key: string]: unknown };

interface SnapshotResource {
  kind: string;
  name: string;
  attributes: Record<string, any>;
}

const demoPath = fileURLToPath(new URL('../../../fixtures/demo/kubernetes.json', import.meta.url));

const omitNull = (value: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
const nonEmpty = (value: Record<string, unknown> | undefined): Record<string, unknown> | undefined => (value && Object.keys(value).length > 0 ? value : undefined);

function meta(a: Record<string, any>, name: string): Record<string, unknown> {
  return omitNull({ name, namespace: a.namespace ?? undefined, labels: nonEmpty(a.labels), annotations: nonEmpty(a.annotations) });
}

function securityContext(s: Record<string, any>): Record<string, unknown> | undefined {
  const capabilities = omitNull({ add: s.capabilitiesAdd?.length ? s.capabilitiesAdd : undefined, drop: s.capabilitiesDrop?.length ? s.capabilitiesDrop : undefined });
  return nonEmpty(
    omitNull({
      privileged: s.privileged,
      allowPrivilegeEscalation: s.allowPrivilegeEscalation,
      readOnlyRootFilesystem: s.readOnlyRootFilesystem,
      runAsNonRoot: s.runAsNonRoot,
      runAsUser: s.runAsUser,
      capabilities: nonEmpty(capabilities),
      seccompProfile: s.seccompProfileType ? { type: s.seccompProfileType } : undefined,
    }),
  );
}

function envVar(e: { name: string; source: string; refName: string | null }): Record<string, unknown> {
  switch (e.source) {
    case 'literal':
      return { name: e.name, value: 'demo' };
    case 'secretKeyRef':
      return { name: e.name, valueFrom: { secretKeyRef: { name: e.refName, key: 'value' } } };
    case 'configMapKeyRef':
      return { name: e.name, valueFrom: { configMapKeyRef: { name: e.refName, key: 'value' } } };
    case 'fieldRef':
      return { name: e.name, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } };
    default:
      return { name: e.name, valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } };
  }
}

function container(c: Record<string, any>): Record<string, unknown> {
  return omitNull({
    name: c.name,
    image: c.image,
    securityContext: securityContext(c.securityContext),
    env: c.env.length ? c.env.map(envVar) : undefined,
    envFrom: c.envFrom.length ? c.envFrom.map((e: { source: string; name: string }) => (e.source === 'secret' ? { secretRef: { name: e.name } } : { configMapRef: { name: e.name } })) : undefined,
    ports: c.ports.length ? c.ports.map((p: Record<string, unknown>) => omitNull(p)) : undefined,
  });
}

function volume(v: { name: string; type: string; hostPath: string | null; secretName: string | null }): Record<string, unknown> {
  const source: Record<string, Record<string, unknown>> = {
    hostPath: { path: v.hostPath ?? '/' },
    secret: { secretName: v.secretName },
    configMap: { name: v.name },
    emptyDir: {},
    persistentVolumeClaim: { claimName: v.name },
    csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true },
    projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] },
  };
  return { name: v.name, [v.type]: source[v.type] ?? {} };
}

function podTemplate(a: Record<string, any>, restartPolicy?: string): Record<string, unknown> {
  const p = a.pod;
  const spec = omitNull({
    serviceAccountName: p.serviceAccountName,
    automountServiceAccountToken: p.automountServiceAccountToken,
    hostNetwork: p.hostNetwork || undefined,
    hostPID: p.hostPID || undefined,
    hostIPC: p.hostIPC || undefined,
    securityContext: nonEmpty(omitNull({ runAsNonRoot: p.runAsNonRoot, runAsUser: p.runAsUser, seccompProfile: p.seccompProfileType ? { type: p.seccompProfileType } : undefined })),
    containers: p.containers.map(container),
    initContainers: p.initContainers.length ? p.initContainers.map(container) : undefined,
    volumes: p.volumes.length ? p.volumes.map(volume) : undefined,
    restartPolicy,
  });
  return { metadata: omitNull({ labels: a.podLabels, annotations: nonEmpty(a.podAnnotations) }), spec };
}

function workload(r: SnapshotResource): KubeObject {
  const a = r.attributes;
  const kind = a.workloadKind as string;
  const metadata = meta(a, r.name);
  // The API server requires a selector matching the template's labels.
  const labels = Object.keys(a.podLabels ?? {}).length ? a.podLabels : { app: r.name };
  const attrs = { ...a, podLabels: labels };
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet':
      return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: a.replicas ?? 1, selector: { matchLabels: labels }, template: podTemplate(attrs) } };
    case 'StatefulSet':
      return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: a.replicas ?? 1, serviceName: r.name, selector: { matchLabels: labels }, template: podTemplate(attrs) } };
    case 'DaemonSet':
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: labels }, template: podTemplate(attrs) } };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { template: podTemplate(attrs, 'OnFailure') } };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: podTemplate(attrs, 'OnFailure') } } } };
    default:
      return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podTemplate(attrs).spec };
  }
}

function toObject(r: SnapshotResource): KubeObject | undefined {
  const a = r.attributes;
  switch (r.kind) {
    case 'k8s.namespace':
      return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(a, r.name) };
    case 'k8s.workload':
      return workload(r);
    case 'k8s.serviceAccount':
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(a, r.name), ...omitNull({ automountServiceAccountToken: a.automountServiceAccountToken }) };
    case 'k8s.service':
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(a, r.name),
        spec: omitNull({
          type: a.type,
          selector: nonEmpty(a.selector),
          ports: a.ports.map((p: Record<string, unknown>) => omitNull(p)),
          externalName: a.type === 'ExternalName' ? `${r.name}.example` : undefined,
        }),
      };
    case 'k8s.ingress': {
      // Snapshots from before backends were recorded route to a Service named like the Ingress.
      const backends: string[] = a.backends?.length ? a.backends : [r.name];
      const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
      const paths = backends.map((name, i) => ({ path: i === 0 ? '/' : `/${name}`, pathType: 'Prefix', backend: backend(name) }));
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta(a, r.name),
        spec: omitNull({
          ingressClassName: a.ingressClassName,
          defaultBackend: a.hosts.length ? undefined : backend(backends[0]!),
          rules: a.hosts.length ? a.hosts.map((host: string) => ({ host, http: { paths } })) : undefined,
          tls: a.tls.length ? a.tls.map((t: Record<string, unknown>) => omitNull(t)) : undefined,
        }),
      };
    }
    case 'k8s.networkPolicy':
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(a, r.name),
        spec: omitNull({ podSelector: a.podSelector, policyTypes: a.policyTypes, ingress: a.ingress.length ? a.ingress : undefined, egress: a.egress.length ? a.egress : undefined }),
      };
    case 'k8s.rbac.role':
      return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(a, r.name), rules: a.rules.map(rbacRule) };
    case 'k8s.rbac.clusterRole':
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: meta(a, r.name),
        rules: a.rules.map(rbacRule),
        // An aggregated role's rules are filled in by the controller-manager from the roles it selects.
        ...(a.aggregated ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`demo.zt/aggregate-to-${r.name}`]: 'true' } }] } } : {}),
      };
    case 'k8s.rbac.roleBinding':
    case 'k8s.rbac.clusterRoleBinding':
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: r.kind === 'k8s.rbac.roleBinding' ? 'RoleBinding' : 'ClusterRoleBinding',
        metadata: meta(a, r.name),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: a.roleRef.kind, name: a.roleRef.name },
        subjects: a.subjects.map((s: Record<string, unknown>) => omitNull({ ...s, apiGroup: s.kind === 'ServiceAccount' ? undefined : 'rbac.authorization.k8s.io' })),
      };
    case 'k8s.node':
      return {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: meta(a, r.name),
        status: {
          conditions: a.ready === null ? [] : [{ type: 'Ready', status: a.ready ? 'True' : 'False' }],
          nodeInfo: {
            kubeletVersion: a.kubeletVersion,
            osImage: a.osImage,
            kernelVersion: a.kernelVersion,
            containerRuntimeVersion: a.containerRuntimeVersion,
            machineID: '',
            systemUUID: '',
            bootID: '',
            kubeProxyVersion: a.kubeletVersion,
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
        },
      };
    case 'k8s.secret': {
      const tls = a.type === 'kubernetes.io/tls';
      const token = a.type === 'kubernetes.io/service-account-token';
      const metadata = meta(a, r.name);
      if (token) metadata.annotations = { ...(metadata.annotations as object), 'kubernetes.io/service-account.name': r.name.replace(/-token$/, '') };
      if (a.ownerKinds.length) {
        metadata.ownerReferences = a.ownerKinds.map((kind: string, i: number) => ({
          apiVersion: kind === 'Certificate' ? 'cert-manager.io/v1' : 'external-secrets.io/v1beta1',
          kind,
          name: r.name,
          uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        }));
      }
      return { apiVersion: 'v1', kind: 'Secret', metadata, type: a.type, data: tls ? { 'tls.crt': '', 'tls.key': '' } : { value: Buffer.from('demo').toString('base64') } };
    }
    case 'istio.peerAuthentication':
      return {
        apiVersion: 'security.istio.io/v1beta1',
        kind: 'PeerAuthentication',
        metadata: meta(a, r.name),
        spec: omitNull({
          selector: a.selector,
          mtls: a.mtlsMode === 'UNSET' ? undefined : { mode: a.mtlsMode },
          portLevelMtls: nonEmpty(Object.fromEntries(Object.entries(a.portLevelMtls ?? {}).map(([port, mode]) => [port, { mode }]))),
        }),
      };
    case 'istio.authorizationPolicy':
      return { apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: meta(a, r.name), spec: omitNull({ selector: a.selector, action: a.action, rules: a.rules }) };
    case 'istio.requestAuthentication':
      return {
        apiVersion: 'security.istio.io/v1beta1',
        kind: 'RequestAuthentication',
        metadata: meta(a, r.name),
        spec: omitNull({ selector: a.selector, jwtRules: a.issuers.map((issuer: string) => ({ issuer })) }),
      };
    case 'k8s.awsAuth': {
      const entries = (type: string) =>
        (a.mappings as { arn: string; type: string; username: string | null; groups: string[] }[])
          .filter((m) => m.type === type)
          .map((m) => omitNull({ [type === 'role' ? 'rolearn' : 'userarn']: m.arn, username: m.username, groups: m.groups }));
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(a, r.name), data: { mapRoles: yaml.dump(entries('role')), mapUsers: yaml.dump(entries('user')) } };
    }
    default:
      return undefined; // k8s.cluster: the server itself
  }
}

function rbacRule(rule: Record<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = { verbs: rule.verbs };
  for (const key of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']) if (rule[key]?.length) out[key] = rule[key];
  if (rule.resources?.length && !rule.apiGroups?.length) out.apiGroups = [''];
  return out;
}

/** Every object of the demo's Kubernetes part, namespaces first. */
export function demoObjects(): KubeObject[] {
  const snapshot = JSON.parse(readFileSync(demoPath, 'utf8')) as { resources: SnapshotResource[] };
  const objects = snapshot.resources.map(toObject).filter((o): o is KubeObject => o !== undefined);
  return objects.sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
}

/** A CustomResourceDefinition with an open schema, served in one version. */
function crd(group: string, version: string, kind: string, plural: string, scope: 'Namespaced' | 'Cluster' = 'Namespaced'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

/** CustomResourceDefinitions for the Istio security kinds, as Istio ≤1.21 installs them (v1beta1 only). */
export function istioCrds(): KubeObject[] {
  return [
    crd('security.istio.io', 'v1beta1', 'PeerAuthentication', 'peerauthentications'),
    crd('security.istio.io', 'v1beta1', 'AuthorizationPolicy', 'authorizationpolicies'),
    crd('security.istio.io', 'v1beta1', 'RequestAuthentication', 'requestauthentications'),
  ];
}

/** Linkerd's Server and AuthorizationPolicy, and Cilium's two network policy kinds, in the versions they serve today. */
export function meshPolicyCrds(): KubeObject[] {
  return [
    crd('policy.linkerd.io', 'v1beta3', 'Server', 'servers'),
    crd('policy.linkerd.io', 'v1alpha1', 'AuthorizationPolicy', 'authorizationpolicies'),
    crd('policy.linkerd.io', 'v1beta1', 'ServerAuthorization', 'serverauthorizations'),
    crd('cilium.io', 'v2', 'CiliumNetworkPolicy', 'ciliumnetworkpolicies'),
    crd('cilium.io', 'v2', 'CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', 'Cluster'),
  ];
}
