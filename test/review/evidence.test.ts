import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { Evidence } from '../../src/review/evidence.js';
import { parseCsv } from '../../src/text/csv.js';
import { tempTree } from '../support/temp.js';

/**
 * `zt access-review evidence`: the sign-off bundle of a campaign from the demo, with
 * decisions recorded and next quarter's verification. Checked: what the manifest and the
 * page say, that every hash listed is the hash of the bytes, and that the same input gives
 * the same bytes.
 */

async function zt(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const io = memoryIo({ cwd, env, now: () => new Date('2026-11-30T12:00:00Z') });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** sam's file returned with a revoke, a keep with a formula-looking comment, and a later change of mind recorded separately. */
async function decidedCampaign() {
  const cwd = tempTree({});
  const started = await zt(['access-review', '--demo', '-q', '-f', 'json', '-o', 'html=q4.html', '-o', 'csv=packs/', '--split-by', 'reviewer', '--start-campaign', 'q4.campaign.json', '--due', '2026-12-15'], cwd);
  expect(started.code).toBe(0);
  const [head, ...rows] = parseCsv(readFileSync(join(cwd, 'packs', 'sam.okafor@example.com.csv'), 'utf8'));
  const header = [...(head?.cells ?? [])];
  const col = (name: string) => header.indexOf(name);
  const fill = (pick: (r: readonly string[]) => [string, string, string] | undefined): string =>
    [header, ...rows.map((r) => {
      const out = [...r.cells];
      const d = pick(r.cells);
      if (d) [out[col('decision')], out[col('decision_date')], out[col('comment')]] = d;
      return out;
    })]
      .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
      .join('\r\n') + '\r\n';
  writeFileSync(
    join(cwd, 'sam.csv'),
    fill((r) => (r[col('grant')] === 'managed policy acme-developer-access' ? ['revoke', '2026-11-20', ''] : r[col('grant_privilege')] === 'admin' ? ['keep', '2026-11-21', '=on call'] : undefined)),
  );
  expect((await zt(['access-review', 'record', 'sam.csv', '--campaign', 'q4.campaign.json', '--by', 'grc@example.com', '--at', '2026-11-25T09:00:00Z'], cwd)).code).toBe(0);
  // A second recording changes one revoke into keep: the first decision stays, superseded.
  writeFileSync(
    join(cwd, 'sam-2.csv'),
    fill((r) => (r[col('grant')] === 'managed policy acme-developer-access' && r[col('principal')] === 'ella.wright@example.com' ? ['keep', '2026-11-26', 'needed for the migration'] : undefined)),
  );
  expect((await zt(['access-review', 'record', 'sam-2.csv', '--campaign', 'q4.campaign.json', '--by', 'grc@example.com', '--at', '2026-11-27'], cwd)).code).toBe(0);
  // Next quarter's review of the same (unchanged) demo: every revoke still present.
  const next = await zt(['access-review', '--demo', '-q', '-f', 'json', '-o', 'json=q1-review.json', '--previous', 'q4.campaign.json'], cwd);
  expect(next.code).toBe(0);
  return cwd;
}

function bundle(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string): void => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(dir, rel)));
    }
  };
  walk('');
  return out;
}

