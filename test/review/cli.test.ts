import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoDir } from '../../src/app/inputs.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from '../support/temp.js';

async function zt(argv: string[], cwd = tempTree({}), env: Record<string, string> = {}) {
  const io = memoryIo({ cwd, env });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err(), cwd };
}

const demoFile = (name: string) => join(demoDir, name);
const readDemo = (name: string) => JSON.parse(readFileSync(demoFile(name), 'utf8')) as { resources: { kind: string; name: string; attributes: Record<string, unknown> }[] };

/** Every person's name and email in the demo organisation: IdP logins and emails, IAM user names, Kubernetes users. */
function demoIdentities(): string[] {
  const out = new Set<string>();
  for (const r of readDemo('identity.json').resources) {
    if (r.kind !== 'idp.user') continue;
    out.add(String(r.attributes.login));
    if (typeof r.attributes.email === 'string') out.add(r.attributes.email);
    // The local part of a person's login is their name (dana.reyes).
    const local = String(r.attributes.login).split('@')[0] as string;
    if (local.includes('.')) out.add(local);
  }
  for (const r of readDemo('aws.json').resources) if (r.kind === 'aws.iam.user') out.add(r.name);
  for (const r of readDemo('kubernetes.json').resources) {
    if (!r.kind.endsWith('Binding')) continue;
    for (const s of r.attributes.subjects as { kind: string; name: string }[]) if (s.kind === 'User' && !s.name.startsWith('system:')) out.add(s.name);
  }
  return [...out].sort();
}

