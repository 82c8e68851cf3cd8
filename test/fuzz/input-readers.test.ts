import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { validRule } from '../support/temp.js';
import { jsonMutation, textMutation, type Mutation } from './mutations.js';

// Fuzzing every input reader through the whole audit, in process (issue 15): each input zt
// reads — Kubernetes manifests, snapshots, rule files, the project config, the Okta, Entra
// and AWS exports and the reports zt diff compares — is mutated (a value of another type at
// any JSON path, a key removed, the text cut short, bytes inserted, the file replaced by
// noise) and handed to the real command. Whatever the input, zt must answer with its exit
// contract (0–3: never 4, a bug in zt), never a stack trace, and a JSON report that parses
// whenever it wrote one. A fixed seed keeps `npm test` reproducible; `npm run fuzz` runs
// the same properties much longer (ZT_FUZZ_RUNS, ZT_FUZZ_SEED).

const seed = Number(process.env.ZT_FUZZ_SEED ?? 20261207);
const numRuns = Number(process.env.ZT_FUZZ_RUNS ?? 12);
const fixtures = join(process.cwd(), 'fixtures');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exit codes seen per input, so each property can show it reached both refusal and audit. */
const seen = new Map<string, Set<number>>();
let current = '';

async function zt(args: string[]): Promise<Outcome> {
  const io = memoryIo();
  const code = await run(args, io);
  if (!seen.has(current)) seen.set(current, new Set());
  seen.get(current)?.add(code);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** The exit contract for any input: a known exit code, no stack, parseable JSON when written. */
function expectContract(outcome: Outcome, json: boolean, what: string): void {
  const context = `${what}\nexit ${outcome.code}\n${outcome.stderr.slice(0, 2000)}`;
  expect([0, 1, 2, 3], context).toContain(outcome.code);
  expect(outcome.stderr, context).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(outcome.stderr, context).not.toMatch(/ZT_COLLECT_CRASHED|ZT_COLLECT_MALFORMED|ZT_INTERNAL/);
  if (json && outcome.code !== 2) expect(() => JSON.parse(outcome.stdout), context).not.toThrow();
  // A refused input says what is wrong and where (a ✖ line with a code), not a bare message.
  if (outcome.code === 2) expect(outcome.stderr, context).toMatch(/✖ .+/);
}

function copyOf(folder: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-fuzz-'));
  cpSync(folder, dir, { recursive: true });
  return dir;
}

/** Every file under a folder, relative to it, sorted (so a seed picks the same file on every machine). */
function filesUnder(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(folder, full));
    }
  };
  walk(folder);
  return out;
}

const mutationOf = (isJson: boolean): fc.Arbitrary<Mutation> => (isJson ? fc.oneof({ weight: 3, arbitrary: jsonMutation }, { weight: 1, arbitrary: textMutation }) : textMutation);

/** One file of an export folder mutated, then audited with the given flags. */
function exportProperty(name: string, folder: string, flags: (dir: string) => string[]) {
  const files = filesUnder(folder);
  return fc.asyncProperty(fc.constantFrom(...files), mutationOf(true), async (file, mutation) => {
    const dir = copyOf(folder);
    const path = join(dir, file);
    const mutated = mutation.apply(readFileSync(path, 'utf8'));
    writeFileSync(path, mutated);
    expectContract(await zt(['audit', ...flags(dir), '-f', 'json', '-q', '--fail-on', 'none']), true, `${name}: ${file} ${mutation.describe}`);
  });
}

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    metadata:
      labels: { app: web }
    spec:
      hostNetwork: false
      containers:
        - name: web
          image: web:1.0
          ports: [{ containerPort: 8080 }]
          env: [{ name: DB_PASSWORD, value: hunter2 }]
          securityContext: { privileged: true, runAsNonRoot: false }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: oops
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: Group, name: "system:authenticated" }]
`;

const config = `breakGlass:
  - admin@contoso.example
serviceAccounts:
  - svc-backup@contoso.example
