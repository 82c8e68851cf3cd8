import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/app/collect.js';
import { offlineCollector } from '../../src/collectors/aws-iam/collector.js';
import { exportReader, readEntraExport } from '../../src/collectors/entra/export.js';
import { manifestCollector } from '../../src/collectors/kubernetes/manifests.js';
import { collectTenant } from '../../src/collectors/entra/collect.js';
import { oktaSource } from '../../src/collectors/okta/source.js';
import { CommandOptions } from '../../src/collectors/source-options.js';
import type { Collector } from '../../src/collectors/types.js';
import { defaultConfig } from '../../src/config/config.js';
import { isZtError } from '../../src/errors/zt-error.js';
import { directNetwork } from '../../src/collectors/read-network.js';
import { Redactor } from '../../src/text/redact.js';
import { liveOnlyObjects, objects } from './kubernetes/fixtures.js';

// #15 items 7/8: a value of the wrong type in a user's export (or manifest) crashed a
// collector (ZT_COLLECT_CRASHED) or dropped the object as a mapping bug (ZT_COLLECT_MALFORMED).
// Every field of every fixture export, in turn, takes a value of another type (one per
// field, rotating through the list, so the run stays short and fixed): the export is
// either read (Entra's mapping reads a mistyped field as unknown) or refused as the
// user's input, exit 2 naming the file (a manifest document: skipped, ZT_COLLECT_INPUT_SKIPPED);
// never a crash, never a "bug in zt".

const wrongs: unknown[] = [42, 'x', true, null, [], {}, [1], ['a'], { a: 1 }, -1, 1e30, '2023-13-45', 1.5];

function* fieldPaths(value: unknown, path: (string | number)[] = []): Generator<(string | number)[]> {
  if (path.length > 0) yield path;
  if (Array.isArray(value)) for (let i = 0; i < Math.min(value.length, 2); i++) yield* fieldPaths(value[i], [...path, i]);
  else if (typeof value === 'object' && value !== null) for (const [key, inner] of Object.entries(value)) yield* fieldPaths(inner, [...path, key]);
}

const context = (cwd: string) => ({ signal: new AbortController().signal, progress: () => {}, now: new Date('2026-01-01T00:00:00Z'), env: {}, cwd, config: defaultConfig, network: directNetwork, redactor: new Redactor() });

async function mutateEach(fixture: string, files: readonly string[], build: (dir: string) => Collector[] | Promise<Collector[]>, refusal: string): Promise<{ runs: number; refused: number }> {
  const problems: string[] = [];
  let runs = 0;
  let refused = 0;
  for (const file of files) {
    const original: unknown = JSON.parse(readFileSync(join(fixture, file), 'utf8'));
    for (const path of fieldPaths(original)) {
      const wrong = wrongs[runs % wrongs.length];
      runs++;
      const value = structuredClone(original) as Record<string | number, unknown>;
      let parent = value;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[path[path.length - 1]!] = wrong;
      const dir = mkdtempSync(join(tmpdir(), 'zt-mutation-'));
      cpSync(fixture, dir, { recursive: true });
      writeFileSync(join(dir, file), JSON.stringify(value, null, 2));
      const what = `${file} ${path.join('.')} = ${JSON.stringify(wrong)}`;
      try {
        const snapshot = await collectSnapshot(await build(dir), context(dir));
        for (const issue of snapshot.issues) {
          if (issue.code === 'ZT_COLLECT_CRASHED' || issue.code === 'ZT_COLLECT_MALFORMED') problems.push(`${what}: ${issue.code} ${issue.message}`);
        }
      } catch (error) {
        refused++;
        if (!isZtError(error) || error.exitClass !== 'usage') problems.push(`${what}: threw ${String(error)}`);
        else if (error.code === refusal && !error.location?.file.endsWith(file)) problems.push(`${what}: ${error.code} does not name ${file}`);
      }
    }
  }
  expect(problems).toEqual([]);
  return { runs, refused };
}

describe('a mistyped field in an export is refused as input or read, never a bug in zt', () => {
  it('AWS IAM exports', async () => {
    const fixture = join(process.cwd(), 'fixtures/collectors/aws-iam');
    const files = ['gaad-cli.json', 'password-policy.json', 'account-summary.json', 'virtual-mfa.json', 'credential-report.json'];
    const { runs, refused } = await mutateEach(
      fixture,
      files,
      (dir) => [
        offlineCollector(
          { authorizationDetails: join(dir, files[0]!), passwordPolicy: join(dir, files[1]!), accountSummary: join(dir, files[2]!), virtualMfa: join(dir, files[3]!), credentialReport: join(dir, files[4]!) },
          (p) => p,
        ),
      ],
      'ZT_AWS_EXPORT_INVALID',
    );
    expect(runs).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(runs / 3);
  });

  it('Okta export', async () => {
    const fixture = join(process.cwd(), 'fixtures/collectors/okta/export');
    const files = readdirSync(fixture).flatMap((name) => (statSync(join(fixture, name)).isDirectory() ? [join(name, readdirSync(join(fixture, name)).sort()[0]!)] : [name]));
    const { runs, refused } = await mutateEach(fixture, files, (dir) => oktaSource.collectors(new CommandOptions({ oktaExport: dir }), { cwd: dir, env: {} }), 'ZT_EXPORT_INVALID');
    expect(runs).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(runs / 3);
  });

  it('Entra export', async () => {
    const fixture = join(process.cwd(), 'fixtures/collectors/entra/contoso');
    const files = readdirSync(fixture).sort();
    const { runs } = await mutateEach(
      fixture,
      files,
      (dir) => {
        const data = readEntraExport(dir, dir);
        return [{ id: 'entra', description: `entra:${data.tenant}`, collect: (ctx) => collectTenant(exportReader(data), data.tenant, ctx, `entra:${data.tenant}`) }];
      },
      'ZT_EXPORT_INVALID',
    );
    expect(runs).toBeGreaterThan(150);
  });

  it('Kubernetes manifests: an object zt cannot audit is a skipped document', async () => {
    const problems: string[] = [];
    let runs = 0;
    let skipped = 0;
    for (const object of [...objects, ...liveOnlyObjects]) {
      for (const path of fieldPaths(object)) {
        if (path[0] === 'kind' || path[0] === 'apiVersion') continue;
        const wrong = wrongs[runs % wrongs.length];
        runs++;
        const value = structuredClone(object) as Record<string | number, unknown>;
        let parent = value;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]!] = wrong;
        const text = JSON.stringify(value);
        const snapshot = await collectSnapshot([manifestCollector({ paths: ['-'], readStdin: async () => Buffer.from(text) })], context('/'));
        for (const issue of snapshot.issues) {
          if (issue.code === 'ZT_COLLECT_CRASHED' || issue.code === 'ZT_COLLECT_MALFORMED') problems.push(`${String(object.kind)} ${path.join('.')} = ${JSON.stringify(wrong)}: ${issue.code} ${issue.message}`);
          if (issue.message.includes('a value zt cannot audit')) skipped++;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(runs).toBeGreaterThan(300);
    expect(skipped).toBeGreaterThan(0);
  });
});
