import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { liveCollector } from '../../../src/collectors/kubernetes/live.js';
import { defaultConfig } from '../../../src/config/config.js';
import {
  audit,
  clusterInfo,
  demoObjects,
  documentedReaderRole,
  manifestsDir,
  seedDemo,
  serves,
  serviceAccountToken,
  writeKubeconfig,
  zt,
  type Report,
} from './cluster.js';
import { meshPolicyCrds, type KubeObject } from './demo-objects.js';
import { apply, call, collectionPath, KubeRestError, until } from './kube-rest.js';
import { directNetwork } from '../../../src/collectors/read-network.js';
import { startConnectProxy, targetOf } from '../../support/connect-proxy.js';
import { Redactor } from '../../../src/text/redact.js';

// zt's live Kubernetes collector against a real kube-apiserver (v1.20, built from Debian's
// source package by start-cluster.sh) seeded with the demo organisation's Kubernetes
// objects, compared with `zt audit --manifests` over the same objects.

const cluster = clusterInfo();
const objects = demoObjects();
let root: string;
const kubeconfigs: Record<'admin' | 'reader' | 'view' | 'wrongToken' | 'unreachable' | 'untrustedCa', string> = {} as never;
const tokens: string[] = [];
/** The documented least-privilege role's service-account token (zt/zt). */
let readerToken = '';

/** Resource ids `--manifests` gives the seeded objects. */
const seededIds = new Set(
  objects.map((o) => {
    const m = o.metadata as { name: string; namespace?: string };
    const namespaced = !['Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind);
    return `k8s://manifests/${namespaced ? (m.namespace ?? 'default') : '_cluster'}/${o.kind}/${m.name}`;
  }),
);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  const admin = cluster.adminToken;
  root = manifestsDir(await seedDemo(cluster, admin, objects));
  // zt's identities: the documented least-privilege role, and the built-in `view` role.
  const zt: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'zt' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'zt', namespace: 'zt' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'zt-view', namespace: 'zt' } },
    ...documentedReaderRole(),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'zt-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'zt-view', namespace: 'zt' }],
    },
  ];
  for (const o of zt) await apply(cluster, admin, o);
  readerToken = await serviceAccountToken(cluster, admin, 'zt', 'zt');
  const viewToken = await serviceAccountToken(cluster, admin, 'zt', 'zt-view');
  tokens.push(admin, readerToken, viewToken);
  kubeconfigs.admin = writeKubeconfig(root, 'admin.kubeconfig', cluster.server, cluster.caFile, admin);
  kubeconfigs.reader = writeKubeconfig(root, 'reader.kubeconfig', cluster.server, cluster.caFile, readerToken);
  kubeconfigs.view = writeKubeconfig(root, 'view.kubeconfig', cluster.server, cluster.caFile, viewToken);
  const wrongToken = `${readerToken.slice(0, -8)}AAAAAAAA`; // a bad signature
  tokens.push(wrongToken);
  kubeconfigs.wrongToken = writeKubeconfig(root, 'wrong.kubeconfig', cluster.server, cluster.caFile, wrongToken);
  kubeconfigs.unreachable = writeKubeconfig(root, 'unreachable.kubeconfig', `https://127.0.0.1:${await closedPort()}`, cluster.caFile, admin);
  kubeconfigs.untrustedCa = writeKubeconfig(root, 'untrusted.kubeconfig', cluster.server, undefined, admin);
});

/**
 * Rule results that legitimately differ between the live cluster and the same objects on
 * disk, because they read what only a server has. Everything else must be equal.
 */
const serverOnly: { rule: string; kind: string; why: string }[] = [
  { rule: 'ZT-DEV-020', kind: 'Node', why: 'compares the kubelet with the API server version: live it is known (1.20), manifests have no k8s.cluster (error)' },
  { rule: 'ZT-DEV-022', kind: 'Node', why: 'node age from metadata.creationTimestamp, which the server sets on create; the written manifest has none' },
];
const isServerOnly = (key: string): boolean => serverOnly.some((d) => key.startsWith(`${d.rule} `) && key.includes(`/${d.kind}/`));

/** `ruleId resourceId status` for the findings on seeded objects. */
function findingKeys(report: Report, keep: (id: string) => boolean = (id) => seededIds.has(id)): string[] {
  return report.findings
    .filter((f) => keep(f.resource.id))
    .map((f) => `${f.ruleId} ${f.resource.id} ${f.status}`)
    .sort();
}

