import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoDir } from '../../src/app/inputs.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { Campaign } from '../../src/review/campaign.js';
import { parseCsv } from '../../src/text/csv.js';
import { tempTree } from '../support/temp.js';

/**
 * The campaign loop from the demo: pack → split per reviewer → fill (scripted, with
 * spreadsheet habits and hostile edits) → record → status. Bad returns are refused whole,
 * naming file and line, with the campaign file left byte for byte as it was.
 */

async function zt(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const io = memoryIo({ cwd, env });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

type Table = { header: string[]; rows: string[][] };

function readTable(path: string): Table {
  const [head, ...rest] = parseCsv(readFileSync(path, 'utf8'));
  return { header: [...(head?.cells ?? [])], rows: rest.map((r) => [...r.cells]) };
}

const quote = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes a table as a spreadsheet would export it: optional BOM, CRLF or LF. */
function writeTable(path: string, t: Table, options: { bom?: boolean; eol?: string } = {}): void {
  const eol = options.eol ?? '\r\n';
  const text = [t.header, ...t.rows].map((r) => r.map(quote).join(',')).join(eol) + eol;
  writeFileSync(path, `${options.bom ? '\uFEFF' : ''}${text}`);
}

function decide(t: Table, pick: (row: Record<string, string>) => Partial<Record<'decision' | 'decision_date' | 'comment' | 'reviewer', string>> | undefined): Table {
  const at = (c: string) => t.header.indexOf(c);
  return {
    header: t.header,
    rows: t.rows.map((r) => {
      const named = Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? '']));
      const change = pick(named);
      const out = [...r];
      for (const [k, v] of Object.entries(change ?? {})) out[at(k)] = v;
      return out;
    }),
  };
}

async function startedCampaign() {
  const cwd = tempTree({});
  const r = await zt(['access-review', '--demo', '-q', '-f', 'json', '-o', 'csv=packs/', '--split-by', 'reviewer', '--start-campaign', 'q4.campaign.json', '--due', '2026-12-15'], cwd);
  expect(r.code).toBe(0);
  const campaign = (): Campaign => JSON.parse(readFileSync(join(cwd, 'q4.campaign.json'), 'utf8')) as Campaign;
  return { cwd, campaign, review: JSON.parse(r.stdout) as { pack: { id: string; unassigned: number; reviewers: { reviewer: string; rows: number }[] } } };
}

