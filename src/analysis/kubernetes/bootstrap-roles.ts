/**
 * Kubernetes' bootstrap ClusterRoles: the roles every API server creates at start-up
 * (cluster-admin, the aggregated admin/edit/view, and the `system:` roles), as data, so
 * manifests that bind them without defining them (Helm and kustomize output does this
 * routinely) are judged by what the role grants rather than as a dangling reference.
 * The controllers' own roles (`system:controller:*`) are not included: only the
 * platform's bindings name them.
 *
 * Restated from the upstream bootstrap policy (kubernetes/kubernetes,
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy) and the RBAC documentation
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings):
 *
 * - edition `1.20`: exactly what a v1.20.2 kube-apiserver serves (read from one; the
 *   integration suite compares this edition with the live roles of its v1.20 server);
 * - edition `1.27`: the policy of v1.27 and later. Releases from v1.34 also grant
 *   edit/view/the scheduler rules on newer APIs (resource.k8s.io for dynamic resource
 *   allocation, events.k8s.io events, leader-election candidates), none of which is in
 *   zt's dangerous-permission vocabulary, so the facts zt derives are the same.
 *
 * A rule without `only` is in every edition. Aggregated roles (`aggregateFrom`) hold the
 * rules of every ClusterRole labelled `<aggregateFrom>: "true"`, as the API server's
 * aggregation controller fills them in (roles in the input with that label included).
 *
 * Maintenance: when a release changes a role zt bundles, add an edition and mark the
 * rules that differ with `only`.
 */

export const bootstrapEditions = ['1.20', '1.27'] as const;
export type BootstrapEdition = (typeof bootstrapEditions)[number];

export interface BootstrapRule {
  /** apiGroups */
  readonly g?: readonly string[];
  /** resources */
  readonly r?: readonly string[];
  /** nonResourceURLs */
  readonly urls?: readonly string[];
  /** resourceNames */
  readonly names?: readonly string[];
  /** verbs */
  readonly v: readonly string[];
  /** In this edition only. */
  readonly only?: BootstrapEdition;
}

export interface BootstrapRole {
  readonly name: string;
  /** Labels besides kubernetes.io/bootstrapping=rbac-defaults (which every bootstrap role has). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The label key (value "true") whose ClusterRoles this role aggregates. */
  readonly aggregateFrom?: string;
  readonly rules: readonly BootstrapRule[];
}

