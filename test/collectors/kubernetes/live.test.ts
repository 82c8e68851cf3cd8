import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKube, writeKubeconfig, type FakeKube, type FakeKubeOptions } from '../../support/fake-kube-api.js';
import { continueTokenInHead } from '../../../src/collectors/kubernetes/kube-api.js';
import { istioGroups, listsOf, liveOnlyObjects, objects, standardGroups } from './fixtures.js';
import { context, kindsOf, live, snapshotOf } from './helpers.js';

// The real @kubernetes/client-node against a local HTTPS server (self-signed certificate
// trusted through certificate-authority-data), speaking the list API.

let servers: FakeKube[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(options: Partial<FakeKubeOptions> = {}): Promise<FakeKube> {
  const server = await startFakeKube({ lists: listsOf([...objects, ...liveOnlyObjects]), groups: istioGroups, ...options });
  servers.push(server);
  return server;
}

describe('live Kubernetes collection', () => {
  it('lists every type with limit + continue and maps them into zt kinds', async () => {
    const server = await fake({ maxPage: 1 });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig({ context: 'prod' })), { pageSize: 1 })]);
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.sources).toEqual([{ collector: 'kubernetes', source: 'k8s:prod', mode: 'live', asOf: '2026-11-20T10:00:00.000Z' }]);
    expect(kindsOf(snapshot)).toEqual({
      'k8s.cluster': 1,
      'k8s.namespace': 2,
      // web (Deployment), node-debugger (DaemonSet), etl (CronJob): the ReplicaSet and pods they own are not counted again
      'k8s.workload': 3,
      'k8s.serviceAccount': 2,
      'k8s.service': 1,
      'k8s.ingress': 1,
      'k8s.networkPolicy': 2,
      'k8s.rbac.clusterRole': 2,
      'k8s.rbac.clusterRoleBinding': 1,
      'k8s.rbac.role': 1,
      'k8s.rbac.roleBinding': 1,
      'k8s.node': 1,
      'k8s.awsAuth': 1,
      'k8s.limitRange': 1,
      'istio.peerAuthentication': 2,
      'istio.authorizationPolicy': 1,
    });
    // LimitRange as the API server stores it: the Container item's default limit is also its default request where none is given
    expect(snapshot.resources.find((r) => r.kind === 'k8s.limitRange')?.attributes.limits).toEqual([
      { type: 'Container', default: { memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' }, max: {}, min: {}, maxLimitRequestRatio: {} },
    ]);
    // aws-auth is read from kube-system by name, not by listing every ConfigMap of the cluster
    expect(server.requests.some((r) => r.path === '/api/v1/namespaces/kube-system/configmaps')).toBe(true);
    expect(server.requests.some((r) => r.path === '/api/v1/configmaps')).toBe(false);
    expect(snapshot.resources.find((r) => r.kind === 'k8s.awsAuth')?.attributes.mappings).toEqual([
      { arn: 'arn:aws:iam::111122223333:role/ops', type: 'role', username: 'ops:{{SessionName}}', groups: ['system:masters'] },
      { arn: 'arn:aws:iam::111122223333:user/alice', type: 'user', username: 'alice', groups: [] },
    ]);
    // paging really happened: two namespaces with limit=1 is two requests chained by a continue token
    const nsRequests = server.requests.filter((r) => r.path === '/api/v1/namespaces');
    expect(nsRequests.map((r) => r.query.continue !== undefined)).toEqual([false, true]);
    expect(nsRequests.every((r) => r.query.limit === '1')).toBe(true);
    const cluster = snapshot.resources.find((r) => r.kind === 'k8s.cluster');
    expect(cluster?.id).toBe('k8s://prod/_cluster/Cluster/prod');
    expect(cluster?.attributes.serverVersion).toEqual({ major: '1', minor: '33', gitVersion: 'v1.33.4' });
    expect(cluster?.attributes.apiGroups).toContain('security.istio.io');
    const web = snapshot.resources.find((r) => r.id === 'k8s://prod/shop/Deployment/web');
    expect(web?.attributes.replicas).toBe(3);
    const np = snapshot.resources.find((r) => r.id === 'k8s://prod/shop/NetworkPolicy/egress-world');
    expect(np?.attributes.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(snapshot.coverage['k8s.workload']).toEqual({ state: 'complete' });
    // Secrets are opt-in: not listed, and said so.
    expect(server.requests.some((r) => r.path === '/api/v1/secrets')).toBe(false);
    expect(snapshot.coverage['k8s.secret']).toMatchObject({ state: 'missing', reason: 'collector_disabled' });
    // The bearer token from the kubeconfig was sent.
    expect(server.requests[0]?.authorization).toBe('Bearer fake-token');
  });

  it('lists Secrets metadata-only with --kubernetes-secrets (PartialObjectMetadata Accept header)', async () => {
    const server = await fake();
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()), { secrets: true })]);
    const secretRequests = server.requests.filter((r) => r.path === '/api/v1/secrets');
    expect(secretRequests.length).toBeGreaterThan(0);
    expect(secretRequests.every((r) => r.accept === 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1')).toBe(true);
    const secret = snapshot.resources.find((r) => r.kind === 'k8s.secret');
    expect(secret?.attributes).toMatchObject({ namespace: 'shop', type: null, createdAt: '2025-02-11T16:20:00Z' });
    expect(snapshot.coverage['k8s.secret']).toEqual({ state: 'complete' });
  });

  it('lists Istio only where discovery says it is installed, in the served version', async () => {
    const server = await fake({ groups: standardGroups, lists: listsOf(objects, false) });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()))]);
    expect(server.requests.some((r) => r.path.includes('istio'))).toBe(false);
    expect(snapshot.coverage['istio.peerAuthentication']).toMatchObject({ state: 'missing', reason: 'not_installed' });

    const old = await fake({
      groups: [...standardGroups, { name: 'security.istio.io', versions: ['v1beta1'] }],
      lists: {
        ...listsOf(objects, false),
        '/apis/security.istio.io/v1beta1/peerauthentications': [{ apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } }],
        '/apis/security.istio.io/v1beta1/authorizationpolicies': [],
        '/apis/security.istio.io/v1beta1/requestauthentications': [],
      },
    });
    const snap2 = await snapshotOf([live(writeKubeconfig(old.kubeconfig()))]);
    expect(snap2.resources.filter((r) => r.kind === 'istio.peerAuthentication').map((r) => r.attributes.mtlsMode)).toEqual(['STRICT']);
    expect(snap2.coverage['istio.peerAuthentication']).toEqual({ state: 'complete' });
  });

  it('lists Linkerd and Cilium policy objects where their API groups are served, each type in a version zt reads', async () => {
    const server = await fake();
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()))]);
    expect(server.requests.some((r) => r.path.includes('linkerd') || r.path.includes('cilium'))).toBe(false);
    expect(snapshot.coverage['linkerd.server']).toEqual({ state: 'missing', reason: 'not_installed', detail: 'policy.linkerd.io is not served by this cluster (Linkerd is not installed)' });
    expect(snapshot.coverage['cilium.networkPolicy']).toMatchObject({ state: 'missing', reason: 'not_installed' });

    const meshed = await fake({
      groups: [
        ...standardGroups,
        { name: 'policy.linkerd.io', versions: ['v1beta3', 'v1beta2', 'v1beta1', 'v1alpha1'], preferred: 'v1beta3' },
        { name: 'cilium.io', versions: ['v2', 'v2alpha1'], preferred: 'v2' },
      ],
      lists: {
        ...listsOf(objects, false),
        '/apis/policy.linkerd.io/v1beta3/servers': [
          { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: { name: 'web-http', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, port: 8080, accessPolicy: 'all-authenticated' } },
        ],
        '/apis/policy.linkerd.io/v1alpha1/authorizationpolicies': [
          { apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'AuthorizationPolicy', metadata: { name: 'web-http', namespace: 'shop' }, spec: { targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'web-http' }, requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'frontend' }] } },
        ],
        '/apis/policy.linkerd.io/v1beta1/serverauthorizations': [],
        '/apis/cilium.io/v2/ciliumnetworkpolicies': [
          { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { endpointSelector: {}, ingress: [{}], egress: [{}] } },
        ],
        '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies': [],
      },
      maxPage: 1,
    });
    const snap = await snapshotOf([live(writeKubeconfig(meshed.kubeconfig()), { pageSize: 1 })]);
    expect(snap.issues).toEqual([]);
    expect(meshed.requests.filter((r) => /linkerd|cilium/.test(r.path)).map((r) => r.path).sort()).toEqual([
      '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies',
      '/apis/cilium.io/v2/ciliumnetworkpolicies',
      '/apis/policy.linkerd.io/v1alpha1/authorizationpolicies',
      '/apis/policy.linkerd.io/v1beta1/serverauthorizations',
      '/apis/policy.linkerd.io/v1beta3/servers',
    ]);
    for (const kind of ['linkerd.server', 'linkerd.authorizationPolicy', 'linkerd.serverAuthorization', 'cilium.networkPolicy'] as const) expect(snap.coverage[kind]).toEqual({ state: 'complete' });
    expect(snap.resources.filter((r) => /^(linkerd|cilium)\./.test(r.kind)).map((r) => r.id).sort()).toEqual([
      'k8s://fake/shop/AuthorizationPolicy.policy.linkerd.io/web-http',
      'k8s://fake/shop/CiliumNetworkPolicy/default-deny',
      'k8s://fake/shop/Server/web-http',
    ]);
    expect(snap.resources.find((r) => r.kind === 'linkerd.server')?.attributes).toMatchObject({ port: 8080, accessPolicy: 'all-authenticated' });
  });

  it('a 403 on a CRD type leaves its kind missing (permission_denied), never complete with zero objects', async () => {
    const server = await fake({
      groups: [...standardGroups, { name: 'cilium.io', versions: ['v2'] }],
      lists: { ...listsOf(objects, false), '/apis/cilium.io/v2/ciliumnetworkpolicies': [], '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies': [] },
      faults: { '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies': [{ status: 403 }] },
    });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()))]);
    expect(snapshot.coverage['cilium.networkPolicy']).toMatchObject({ state: 'partial', reason: 'permission_denied', detail: 'not read: ciliumclusterwidenetworkpolicies' });
  });

  it('a 403 on one type: that kind is missing (permission_denied) with an issue, the rest is complete', async () => {
    const server = await fake({ faults: { '/apis/rbac.authorization.k8s.io/v1/clusterroles': [{ status: 403 }], '/api/v1/pods': [{ status: 403 }] } });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()))]);
    expect(snapshot.coverage['k8s.rbac.clusterRole']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    // pods are one of seven workload types: partial, not missing
    expect(snapshot.coverage['k8s.workload']).toMatchObject({ state: 'partial', reason: 'permission_denied', detail: 'not read: pods' });
    expect(snapshot.coverage['k8s.namespace']).toEqual({ state: 'complete' });
    const denied = snapshot.issues.filter((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED');
    expect(denied.map((i) => i.kinds[0]).sort()).toEqual(['k8s.rbac.clusterRole', 'k8s.workload']);
    expect(denied[0]?.message).toMatch(/cannot list/);
    expect(snapshot.resources.some((r) => r.kind === 'k8s.rbac.clusterRole')).toBe(false);
  });

  it('Kubernetes < 1.21 (CronJob only in batch/v1beta1): CronJobs are listed there, with no issue', async () => {
    const lists = listsOf([...objects, ...liveOnlyObjects].map((o) => (o.kind === 'CronJob' ? { ...o, apiVersion: 'batch/v1beta1' } : o)));
    delete lists['/apis/batch/v1/cronjobs'];
    const groups = istioGroups.map((g) => (g.name === 'batch' ? { name: 'batch', versions: ['v1', 'v1beta1'], preferred: 'v1' } : g));
    const server = await fake({ lists, groups });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig({ context: 'prod' })))]);
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.coverage['k8s.workload']).toEqual({ state: 'complete' });
    expect(snapshot.resources.find((r) => r.id === 'k8s://prod/shop/CronJob/etl')?.attributes.workloadKind).toBe('CronJob');
    // the Job the CronJob owns is still not counted again
    expect(snapshot.resources.filter((r) => r.kind === 'k8s.workload')).toHaveLength(3);
    expect(server.requests.map((r) => r.path).filter((p) => p.includes('cronjobs'))).toEqual(['/apis/batch/v1/cronjobs', '/apis/batch/v1beta1/cronjobs']);
  });

  it('a current cluster (no batch/v1beta1 in discovery) is never asked for v1beta1 CronJobs', async () => {
    const server = await fake();
    await snapshotOf([live(writeKubeconfig(server.kubeconfig()))]);
    expect(server.requests.map((r) => r.path).filter((p) => p.includes('cronjobs'))).toEqual(['/apis/batch/v1/cronjobs']);
  });

  it('a 404 for an installed-looking CRD is not_installed, never complete with zero objects', async () => {
    const lists = listsOf(objects);
    delete lists['/apis/security.istio.io/v1/requestauthentications'];
    const server = await fake({ lists });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()))]);
    expect(snapshot.coverage['istio.requestAuthentication']).toEqual({ state: 'missing', reason: 'not_installed', detail: 'security.istio.io/v1 requestauthentications is not served (CRD not installed)' });
    expect(snapshot.coverage['istio.peerAuthentication']).toEqual({ state: 'complete' });
  });

  it('requests the next page as soon as the continue token has arrived, before the rest of the body', async () => {
    const server = await fake({ maxPage: 1, bodyPauseMs: 150 });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()), { pageSize: 1 })]);
    expect(snapshot.resources.filter((r) => r.kind === 'k8s.namespace')).toHaveLength(2);
    const ns = server.events.filter((e) => e.includes(' /api/v1/namespaces '));
    const token = ns.find((e) => e.startsWith('request') && !e.endsWith(' -'))?.split(' ')[2];
    expect(token).toBeDefined();
    // page 2 was asked for while page 1's body was still being sent
    expect(ns).toEqual(['request /api/v1/namespaces -', `request /api/v1/namespaces ${token}`, 'sent /api/v1/namespaces -', `sent /api/v1/namespaces ${token}`]);
  });

  it('restarts a list whose continue token expired (410)', async () => {
    const server = await fake({ maxPage: 1, faults: { '/api/v1/namespaces': [{ status: 410, onContinue: true, times: 1 }] } });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()), { pageSize: 1 })]);
    expect(snapshot.issues).toEqual([]);
    expect(kindsOf(snapshot)['k8s.namespace']).toBe(2);
    const ns = server.requests.filter((r) => r.path === '/api/v1/namespaces').map((r) => (r.query.continue ? 'continue' : 'first'));
    expect(ns).toEqual(['first', 'continue', 'first', 'continue']);
  });

  it('honours Retry-After on 429 and retries 500s and dropped connections a bounded number of times', async () => {
    const server = await fake({
      faults: {
        '/api/v1/services': [{ status: 429, retryAfter: 1, times: 1 }],
        '/api/v1/serviceaccounts': [{ status: 500, times: 2 }],
        '/apis/networking.k8s.io/v1/ingresses': [{ drop: true, times: 1 }],
      },
    });
    const started = Date.now();
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()))]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950); // waited for Retry-After: 1
    expect(snapshot.issues).toEqual([]);
    expect(kindsOf(snapshot)).toMatchObject({ 'k8s.service': 1, 'k8s.serviceAccount': 2, 'k8s.ingress': 1 });
    expect(server.requests.filter((r) => r.path === '/api/v1/serviceaccounts')).toHaveLength(3);
  });

  it('gives up after the bounded retries: the kind is missing (api_error) with an error issue', async () => {
    const server = await fake({ faults: { '/api/v1/services': [{ status: 500 }], '/api/v1/namespaces': [{ status: 429, retryAfter: 0 }] } });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()), { maxAttempts: 3 })]);
    expect(server.requests.filter((r) => r.path === '/api/v1/services')).toHaveLength(3);
    expect(snapshot.coverage['k8s.service']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(snapshot.coverage['k8s.namespace']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(snapshot.issues.map((i) => [i.code, i.severity, i.kinds[0]]).sort()).toEqual([
      ['ZT_COLLECT_API_ERROR', 'error', 'k8s.service'],
      ['ZT_COLLECT_THROTTLED', 'error', 'k8s.namespace'],
    ]);
  });

  it('a response slower than the request timeout is retried, then reported', async () => {
    const server = await fake({ faults: { '/api/v1/nodes': [{ delayMs: 1_500 }] } });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()), { requestTimeoutMs: 300, maxAttempts: 2 })]);
    expect(snapshot.coverage['k8s.node']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(snapshot.issues.find((i) => i.kinds.includes('k8s.node'))?.message).toMatch(/cannot list nodes after 2 attempts \(Timeout: no answer from https:\/\/127\.0\.0\.1:\d+ within 0\.3s/);
  });
});