describe('zt access-review evidence', () => {
  it('writes a self-contained page, a manifest with every decision, and the SHA-256 of every file; the same input gives the same bytes', async () => {
    const cwd = await decidedCampaign();
    const r = await zt(['access-review', 'evidence', 'q4.campaign.json', '--out', 'evidence', '--verification', 'q1-review.json', '--attach', 'q4.html', '--attach', 'sam.csv'], cwd);
    expect(r.stderr).toMatch(/^evidence of campaign pk-[0-9a-f]{16} written to evidence: SHA256SUMS, attachments\/q4\.html, attachments\/sam\.csv, campaign\.json, evidence\.html, manifest\.json, verification\.json\nopen: \d+ of \d+ rows pending; \d+ decisions recorded; revocations: 0 carried out, \d+ still present, 0 not verified\n$/);
    expect(r.code).toBe(0);
    const files = bundle(join(cwd, 'evidence'));
    const manifest = JSON.parse((files.get('manifest.json') as Buffer).toString('utf8')) as Evidence;
    const campaign = JSON.parse(readFileSync(join(cwd, 'q4.campaign.json'), 'utf8')) as { packId: string; items: unknown[]; decisions: { reviewer: string; date: string; decision: string }[] };

    expect(manifest).toMatchObject({ schemaVersion: 1, kind: 'zt-access-evidence', packId: campaign.packId, due: '2026-12-15', asOf: '2026-11-27', state: 'open' });
    // Scope and the sources' as-of times, as recorded when the campaign started.
    expect(manifest.scope.planes.map((p) => p.plane)).toEqual(['identity', 'aws', 'kubernetes']);
    expect(manifest.scope.sources?.map((s) => s.source)).toEqual(expect.arrayContaining(['aws:111122223333', 'okta:acme.okta.com']));
    expect(manifest.scope.sources?.every((s) => typeof s.asOf === 'string')).toBe(true);
    // Counts, and every decision (the superseded one too) with reviewer and date.
    expect(manifest.counts.total.rows).toBe(campaign.items.length);
    expect(manifest.decisions).toHaveLength(campaign.decisions.length);
    expect(manifest.decisions.filter((d) => d.superseded)).toHaveLength(1);
    expect(manifest.decisions.find((d) => d.superseded)).toMatchObject({ principal: 'ella.wright@example.com', decision: 'revoke' });
    expect(manifest.decisions.every((d) => d.reviewer === 'sam.okafor@example.com' && /^2026-11-2\d$/.test(d.date) && /^sam(-2)?\.csv:\d+$/.test(d.from))).toBe(true);
    expect(manifest.counts.total.revoke).toBe(manifest.changes.length);
    // Next quarter's review found the revokes still there (the demo did not change).
    expect(manifest.verification).toMatchObject({ file: 'q1-review.json', counts: { carried_out: 0, not_verified: 0 } });
    expect(manifest.verification?.revocations.length).toBe(manifest.counts.total.revoke);
    expect(manifest.verification?.revocations.every((v) => v.state === 'still_present')).toBe(true);

    // Every file listed with the hash of its bytes: those in the bundle checked against them,
    // the returned CSVs against the files as they were recorded.
    for (const f of manifest.files) {
      if (f.path === null) {
        expect(f.role).toBe('returned');
        expect(f.sha256).toBe(sha256(readFileSync(join(cwd, f.source))));
      } else {
        expect(f.sha256, f.path).toBe(sha256(files.get(f.path) as Buffer));
        expect(f.bytes).toBe((files.get(f.path) as Buffer).length);
      }
    }
    expect(manifest.files.map((f) => f.path ?? f.source).sort()).toEqual(['attachments/q4.html', 'attachments/sam.csv', 'campaign.json', 'evidence.html', 'sam-2.csv', 'sam.csv', 'verification.json']);
    expect(files.get('campaign.json')?.equals(readFileSync(join(cwd, 'q4.campaign.json')))).toBe(true);
    // SHA256SUMS covers every file of the bundle, the manifest too, as sha256sum -c reads it.
    const sums = (files.get('SHA256SUMS') as Buffer).toString('utf8').trimEnd().split('\n');
    expect(sums.map((l) => l.slice(66)).sort()).toEqual([...files.keys()].filter((k) => k !== 'SHA256SUMS').sort());
    for (const line of sums) expect(line.slice(0, 64)).toBe(sha256(files.get(line.slice(66)) as Buffer));

    // The page: self-contained (fetches nothing), with what an auditor looks for.
    const html = (files.get('evidence.html') as Buffer).toString('utf8');
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).not.toMatch(/<(?:link|img|iframe)\b|\bsrc=|href="http/i);
    expect(html).toContain(campaign.packId);
    expect(html).toContain('still present');
    expect(html).toContain('group membership: carl.jensen@example.com in Okta group AWS-Developers');
    for (const f of manifest.files) if (f.path !== 'evidence.html') expect(html).toContain(f.sha256);
    expect(html).toContain('=on call'); // as written, escaped as HTML text, not a formula anywhere

    // Deterministic: the same input, another folder, the same bytes.
    const again = await zt(['access-review', 'evidence', 'q4.campaign.json', '--out', 'evidence-2', '--verification', 'q1-review.json', '--attach', 'q4.html', '--attach', 'sam.csv'], cwd);
    expect(again.code).toBe(0);
    const second = bundle(join(cwd, 'evidence-2'));
    expect([...second.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [path, bytes] of files) expect(second.get(path)?.equals(bytes), path).toBe(true);
  });

  it('judges counts on --at, and says when there is no verification yet', async () => {
    const cwd = await decidedCampaign();
    const r = await zt(['access-review', 'evidence', 'q4.campaign.json', '--out', 'ev', '--at', '2026-12-20'], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/revocations not verified yet \(--verification\)/);
    const manifest = JSON.parse(readFileSync(join(cwd, 'ev', 'manifest.json'), 'utf8')) as Evidence;
    expect(manifest.asOf).toBe('2026-12-20');
    expect(manifest.verification).toBeNull();
    expect(manifest.counts.overdue.map((o) => o.reviewer)).toContain('sam.okafor@example.com');
    expect(readFileSync(join(cwd, 'ev', 'evidence.html'), 'utf8')).toMatch(/Not verified yet/);
  });

  describe('refuses (exit 2), writing nothing', () => {
    it.each([
      ['a folder that is not empty', (cwd: string) => {
        mkdirSync(join(cwd, 'out'));
        writeFileSync(join(cwd, 'out', 'old.txt'), 'x');
        return ['--out', 'out'];
      }, /--out out is not empty: evidence is written into a new or empty folder/],
      ['a review that verifies no campaign', async (cwd: string) => {
        await zt(['access-review', '--demo', '-q', '-o', 'json=plain.json'], cwd);
        return ['--out', 'out', '--verification', 'plain.json'];
      }, /plain\.json verifies no campaign: it was made without --previous <campaign>/],
      ['a review that verifies another campaign', (cwd: string) => {
        const other = JSON.parse(readFileSync(join(cwd, 'q1-review.json'), 'utf8')) as { verification: { previousPackId: string } };
        other.verification.previousPackId = 'pk-0123456789abcdef';
        writeFileSync(join(cwd, 'other.json'), JSON.stringify(other));
        return ['--out', 'out', '--verification', 'other.json'];
      }, /other\.json verifies campaign pk-0123456789abcdef, not this one \(pk-[0-9a-f]{16}\)/],
      ['a file that is not a review', (cwd: string) => {
        writeFileSync(join(cwd, 'x.json'), '{"kind":"zt-report"}');
        return ['--out', 'out', '--verification', 'x.json'];
      }, /x\.json is not a zt access review/],
      ['two attachments of one name', (cwd: string) => {
        mkdirSync(join(cwd, 'a'));
        writeFileSync(join(cwd, 'a', 'sam.csv'), 'x');
        return ['--out', 'out', '--attach', 'sam.csv', '--attach', 'a/sam.csv'];
      }, /--attach a\/sam\.csv and sam\.csv have the same name/],
      ['a day that is not one', () => ['--out', 'out', '--at', '2026-02-30'], /--at 2026-02-30: expected a date YYYY-MM-DD/],
    ] as const)('%s', async (_what, setup, message) => {
      const cwd = await decidedCampaign();
      const args = await setup(cwd);
      const r = await zt(['access-review', 'evidence', 'q4.campaign.json', ...args], cwd);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(cwd, 'out', 'manifest.json'))).toBe(false);
    });
  });
});
