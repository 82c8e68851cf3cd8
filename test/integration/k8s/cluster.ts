import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { inject } from 'vitest';
import { demoObjects, istioCrds, type KubeObject } from './demo-objects.js';
import { apply, call, read, until, type Cluster } from './kube-rest.js';

// Seeding the test API server and running the real CLI against it.

export const ztBin = fileURLToPath(new URL('../../../bin/zt.js', import.meta.url));
const docsPath = fileURLToPath(new URL('../../../docs/kubernetes.md', import.meta.url));

export function clusterInfo(): Cluster & { adminToken: string; caFile: string; version: string } {
  const info = inject('kubeCluster');
  return { server: info.server, ca: readFileSync(info.caFile, 'utf8'), caFile: info.caFile, adminToken: readFileSync(info.adminTokenFile, 'utf8').trim(), version: info.version };
}

/** The least-privilege ClusterRole (and its binding to ServiceAccount zt/zt) exactly as docs/kubernetes.md shows it. */
export function documentedReaderRole(): KubeObject[] {
  const docs = readFileSync(docsPath, 'utf8');
  const section = docs.slice(docs.indexOf('### Least-privilege ClusterRole'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/kubernetes.md: no yaml block under "Least-privilege ClusterRole"');
  return yaml.loadAll(block) as KubeObject[];
}

/** Whether the server serves `plural` in group/version (resource-level discovery). */
export async function serves(cluster: Cluster, token: string, groupVersion: string, plural: string): Promise<boolean> {
  try {
    const list = await call(cluster, token, 'GET', `/apis/${groupVersion}`);
    return (list.resources ?? []).some((r: { name: string }) => r.name === plural);
  } catch {
    return false;
  }
}

/**
 * Creates the demo organisation's Kubernetes objects and returns them as the manifests
 * should hold them: as written, except the objects the server had already (bootstrap
 * RBAC roles such as `view` or `cluster-admin`, `kube-system`, `default` service
 * accounts), which are kept as the server has them, so live and manifests hold the same
 * objects. CronJobs go in as batch/v1beta1 when the server has no batch/v1 CronJob
 * (Kubernetes < 1.21); the manifests keep batch/v1.
 */
export async function seedDemo(cluster: Cluster, token: string, objects: KubeObject[]): Promise<KubeObject[]> {
  for (const crd of istioCrds()) await apply(cluster, token, crd);
  await until('the Istio CRDs to be served', () => serves(cluster, token, 'security.istio.io/v1beta1', 'requestauthentications'));
  const cronJobVersion = (await serves(cluster, token, 'batch/v1', 'cronjobs')) ? 'batch/v1' : 'batch/v1beta1';
  const order = (o: KubeObject): number => (o.kind === 'Namespace' ? 0 : o.kind === 'ServiceAccount' ? 1 : 2);
  const existing = new Set<KubeObject>();
  for (const group of [0, 1, 2]) {
    await Promise.all(
      objects
        .filter((o) => order(o) === group)
        .map(async (o) => {
          if ((await apply(cluster, token, o.kind === 'CronJob' ? { ...o, apiVersion: cronJobVersion } : o)) === 'existing') existing.add(o);
        }),
    );
  }
  return Promise.all(objects.map((o) => (existing.has(o) ? read(cluster, token, o) : Promise.resolve(o))));
}

/** The token of a service account, from the Secret the controller-manager's token controller creates. */
export async function serviceAccountToken(cluster: Cluster, adminToken: string, namespace: string, name: string): Promise<string> {
  return until(`a token Secret for ${namespace}/${name}`, async () => {
    const secrets = await call(cluster, adminToken, 'GET', `/api/v1/namespaces/${namespace}/secrets`);
    const secret = secrets.items.find(
      (s: { type: string; metadata: { annotations?: Record<string, string> } }) =>
        s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === name,
    );
    return secret?.data?.token ? Buffer.from(secret.data.token, 'base64').toString('utf8') : undefined;
  });
}

/**
 * A kubeconfig file for `token`. The context is named `manifests` so live resource ids
 * (`k8s://<context>/…`) equal the ids `--manifests` gives the same objects.
 */
export function writeKubeconfig(dir: string, file: string, server: string, caFile: string | undefined, token: string): string {
  const path = join(dir, file);
  const cluster: Record<string, string> = { server };
  if (caFile) cluster['certificate-authority'] = caFile;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'integration', cluster }],
    users: [{ name: file.replace(/\.kubeconfig$/, ''), user: { token } }],
    contexts: [{ name: 'manifests', context: { cluster: 'integration', user: file.replace(/\.kubeconfig$/, '') } }],
    'current-context': 'manifests',
  };
  writeFileSync(path, yaml.dump(config), { mode: 0o600 });
  return path;
}

export function manifestsDir(objects: KubeObject[]): string {
  const root = mkdtempSync(join(tmpdir(), 'zt-k8s-it-'));
  writeFileSync(join(root, 'demo.yaml'), objects.map((o) => yaml.dump(o, { noRefs: true })).join('---\n'));
  return root;
}

export { demoObjects };

export interface ZtRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/zt.js as a user would, with no kubeconfig of the machine in reach. */
export function zt(args: string[], cwd: string, env: Record<string, string> = {}): Promise<ZtRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ztBin, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Finding {
  ruleId: string;
  status: string;
  resource: { id: string; kind: string };
}
export interface RuleResult {
  ruleId: string;
  coverage: string;
  notEvaluatedReason?: string;
  counts: { pass: number; fail: number };
  status: string;
}
export interface Report {
  findings: Finding[];
  ruleResults: RuleResult[];
  rules: { id: string; kind: string }[];
  inventory: { coverage: Record<string, { state: string; reason?: string; detail?: string }>; issues: { code: string; severity: string; message: string }[]; resourcesByKind: Record<string, number> };
}

/**
 * `zt audit … -f json --include-passes --fail-on none`, parsed. `expectedExit` is 3 when the
 * audit is meant to be incomplete (a kind denied): the report is still written whole.
 */
export async function audit(args: string[], cwd: string, expectedExit: 0 | 3 = 0, env: Record<string, string> = {}): Promise<{ run: ZtRun; report: Report }> {
  const run = await zt(['audit', ...args, '-f', 'json', '--include-passes', '--fail-on', 'none'], cwd, env);
  if (run.code !== expectedExit) throw new Error(`zt audit ${args.join(' ')} exited ${run.code}:\n${run.stderr}\n${run.stdout.slice(0, 2000)}`);
  return { run, report: JSON.parse(run.stdout) as Report };
}