const ruleResult = (report: Report, ruleId: string) => report.ruleResults.find((r) => r.ruleId === ruleId);
const rulesOnKind = (report: Report, kind: string): string[] => report.rules.filter((r) => r.kind === kind).map((r) => r.id);

describe('zt against a real kube-apiserver', () => {
  it('admin token: the same findings as --manifests on the same objects', async () => {
    const live = await audit(['--kubeconfig', kubeconfigs.admin], root);
    const disk = await audit(['--manifests', 'demo.yaml'], root);
    expect(live.report.inventory.issues).toEqual([]);
    // EKS's aws-auth, asked for by name in kube-system (a field selector the real server honours).
    expect(live.report.inventory.resourcesByKind['k8s.awsAuth']).toBe(1);
    expect(disk.report.inventory.resourcesByKind['k8s.awsAuth']).toBe(1);
    const fromLive = findingKeys(live.report);
    const fromDisk = findingKeys(disk.report).filter((k) => !k.includes('/Secret/')); // Secrets are opt-in live
    expect(fromDisk.length).toBeGreaterThan(300);
    expect(fromLive.filter((k) => !isServerOnly(k))).toEqual(fromDisk.filter((k) => !isServerOnly(k)));
    // The exceptions are real differences (so the list stays honest).
    const nodes = objects.filter((o) => o.kind === 'Node').length;
    for (const d of serverOnly) {
      const differing = fromLive.filter((k) => k.startsWith(`${d.rule} `) && !fromDisk.includes(k));
      expect(differing.length, `${d.rule}: ${d.why}`).toBeGreaterThan(0);
      expect(differing.length).toBeLessThanOrEqual(nodes);
    }
  });

  it('--kubernetes-secrets (admin): the same Secret findings as --manifests', async () => {
    const live = await audit(['--kubeconfig', kubeconfigs.admin, '--kubernetes-secrets'], root);
    const disk = await audit(['--manifests', 'demo.yaml'], root);
    expect(live.report.inventory.coverage['k8s.secret']).toEqual({ state: 'complete' });
    const secrets = (report: Report) => findingKeys(report).filter((k) => k.includes('/Secret/'));
    expect(secrets(disk.report).length).toBeGreaterThan(5);
    expect(secrets(live.report)).toEqual(secrets(disk.report));
  });
});

