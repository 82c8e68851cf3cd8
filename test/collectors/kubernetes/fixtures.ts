import yaml from 'js-yaml';
import type { KubeObject } from '../../support/fake-kube-api.js';

// A small cluster in wire form (what the API and manifests both hold), with canary
// secrets planted where a careless collector would copy them.
export const CANARY = {
  env: 'CANARY-ENV-VALUE-7f3a9c',
  secretData: 'CANARY-SECRET-DATA-52be1d',
  stringData: 'CANARY-STRING-DATA-0c4e8a',
  lastApplied: 'CANARY-LAST-APPLIED-91d2f0',
  kubeconfigToken: 'CANARY-KUBECONFIG-TOKEN-e6b7a1',
};

export const canaryStrings = (): string[] => [
  ...Object.values(CANARY),
  Buffer.from(CANARY.secretData).toString('base64'),
  Buffer.from(CANARY.kubeconfigToken).toString('base64'),
];

const lastApplied = (body: Record<string, unknown>): Record<string, string> => ({
  'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ ...body, note: CANARY.lastApplied }),
});

const podTemplate = (app: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: {
    serviceAccountName: app,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: app,
        image: `registry.example/shop/${app}:1.4.2`,
        env: [
          { name: 'DB_PASSWORD', value: CANARY.env },
          { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-keys', key: 'token' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        envFrom: [{ secretRef: { name: 'app-env' } }],
        ports: [{ name: 'http', containerPort: 8080 }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    ],
    volumes: [{ name: 'creds', secret: { secretName: 'db-credentials' } }],
    ...extra,
  },
});

export const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', uid: 'ns-shop', labels: { 'kubernetes.io/metadata.name': 'shop', 'istio-injection': 'enabled' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', uid: 'ns-ks', labels: { 'kubernetes.io/metadata.name': 'kube-system' } } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'dep-web', labels: { app: 'web' }, annotations: lastApplied({ kind: 'Deployment', env: CANARY.env }) },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: podTemplate('web') },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-debugger', namespace: 'kube-system', uid: 'ds-dbg' },
    spec: {
      selector: { matchLabels: { app: 'node-debugger' } },
      template: {
        metadata: { labels: { app: 'node-debugger' } },
        spec: {
          hostPID: true,
          hostNetwork: true,
          containers: [{ name: 'sh', image: 'busybox:1.36', securityContext: { privileged: true } }],
          volumes: [{ name: 'root', hostPath: { path: '/' } }],
        },
      },
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'etl', namespace: 'shop', uid: 'cj-etl' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: podTemplate('etl', { restartPolicy: 'OnFailure' }) } } },
  },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop', uid: 'sa-web' }, automountServiceAccountToken: false },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop', uid: 'sa-default' } },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', uid: 'svc-web' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'aws-auth', namespace: 'kube-system', uid: 'cm-aws-auth' },
    data: {
      mapRoles: '- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops:{{SessionName}}\n  groups:\n    - system:masters\n',
      mapUsers: '- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: []\n',
    },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop', uid: 'ing-web' },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
      tls: [{ hosts: ['shop.example'], secretName: 'shop-tls' }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'container-defaults', namespace: 'shop', uid: 'lr-shop' },
    spec: { limits: [{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: 'shop', uid: 'np-deny' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'egress-world', namespace: 'shop', uid: 'np-egress' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ protocol: 'TCP', port: 443 }] }] },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'secret-reader', uid: 'cr-sr' },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'monitoring', uid: 'cr-mon' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'oops-everyone-reads-secrets', uid: 'crb-oops' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'deployer', namespace: 'shop', uid: 'role-dep' },
    rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'deployer', namespace: 'shop', uid: 'rb-dep' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
    subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-credentials', namespace: 'shop', uid: 'sec-db', creationTimestamp: '2025-02-11T16:20:00Z', annotations: lastApplied({ kind: 'Secret', data: CANARY.secretData }) },
    type: 'Opaque',
    data: { password: Buffer.from(CANARY.secretData).toString('base64') },
    stringData: { extra: CANARY.stringData },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace: 'istio-system', uid: 'pa-mesh' },
    spec: { mtls: { mode: 'STRICT' } },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'legacy-db', namespace: 'shop', uid: 'pa-db' },
    spec: { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { 5432: { mode: 'DISABLE' } } },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'deny-all', namespace: 'shop', uid: 'ap-deny' },
    spec: {},
  },
];

