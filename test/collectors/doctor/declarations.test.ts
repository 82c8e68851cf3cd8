import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { liveCollector as awsLiveCollector } from '../../../src/collectors/aws-iam/collector.js';
import { awsReads } from '../../../src/collectors/aws-iam/reads.js';
import { listPath } from '../../../src/collectors/kubernetes/live.js';
import { kubernetesReads, readName, type ResourceRead } from '../../../src/collectors/kubernetes/reads.js';
import { oktaReads } from '../../../src/collectors/okta/reads.js';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { startFakeKube, writeKubeconfig, type FakeKube } from '../../support/fake-kube-api.js';
import { bucketOf, startFakeOkta, tenantFromExport, type FakeOkta } from '../../support/fake-okta.mjs';
import { context as awsContext, fakeData, fakeEnv } from '../aws-iam/support.js';
import { context as kubeContext, live } from '../kubernetes/helpers.js';
import { listsOf, objects, standardGroups } from '../kubernetes/fixtures.js';
import { CANARY_TOKEN, collectWith, context as oktaContext, exportDir, selfSignedCert, trust } from '../okta/support.js';

// The declarations `zt doctor` checks and docs/permissions.md renders are what the
// collectors really call: each collector runs against its fake server, and the calls it
// made are compared with its source's declaration (each way: nothing undeclared is called,
// nothing declared is left uncalled when the data exercises it).

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

describe('one declaration of what each collector reads', () => {
  it('Kubernetes: the paths the live collector requests are reads.ts (every CRD served, Secrets opted in)', async () => {
    const groups = [
      ...standardGroups,
      { name: 'security.istio.io', versions: ['v1'] },
      { name: 'policy.linkerd.io', versions: ['v1beta3', 'v1alpha1', 'v1beta1'], preferred: 'v1beta3' },
      { name: 'cilium.io', versions: ['v2'] },
    ];
    const server: FakeKube = await startFakeKube({ lists: listsOf(objects), groups, token: 't0ken-declarations' });
    closers.push(() => server.close());
    const kubeconfig = writeKubeconfig(server.kubeconfig({ token: 't0ken-declarations' }));
    await collectSnapshot([live(kubeconfig, { secrets: true })], kubeContext());
    const requested = new Set(server.requests.map((r) => r.path));
    const declared = new Set(
      kubernetesReads.map((r) => {
        if (r.type === 'nonResource') return r.path;
        // The version the collector lists a type in: the served one of its versions (Linkerd's policy group serves three).
        const served = groups.find((g) => g.name === r.group)?.versions;
        const version = r.versions.find((v) => !served || served.includes(v)) ?? r.versions[0] ?? 'v1';
        return listPath({ group: r.group, version, plural: r.resource, ...(r.namespace ? { only: { namespace: r.namespace, name: '' } } : {}) });
      }),
    );
    expect([...requested].sort()).toEqual([...declared].sort());
  });

  it("Kubernetes: docs/kubernetes.md's hand-written least-privilege roles grant every read of the declaration (Secrets opt-in)", () => {
    const docs = readFileSync('docs/kubernetes.md', 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(docs.slice(docs.indexOf('### Least-privilege ClusterRole')))?.[1] ?? '';
    const roles = (yaml.loadAll(block) as { kind?: string; metadata?: { namespace?: string }; rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }[]).filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role');
    const grants = (read: ResourceRead): boolean =>
      roles.some((role) => (role.kind === 'ClusterRole' || role.metadata?.namespace === read.namespace) && (role.rules ?? []).some((r) => r.apiGroups.includes(read.group) && r.resources.includes(read.resource) && r.verbs.includes('list')));
    const ungranted = kubernetesReads.filter((r): r is ResourceRead => r.type === 'resource' && r.optIn === undefined && !grants(r)).map(readName);
    expect(ungranted).toEqual([]);
  });

  it("AWS: docs/aws.md's hand-written policies allow exactly the declared actions", () => {
    const docs = readFileSync('docs/aws.md', 'utf8');
    const section = docs.slice(docs.indexOf('### Minimal read-only policy'), docs.indexOf('### When a call is denied'));
    const actions = [...section.matchAll(/"(iam:[A-Za-z]+)"/g)].map((m) => m[1]).sort();
    expect(actions).toEqual(awsReads.map((r) => `iam:${r.action}`).sort());
  });

  it('AWS: the IAM actions the live collector calls are reads.ts (with --aws-last-accessed)', async () => {
    const data = fakeData({ extraPolicies: [] });
    // A customer-managed policy the authorization details leave out, so GetPolicy, GetPolicyVersion and ListPolicyVersions are called.
    const boundary = 'arn:aws:iam::111122223333:policy/PowerUserBoundary';
    (data.gaad.UserDetailList as { UserName: string; PermissionsBoundary?: unknown }[])[0]!.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary };
    const document = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }));
    const server: FakeIam = await startFakeIam({ ...data, extraPolicies: [{ Arn: boundary, PolicyName: 'PowerUserBoundary', DefaultVersionId: 'v1', Document: document }] });
    closers.push(() => server.close());
    const snapshot = await collectSnapshot([awsLiveCollector({ reportPollMs: 5, lastAccessed: true, jobPollMs: 5 })], awsContext(fakeEnv(server.url)));
    expect(snapshot.issues).toEqual([]);
    const called = [...new Set(server.requests.map((r) => r.action))].sort();
    expect(called).toEqual(awsReads.map((r) => r.action).sort());
  });

  it('Okta: every path the live collector requests is in reads.ts, and every declared path is requested', async () => {
    const tls = selfSignedCert();
    trust(tls.cert);
    const server: FakeOkta = await startFakeOkta({ tenant: tenantFromExport(exportDir), tls, token: CANARY_TOKEN, faults: { vanished: ['00u1lee00chen0000003', '00g1breakglass000003'] } });
    closers.push(() => server.close());
    await collectWith({ okta: server.url }, oktaContext({ OKTA_API_TOKEN: CANARY_TOKEN }));
    const requested = Object.keys(server.stats.byBucket).map((b) => bucketOf(b)).sort();
    expect([...new Set(requested)]).toEqual(oktaReads.map((r) => r.path).sort());
  });
});
