import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { startFakeKube, writeKubeconfig, type FakeKube } from '../support/fake-kube-api.js';
import { tempTree } from '../support/temp.js';
import { asHelmRender, istioGroups, listsOf, liveOnlyObjects, objects } from '../collectors/kubernetes/fixtures.js';

// `zt network diff --kubernetes <after>`: the live cluster (the fake API server, through the
// real client) is the before side, read with `zt audit --kubernetes`'s flags and code.

let server: FakeKube;
let denied: FakeKube;
let kubeconfig: string;
let root: string;

const withoutDefaultDeny = objects.filter((o) => !(o.kind === 'NetworkPolicy' && (o.metadata as { name: string }).name === 'default-deny'));

beforeAll(async () => {
  [server, denied] = await Promise.all([
    startFakeKube({ lists: listsOf([...objects, ...liveOnlyObjects]), groups: istioGroups }),
    startFakeKube({ lists: listsOf([...objects, ...liveOnlyObjects]), groups: istioGroups, faults: { '/apis/networking.k8s.io/v1/networkpolicies': [{ status: 403 }] } }),
  ]);
  kubeconfig = writeKubeconfig(server.kubeconfig({ context: 'prod' }));
  root = tempTree({ 'same/all.yaml': asHelmRender(objects), 'pr/all.yaml': asHelmRender(withoutDefaultDeny), 'broken/all.yaml': 'kind: [\n' });
});
afterAll(async () => {
  await Promise.all([server.close(), denied.close()]);
});

async function zt(...argv: string[]) {
  const io = memoryIo({ env: { HOME: '/nonexistent-home' }, cwd: root, columns: 120, now: () => new Date('2026-11-20T10:00:00Z') });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

interface Diff {
  before: string;
  after: string;
  opened: { from: string[]; to: string[]; ports: string[]; allowedBy: string[]; deniedBy: string[] }[];
  closed: unknown[];
  added: string[];
  removed: string[];
}

describe('zt network diff with a live cluster as the before side', () => {
  it('the cluster and the manifests it was deployed from: nothing opens or closes', async () => {
    const r = await zt('network', 'diff', '--kubeconfig', kubeconfig, 'same', '-f', 'json', '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.out) as Diff;
    expect(diff.before).toMatch(/^k8s:/);
    expect(diff.after).toBe('same');
    expect({ opened: diff.opened, closed: diff.closed, added: diff.added, removed: diff.removed }).toEqual({ opened: [], closed: [], added: [], removed: [] });
  });

  it('manifests that drop the default deny: the paths it opens, with the live policy that denied them', async () => {
    const r = await zt('network', 'diff', '--kubernetes', '--kubeconfig', kubeconfig, 'pr', '-f', 'json', '--quiet', '--fail-on-new-path', 'shop/etl');
    expect(r.code).toBe(1);
    const diff = JSON.parse(r.out) as Diff;
    expect(diff.opened.length).toBeGreaterThan(0);
    // web stays isolated (egress-world has egress rules, so it is of both types); etl is opened.
    expect(diff.opened.filter((c) => c.to.includes('shop/web'))).toEqual([]);
    const toEtl = diff.opened.find((c) => c.to.includes('shop/etl') && c.from.includes('internet'));
    expect(toEtl).toEqual({
      from: ['internet'],
      to: ['shop/etl'],
      ports: ['*'],
      allowedBy: ['no policy isolates shop/etl for ingress'],
      admittedBy: [],
      deniedBy: ['policy shop/default-deny isolates shop/etl for ingress and admits nothing on these ports'],
    });
    expect(r.err).toContain('✖ gate: new path');
  });

  it('reads the cluster as zt audit --kubernetes reads it: the same API requests', async () => {
    const paths = () => [...new Set(server.requests.map((q) => q.path))].sort();
    server.requests.length = 0;
    expect((await zt('audit', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none', '--quiet')).code).toBe(0);
    const audit = paths();
    server.requests.length = 0;
    expect((await zt('network', 'diff', '--kubeconfig', kubeconfig, 'same', '--quiet')).code).toBe(0);
    expect(paths()).toEqual(audit);
    expect(audit).toContain('/apis/networking.k8s.io/v1/networkpolicies');
  });

  it('NetworkPolicies the cluster would not list: every answer printed, exit 3 unless --allow-incomplete', async () => {
    const config = writeKubeconfig(denied.kubeconfig({ context: 'prod' }));
    const r = await zt('network', 'diff', '--kubeconfig', config, 'same', '--quiet');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/✖ incomplete: k8s:\S+: k8s\.networkPolicy (partial|missing)/);
    expect((await zt('network', 'diff', '--kubeconfig', config, 'same', '--quiet', '--allow-incomplete')).code).toBe(0);
  });

  it('usage: one input with --kubernetes, two without; a broken manifest is said before the cluster is contacted', async () => {
    const two = await zt('network', 'diff', '--kubernetes', 'same', 'pr');
    expect(two.code).toBe(2);
    expect(two.err).toContain('with --kubernetes the live cluster is the before side: give only <after>');
    const one = await zt('network', 'diff', 'same');
    expect(one.code).toBe(2);
    expect(one.err).toContain('network diff needs two inputs, or --kubernetes and one');
    const name = await zt('network', 'diff', '--cluster-name', 'prod', 'same', 'pr');
    expect(name.code).toBe(2);
    server.requests.length = 0;
    const missing = await zt('network', 'diff', '--kubeconfig', kubeconfig, 'nope', '--quiet');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope: no such file or folder');
    expect(server.requests).toEqual([]);
  });
});
