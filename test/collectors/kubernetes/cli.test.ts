import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startFakeKube, writeKubeconfig, type FakeKube } from '../../support/fake-kube-api.js';
import { tempTree } from '../../support/temp.js';
import { asHelmRender, canaryStrings, CANARY, istioGroups, listsOf, liveOnlyObjects, objects } from './fixtures.js';

// What users run: `zt audit --kubernetes`, `zt collect --kubernetes --out`, `zt audit --manifests`,
// in-process through run(argv, memoryIo), with the bundled rules.

let server: FakeKube;
let kubeconfig: string;
let root: string;

beforeAll(async () => {
  server = await startFakeKube({ lists: listsOf([...objects, ...liveOnlyObjects]), groups: istioGroups, token: CANARY.kubeconfigToken });
  kubeconfig = writeKubeconfig(server.kubeconfig({ context: 'manifests' }));
  root = tempTree({ 'deploy/all.yaml': asHelmRender(objects) });
});
afterAll(async () => {
  await server.close();
});

async function zt(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env: { HOME: '/nonexistent-home', ...env }, cwd: root, columns: 120, now: () => new Date('2026-11-20T10:00:00Z') });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('zt audit / zt collect with Kubernetes', () => {
  it('zt audit --kubernetes --kubeconfig: a JSON report over the live cluster', async () => {
    const { code, stdout } = await zt(['audit', '--kubernetes', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.inventory.sources).toEqual([{ collector: 'kubernetes', source: 'k8s:manifests', mode: 'live', asOf: '2026-11-20T10:00:00.000Z' }]);
    expect(report.inventory.resourceCount).toBeGreaterThan(15);
    const failing = report.findings.filter((f: { status: string }) => f.status === 'fail').map((f: { resource: { id: string } }) => f.resource.id);
    expect(failing).toContain('k8s://manifests/kube-system/DaemonSet/node-debugger');
  });

  it('--context selects the context; KUBECONFIG from the environment is honoured', async () => {
    const { code, stderr } = await zt(['collect', '--context', 'manifests', '--out', join(root, 'snap.json')], { KUBECONFIG: kubeconfig });
    expect(stderr).toMatch(/✔ \d+ resources from 1 source\(s\)/);
    expect(code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(root, 'snap.json'), 'utf8'));
    expect(snapshot.sources[0].mode).toBe('live');
    // the snapshot audits later, offline
    const replay = await zt(['audit', '--snapshot', join(root, 'snap.json'), '-f', 'json', '--fail-on', 'none']);
    expect(replay.code).toBe(0);
  });

  it('a --manifests path that does not exist is bad input: exit 2, naming the path and what to do', async () => {
    const { code, stdout, stderr } = await zt(['audit', '--manifests', 'deploy', '--manifests', 'deploi/typo.yaml']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/✖ Cannot read a file \(ZT_FILE_UNREADABLE\)/);
    expect(stderr).toMatch(/--manifests deploi\/typo\.yaml: no such file or folder/);
    expect(stderr).toMatch(/hint: .*pass - to read the manifests from stdin/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('zt audit --manifests: findings point at file and line in SARIF', async () => {
    const { code, stdout } = await zt(['audit', '--manifests', 'deploy', '-f', 'sarif', '--fail-on', 'none']);
    expect(code).toBe(0);
    const sarif = JSON.parse(stdout);
    const locations = sarif.runs[0].results.flatMap((r: { locations?: { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }) =>
      (r.locations ?? []).map((l) => `${l.physicalLocation?.artifactLocation.uri}:${l.physicalLocation?.region?.startLine}`),
    );
    expect(locations.length).toBeGreaterThan(0);
    expect(locations.every((l: string) => /^deploy\/all\.yaml:\d+$/.test(l))).toBe(true);
  });

  it('a 403 on clusterroles: the ClusterRole rules are not evaluated (permission_denied), never passed', async () => {
    const denied = await startFakeKube({ lists: listsOf(objects), groups: istioGroups, faults: { '/apis/rbac.authorization.k8s.io/v1/clusterroles': [{ status: 403 }] } });
    try {
      const { code, stdout, stderr } = await zt(['audit', '--kubeconfig', writeKubeconfig(denied.kubeconfig()), '-f', 'json', '--fail-on', 'none']);
      // --fail-on none does not silence an incomplete collection: exit 3, and stderr says what was not read.
      expect(code).toBe(3);
      expect(stderr).toMatch(/✖ incomplete: .*k8s\.rbac\.clusterRole missing \(permission_denied\).*--allow-incomplete/);
      expect((await zt(['audit', '--kubeconfig', writeKubeconfig(denied.kubeconfig()), '-q', '--fail-on', 'none', '--allow-incomplete'])).code).toBe(0);
      const report = JSON.parse(stdout);
      const result = report.ruleResults.find((r: { ruleId: string }) => r.ruleId === 'ZT-IDN-050');
      expect(result).toMatchObject({ coverage: 'missing', notEvaluatedReason: 'permission_denied', counts: { pass: 0, fail: 0 } });
      expect(stdout).toContain('ZT_COLLECT_ACCESS_DENIED');
    } finally {
      await denied.close();
    }
  });

  it('no kubeconfig: exit 3 with "no kubeconfig found", naming no token', async () => {
    const { code, stdout, stderr } = await zt(['audit', '--kubernetes', '--fail-on', 'none']);
    expect(code).toBe(3);
    // The cause comes first on stderr, with its fix; no scored table that reads like a posture.
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(/^✖ kubernetes \(.*\) could not be read: .*no kubeconfig found.*\[ZT_COLLECT_CONFIG\]$/);
    expect(stderr).toMatch(/nothing was audited: no scored report is shown/);
    expect(stderr).toMatch(/kubernetes \(Kubernetes \(current context\)\) contributed no resources/);
  });

  it('manifests with nothing zt audits: exit 3', async () => {
    const empty = tempTree({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n' });
    const { code, stderr } = await zt(['audit', '--manifests', join(empty, 'cm.yaml'), '--fail-on', 'none']);
    expect(stderr).toMatch(/incomplete/);
    expect(code).toBe(3);
  });
});

describe('live and manifests give the same findings', () => {
  it('the same objects via --manifests and via the API server: same rule results per resource', async () => {
    const liveRun = await zt(['audit', '--kubernetes', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none', '--include-passes']);
    const diskRun = await zt(['audit', '--manifests', 'deploy', '-f', 'json', '--fail-on', 'none', '--include-passes']);
    const key = (report: { findings: { ruleId: string; resource: { id: string }; status: string }[] }) =>
      report.findings
        // The live cluster also has a node and the k8s.cluster object; manifests do not.
        .filter((f) => !f.resource.id.includes('/_cluster/Node/') && !f.resource.id.includes('/_cluster/Cluster/'))
        // Secrets are opt-in live; on disk they are read (metadata only).
        .filter((f) => !f.resource.id.includes('/Secret/'))
        .map((f) => `${f.ruleId} ${f.resource.id} ${f.status}`)
        .sort();
    const fromLive = key(JSON.parse(liveRun.stdout));
    const fromDisk = key(JSON.parse(diskRun.stdout));
    expect(fromLive.length).toBeGreaterThan(20);
    expect(fromDisk).toEqual(fromLive);
  });
});

describe('secrets never reach any output', () => {
  it('canaries in env values, Secret data, last-applied annotations and the kubeconfig token appear nowhere', async () => {
    const outputs: string[] = [];
    for (const format of ['json', 'sarif', 'table']) {
      const a = await zt(['audit', '--kubernetes', '--kubernetes-secrets', '--kubeconfig', kubeconfig, '-f', format, '--fail-on', 'none', '--include-passes']);
      const b = await zt(['audit', '--manifests', 'deploy', '-f', format, '--fail-on', 'none', '--include-passes']);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      outputs.push(a.stdout, a.stderr, b.stdout, b.stderr);
    }
    const collected = await zt(['collect', '--kubernetes', '--kubernetes-secrets', '--kubeconfig', kubeconfig, '--manifests', 'deploy', '--out', join(root, 'canary.json')]);
    outputs.push(collected.stdout, collected.stderr, readFileSync(join(root, 'canary.json'), 'utf8'));
    // Error paths: a wrong token and a failing exec plugin whose stderr prints the token.
    const wrong = writeKubeconfig(server.kubeconfig({ token: `${CANARY.kubeconfigToken}-wrong` }));
    const failing = await zt(['audit', '--kubeconfig', wrong, '--fail-on', 'none', '--debug']);
    expect(failing.code).toBe(3);
    outputs.push(failing.stdout, failing.stderr);
    const leaky = writeKubeconfig(
      server.kubeconfig({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', `console.error('token: ${CANARY.kubeconfigToken}'); process.exit(1)`] } } }),
    );
    const plugin = await zt(['audit', '--kubeconfig', leaky, '--fail-on', 'none']);
    expect(plugin.stderr).toMatch(/exec credential plugin/);
    outputs.push(plugin.stdout, plugin.stderr);
    // The secret did reach the inputs, so this test can fail.
    expect(readFileSync(join(root, 'deploy/all.yaml'), 'utf8')).toContain(CANARY.env);
    expect(outputs.join('\n')).toMatch(/db-credentials/);
    for (const canary of canaryStrings()) {
      expect(outputs.join('\n'), canary).not.toContain(canary);
    }
  });
});


describe.runIf(existsSync(join(process.cwd(), 'dist', 'cli', 'run.js')))('the zt process with a kubeconfig whose exec plugin is missing', () => {
  // Guard, not a timing assertion: the process stayed alive ~62 s after printing its result
  // (spawn's own timeout timer outlived a child that never started, ENOENT).
  it('exits once it has printed its result', { timeout: 20_000 }, async () => {
    const user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/nonexistent/credential-plugin' } };
    const config = writeKubeconfig(server.kubeconfig({ user }));
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'zt.js'), 'audit', '--kubeconfig', config, '-f', 'json', '--fail-on', 'none', '--quiet'], {
      cwd: root,
      env: { ...process.env, HOME: '/nonexistent-home', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(3);
    const report = JSON.parse(stdout);
    expect(report.inventory.issues).toEqual([
      expect.objectContaining({ code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(/exec credential plugin `\/nonexistent\/credential-plugin` of user fake-user failed/) }),
    ]);
  });
});
