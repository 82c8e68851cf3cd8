import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from '../support/temp.js';

// A fan-out: `zt collect --out-dir` per target (a CI matrix, Kubernetes Jobs), then one
// `zt audit --snapshot <dir>` over the folder (design §10, targets).

const gaad = resolve('fixtures/collectors/aws-iam/gaad-cli.json');
const okta = resolve('fixtures/collectors/okta/export');
const asOf = ['--as-of', '2026-11-01T00:00:00Z', '--allow-incomplete', '-q'];

async function zt(argv: string[], cwd: string) {
  const io = memoryIo({ cwd });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: { ruleId: string; resource: { id: string }; status: string }[] }).findings.map((f) => `${f.ruleId} ${f.resource.id} ${f.status}`).sort();

describe('fan-out: one snapshot per target, merged by folder', () => {
  it('zt collect --out-dir writes one snapshot per source; auditing the folder equals auditing one snapshot of everything', async () => {
    const dir = tempTree({});
    const sources = ['--aws-authorization-details', gaad, '--okta-export', okta];
    expect((await zt(['collect', ...sources, ...asOf, '--out-dir', 'snaps'], dir)).code).toBe(0);
    expect(readdirSync(join(dir, 'snaps')).sort()).toEqual(['aws_111122223333.json', 'okta_acme.okta.com.json']);
    const part = JSON.parse(readFileSync(join(dir, 'snaps', 'okta_acme.okta.com.json'), 'utf8'));
    expect(part.sources.map((s: { source: string }) => s.source)).toEqual(['okta:acme.okta.com']);
    expect(part.resources.every((r: { provenance: { source: string } }) => r.provenance.source === 'okta:acme.okta.com')).toBe(true);
    expect((await zt(['collect', ...sources, ...asOf, '--out', 'all.json'], dir)).code).toBe(0);
    const folder = await zt(['audit', '--snapshot', 'snaps', '-f', 'json', '--fail-on', 'none', '--allow-incomplete'], dir);
    const single = await zt(['audit', '--snapshot', 'all.json', '-f', 'json', '--fail-on', 'none', '--allow-incomplete'], dir);
    expect(folder.code).toBe(0);
    expect(findingsOf(folder.stdout).length).toBeGreaterThan(0);
    expect(findingsOf(folder.stdout)).toEqual(findingsOf(single.stdout));
  });

  it('the same target twice with different contents is exit 2 naming both files; --prefer-latest keeps the later', async () => {
    const dir = tempTree({});
    expect((await zt(['collect', '--okta-export', okta, '--as-of', '2026-11-01T00:00:00Z', '-q', '--out', 'nov.json'], dir)).code).toBe(0);
    // December's copy of the same org: one user fewer.
    const dec = JSON.parse(readFileSync(join(dir, 'nov.json'), 'utf8'));
    const users = dec.resources.filter((r: { kind: string }) => r.kind === 'idp.user');
    dec.resources = dec.resources.filter((r: { id: string }) => r.id !== users[0].id);
    dec.collectedAt = '2026-12-01T00:00:00.000Z';
    dec.sources[0].asOf = '2026-12-01T00:00:00.000Z';
    writeFileSync(join(dir, 'dec.json'), JSON.stringify(dec));
    const refused = await zt(['audit', '--snapshot', 'nov.json', '--snapshot', 'dec.json', '--fail-on', 'none'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/okta:acme\.okta\.com was collected more than once, with different contents: in \S*nov\.json and \S*dec\.json/);
    expect(refused.stderr).toMatch(/--prefer-latest/);
    const latest = await zt(['audit', '--snapshot', 'nov.json', '--snapshot', 'dec.json', '--prefer-latest', '--fail-on', 'none', '-f', 'json'], dir);
    expect(latest.code).toBe(0);
    const report = JSON.parse(latest.stdout);
    expect(report.inventory.sources).toEqual([expect.objectContaining({ source: 'okta:acme.okta.com', asOf: '2026-12-01T00:00:00.000Z' })]);
    expect(report.inventory.resourcesByKind['idp.user']).toBe(users.length - 1);
  });

  it('bad input: a folder without snapshots, both --out and --out-dir, neither', async () => {
    const dir = tempTree({ 'empty/README.md': 'nothing here' });
    const empty = await zt(['audit', '--snapshot', 'empty', '--fail-on', 'none'], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/the folder \S*empty holds no snapshot \(\*\.json\)/);
    expect((await zt(['collect', '--okta-export', okta, '--out', 'a.json', '--out-dir', 'b'], dir)).stderr).toMatch(/takes --out or --out-dir, not both/);
    const neither = await zt(['collect', '--okta-export', okta], dir);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/needs --out <file> or --out-dir <dir>/);
  });
});