describe('live Kubernetes collection: interruption', () => {
  it('honours the context signal: an abort stops the collection and is not turned into an issue', async () => {
    const server = await fake({ latencyMs: 200 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('interrupted')), 100);
    await expect(snapshotOf([live(writeKubeconfig(server.kubeconfig()))], context({ signal: controller.signal }))).rejects.toThrow('interrupted');
    expect(Date.now() - started).toBeLessThan(1_000);
    const before = server.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(server.requests.length).toBe(before); // nothing more was sent after the abort
  });
});

describe('live Kubernetes collection: cannot read anything', () => {
  it('401: a ZT_COLLECT_AUTH error naming the context and server, never the token', async () => {
    const server = await fake({ token: 'the-right-token' });
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig({ context: 'prod', token: 'CANARY-WRONG-TOKEN-123' })))]);
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0]?.code).toBe('ZT_COLLECT_AUTH');
    expect(snapshot.issues[0]?.message).toContain('context prod');
    expect(snapshot.issues[0]?.message).toContain(server.url);
    expect(JSON.stringify(snapshot)).not.toContain('CANARY-WRONG-TOKEN');
  });

  it('a 401 in the middle of listing stops every other request (no background retries)', async () => {
    const server = await fake({ latencyMs: 100, faults: { '/api/v1/pods': [{ status: 401 }], '/api/v1/services': [{ status: 500 }] } });
    const messages: string[] = [];
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig()), { backoffMs: 200 })], context({ progress: (m) => messages.push(m) }));
    expect(snapshot.issues.map((i) => i.code)).toEqual(['ZT_COLLECT_AUTH']);
    const after = { requests: server.requests.length, messages: messages.length };
    await new Promise((r) => setTimeout(r, 800));
    // nothing goes on in the background: no more requests, no more listing or retrying
    expect({ requests: server.requests.length, messages: messages.length }).toEqual(after);
  });

  it('an unreachable server: ZT_COLLECT_UNREACHABLE, bounded by the retries', async () => {
    const server = await fake();
    const config = writeKubeconfig(server.kubeconfig({ context: 'gone' }));
    await server.close();
    servers = [];
    const snapshot = await snapshotOf([live(config, { maxAttempts: 2 })]);
    expect(snapshot.issues[0]?.code).toBe('ZT_COLLECT_UNREACHABLE');
    expect(snapshot.issues[0]?.message).toMatch(/context gone: the API server https:\/\/127\.0\.0\.1:\d+ could not be reached/);
  });

  it('a server certificate the kubeconfig does not trust: ZT_COLLECT_CONFIG saying so, at once (no retries)', async () => {
    const server = await fake();
    // No certificate-authority-data: the self-signed certificate is checked against the system roots.
    const kubeconfig = JSON.parse(server.kubeconfig({ context: 'prod' }));
    delete kubeconfig.clusters[0].cluster['certificate-authority-data'];
    const config = writeKubeconfig(JSON.stringify(kubeconfig));
    const snapshot = await snapshotOf([live(config)]);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0]?.code).toBe('ZT_COLLECT_CONFIG');
    expect(snapshot.issues[0]?.message).toMatch(/^Kubernetes context prod \(https:\/\/127\.0\.0\.1:\d+\): the API server's TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\) \(The cluster entry's certificate-authority/);
    expect(server.requests).toEqual([]); // the TLS handshake failed: no request was served
  });

  it('no kubeconfig at all: "no kubeconfig found" (ZT_COLLECT_CONFIG), not a connection to localhost:8080', async () => {
    const snapshot = await snapshotOf([live(undefined as unknown as string)], context({ env: { HOME: '/nonexistent-home' } }));
    expect(snapshot.issues[0]?.code).toBe('ZT_COLLECT_CONFIG');
    expect(snapshot.issues[0]?.message).toMatch(/no kubeconfig found/);
  });

  it('a kubeconfig server that is not a URL (https://exa mple) is ZT_COLLECT_CONFIG naming the cluster, not a crash', async () => {
    const server = await fake();
    const kubeconfig = JSON.parse(server.kubeconfig({ context: 'prod' }));
    kubeconfig.clusters[0].cluster.server = 'https://exa mple:443';
    const snapshot = await snapshotOf([live(writeKubeconfig(JSON.stringify(kubeconfig)))]);
    expect(snapshot.issues.map((i) => `${i.code} ${i.message}`)).toEqual([expect.stringMatching(/^ZT_COLLECT_CONFIG context prod: cluster fake-cluster has no valid server URL/)]);
  });

  it('an unknown --context lists the contexts there are', async () => {
    const server = await fake();
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig({ context: 'prod' })), { context: 'staging' })]);
    expect(snapshot.issues[0]?.code).toBe('ZT_COLLECT_CONFIG');
    expect(snapshot.issues[0]?.message).toMatch(/no context named staging.*Contexts in the kubeconfig: prod/);
  });

  it('a hung exec credential plugin is killed after the timeout: ZT_COLLECT_AUTH', async () => {
    const server = await fake();
    const user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'] } };
    const started = Date.now();
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig({ user })), { execTimeoutMs: 500 })]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(snapshot.issues[0]?.code).toBe('ZT_COLLECT_AUTH');
    expect(snapshot.issues[0]?.message).toMatch(/exec credential plugin .* did not finish within/);
  });

  it('an exec plugin that works provides the bearer token', async () => {
    const server = await fake({ token: 'exec-token' });
    const script = `process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token:'exec-token'}}))`;
    const user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', script] } };
    const snapshot = await snapshotOf([live(writeKubeconfig(server.kubeconfig({ user })))]);
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.resources.length).toBeGreaterThan(10);
  });

  it('in-cluster: the service-account token and CA from the pod filesystem', async () => {
    const server = await fake({ token: 'sa-token' });
    const { tempTree } = await import('../../support/temp.js');
    const root = tempTree({ token: 'sa-token', 'ca.crt': server.caPem, namespace: 'zt' });
    const collector = (await import('../../../src/collectors/kubernetes/live.js')).liveCollector({ serviceAccountRoot: root, backoffMs: 5 });
    const snapshot = await snapshotOf([collector], context({ env: { HOME: '/nonexistent-home', KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(server.port) } }));
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.sources[0]?.source).toBe('k8s:in-cluster');
    expect(server.requests[0]?.authorization).toBe('Bearer sa-token');
  });
});

describe('continue token from the start of a list body', () => {
  it.each([
    ['{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"eyJ2Ijo","remainingItemCount":3},"items":[', 'eyJ2Ijo'],
    ['{"kind":"PodList","metadata":{"resourceVersion":"7"},"items":[{"metadata":{"annotations":{"continue":"x"}}}]}', ''],
    ['{\n  "metadata": {\n    "continue": "abc"\n  },\n  "items": []', 'abc'],
    ['{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7","conti', undefined],
    ['{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"eyJ2', undefined],
    // a server that writes items first: nothing before "items", so the parsed body decides
    ['{"items":[{"metadata":{"name":"a","annotations":{"continue":"x"}}}],"metadata":{"continue":"y"}}', ''],
  ])('%s → %s', (head, expected) => {
    expect(continueTokenInHead(head)).toBe(expected);
  });
});
