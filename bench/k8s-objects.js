// The objects of one synthetic cluster, by list path, for the fake API server
// (test/support/fake-kube-api.ts): the k8s-collect and k8s-clusters benches share them.

// A cluster's usual mix: many pods, fewer controllers, services, accounts, RBAC, policies.
const mix = [
  ['/api/v1/pods', 'Pod', 0.3],
  ['/apis/apps/v1/replicasets', 'ReplicaSet', 0.1],
  ['/apis/apps/v1/deployments', 'Deployment', 0.08],
  ['/api/v1/services', 'Service', 0.08],
  ['/api/v1/serviceaccounts', 'ServiceAccount', 0.1],
  ['/api/v1/secrets', 'Secret', 0.12],
  ['/apis/rbac.authorization.k8s.io/v1/rolebindings', 'RoleBinding', 0.08],
  ['/apis/rbac.authorization.k8s.io/v1/roles', 'Role', 0.05],
  ['/apis/networking.k8s.io/v1/networkpolicies', 'NetworkPolicy', 0.05],
  ['/api/v1/namespaces', 'Namespace', 0.02],
  ['/apis/rbac.authorization.k8s.io/v1/clusterroles', 'ClusterRole', 0.01],
  ['/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', 'ClusterRoleBinding', 0.01],
];
const otherPaths = [
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/daemonsets',
  '/apis/batch/v1/jobs',
  '/apis/batch/v1/cronjobs',
  '/apis/networking.k8s.io/v1/ingresses',
  '/api/v1/nodes',
];
/** `total` objects in a cluster's usual mix (30% pods), by list path; the other lists served empty. */
export function clusterLists(total) {
  const lists = Object.fromEntries(otherPaths.map((p) => [p, []]));
  let made = 0;
  for (const [i, [path, kind, share]] of mix.entries()) {
    const n = i === mix.length - 1 ? total - made : Math.round(total * share);
    made += n;
    lists[path] = Array.from({ length: n }, (_, j) => {
      const namespace = `ns-${j % 200}`;
      const metadata = { name: `${kind.toLowerCase()}-${j}`, namespace, uid: `${kind}-${j}`, labels: { app: `app-${j % 50}` } };
      const podSpec = { serviceAccountName: `sa-${j % 50}`, containers: [{ name: 'app', image: `registry.example/app:${j % 7}`, env: [{ name: 'MODE', value: 'prod' }], securityContext: { runAsNonRoot: true } }] };
      switch (kind) {
        case 'Pod':
          // Real pods carry managedFields and status: most of their bytes, none of which zt keeps.
          return {
            metadata: { ...metadata, managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } }] },
            spec: podSpec,
            status: { phase: 'Running', podIP: `10.0.${j % 250}.${j % 200}`, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'registry.example/app', imageID: `sha256:${'a'.repeat(64)}` }] },
          };
        case 'ReplicaSet':
        case 'Deployment':
          return { metadata, spec: { replicas: 2, template: { metadata: { labels: metadata.labels }, spec: podSpec } } };
        case 'Service':
          return { metadata, spec: { selector: metadata.labels, ports: [{ port: 80, targetPort: 8080 }] } };
        case 'RoleBinding':
          return { metadata, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace }] };
        case 'Role':
        case 'ClusterRole':
          return { metadata: kind === 'ClusterRole' ? { name: metadata.name } : metadata, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
        case 'ClusterRoleBinding':
          return { metadata: { name: metadata.name }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'devs' }] };
        case 'NetworkPolicy':
          return { metadata, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
        case 'Namespace':
          return { metadata: { name: metadata.name, labels: metadata.labels } };
        default:
          return { metadata };
      }
    });
  }
  return lists;
}