export const bootstrapClusterRoles: readonly BootstrapRole[] = [
  {
    name: 'admin',
    aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-admin',
    rules: [],
  },
  {
    name: 'cluster-admin',
    rules: [
      { g: ['*'], r: ['*'], v: ['*'] },
      { urls: ['*'], v: ['*'] },
    ],
  },
  {
    name: 'edit',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-edit',
    rules: [],
  },
  {
    name: 'system:aggregate-to-admin',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    rules: [
      { g: ['authorization.k8s.io'], r: ['localsubjectaccessreviews'], v: ['create'] },
      { g: ['rbac.authorization.k8s.io'], r: ['rolebindings', 'roles'], v: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    rules: [
      { g: [''], r: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['serviceaccounts'], v: ['impersonate'] },
      { g: [''], r: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
      { g: [''], r: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'], only: '1.20' },
      { g: [''], r: ['pods/eviction'], v: ['create'], only: '1.27' },
      { g: [''], r: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'], only: '1.27' },
      { g: [''], r: ['serviceaccounts/token'], v: ['create'], only: '1.27' },
      { g: ['apps'], r: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
      { g: ['autoscaling'], r: ['horizontalpodautoscalers'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
      { g: ['batch'], r: ['cronjobs', 'jobs'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
      { g: ['extensions'], r: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
      { g: ['policy'], r: ['poddisruptionbudgets'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
      { g: ['networking.k8s.io'], r: ['ingresses', 'networkpolicies'], v: ['create', 'delete', 'deletecollection', 'patch', 'update'] },
      { g: ['coordination.k8s.io'], r: ['leases'], v: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], only: '1.27' },
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
    rules: [
      { g: [''], r: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['namespaces'], v: ['get', 'list', 'watch'] },
      { g: ['discovery.k8s.io'], r: ['endpointslices'], v: ['get', 'list', 'watch'], only: '1.27' },
      { g: ['apps'], r: ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], v: ['get', 'list', 'watch'] },
      { g: ['autoscaling'], r: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], v: ['get', 'list', 'watch'] },
      { g: ['batch'], r: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], v: ['get', 'list', 'watch'] },
      { g: ['extensions'], r: ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], v: ['get', 'list', 'watch'] },
      { g: ['policy'], r: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], v: ['get', 'list', 'watch'] },
      { g: ['networking.k8s.io'], r: ['ingresses', 'ingresses/status', 'networkpolicies'], v: ['get', 'list', 'watch'] },
    ],
  },
  {
    name: 'system:auth-delegator',
    rules: [
      { g: ['authentication.k8s.io'], r: ['tokenreviews'], v: ['create'] },
      { g: ['authorization.k8s.io'], r: ['subjectaccessreviews'], v: ['create'] },
    ],
  },
  {
    name: 'system:basic-user',
    rules: [
      { g: ['authorization.k8s.io'], r: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], v: ['create'] },
      { g: ['authentication.k8s.io'], r: ['selfsubjectreviews'], v: ['create'], only: '1.27' },
    ],
  },
  {
    name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
    rules: [
      { g: ['certificates.k8s.io'], r: ['certificatesigningrequests/nodeclient'], v: ['create'] },
    ],
  },
  {
    name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
    rules: [
      { g: ['certificates.k8s.io'], r: ['certificatesigningrequests/selfnodeclient'], v: ['create'] },
    ],
  },
  {
    name: 'system:certificates.k8s.io:kube-apiserver-client-approver',
    rules: [
      { g: ['certificates.k8s.io'], r: ['signers'], names: ['kubernetes.io/kube-apiserver-client'], v: ['approve'] },
    ],
  },
  {
    name: 'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver',
    rules: [
      { g: ['certificates.k8s.io'], r: ['signers'], names: ['kubernetes.io/kube-apiserver-client-kubelet'], v: ['approve'] },
    ],
  },
  {
    name: 'system:certificates.k8s.io:kubelet-serving-approver',
    rules: [
      { g: ['certificates.k8s.io'], r: ['signers'], names: ['kubernetes.io/kubelet-serving'], v: ['approve'] },
    ],
  },
  {
    name: 'system:certificates.k8s.io:legacy-unknown-approver',
    rules: [
      { g: ['certificates.k8s.io'], r: ['signers'], names: ['kubernetes.io/legacy-unknown'], v: ['approve'] },
    ],
  },
  {
    name: 'system:discovery',
    rules: [
      { urls: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], v: ['get'] },
    ],
  },
  {
    name: 'system:heapster',
    rules: [
      { g: [''], r: ['events', 'namespaces', 'nodes', 'pods'], v: ['get', 'list', 'watch'] },
      { g: ['extensions'], r: ['deployments'], v: ['get', 'list', 'watch'] },
    ],
  },
  {
    name: 'system:kube-aggregator',
    rules: [
      { g: [''], r: ['endpoints', 'services'], v: ['get', 'list', 'watch'] },
    ],
  },
  {
    name: 'system:kube-controller-manager',
    rules: [
      { g: ['', 'events.k8s.io'], r: ['events'], v: ['create', 'patch', 'update'] },
      { g: ['coordination.k8s.io'], r: ['leases'], v: ['create'] },
      { g: ['coordination.k8s.io'], r: ['leases'], names: ['kube-controller-manager'], v: ['get', 'update'] },
      { g: [''], r: ['endpoints'], v: ['create'], only: '1.20' },
      { g: [''], r: ['endpoints'], names: ['kube-controller-manager'], v: ['get', 'update'], only: '1.20' },
      { g: [''], r: ['secrets', 'serviceaccounts'], v: ['create'] },
      { g: [''], r: ['secrets'], v: ['delete'] },
      { g: [''], r: ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], v: ['get'] },
      { g: [''], r: ['secrets', 'serviceaccounts'], v: ['update'] },
      { g: ['authentication.k8s.io'], r: ['tokenreviews'], v: ['create'] },
      { g: ['authorization.k8s.io'], r: ['subjectaccessreviews'], v: ['create'] },
      { g: ['*'], r: ['*'], v: ['list', 'watch'] },
      { g: [''], r: ['serviceaccounts/token'], v: ['create'] },
    ],
  },
  {
    name: 'system:kube-dns',
    rules: [
      { g: [''], r: ['endpoints', 'services'], v: ['list', 'watch'] },
    ],
  },
  {
    name: 'system:kube-scheduler',
    rules: [
      { g: ['', 'events.k8s.io'], r: ['events'], v: ['create', 'patch', 'update'] },
      { g: ['coordination.k8s.io'], r: ['leases'], v: ['create'] },
      { g: ['coordination.k8s.io'], r: ['leases'], names: ['kube-scheduler'], v: ['get', 'update'] },
      { g: [''], r: ['endpoints'], v: ['create'], only: '1.20' },
      { g: [''], r: ['endpoints'], names: ['kube-scheduler'], v: ['get', 'update'], only: '1.20' },
      { g: [''], r: ['nodes'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['pods'], v: ['delete', 'get', 'list', 'watch'] },
      { g: [''], r: ['bindings', 'pods/binding'], v: ['create'] },
      { g: [''], r: ['pods/status'], v: ['patch', 'update'] },
      { g: [''], r: ['replicationcontrollers', 'services'], v: ['get', 'list', 'watch'] },
      { g: ['apps', 'extensions'], r: ['replicasets'], v: ['get', 'list', 'watch'] },
      { g: ['apps'], r: ['statefulsets'], v: ['get', 'list', 'watch'] },
      { g: ['policy'], r: ['poddisruptionbudgets'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['persistentvolumeclaims', 'persistentvolumes'], v: ['get', 'list', 'watch'] },
      { g: ['authentication.k8s.io'], r: ['tokenreviews'], v: ['create'] },
      { g: ['authorization.k8s.io'], r: ['subjectaccessreviews'], v: ['create'] },
      { g: ['storage.k8s.io'], r: ['csinodes'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['namespaces'], v: ['get', 'list', 'watch'], only: '1.27' },
      { g: ['storage.k8s.io'], r: ['csidrivers'], v: ['get', 'list', 'watch'], only: '1.27' },
      { g: ['storage.k8s.io'], r: ['csistoragecapacities'], v: ['get', 'list', 'watch'], only: '1.27' },
    ],
  },
  {
    name: 'system:kubelet-api-admin',
    rules: [
      { g: [''], r: ['nodes'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['nodes'], v: ['proxy'] },
      { g: [''], r: ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/spec', 'nodes/stats'], v: ['*'], only: '1.20' },
      { g: [''], r: ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], v: ['*'], only: '1.27' },
    ],
  },
  {
    name: 'system:monitoring',
    rules: [
      { urls: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/readyz', '/readyz/*'], v: ['get'], only: '1.20' },
      { urls: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], v: ['get'], only: '1.27' },
    ],
  },
  {
    name: 'system:node',
    rules: [
      { g: ['authentication.k8s.io'], r: ['tokenreviews'], v: ['create'] },
      { g: ['authorization.k8s.io'], r: ['localsubjectaccessreviews', 'subjectaccessreviews'], v: ['create'] },
      { g: [''], r: ['services'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['nodes'], v: ['create', 'get', 'list', 'watch'] },
      { g: [''], r: ['nodes/status'], v: ['patch', 'update'] },
      { g: [''], r: ['nodes'], v: ['patch', 'update'] },
      { g: [''], r: ['events'], v: ['create', 'patch', 'update'] },
      { g: [''], r: ['pods'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['pods'], v: ['create', 'delete'] },
      { g: [''], r: ['pods/status'], v: ['patch', 'update'] },
      { g: [''], r: ['pods/eviction'], v: ['create'] },
      { g: [''], r: ['configmaps', 'secrets'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['persistentvolumeclaims', 'persistentvolumes'], v: ['get'] },
      { g: [''], r: ['endpoints'], v: ['get'] },
      { g: ['certificates.k8s.io'], r: ['certificatesigningrequests'], v: ['create', 'get', 'list', 'watch'] },
      { g: ['coordination.k8s.io'], r: ['leases'], v: ['create', 'delete', 'get', 'patch', 'update'] },
      { g: ['storage.k8s.io'], r: ['volumeattachments'], v: ['get'] },
      { g: [''], r: ['serviceaccounts/token'], v: ['create'] },
      { g: [''], r: ['persistentvolumeclaims/status'], v: ['get', 'patch', 'update'] },
      { g: ['storage.k8s.io'], r: ['csidrivers'], v: ['get', 'list', 'watch'] },
      { g: ['storage.k8s.io'], r: ['csinodes'], v: ['create', 'delete', 'get', 'patch', 'update'] },
      { g: ['node.k8s.io'], r: ['runtimeclasses'], v: ['get', 'list', 'watch'] },
    ],
  },
  {
    name: 'system:node-bootstrapper',
    rules: [
      { g: ['certificates.k8s.io'], r: ['certificatesigningrequests'], v: ['create', 'get', 'list', 'watch'] },
    ],
  },
  {
    name: 'system:node-problem-detector',
    rules: [
      { g: [''], r: ['nodes'], v: ['get'] },
      { g: [''], r: ['nodes/status'], v: ['patch'] },
      { g: ['', 'events.k8s.io'], r: ['events'], v: ['create', 'patch', 'update'] },
    ],
  },
  {
    name: 'system:node-proxier',
    rules: [
      { g: [''], r: ['endpoints', 'services'], v: ['list', 'watch'] },
      { g: [''], r: ['nodes'], v: ['get', 'list', 'watch'] },
      { g: ['', 'events.k8s.io'], r: ['events'], v: ['create', 'patch', 'update'] },
      { g: ['discovery.k8s.io'], r: ['endpointslices'], v: ['list', 'watch'] },
    ],
  },
  {
    name: 'system:persistent-volume-provisioner',
    rules: [
      { g: [''], r: ['persistentvolumes'], v: ['create', 'delete', 'get', 'list', 'watch'] },
      { g: [''], r: ['persistentvolumeclaims'], v: ['get', 'list', 'update', 'watch'] },
      { g: ['storage.k8s.io'], r: ['storageclasses'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['events'], v: ['watch'] },
      { g: ['', 'events.k8s.io'], r: ['events'], v: ['create', 'patch', 'update'] },
    ],
  },
  {
    name: 'system:public-info-viewer',
    rules: [
      { urls: ['/healthz', '/livez', '/readyz', '/version', '/version/'], v: ['get'] },
    ],
  },
  {
    name: 'system:service-account-issuer-discovery',
    rules: [
      { urls: ['/.well-known/openid-configuration', '/openid/v1/jwks'], v: ['get'] },
    ],
  },
  {
    name: 'system:volume-scheduler',
    rules: [
      { g: [''], r: ['persistentvolumes'], v: ['get', 'list', 'patch', 'update', 'watch'] },
      { g: ['storage.k8s.io'], r: ['storageclasses'], v: ['get', 'list', 'watch'] },
      { g: [''], r: ['persistentvolumeclaims'], v: ['get', 'list', 'patch', 'update', 'watch'] },
    ],
  },
  {
    name: 'view',
    labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
    aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-view',
    rules: [],
  },

];