`;

const options = { seed, numRuns };

describe('fuzzed inputs keep the exit contract (fixed seed)', () => {
  beforeEach((context) => {
    current = context.task.name;
  });
  // Mutations that never changed the outcome (every run a clean exit 0) tested nothing.
  afterEach((context) => {
    const codes = [...(seen.get(context.task.name) ?? [])];
    expect(codes.some((code) => code === 2 || code === 3), `exit codes seen: ${codes.join(', ')}`).toBe(true);
  });

  it('Kubernetes manifests', async () => {
    await fc.assert(
      fc.asyncProperty(textMutation, async (mutation) => {
        const dir = mkdtempSync(join(tmpdir(), 'zt-fuzz-'));
        writeFileSync(join(dir, 'app.yaml'), mutation.apply(manifest));
        expectContract(await zt(['audit', '--manifests', join(dir, 'app.yaml'), '-f', 'json', '-q', '--fail-on', 'none']), true, mutation.describe);
      }),
      options,
    );
  });

  it('snapshots (zt audit --snapshot)', async () => {
    const snapshot = readFileSync(join(fixtures, 'demo', 'kubernetes.json'), 'utf8');
    await fc.assert(
      fc.asyncProperty(mutationOf(true), async (mutation) => {
        const dir = mkdtempSync(join(tmpdir(), 'zt-fuzz-'));
        writeFileSync(join(dir, 'snap.json'), mutation.apply(snapshot));
        expectContract(await zt(['audit', '--snapshot', join(dir, 'snap.json'), '-f', 'json', '-q', '--fail-on', 'none']), true, mutation.describe);
      }),
      options,
    );
  });

  it('rule files (zt rules validate and zt audit --rules)', async () => {
    await fc.assert(
      fc.asyncProperty(textMutation, fc.boolean(), async (mutation, validate) => {
        const dir = mkdtempSync(join(tmpdir(), 'zt-fuzz-'));
        writeFileSync(join(dir, 'rule.yaml'), mutation.apply(validRule()));
        const args = validate ? ['rules', 'validate', dir] : ['audit', '--demo', '--rules', dir, '-f', 'json', '-q', '--fail-on', 'none'];
        expectContract(await zt(args), !validate, mutation.describe);
      }),
      options,
    );
  });

  it('the project config (--config)', async () => {
    await fc.assert(
      fc.asyncProperty(textMutation, async (mutation) => {
        const dir = mkdtempSync(join(tmpdir(), 'zt-fuzz-'));
        writeFileSync(join(dir, 'config.yaml'), mutation.apply(config));
        expectContract(await zt(['audit', '--demo', '--config', join(dir, 'config.yaml'), '-f', 'json', '-q', '--fail-on', 'none']), true, mutation.describe);
      }),
      options,
    );
  });

  it('an Okta export', async () => {
    await fc.assert(
      exportProperty('okta', join(fixtures, 'collectors', 'okta', 'export'), (dir) => ['--okta-export', dir]),
      options,
    );
  });

  it('an Entra export', async () => {
    const configFile = join(fixtures, 'collectors', 'entra', 'contoso-config.yaml');
    await fc.assert(
      exportProperty('entra', join(fixtures, 'collectors', 'entra', 'contoso'), (dir) => ['--entra-export', dir, '--config', configFile]),
      options,
    );
  });

  it('AWS IAM exports', async () => {
    const flags = (dir: string): string[] => [
      ['--aws-authorization-details', 'gaad-cli.json'],
      ['--aws-credential-report', 'credential-report.csv'],
      ['--aws-account-summary', 'account-summary.json'],
      ['--aws-password-policy', 'password-policy.json'],
      ['--aws-virtual-mfa', 'virtual-mfa.json'],
    ].flatMap(([flag, file]) => [flag as string, join(dir, file as string)]);
    const folder = mkdtempSync(join(tmpdir(), 'zt-fuzz-aws-'));
    for (const file of ['gaad-cli.json', 'credential-report.csv', 'account-summary.json', 'password-policy.json', 'virtual-mfa.json']) {
      cpSync(join(fixtures, 'collectors', 'aws-iam', file), join(folder, file));
    }
    await fc.assert(exportProperty('aws', folder, flags), options);
  });

  it('reports compared by zt diff', async () => {
    const audited = await zt(['audit', '--demo', '-f', 'json', '-q', '--fail-on', 'none']);
    expect(audited.code).toBe(0);
    await fc.assert(
      fc.asyncProperty(mutationOf(true), async (mutation) => {
        const dir = mkdtempSync(join(tmpdir(), 'zt-fuzz-'));
        writeFileSync(join(dir, 'old.json'), audited.stdout);
        writeFileSync(join(dir, 'new.json'), mutation.apply(audited.stdout));
        expectContract(await zt(['diff', join(dir, 'old.json'), join(dir, 'new.json'), '-f', 'json']), true, mutation.describe);
      }),
      options,
    );
  });
});