describe('access review campaign', () => {
  it('splits the pack into one CSV per reviewer with the pack id, and starts a campaign holding every row', async () => {
    const { cwd, campaign, review } = await startedCampaign();
    const files = readdirSync(join(cwd, 'packs')).sort();
    // The demo's Okta users have managers; AWS principals owner tags; the rest nobody.
    expect(files).toContain('sam.okafor@example.com.csv');
    expect(files).toContain('dana.reyes@example.com.csv');
    expect(files).toContain('unassigned.csv');
    const c = campaign();
    expect(c).toMatchObject({ schemaVersion: 1, kind: 'zt-access-campaign', packId: review.pack.id, due: '2026-12-15', decisions: [], records: [] });
    let total = 0;
    for (const f of files) {
      const t = readTable(join(cwd, 'packs', f));
      total += t.rows.length;
      const reviewer = f === 'unassigned.csv' ? '' : (review.pack.reviewers.find((r) => `${r.reviewer.toLowerCase()}.csv` === f)?.reviewer ?? '?');
      for (const row of t.rows) {
        expect(row[t.header.indexOf('reviewer')]).toBe(reviewer);
        expect(row[t.header.indexOf('pack_id')]).toBe(review.pack.id);
      }
    }
    expect(total).toBe(c.items.length);
    expect(c.items.filter((i) => i.reviewer === null)).toHaveLength(review.pack.unassigned);
    // Nobody reviews their own access: dana.reyes has no manager and is nobody's reviewee-reviewer for herself.
    for (const item of c.items) if (item.reviewer) expect(item.reviewer.toLowerCase()).not.toBe(item.principal.toLowerCase());
  });

  it('records a spreadsheet round trip (BOM, CRLF, reordered columns, a deleted row, a formula in a comment), then reports status and revocations', async () => {
    const { cwd, campaign } = await startedCampaign();
    const sam = readTable(join(cwd, 'packs', 'sam.okafor@example.com.csv'));
    let n = 0;
    const filled = decide(sam, (row) => {
      n++;
      if (row.grant === 'managed policy acme-developer-access') return { decision: 'revoke', decision_date: '2026-11-20' };
      if (row.grant_privilege === 'admin') return { decision: 'keep', decision_date: '2026-11-21', comment: '=HYPERLINK("http://x.example","on call")' };
      return n % 2 === 0 ? { decision: 'KEEP ', decision_date: '2026-11-22T10:00:00Z' } : undefined;
    });
    // Columns reordered (comment first) and one row deleted: that row stays pending.
    const order = [filled.header.indexOf('comment'), ...filled.header.map((_, i) => i).filter((i) => i !== filled.header.indexOf('comment'))];
    const reordered: Table = { header: order.map((i) => filled.header[i] as string), rows: filled.rows.slice(0, -1).map((r) => order.map((i) => r[i] ?? '')) };
    writeTable(join(cwd, 'sam-filled.csv'), reordered, { bom: true, eol: '\r\n' });

    const r = await zt(['access-review', 'record', 'sam-filled.csv', '--campaign', 'q4.campaign.json', '--at', '2026-11-25T09:00:00Z'], cwd, { ZT_RECORDED_BY: 'grc@example.com' });
    expect(r.stderr).toMatch(/^recorded \d+ decisions into q4\.campaign\.json; \d+ rows? left blank\n$/);
    expect(r.code).toBe(0);
    const c = campaign();
    const decided = reordered.rows.filter((row) => row[reordered.header.indexOf('decision')] !== '').length;
    expect(c.decisions).toHaveLength(decided);
    expect(c.decisions.every((d) => d.recordedBy === 'grc@example.com' && d.recordedAt === '2026-11-25T09:00:00.000Z' && d.file === 'sam-filled.csv')).toBe(true);
    expect(c.decisions.find((d) => d.comment.startsWith('=HYPERLINK'))?.decision).toBe('keep');
    expect(c.decisions.some((d) => d.date === '2026-11-22' && d.decision === 'keep')).toBe(true);
    expect(c.records).toEqual([{ recordedBy: 'grc@example.com', recordedAt: '2026-11-25T09:00:00.000Z', files: [expect.objectContaining({ name: 'sam-filled.csv', rows: reordered.rows.length, decisions: decided })], decisions: decided }]);

    // Recording the same file again stores nothing (append-only, no duplicates).
    const before = readFileSync(join(cwd, 'q4.campaign.json'), 'utf8');
    const again = await zt(['access-review', 'record', 'sam-filled.csv', '--campaign', 'q4.campaign.json', '--by', 'grc@example.com', '--at', '2026-11-26'], cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/recorded 0 decisions .*already recorded as they are/);
    expect(readFileSync(join(cwd, 'q4.campaign.json'), 'utf8')).toBe(before);

    const status = await zt(['access-review', 'status', 'q4.campaign.json', '--at', '2026-12-20', '--json', '--changes', 'csv=changes.csv', '--changes', 'json=changes.json'], cwd);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout) as { total: { rows: number; decided: number; revoke: number }; byReviewer: { reviewer: string | null; pending: number; decided: number }[]; overdue: { reviewer: string | null }[]; changes: { object: string; change: string; system: string }[] };
    expect(s.total).toMatchObject({ rows: c.items.length, decided });
    expect(s.byReviewer.find((x) => x.reviewer === 'sam.okafor@example.com')).toMatchObject({ decided, pending: sam.rows.length - decided });
    // Past the due date, every reviewer with pending rows is overdue (sam too: one row was deleted).
    expect(s.overdue.map((o) => o.reviewer)).toContain('sam.okafor@example.com');
    expect(s.overdue.map((o) => o.reviewer)).toContain('dana.reyes@example.com');
    // The developers' AWS access comes through the Okta group: the change is the membership.
    expect(s.changes.length).toBe(s.total.revoke);
    expect(s.changes.map((x) => x.object)).toContain('group membership: carl.jensen@example.com in Okta group AWS-Developers');
    const changes = readTable(join(cwd, 'changes.csv'));
    expect(changes.header.slice(0, 4)).toEqual(['decision', 'system', 'object', 'change']);
    expect(changes.rows).toHaveLength(s.changes.length);
    // Before the due date, nobody is overdue.
    const early = await zt(['access-review', 'status', 'q4.campaign.json', '--at', '2026-12-01'], cwd);
    expect(early.stdout).toMatch(/Overdue: none yet \(due 2026-12-15\)/);
  });

  it('writes comments back formula-safe in the changes CSV', async () => {
    const { cwd } = await startedCampaign();
    const sam = readTable(join(cwd, 'packs', 'sam.okafor@example.com.csv'));
    writeTable(join(cwd, 'f.csv'), decide(sam, (row) => (row.grant === 'managed policy acme-developer-access' ? { decision: 'revoke', comment: '=cmd|"/c calc"!A1' } : undefined)));
    expect((await zt(['access-review', 'record', 'f.csv', '--campaign', 'q4.campaign.json', '--by', 'x@example.com', '--at', '2026-11-25'], cwd)).code).toBe(0);
    await zt(['access-review', 'status', 'q4.campaign.json', '--at', '2026-11-25', '--changes', 'csv=c.csv'], cwd);
    const text = readFileSync(join(cwd, 'c.csv'), 'utf8');
    expect(text).toContain('"\'=cmd|""/c calc""!A1"');
    for (const row of parseCsv(text)) for (const cell of row.cells) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  describe('refuses bad returns whole, naming file and line (exit 2), the campaign untouched', () => {
    const cases: [string, (t: Table) => Table, RegExp][] = [
      ['an unknown decision', (t) => decide(t, (r) => (r.grant === 'managed policy ReadOnlyAccess' ? { decision: 'approve' } : undefined)), /sam\.csv:\d+: decision "approve" is not one of keep, revoke, modify/],
      ['keep on an admin grant without a reason', (t) => decide(t, (r) => (r.grant_privilege === 'admin' ? { decision: 'keep' } : undefined)), /sam\.csv:\d+: keep on an admin grant .* needs a reason/],
      ['a decision dated in the future', (t) => decide(t, (r) => (r.grant === 'managed policy ReadOnlyAccess' ? { decision: 'keep', decision_date: '2027-01-01' } : undefined)), /sam\.csv:\d+: decision_date 2027-01-01 is in the future/],
      ['a date that does not exist', (t) => decide(t, (r) => (r.grant === 'managed policy ReadOnlyAccess' ? { decision: 'keep', decision_date: '2026-11-31' } : undefined)), /decision_date "2026-11-31" is not a date/],
      ['a reviewer deciding their own access', (t) => decide(t, (r) => (r.principal === 'carl.jensen@example.com' ? { decision: 'keep', reviewer: 'Carl.Jensen@example.com' } : undefined)), /sam\.csv:\d+: Carl\.Jensen@example\.com decided on their own access/],
      ['a row edited beyond the decision columns', (t) => ({ ...t, rows: t.rows.map((r, i) => (i === 1 ? r.map((c, j) => (t.header[j] === 'grant_privilege' ? 'read' : t.header[j] === 'decision' ? 'keep' : c)) : r)) }), /sam\.csv:3: the row was edited beyond the decision columns \(grant_privilege\)/],
      ['a duplicated row', (t) => ({ ...t, rows: [...t.rows, t.rows[0] as string[]] }), /a second decision row for the grant of sam\.csv:2/],
      ['a row of another pack', (t) => ({ ...t, rows: t.rows.map((r) => r.map((c, j) => (t.header[j] === 'pack_id' ? 'pk-0000000000000000' : c))) }), /sam\.csv:2: from another pack \(pack_id pk-0000000000000000\)/],
      ['a row hash not in the pack', (t) => ({ ...t, rows: t.rows.map((r, i) => (i === 0 ? r.map((c, j) => (t.header[j] === 'row_hash' ? 'ffffffffffffffffffffffff' : c)) : r)) }), /sam\.csv:2: row_hash ffffffffffffffffffffffff is not a row of pack/],
      ['a removed column', (t) => ({ header: t.header.filter((h) => h !== 'row_hash'), rows: t.rows.map((r) => r.filter((_, j) => t.header[j] !== 'row_hash')) }), /sam\.csv:1: missing column row_hash/],
    ];
    it.each(cases)('%s', async (_what, edit, message) => {
      const { cwd } = await startedCampaign();
      const before = readFileSync(join(cwd, 'q4.campaign.json'), 'utf8');
      const sam = readTable(join(cwd, 'packs', 'sam.okafor@example.com.csv'));
      // A good decision beside the bad one: nothing is stored all the same.
      const good = decide(sam, (r) => (r.grant === 'managed policy acme-developer-access' ? { decision: 'revoke' } : undefined));
      writeTable(join(cwd, 'sam.csv'), edit(good));
      const r = await zt(['access-review', 'record', 'sam.csv', '--campaign', 'q4.campaign.json', '--by', 'grc@example.com', '--at', '2026-11-25'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Review decisions refused \(ZT_DECISIONS_INVALID\)/);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(join(cwd, 'q4.campaign.json'), 'utf8')).toBe(before);
    });

    it('a CSV that does not parse, with the line of the opening quote', async () => {
      const { cwd } = await startedCampaign();
      writeFileSync(join(cwd, 'broken.csv'), 'a,b\r\n"x,y\r\n');
      const r = await zt(['access-review', 'record', 'broken.csv', '--campaign', 'q4.campaign.json', '--by', 'g@example.com'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/broken\.csv:2: not valid CSV: a quoted field is never closed/);
    });

    it('a campaign file that is not one, and a campaign that exists when starting', async () => {
      const { cwd } = await startedCampaign();
      writeFileSync(join(cwd, 'other.json'), '{"kind":"zt-access-review","schemaVersion":1}');
      const r = await zt(['access-review', 'record', 'packs', '--campaign', 'other.json', '--by', 'g@example.com'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/other\.json is not a zt access review campaign/);
      const again = await zt(['access-review', '--demo', '-q', '-f', 'json', '--start-campaign', 'q4.campaign.json'], cwd);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/q4\.campaign\.json exists: a campaign is started once and never overwritten/);
    });
  });

  it('records a whole folder of returned files, taking who records from ZT_RECORDED_BY', async () => {
    const { cwd, campaign } = await startedCampaign();
    const r = await zt(['access-review', 'record', 'packs', '--campaign', 'q4.campaign.json', '--at', '2026-11-25'], cwd, { ZT_RECORDED_BY: 'grc@example.com' });
    expect(r.code).toBe(0);
    // Untouched files: every row blank, nothing stored, the campaign not rewritten.
    expect(r.stderr).toMatch(/^recorded 0 decisions into q4\.campaign\.json; \d+ rows left blank\n$/);
    expect(campaign().records).toEqual([]);
  });

  describe('next quarter against the campaign (--previous <campaign>)', () => {
    /** The campaign with sam's revokes of the developers' acme-developer-access recorded, and a changed demo where only carl left AWS-Developers. */
    async function quarterLater() {
      const { cwd } = await startedCampaign();
      const sam = readTable(join(cwd, 'packs', 'sam.okafor@example.com.csv'));
      writeTable(
        join(cwd, 'sam.csv'),
        decide(sam, (r) => (r.grant === 'managed policy acme-developer-access' ? { decision: 'revoke' } : r.grant === 'managed policy ReadOnlyAccess' ? { decision: 'keep' } : undefined)),
      );
      expect((await zt(['access-review', 'record', 'sam.csv', '--campaign', 'q4.campaign.json', '--by', 'grc@example.com', '--at', '2026-11-25'], cwd)).code).toBe(0);
      mkdirSync(join(cwd, 'q1'));
      for (const f of ['aws.json', 'kubernetes.json', 'identity.json']) cpSync(join(demoDir, f), join(cwd, 'q1', f));
      const identity = JSON.parse(readFileSync(join(cwd, 'q1', 'identity.json'), 'utf8')) as { resources: { name: string; attributes: { memberIds?: string[] } }[] };
      const developers = identity.resources.find((r) => r.name === 'AWS-Developers');
      if (!developers?.attributes.memberIds) throw new Error('demo changed: no AWS-Developers group');
      developers.attributes.memberIds = developers.attributes.memberIds.filter((id) => id !== '00u1carl0jensen0008');
      writeFileSync(join(cwd, 'q1', 'identity.json'), JSON.stringify(identity));
      return cwd;
    }

    type Verification = { counts: Record<string, number>; revocations: { state: string; principal: string; grant: string; detail: string }[]; newSinceSignOff: unknown[] };

    it('verifies each revoke against the fresh collection: carried out when the grant is gone, flagged while it is still there', async () => {
      const cwd = await quarterLater();
      const r = await zt(['access-review', '--snapshot', 'q1', '--previous', 'q4.campaign.json', '-q', '-f', 'json'], cwd);
      expect(r.code).toBe(0);
      const v = (JSON.parse(r.stdout) as { verification: Verification }).verification;
      const state = (principal: string) => v.revocations.find((x) => x.principal === principal && x.grant === 'managed policy acme-developer-access')?.state;
      expect(state('carl.jensen@example.com')).toBe('carried_out');
      expect(state('dev.patel@example.com')).toBe('still_present');
      expect(v.counts).toMatchObject({ carried_out: 1, still_present: v.revocations.length - 1, not_verified: 0, newSinceSignOff: 0 });
      const markdown = await zt(['access-review', '--snapshot', 'q1', '--previous', 'q4.campaign.json', '-q'], cwd);
      expect(markdown.stdout).toMatch(/## Revocations of campaign pk-[0-9a-f]{16} \(\d+\)/);
      expect(markdown.stdout).toMatch(/\| still present \| dev\.patel@example\.com \| managed policy acme-developer-access \|/);
    });

    it('never counts a grant as gone when its plane was not collected: not verified', async () => {
      const cwd = await quarterLater();
      const r = await zt(['access-review', '--snapshot', 'q1/identity.json', '--previous', 'q4.campaign.json', '-q', '-f', 'json'], cwd);
      expect(r.code).toBe(0);
      const v = (JSON.parse(r.stdout) as { verification: Verification }).verification;
      expect(v.counts.carried_out).toBe(0);
      expect(v.revocations.every((x) => x.state === 'not_verified' && /aws:111122223333 is not in this collection/.test(x.detail))).toBe(true);
    });

    it('carries keep decisions over to unchanged grants when review.carryOver allows, never admin ones', async () => {
      const cwd = await quarterLater();
      mkdirSync(join(cwd, '.zt'));
      writeFileSync(join(cwd, '.zt', 'config.yaml'), 'review:\n  carryOver: true\n');
      const r = await zt(['access-review', '--snapshot', 'q1', '--previous', 'q4.campaign.json', '-f', 'json', '--start-campaign', 'q1.campaign.json'], cwd);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/(\d+) keep decisions carried over from pk-/);
      const next = JSON.parse(readFileSync(join(cwd, 'q1.campaign.json'), 'utf8')) as Campaign;
      // sam kept ReadOnlyAccess for dev, ella, finn, gia (carl left the group: his rows are gone).
      expect(next.decisions.map((d) => next.items.find((i) => i.row === d.row)?.principal).sort()).toEqual(['dev.patel@example.com', 'ella.wright@example.com', 'finn.murphy@example.com', 'gia.romano@example.com']);
      expect(next.decisions.every((d) => d.decision === 'keep' && d.recordedBy === 'zt (carry-over)' && d.comment.startsWith('carried over from pk-'))).toBe(true);
      expect(next.decisions.every((d) => next.items.find((i) => i.row === d.row)?.privilege !== 'admin')).toBe(true);
    });
  });
});
