import { describe, expect, it } from 'vitest';
import { mapObjects, type K8sObject } from '../../../src/collectors/kubernetes/map.js';
import { validateResource } from '../../../src/inventory/validate.js';

const settings = { cluster: 'c1', source: 'k8s:c1', collector: 'kubernetes', defaultNamespace: 'default' };
const one = (object: K8sObject) => {
  const out = mapObjects([{ object }], settings);
  expect(out.unmapped).toEqual([]);
  const resource = out.resources[0];
  if (!resource) throw new Error('not mapped');
  expect(validateResource(resource, resource.id).ok).toBe(true);
  return resource;
};

describe('mapping Kubernetes objects to zt kinds', () => {
  it('a CronJob: pod template from jobTemplate, env names and sources only, volumes by type', () => {
    const r = one({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'etl', namespace: 'data', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}', team: 'data' } },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              metadata: { labels: { app: 'etl' } },
              spec: {
                containers: [
                  {
                    name: 'etl',
                    image: 'etl:1',
                    env: [
                      { name: 'PLAIN', value: 'hunter2' },
                      { name: 'KEY', valueFrom: { secretKeyRef: { name: 'aws', key: 'id' } } },
                      { name: 'CFG', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } },
                      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                    ],
                    envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'all' } }],
                  },
                ],
                volumes: [{ name: 'h', hostPath: { path: '/var/run/docker.sock' } }, { name: 's', secret: { secretName: 'tls' } }, { name: 'e', emptyDir: {} }],
              },
            },
          },
        },
      },
    });
    expect(r.id).toBe('k8s://c1/data/CronJob/etl');
    expect(r.attributes.annotations).toEqual({ team: 'data' });
    expect(r.attributes.replicas).toBeNull();
    const pod = r.attributes.pod as { serviceAccountName: string; containers: { env: unknown[]; envFrom: unknown[] }[]; volumes: unknown[] };
    expect(pod.serviceAccountName).toBe('default');
    expect(pod.containers[0]?.env).toEqual([
      { name: 'PLAIN', source: 'literal', refName: null },
      { name: 'KEY', source: 'secretKeyRef', refName: 'aws' },
      { name: 'CFG', source: 'configMapKeyRef', refName: 'cfg' },
      { name: 'NODE', source: 'fieldRef', refName: null },
    ]);
    expect(pod.containers[0]?.envFrom).toEqual([
      { source: 'configMap', name: 'cfg' },
      { source: 'secret', name: 'all' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'h', type: 'hostPath', hostPath: '/var/run/docker.sock', secretName: null },
      { name: 's', type: 'secret', hostPath: null, secretName: 'tls' },
      { name: 'e', type: 'emptyDir', hostPath: null, secretName: null },
    ]);
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('a Secret keeps metadata and type, never data or stringData', () => {
    const r = one({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'n', ownerReferences: [{ kind: 'ExternalSecret', name: 'x' }] },
      type: 'Opaque',
      data: { a: 'c2VjcmV0' },
      stringData: { b: 'plain-secret' },
    });
    expect(r.attributes).toEqual({ namespace: 'n', labels: {}, annotations: {}, type: 'Opaque', ownerKinds: ['ExternalSecret'], createdAt: null });
  });

  it('RBAC: aggregated ClusterRoles, RoleBindings to ClusterRoles, unknown subject kinds dropped', () => {
    const cr = one({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [] } });
    expect(cr.attributes).toMatchObject({ aggregated: true, rules: [] });
    expect(cr.id).toBe('k8s://c1/_cluster/ClusterRole/agg');
    const rb = one({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'n' },
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'n' }, { kind: 'Weird', name: 'x' }],
    });
    expect(rb.attributes).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'n' }] });
  });

  it('NetworkPolicy: policyTypes as written (null when absent), peers kept in wire form', () => {
    const r = one({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np', namespace: 'n' },
      spec: { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] },
    });
    expect(r.attributes).toMatchObject({ policyTypes: null, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }], egress: [] });
  });

  it('Ingress: hosts, TLS and the Services it routes to (default backend and every path), sorted and once each', () => {
    const r = one({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        defaultBackend: { service: { name: 'fallback', port: { number: 80 } } },
        rules: [
          { host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }, { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } },
          { host: 'www.shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }, { path: '/static', pathType: 'Prefix', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' } } }] } },
        ],
      },
    });
    expect(r.attributes).toMatchObject({ hosts: ['shop.example', 'www.shop.example'], backends: ['api', 'fallback', 'web'] });
  });

  it("EKS aws-auth: mapRoles and mapUsers parsed from the ConfigMap's YAML; no other ConfigMap is audited", () => {
    const r = one({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'aws-auth', namespace: 'kube-system' },
      data: {
        mapRoles: '- rolearn: arn:aws:iam::1:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n- username: no-arn\n',
        mapUsers: '- userarn: arn:aws:iam::1:user/bob\n  groups: [admins]\n',
      },
    });
    expect(r.kind).toBe('k8s.awsAuth');
    expect(r.attributes.mappings).toEqual([
      { arn: 'arn:aws:iam::1:role/nodes', type: 'role', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
      { arn: 'arn:aws:iam::1:user/bob', type: 'user', username: null, groups: ['admins'] },
    ]);
    const other = mapObjects([{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mapRoles: '[]' } } }], settings);
    expect(other.resources).toEqual([]);
    expect(other.unmapped[0]).toMatchObject({ kind: 'ConfigMap', reason: 'unknown-kind' });
    const broken = one({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles: '- rolearn: [unclosed' } });
    expect(broken.attributes.mappings).toEqual([]);
  });

  it('Istio: defaults (ALLOW, UNSET) and `rules: null` for an allow-nothing policy', () => {
    const ap = one({ apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy', metadata: { name: 'none', namespace: 'n' }, spec: {} });
    expect(ap.attributes).toEqual({ namespace: 'n', selector: null, action: 'ALLOW', rules: null });
    const pa = one({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace: 'n' }, spec: {} });
    expect(pa.attributes).toMatchObject({ mtlsMode: 'UNSET', portLevelMtls: {} });
  });

  it("Linkerd: Server (accessPolicy deny when unset) and AuthorizationPolicy, told apart from Istio's by group, with their own ids", () => {
    const server = one({
      apiVersion: 'policy.linkerd.io/v1beta1',
      kind: 'Server',
      metadata: { name: 'api-http', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, port: 'http', proxyProtocol: 'HTTP/1' },
    });
    expect(server).toMatchObject({ kind: 'linkerd.server', id: 'k8s://c1/shop/Server/api-http' });
    expect(server.attributes).toEqual({ namespace: 'shop', podSelector: { matchLabels: { app: 'api' } }, port: 'http', proxyProtocol: 'HTTP/1', accessPolicy: 'deny' });
    const linkerd = one({
      apiVersion: 'policy.linkerd.io/v1alpha1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'callers', namespace: 'shop' },
      spec: { targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'api-http' }, requiredAuthenticationRefs: [{ name: 'cart', kind: 'ServiceAccount' }] },
    });
    expect(linkerd).toMatchObject({ kind: 'linkerd.authorizationPolicy', id: 'k8s://c1/shop/AuthorizationPolicy.policy.linkerd.io/callers' });
    expect(linkerd.attributes.requiredAuthenticationRefs).toEqual([{ group: '', kind: 'ServiceAccount', name: 'cart', namespace: null }]);
    const legacy = one({
      apiVersion: 'policy.linkerd.io/v1beta1',
      kind: 'ServerAuthorization',
      metadata: { name: 'probes', namespace: 'shop' },
      spec: { server: { name: 'api-http' }, client: { meshTLS: { unauthenticatedTLS: true } } },
    });
    expect(legacy).toMatchObject({ kind: 'linkerd.serverAuthorization', attributes: { namespace: 'shop', serverName: 'api-http', unauthenticated: true } });
    const istio = one({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'callers', namespace: 'shop' }, spec: {} });
    expect(istio).toMatchObject({ kind: 'istio.authorizationPolicy', id: 'k8s://c1/shop/AuthorizationPolicy/callers' });
    // a third product's AuthorizationPolicy is a kind zt does not audit, not a version it misses
    const other = mapObjects([{ object: { apiVersion: 'security.example.com/v1', kind: 'AuthorizationPolicy', metadata: { name: 'x' } } }], settings);
    expect(other.unmapped).toEqual([{ apiVersion: 'security.example.com/v1', kind: 'AuthorizationPolicy', name: 'x', reason: 'unknown-kind' }]);
  });

  it('Cilium: namespaced and cluster-wide policies, `spec` and `specs` rules, sections as written', () => {
    const cnp = one({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { endpointSelector: { matchLabels: { 'k8s:app': 'api' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }], enableDefaultDeny: { egress: false } },
      specs: [{ nodeSelector: {}, ingress: [{ fromEntities: ['cluster'] }] }],
    });
    expect(cnp).toMatchObject({ kind: 'cilium.networkPolicy', id: 'k8s://c1/shop/CiliumNetworkPolicy/api' });
    expect(cnp.attributes).toEqual({
      namespace: 'shop',
      clusterwide: false,
      rules: [
        { endpointSelector: { matchLabels: { 'k8s:app': 'api' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }], ingressDeny: null, egress: null, egressDeny: null, enableDefaultDeny: { ingress: null, egress: false } },
        { endpointSelector: null, ingress: [{ fromEntities: ['cluster'] }], ingressDeny: null, egress: null, egressDeny: null, enableDefaultDeny: { ingress: null, egress: null } },
      ],
    });
    const ccnp = one({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'deny-world' }, spec: { endpointSelector: {}, ingressDeny: [{ fromEntities: ['world'] }] } });
    expect(ccnp).toMatchObject({ kind: 'cilium.networkPolicy', id: 'k8s://c1/_cluster/CiliumClusterwideNetworkPolicy/deny-world' });
    expect(ccnp.attributes).toMatchObject({ namespace: '', clusterwide: true });
  });

  it('pods and replica sets owned by listed controllers are counted once, by uid or by name', () => {
    const out = mapObjects(
      [
        { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'n' }, spec: { template: { spec: { containers: [] } } } } },
        { object: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'n', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }, spec: {} } },
        { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-a', namespace: 'n', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }] }, spec: {} } },
        // owned by a controller that was not listed: kept
        { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'n', ownerReferences: [{ kind: 'ReplicaSet', name: 'gone', controller: true }] }, spec: {} } },
      ],
      settings,
    );
    expect(out.resources.map((r) => r.id)).toEqual(['k8s://c1/n/Deployment/web', 'k8s://c1/n/Pod/orphan']);
    expect(out.owned).toBe(2);
  });

  // The ephemeral containers API (https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/):
  // added to a running Pod through its ephemeralcontainers subresource, as `kubectl debug` does;
  // they have no ports, and a pod template cannot hold them.
  it('ephemeral containers of a Pod are mapped like containers, and such a Pod is audited even when its controller is listed', () => {
    const debug = { name: 'debugger-7kq2p', image: 'nicolaka/netshoot:v0.13', targetContainerName: 'app', stdin: true, tty: true, securityContext: { privileged: true }, env: [{ name: 'TOKEN', value: 'canary-ephemeral-value' }] };
    const out = mapObjects(
      [
        { object: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'n' }, spec: { template: { spec: { containers: [] } } } } },
        { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-a', namespace: 'n', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }] }, spec: { containers: [{ name: 'app', image: 'web:1' }], ephemeralContainers: [debug] } } },
        { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-b', namespace: 'n', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }] }, spec: { containers: [{ name: 'app', image: 'web:1' }] } } },
      ],
      settings,
    );
    expect(out.resources.map((r) => r.id)).toEqual(['k8s://c1/n/ReplicaSet/web-1', 'k8s://c1/n/Pod/web-1-a']);
    expect(out.owned).toBe(1);
    const pod = out.resources[1]!;
    expect(validateResource(pod, pod.id).ok).toBe(true);
    expect((pod.attributes.pod as { ephemeralContainers: unknown[] }).ephemeralContainers).toEqual([
      {
        name: 'debugger-7kq2p',
        image: 'nicolaka/netshoot:v0.13',
        securityContext: { privileged: true, allowPrivilegeEscalation: null, readOnlyRootFilesystem: null, runAsNonRoot: null, runAsUser: null, capabilitiesAdd: [], capabilitiesDrop: [], seccompProfileType: null },
        env: [{ name: 'TOKEN', source: 'literal', refName: null }],
        envFrom: [],
        ports: [],
        flags: {},
        imagePullPolicy: 'IfNotPresent',
        resources: { limits: {}, requests: {} },
      },
    ]);
    expect(JSON.stringify(out.resources)).not.toContain('canary-ephemeral-value');
    expect(JSON.stringify(out.resources)).not.toContain('targetContainerName');
  });

  it('a container port bound to the node keeps its hostPort; unset (or 0) leaves it out', () => {
    const r = one({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ingress', namespace: 'ingress-nginx' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'i:1', ports: [{ name: 'http', containerPort: 80, hostPort: 80 }, { containerPort: 10254 }, { containerPort: 8443, hostPort: 0 }] }] } } },
    });
    expect((r.attributes.pod as { containers: { ports: unknown[] }[] }).containers[0]?.ports).toEqual([
      { name: 'http', containerPort: 80, protocol: 'TCP', hostPort: 80 },
      { name: null, containerPort: 10254, protocol: 'TCP' },
      { name: null, containerPort: 8443, protocol: 'TCP' },
    ]);
  });

  it('on the host network every port is bound on the node: hostPort defaults to containerPort, as the API server defaults it (so manifests read as live objects do)', () => {
    const r = one({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'node-exporter', namespace: 'monitoring' },
      spec: {
        template: {
          spec: {
            hostNetwork: true,
            initContainers: [{ name: 'init', image: 'i:1', ports: [{ containerPort: 9000 }] }],
            containers: [{ name: 'c', image: 'i:1', ports: [{ name: 'metrics', containerPort: 9100 }, { containerPort: 9200, hostPort: 19200 }] }],
          },
        },
      },
    });
    const pod = r.attributes.pod as { containers: { ports: unknown[] }[]; initContainers: { ports: unknown[] }[] };
    expect(pod.containers[0]?.ports).toEqual([
      { name: 'metrics', containerPort: 9100, protocol: 'TCP', hostPort: 9100 },
      { name: null, containerPort: 9200, protocol: 'TCP', hostPort: 19200 },
    ]);
    expect(pod.initContainers[0]?.ports).toEqual([{ name: null, containerPort: 9000, protocol: 'TCP', hostPort: 9000 }]);
  });

  it('boolean flags of a container\'s command line are kept, nothing else of it', () => {
    const r = one({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'aws-node', namespace: 'kube-system' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'aws-eks-nodeagent', image: 'amazon/aws-network-policy-agent:v1.2.0', args: ['--enable-ipv6=false', '--enable-network-policy=true', '--metrics-bind-addr=:8162', '--token', 'canary-arg-secret', '--password=canary-pass', '-v'] },
            ],
          },
        },
      },
    });
    const [container] = (r.attributes.pod as { containers: { flags: Record<string, boolean> }[] }).containers;
    expect(container?.flags).toEqual({ 'enable-ipv6': false, 'enable-network-policy': true, token: true, v: true });
    expect(JSON.stringify(r)).not.toMatch(/canary-arg-secret|canary-pass|8162/);
  });

  it('unknown kinds and versions are reported, not mapped', () => {
    const out = mapObjects(
      [
        { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } },
        { object: { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'i' } }, file: 'a.yaml', line: 3 },
        { object: { apiVersion: 'v1', kind: 'Namespace', metadata: {} } },
      ],
      settings,
    );
    expect(out.resources).toEqual([]);
    expect(out.unmapped.map((u) => u.reason)).toEqual(['unknown-kind', 'unknown-version', 'malformed']);
  });
});