describe('zt access-review', () => {
  it('writes Markdown to stdout by default and says which planes it covered', async () => {
    const r = await zt(['access-review', '--demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Access review — 2026-11-02T09:00:00Z/);
    expect(r.stdout).toMatch(/\| Okta group AWS-Admins \| role OktaSSO-Admin → k8s group acme:platform-admins → ClusterRoleBinding\/platform-admins \| ClusterRole\/cluster-admin \| admin \| k8s:acme-prod \| inferred \|/);
    expect(r.stderr).toMatch(/access review: \d+ principals, \d+ grants; planes covered: identity, aws, kubernetes\n$/);
  });

  it.each([
    ['csv', (out: string) => expect(out.split('\r\n')[0]).toMatch(/^plane,source,principal_type,.*,reviewer,decision,decision_date,comment,pack_id,row_hash$/)],
    ['json', (out: string) => expect(JSON.parse(out)).toMatchObject({ schemaVersion: 1, kind: 'zt-access-review', tool: { name: 'zt' }, collectedAt: '2026-11-02T09:00:00Z' })],
    ['html', (out: string) => expect(out).toMatch(/^<!doctype html>[\s\S]*<table id="principals">/)],
    ['markdown', (out: string) => expect(out).toMatch(/## Standing admin/)],
  ])('-f %s', async (format, check) => {
    const r = await zt(['access-review', '--demo', '-f', format]);
    expect(r.code).toBe(0);
    check(r.stdout);
  });

  it('writes files with -o, gives the same bytes for the same input, and refuses bad output specs', async () => {
    const dir = tempTree({});
    const argv = ['access-review', '--demo', '-q', '-o', 'json=r.json', '-o', 'csv=r.csv', '-o', 'html=r.html', '-o', 'markdown=r.md'];
    expect((await zt(argv, dir)).code).toBe(0);
    const first = ['r.json', 'r.csv', 'r.html', 'r.md'].map((f) => readFileSync(join(dir, f), 'utf8'));
    const quiet = await zt(argv, dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^# Access review/); // markdown still on stdout
    expect(quiet.stderr).toBe('');
    expect(['r.json', 'r.csv', 'r.html', 'r.md'].map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(first);

    for (const bad of [['-o', 'pdf=x.pdf'], ['-o', 'json'], ['-f', 'sarif'], ['-f', 'csv', '-o', 'json=-'], ['-o', 'json=a', '-o', 'csv=a'], ['--stale-days', 'soon']]) {
      const r = await zt(['access-review', '--demo', ...bad], dir);
      expect(r.code, bad.join(' ')).toBe(2);
    }
  });

  describe('--previous', () => {
    function changedAws(dir: string): string {
      const aws = readDemo('aws.json') as unknown as { resources: { kind: string; id: string; name: string; attributes: Record<string, unknown> }[] };
      aws.resources = aws.resources
        .filter((r) => r.name !== 'bob.martin')
        .map((r) => {
          if (r.id === 'arn:aws:iam::111122223333:policy/acme-developer-access') {
            return { ...r, attributes: { ...r.attributes, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] } } };
          }
          if (r.name === 'reporting-bot') return { ...r, attributes: { ...r.attributes, attachedPolicies: [] } };
          return r;
        });
      const path = join(dir, 'aws-q4.json');
      writeFileSync(path, JSON.stringify(aws));
      return path;
    }

    it('says what changed since the last review', async () => {
      const dir = tempTree({});
      const base = ['--snapshot', demoFile('identity.json'), '--snapshot', demoFile('kubernetes.json')];
      expect((await zt(['access-review', '-q', ...base, '--snapshot', demoFile('aws.json'), '-o', 'json=q3.json'], dir)).code).toBe(0);
      const r = await zt(['access-review', '-q', ...base, '--snapshot', changedAws(dir), '--previous', 'q3.json', '-f', 'json'], dir);
      expect(r.code).toBe(0);
      const changes = JSON.parse(r.stdout).changes as { counts: Record<string, number>; changes: { change: string; principal: string; grant: string | null; from: string | null; to: string | null }[] };
      const lines = changes.changes.map((c) => `${c.change} ${c.principal}${c.grant ? ` ${c.grant}` : ''} ${c.from ?? '∅'}→${c.to ?? '∅'}`);
      expect(lines).toContain('principal_removed bob.martin write→∅');
      expect(lines).toContain('escalated alice.nguyen managed policy acme-developer-access via group developers (aws:111122223333) write→admin');
      expect(lines).toContain('removed reporting-bot managed policy acme-reports-read via direct (aws:111122223333) read→∅');
      expect(lines).toContain('escalated OktaSSO-Developer managed policy acme-developer-access via direct (aws:111122223333) write→admin');
      // Through the IdP too: every member of AWS-Developers reaches OktaSSO-Developer.
      expect(lines).toContain(
        'escalated carl.jensen@example.com managed policy acme-developer-access via Okta group AWS-Developers → role OktaSSO-Developer (aws:111122223333) write→admin',
      );
      // Every escalation is that policy: alice, erin, frank (IAM group developers), OktaSSO-Developer,
      // carl, dev, ella, finn, gia (Okta group AWS-Developers) in the demo.
      const escalated = lines.filter((l) => l.startsWith('escalated'));
      expect(escalated.length).toBeGreaterThanOrEqual(9);
      for (const line of escalated) expect(line).toMatch(/managed policy acme-developer-access .*write→admin$/);
      expect(changes.counts).toMatchObject({ principal_added: 0, principal_removed: 1, escalated: escalated.length, de_escalated: 0 });

      const md = await zt(['access-review', '-q', ...base, '--snapshot', changedAws(dir), '--previous', 'q3.json'], dir);
      expect(md.stdout).toMatch(/## Changes since the review of 2026-11-02T09:00:00Z\n\n0 principals added, 1 removed; 0 grants added, 4 removed, \d+ escalated, 0 de-escalated\./);
    });

    it('refuses a file of another tool or schema version (exit 2)', async () => {
      const dir = tempTree({});
      const audit = await zt(['audit', '--demo', '-f', 'json', '--fail-on', 'none'], dir);
      writeFileSync(join(dir, 'audit.json'), audit.stdout);
      const review = await zt(['access-review', '--demo', '-f', 'json', '-q'], dir);
      writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...JSON.parse(review.stdout), schemaVersion: 2 }));
      writeFileSync(join(dir, 'other.json'), JSON.stringify({ kind: 'zt-access-review', schemaVersion: 1, tool: { name: 'other-tool' }, principals: [] }));
      const cases: [string, RegExp][] = [
        ['audit.json', /audit\.json is not a zt access review/],
        ['other.json', /other\.json is not a zt access review/],
        ['v2.json', /v2\.json is a zt access review of schemaVersion 2; this zt reads version 1/],
        ['missing.json', /cannot read previous review missing\.json/],
      ];
      for (const [file, message] of cases) {
        const r = await zt(['access-review', '--demo', '--previous', file], dir);
        expect(r.code, file).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe('');
      }
    });
  });

  describe('--pseudonymise', () => {
    const identities = demoIdentities();

    it('leaves no demo email or name in any format', async () => {
      expect(identities).toEqual(expect.arrayContaining(['dana.reyes@example.com', 'dana.reyes', 'alice.nguyen', 'finn.murphy@example.com', 'svc-jira-sync@example.com']));
      for (const format of ['json', 'csv', 'markdown', 'html']) {
        const r = await zt(['access-review', '--demo', '--pseudonymise', '-f', format, '-q']);
        expect(r.code).toBe(0);
        for (const who of identities) {
          // As a whole name: "ci-deploy" (an IAM user) must go, "ci-deployer" (a ClusterRole) may stay.
          const name = new RegExp(`(?<![\\w.-])${who.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'i');
          expect(r.stdout, `${format} leaks ${who}`).not.toMatch(name);
        }
        expect(r.stdout).toMatch(/user-[0-9a-f]{12}/);
      }
    });

    it('keeps the review useful: same structure, roles and groups, pseudonyms consistent across planes', async () => {
      const r = await zt(['access-review', '--demo', '--pseudonymise', '--pseudonym-key', 'k1', '-f', 'json', '-q']);
      const review = JSON.parse(r.stdout);
      expect(review.pseudonymised.method).toMatch(/HMAC-SHA256 with the key given by --pseudonym-key/);
      expect(r.stdout).not.toContain('k1"');
      expect(review.principals.filter((p: { email: string | null }) => p.email !== null)).toEqual([]);
      expect(r.stdout).toContain('OktaSSO-Admin');
      // finn.murphy is both an IdP user and a Kubernetes user: the same pseudonym in both planes.
      const finn = review.principals.filter((p: { type: string; grants: { what: string }[] }) => p.type === 'k8s.user' && p.grants.some((g) => g.what === 'Role/legacy-admin'));
      const idp = review.principals.filter((p: { type: string; grants: { via: string }[] }) => p.type === 'idp.user' && p.grants.some((g) => g.via.startsWith('k8s user ')));
      expect(idp).toHaveLength(1);
      expect(idp[0].name).toBe(finn[0].name);
    });

    it('is stable with a key and differs without one', async () => {
      const run1 = await zt(['access-review', '--demo', '--pseudonymise', '--pseudonym-key', 'k1', '-f', 'csv', '-q']);
      const run2 = await zt(['access-review', '--demo', '--pseudonymise', '-f', 'csv', '-q'], tempTree({}), { ZT_PSEUDONYM_KEY: 'k1' });
      const other = await zt(['access-review', '--demo', '--pseudonymise', '--pseudonym-key', 'k2', '-f', 'csv', '-q']);
      const random1 = await zt(['access-review', '--demo', '--pseudonymise', '-f', 'csv', '-q']);
      const random2 = await zt(['access-review', '--demo', '--pseudonymise', '-f', 'csv', '-q']);
      expect(run1.stdout).toBe(run2.stdout);
      expect(run1.stdout).not.toBe(other.stdout);
      expect(random1.stdout).not.toBe(random2.stdout);
      expect((await zt(['access-review', '--demo', '--pseudonym-key', 'k1'])).code).toBe(2);
    });
  });

  it.each([
    ['kubernetes.json', ['kubernetes'], ['identity', 'aws']],
    ['identity.json', ['identity'], ['aws', 'kubernetes']],
    ['aws.json', ['aws'], ['identity', 'kubernetes']],
  ])('works with only %s and says which planes it covered', async (file, covered, missing) => {
    const r = await zt(['access-review', '--snapshot', demoFile(file), '-f', 'json']);
    expect(r.code).toBe(0);
    const review = JSON.parse(r.stdout);
    expect(review.planes.filter((p: { covered: boolean }) => p.covered).map((p: { plane: string }) => p.plane)).toEqual(covered);
    expect(new Set(review.principals.map((p: { plane: string }) => p.plane))).toEqual(new Set(covered));
    expect(review.principals.length).toBeGreaterThan(5);
    expect(r.stderr).toContain(`planes covered: ${covered.join(', ')}; not covered: ${missing.join(', ')}`);
    const md = await zt(['access-review', '--snapshot', demoFile(file), '-q']);
    expect(md.stdout).toMatch(/\| Identity provider \| (yes|\*\*no\*\*) \|/);
  });

  it('reads an identity map, and refuses a broken one (exit 2)', async () => {
    const dir = tempTree({
      'map.yaml': `eks:\n  - cluster: acme-prod\n    arn: arn:aws:iam::111122223333:role/OktaSSO-Developer\n    groups: [acme:sre]\n`,
      'bad.yaml': `eks:\n  - cluster: acme-prod\n    groups: nope\n`,
    });
    const r = await zt(['access-review', '--snapshot', demoFile('identity.json'), '--snapshot', demoFile('aws.json'), '--snapshot', demoFile('kubernetes.json'), '--identity-map', 'map.yaml', '-f', 'json', '-q'], dir);
    expect(r.code).toBe(0);
    const review = JSON.parse(r.stdout);
    expect(review.identityMap).toBe('map.yaml');
    const carl = review.principals.find((p: { name: string }) => p.name === 'carl.jensen@example.com');
    expect(carl.privilege).toBe('admin'); // acme:sre holds wildcard-ops
    expect(carl.grants.some((g: { what: string; via: string }) => g.what === 'ClusterRole/wildcard-ops' && g.via.includes('k8s group acme:sre'))).toBe(true);
    const bad = await zt(['access-review', '--demo', '--identity-map', 'bad.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--identity-map bad\.yaml: eks\.0\.(arn|groups)/);
  });
});

describe.runIf(existsSync(join(process.cwd(), 'dist', 'cli', 'run.js')))('the binary', () => {
  it('loads no review module for --help, and access-review --help lists its flags', () => {
    for (const args of [['--help'], ['access-review', '--help']]) {
      const trace = join(tempTree({}), 'trace.txt');
      const result = spawnSync(process.execPath, ['--import', join(process.cwd(), 'test/support/trace-imports.mjs'), 'bin/zt.js', ...args], {
        encoding: 'utf8',
        env: { ...process.env, ZT_TRACE_FILE: trace, NO_COLOR: '1' },
      });
      expect(result.status).toBe(0);
      const loaded = readFileSync(trace, 'utf8');
      expect(loaded).not.toMatch(/\/review\/|access-review\.js|zod|js-yaml/);
      if (args.length === 2) expect(result.stdout).toMatch(/--previous <file>[\s\S]*--identity-map[\s\S]*--pseudonymise/);
      else expect(result.stdout).toMatch(/access-review/);
    }
  });
});