describe('permissions: 403s are coverage, never passes', () => {
  it('the least-privilege ClusterRole from docs/kubernetes.md reads every kind (Secrets are opt-in): the same findings as admin', async () => {
    const admin = await audit(['--kubeconfig', kubeconfigs.admin], root);
    const reader = await audit(['--kubeconfig', kubeconfigs.reader], root);
    expect(reader.report.inventory.issues).toEqual([]);
    for (const [kind, coverage] of Object.entries(reader.report.inventory.coverage)) {
      if (!kind.startsWith('k8s.') && !kind.startsWith('istio.')) continue;
      expect(coverage, kind).toEqual(kind === 'k8s.secret' ? expect.objectContaining({ state: 'missing', reason: 'collector_disabled' }) : { state: 'complete' });
    }
    expect(findingKeys(reader.report, () => true)).toEqual(findingKeys(admin.report, () => true));
    expect(reader.report.inventory.resourcesByKind['k8s.awsAuth']).toBe(1);
  });

  it('--kubernetes-secrets without `list secrets`: the real 403 becomes permission_denied, Secret rules not evaluated', async () => {
    // The demo's deliberate misconfiguration lets every authenticated user read Secrets;
    // without it the documented role has no `list secrets`.
    const oops = objects.find((o) => o.kind === 'ClusterRoleBinding' && (o.metadata as { name: string }).name === 'oops-everyone-reads-secrets')!;
    const path = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/oops-everyone-reads-secrets';
    await call(cluster, cluster.adminToken, 'DELETE', path);
    await until('Secrets to be forbidden', async () => {
      try {
        await call(cluster, readerToken, 'GET', '/api/v1/secrets?limit=1');
        return false;
      } catch (error) {
        return error instanceof KubeRestError && error.status === 403;
      }
    });
    let result: Awaited<ReturnType<typeof audit>>;
    try {
      result = await audit(['--kubeconfig', kubeconfigs.reader, '--kubernetes-secrets'], root, 3);
    } finally {
      await apply(cluster, cluster.adminToken, oops);
    }
    const { run, report } = result;
    // A denied kind makes the audit incomplete: exit 3, said on stderr, the report still whole.
    expect(run.stderr).toMatch(/incomplete: 1 kind\(s\) not read completely \(k8s\.secret missing \(permission_denied\)\)/);
    expect(report.inventory.coverage['k8s.secret']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    const denied = report.inventory.issues.filter((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED');
    expect(denied).toHaveLength(1);
    // The API server's own RBAC message is passed on.
    expect(denied[0]?.message).toMatch(/cannot list secrets: .*cannot list resource "secrets" in API group "" at the cluster scope/);
    const secretRules = rulesOnKind(report, 'k8s.secret');
    expect(secretRules.length).toBeGreaterThan(0);
    for (const id of secretRules) {
      expect(ruleResult(report, id), id).toMatchObject({ coverage: 'missing', notEvaluatedReason: 'permission_denied', counts: { pass: 0, fail: 0 } });
    }
    expect(report.findings.filter((f) => f.resource.kind === 'k8s.secret')).toEqual([]);
    for (const token of tokens) expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('the built-in `view` role: RBAC objects and nodes are denied and not evaluated, the rest is audited', async () => {
    const { run, report } = await audit(['--kubeconfig', kubeconfigs.view], root, 3);
    expect(run.stderr).toMatch(/incomplete: 8 kind\(s\) not read completely/);
    // `view` covers neither RBAC objects nor nodes, nor the Istio CRDs (they do not aggregate to it).
    const deniedKinds = ['k8s.rbac.role', 'k8s.rbac.roleBinding', 'k8s.rbac.clusterRole', 'k8s.rbac.clusterRoleBinding', 'k8s.node', 'istio.peerAuthentication', 'istio.authorizationPolicy', 'istio.requestAuthentication'];
    for (const kind of deniedKinds) {
      expect(report.inventory.coverage[kind], kind).toMatchObject({ state: 'missing', reason: 'permission_denied' });
      for (const id of rulesOnKind(report, kind)) {
        expect(ruleResult(report, id), id).toMatchObject({ coverage: 'missing', notEvaluatedReason: 'permission_denied', counts: { pass: 0, fail: 0 } });
      }
      expect(report.findings.filter((f) => f.resource.kind === kind)).toEqual([]);
    }
    expect(report.inventory.issues.filter((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED')).toHaveLength(deniedKinds.length);
    expect(report.inventory.coverage['k8s.workload']).toEqual({ state: 'complete' });
    expect(report.findings.some((f) => f.resource.kind === 'k8s.workload' && f.status === 'fail')).toBe(true);
  });
});

describe('what a Kubernetes 1.20 server serves', () => {
  it('discovery: CronJobs from batch/v1beta1, Istio from its v1beta1 CRDs, the server version in k8s.cluster', async () => {
    const run = await zt(['collect', '--kubeconfig', kubeconfigs.reader, '--out', 'snap.json'], root);
    expect(run.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(root, 'snap.json'), 'utf8'));
    expect(snapshot.issues).toEqual([]);
    const clusterObject = snapshot.resources.find((r: { kind: string }) => r.kind === 'k8s.cluster');
    expect(clusterObject.attributes.serverVersion).toMatchObject({ major: '1', minor: '20' });
    expect(clusterObject.attributes.apiGroups).toContain('security.istio.io');
    const cronJobs = objects.filter((o) => o.kind === 'CronJob');
    expect(cronJobs.length).toBeGreaterThan(0);
    for (const o of cronJobs) {
      const m = o.metadata as { name: string; namespace: string };
      expect(snapshot.resources.some((r: { id: string }) => r.id === `k8s://manifests/${m.namespace}/CronJob/${m.name}`), m.name).toBe(true);
    }
    const count = (kind: string) => snapshot.resources.filter((r: { kind: string }) => r.kind === kind).length;
    for (const kind of ['istio.peerAuthentication', 'istio.authorizationPolicy', 'istio.requestAuthentication']) {
      expect(snapshot.coverage[kind], kind).toEqual({ state: 'complete' });
      expect(count(kind), kind).toBe(objects.filter((o) => `istio.${o.kind[0]!.toLowerCase()}${o.kind.slice(1)}` === kind).length);
    }
  });
});

describe('connection failures', () => {
  /** A run that collects nothing: exit 3, and the JSON report's one error issue. */
  async function failing(kubeconfig: string) {
    const run = await zt(['audit', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none'], root);
    const report = JSON.parse(run.stdout) as Report;
    const errors = report.inventory.issues.filter((i) => i.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    for (const token of tokens) expect(run.stdout + run.stderr).not.toContain(token.slice(-16));
    return { code: run.code, stderr: run.stderr, issue: errors[0]! };
  }

  it('a wrong token: ZT_COLLECT_AUTH naming the context, server and kubeconfig user, exit 3', async () => {
    const { code, issue } = await failing(kubeconfigs.wrongToken);
    expect(code).toBe(3);
    expect(issue.code).toBe('ZT_COLLECT_AUTH');
    expect(issue.message).toContain(`Kubernetes context manifests (${cluster.server}) refused the credentials of user wrong (401 Unauthorized)`);
  });

  it('an unreachable server: ZT_COLLECT_UNREACHABLE naming the server, exit 3', async () => {
    const { code, issue } = await failing(kubeconfigs.unreachable);
    expect(code).toBe(3);
    expect(issue.code).toBe('ZT_COLLECT_UNREACHABLE');
    expect(issue.message).toMatch(/^Kubernetes context manifests: the API server https:\/\/127\.0\.0\.1:\d+ could not be reached \(cannot reach .*ECONNREFUSED/);
  });

  it('a server certificate the kubeconfig does not trust: exit 3, saying so', async () => {
    const { code, issue } = await failing(kubeconfigs.untrustedCa);
    expect(code).toBe(3);
    expect(issue.code).toBe('ZT_COLLECT_CONFIG');
    expect(issue.message).toContain(`Kubernetes context manifests (${cluster.server}): the API server's TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`);
  });
});

describe('behind a proxy', () => {
  it('HTTPS_PROXY: the same findings through a CONNECT tunnel as directly; NO_PROXY naming the server sends it direct', async () => {
    const proxy = await startConnectProxy();
    try {
      const server = targetOf(cluster.server);
      const direct = await audit(['--kubeconfig', kubeconfigs.reader], root);
      const proxied = await audit(['--kubeconfig', kubeconfigs.reader], root, 0, { HTTPS_PROXY: proxy.url });
      expect(findingKeys(proxied.report)).toEqual(findingKeys(direct.report));
      expect(proxy.tunnelsTo(server)).toBeGreaterThan(0);
      const tunnels = proxy.totalTunnels();
      const bypassed = await audit(['--kubeconfig', kubeconfigs.reader], root, 0, { HTTPS_PROXY: proxy.url, NO_PROXY: server });
      expect(findingKeys(bypassed.report)).toEqual(findingKeys(direct.report));
      expect(proxy.totalTunnels()).toBe(tunnels);
      expect(proxy.forwarded).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe('paging', () => {
  const extra = 505; // more than one page of the collector's default limit=500

  it('every object arrives through limit + continue: the CLI (limit 500) and a page size of 7', async () => {
    const admin = cluster.adminToken;
    await apply(cluster, admin, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
    const names = Array.from({ length: extra }, (_, i) => `sa-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((name) => apply(cluster, admin, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'paging' } })));
    }
    const server = await call(cluster, admin, 'GET', '/api/v1/serviceaccounts?limit=1');
    expect(server.metadata.continue).toBeTruthy(); // the real server pages

    const run = await zt(['collect', '--kubeconfig', kubeconfigs.reader, '--out', 'paging.json'], root);
    expect(run.code).toBe(0);
    const viaCli = JSON.parse(readFileSync(join(root, 'paging.json'), 'utf8')) as { resources: { id: string }[] };
    const inPaging = viaCli.resources.filter((r) => r.id.startsWith('k8s://manifests/paging/ServiceAccount/'));
    expect(inPaging).toHaveLength(extra + 1); // + the namespace's `default`

    // The collector's page size is an option (LiveOptions.pageSize, 500 by default): with 7,
    // every list of more than 7 objects takes several pages, and nothing is lost.
    const snapshot = await collectSnapshot([liveCollector({ kubeconfig: kubeconfigs.reader, pageSize: 7 })], {
      signal: new AbortController().signal,
      progress: () => undefined,
      now: new Date(),
      env: {},
      cwd: root,
      config: defaultConfig,
      network: directNetwork,
      redactor: new Redactor(),
    });
    expect(snapshot.issues).toEqual([]);
    const ids = (resources: readonly { id: string }[]) => resources.map((r) => r.id).sort();
    expect(ids(snapshot.resources)).toEqual(ids(viaCli.resources));
    const counts = (kind: string) => snapshot.resources.filter((r) => r.kind === kind).length;
    expect(counts('k8s.rbac.clusterRole')).toBeGreaterThan(7 * 5);
    expect(counts('k8s.workload')).toBeGreaterThan(7);
  });
});

// Last: the objects are removed again so the comparisons above stay between the demo's own objects.
describe('Linkerd and Cilium on a real server', () => {
  it('their CRDs are found through discovery and read with the documented ClusterRole', async () => {
    const admin = cluster.adminToken;
    const crds = meshPolicyCrds();
    const policies: KubeObject[] = [
      { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: { name: 'api-http', namespace: 'payments' }, spec: { podSelector: { matchLabels: { app: 'payments-api' } }, port: 'http' } },
      {
        apiVersion: 'policy.linkerd.io/v1alpha1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'api-http', namespace: 'payments' },
        spec: { targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'api-http' }, requiredAuthenticationRefs: [{ kind: 'ServiceAccount', name: 'cart', namespace: 'shop' }] },
      },
      { apiVersion: 'policy.linkerd.io/v1beta1', kind: 'ServerAuthorization', metadata: { name: 'probes', namespace: 'payments' }, spec: { server: { name: 'api-http' }, client: { unauthenticated: true } } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'default-deny', namespace: 'billing' }, spec: { endpointSelector: {}, ingress: [{}] } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'no-world' }, spec: { endpointSelector: {}, ingressDeny: [{ fromEntities: ['world'] }] } },
    ];
    const remove = async (path: string) => {
      try {
        await call(cluster, admin, 'DELETE', path);
      } catch (error) {
        if (!(error instanceof KubeRestError && error.status === 404)) throw error;
      }
    };
    try {
      for (const c of crds) await apply(cluster, admin, c);
      await until('the Linkerd and Cilium CRDs to be served', async () =>
        (await serves(cluster, admin, 'policy.linkerd.io/v1beta3', 'servers')) &&
        (await serves(cluster, admin, 'policy.linkerd.io/v1alpha1', 'authorizationpolicies')) &&
        (await serves(cluster, admin, 'policy.linkerd.io/v1beta1', 'serverauthorizations')) &&
        (await serves(cluster, admin, 'cilium.io/v2', 'ciliumnetworkpolicies')) &&
        (await serves(cluster, admin, 'cilium.io/v2', 'ciliumclusterwidenetworkpolicies')),
      );
      for (const o of policies) await apply(cluster, admin, o);
      const run = await zt(['collect', '--kubeconfig', kubeconfigs.reader, '--out', 'mesh.json'], root);
      expect(run.code).toBe(0);
      const snapshot = JSON.parse(readFileSync(join(root, 'mesh.json'), 'utf8'));
      expect(snapshot.issues).toEqual([]);
      for (const kind of ['linkerd.server', 'linkerd.authorizationPolicy', 'linkerd.serverAuthorization', 'cilium.networkPolicy']) expect(snapshot.coverage[kind], kind).toEqual({ state: 'complete' });
      const ids = snapshot.resources.map((r: { id: string }) => r.id).filter((id: string) => /linkerd|Cilium|\/Server(Authorization)?\//.test(id)).sort();
      expect(ids).toEqual([
        'k8s://manifests/_cluster/CiliumClusterwideNetworkPolicy/no-world',
        'k8s://manifests/billing/CiliumNetworkPolicy/default-deny',
        'k8s://manifests/payments/AuthorizationPolicy.policy.linkerd.io/api-http',
        'k8s://manifests/payments/Server/api-http',
        'k8s://manifests/payments/ServerAuthorization/probes',
      ]);
    } finally {
      for (const o of policies) {
        const m = o.metadata as { name: string; namespace?: string };
        await remove(`${collectionPath(o.apiVersion, o.kind, m.namespace)}/${m.name}`);
      }
      for (const c of crds) await remove(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${(c.metadata as { name: string }).name}`);
    }
  });
});