/** Objects a live cluster has but manifests do not: nodes and the pods/ReplicaSets controllers created. */
export const liveOnlyObjects: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-a', uid: 'node-a', creationTimestamp: '2026-10-12T06:14:00Z', labels: { 'kubernetes.io/os': 'linux' } },
    status: {
      nodeInfo: { kubeletVersion: 'v1.33.4', osImage: 'Bottlerocket OS 1.48.0', kernelVersion: '6.12.46', containerRuntimeVersion: 'containerd://2.0.6' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-7d9c', namespace: 'shop', uid: 'rs-web', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-web', controller: true }] },
    spec: { replicas: 3, template: podTemplate('web') },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d9c-abcde', namespace: 'shop', uid: 'pod-web-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'rs-web', controller: true }] },
    spec: podTemplate('web').spec,
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node-debugger-x1', namespace: 'kube-system', uid: 'pod-dbg', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-debugger', uid: 'ds-dbg', controller: true }] },
    spec: { containers: [{ name: 'sh', image: 'busybox:1.36' }] },
  },
];

const pluralOf: Record<string, string> = {
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  Pod: 'pods',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  ServiceAccount: 'serviceaccounts',
  Service: 'services',
  Ingress: 'ingresses',
  NetworkPolicy: 'networkpolicies',
  LimitRange: 'limitranges',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Node: 'nodes',
  Secret: 'secrets',
  PeerAuthentication: 'peerauthentications',
  AuthorizationPolicy: 'authorizationpolicies',
  RequestAuthentication: 'requestauthentications',
};

export const builtinListPaths = [
  '/api/v1/namespaces',
  '/api/v1/pods',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/daemonsets',
  '/apis/apps/v1/replicasets',
  '/apis/batch/v1/jobs',
  '/apis/batch/v1/cronjobs',
  '/api/v1/serviceaccounts',
  '/api/v1/services',
  '/apis/networking.k8s.io/v1/ingresses',
  '/apis/networking.k8s.io/v1/networkpolicies',
  '/apis/rbac.authorization.k8s.io/v1/roles',
  '/apis/rbac.authorization.k8s.io/v1/rolebindings',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/api/v1/nodes',
  '/api/v1/limitranges',
  '/api/v1/secrets',
  '/api/v1/configmaps',
];

export function listPathOf(object: KubeObject): string {
  const apiVersion = String(object.apiVersion);
  const plural = pluralOf[String(object.kind)];
  if (!plural) throw new Error(`no plural for ${String(object.kind)}`);
  return apiVersion.includes('/') ? `/apis/${apiVersion}/${plural}` : `/api/${apiVersion}/${plural}`;
}

/** Objects grouped by list path, with every built-in path present (possibly empty). */
export function listsOf(list: readonly KubeObject[], withIstio = true): Record<string, KubeObject[]> {
  const lists: Record<string, KubeObject[]> = Object.fromEntries(builtinListPaths.map((p) => [p, []]));
  for (const o of list) {
    const path = listPathOf(o);
    if (!withIstio && path.includes('istio')) continue;
    (lists[path] ??= []).push(o);
  }
  return lists;
}

export const standardGroups = [
  { name: 'apps', versions: ['v1'] },
  { name: 'batch', versions: ['v1'] },
  { name: 'networking.k8s.io', versions: ['v1'] },
  { name: 'rbac.authorization.k8s.io', versions: ['v1'] },
];
export const istioGroups = [...standardGroups, { name: 'security.istio.io', versions: ['v1', 'v1beta1'], preferred: 'v1' }];

/** The objects as a Helm-rendered multi-document YAML file. */
export function asHelmRender(list: readonly KubeObject[]): string {
  return list.map((o, i) => `---\n# Source: shop/templates/${String(o.kind).toLowerCase()}-${i}.yaml\n${yaml.dump(o, { lineWidth: -1 })}`).join('');
}
