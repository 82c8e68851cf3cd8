import { describe, expect, it } from 'vitest';
import { demoSnapshotFiles } from '../../src/app/inputs.js';
import { readSnapshotFile } from '../../src/inventory/snapshot-file.js';
import { mergeSnapshots } from '../../src/inventory/merge.js';
import type { Review } from '../../src/review/model.js';
import { csvCell, csvColumns, renderCsv } from '../../src/review/render-csv.js';
import { renderHtml } from '../../src/review/render-html.js';
import { renderJson } from '../../src/review/render-json.js';
import { renderMarkdown } from '../../src/review/render-markdown.js';
import { buildReview } from '../../src/review/review.js';

async function demoReview(): Promise<Review> {
  const snapshots = await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f)));
  // The demo cluster's aws-auth ConfigMap is in the snapshot: the EKS links are evidenced, no identity map needed.
  return buildReview(mergeSnapshots(snapshots), { toolVersion: '0.0.0-test' });
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) — enough to check what a spreadsheet sees. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('the demo review pack', () => {
  it('matches the reviewed CSV, Markdown and JSON files', async () => {
    const review = await demoReview();
    await expect(renderCsv(review)).toMatchFileSnapshot('__snapshots__/demo-review.csv');
    await expect(renderMarkdown(review)).toMatchFileSnapshot('__snapshots__/demo-review.md');
    await expect(renderJson(review)).toMatchFileSnapshot('__snapshots__/demo-review.json');
  });

  it('is deterministic', async () => {
    const [a, b] = [await demoReview(), await demoReview()];
    expect(renderJson(a)).toBe(renderJson(b));
    expect(renderHtml(a)).toBe(renderHtml(b));
  });

  it('says what a reviewer must see: Okta group → AWS role → cluster-admin, stale admins, old keys', async () => {
    const review = await demoReview();
    const path = review.graph.paths.find((p) => p.startLabel === 'Okta group AWS-Admins' && p.target === 'ClusterRole/cluster-admin');
    expect(path).toMatchObject({ privilege: 'admin', scope: 'k8s:acme-prod', evidence: 'inferred' });
    const byName = new Map(review.principals.map((p) => [`${p.type} ${p.name}`, p]));
    expect(byName.get('aws.iam.user jsmith-admin')?.flags).toEqual(['stale', 'standing_admin']);
    expect(byName.get('aws.iam.user ci-deploy')?.flags).toContain('old_access_key');
    expect(byName.get('aws.iam.user bob.martin')?.flags).toContain('no_mfa');
    expect(byName.get('aws.iam.role vendor-monitoring')?.flags).toEqual(['cross_account', 'external']);
    expect(byName.get('k8s.group system:authenticated')?.flags).toEqual(['public']);
    expect(byName.get('idp.user lee.chen@example.com')?.flags).toEqual(['standing_admin', 'weak_mfa']);
    expect(byName.get('idp.user breakglass@example.com')?.flags).toEqual(['break_glass', 'stale', 'standing_admin']);
    expect(byName.get('k8s.serviceAccount payments/payments-worker')?.grants.map((g) => g.via)).toEqual(['role eks-irsa-payments-api']);
    expect(review.planes.every((p) => p.covered)).toBe(true);
  });
});

describe('CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['a=b', 'a=b'],
  ])('%j → %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('has one row per principal × grant, the assigned reviewer, empty decision columns and the pack id, and survives hostile names', async () => {
    const review = await demoReview();
    const hostile = { ...review, principals: review.principals.map((p, i) => (i === 0 ? { ...p, name: '=cmd|"/c calc"!A1,\r\nx' } : p)) };
    const rows = parseCsv(renderCsv(hostile));
    expect(rows[0]).toEqual([...csvColumns]);
    const expectedRows = review.principals.reduce((n, p) => n + Math.max(1, p.grants.length), 0);
    expect(rows.length - 1).toBe(expectedRows);
    for (const row of rows) expect(row.length).toBe(csvColumns.length);
    const at = (c: string) => csvColumns.indexOf(c as (typeof csvColumns)[number]);
    for (const [i, row] of rows.slice(1).entries()) {
      expect([row[at('decision')], row[at('decision_date')], row[at('comment')]]).toEqual(['', '', '']);
      expect(row[at('reviewer')]).toBe(hostile.pack.rows[i]?.reviewer ?? '');
      expect(row[at('pack_id')]).toBe(review.pack.id);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    }
    expect(rows[1]?.[at('principal')]).toBe('\'=cmd|"/c calc"!A1,\r\nx');
  });
});

describe('Markdown and HTML', () => {
  it('cannot be broken by audited text', async () => {
    const review = await demoReview();
    const nasty = '<script>alert(1)</script> | `x`\nnext';
    const hostile: Review = { ...review, principals: review.principals.map((p) => ({ ...p, name: nasty })) };
    const md = renderMarkdown(hostile);
    expect(md).not.toContain('<script>');
    for (const line of md.split('\n').filter((l) => l.includes('alert(1)'))) expect(line).toMatch(/^\|.*\|$/);
    const html = renderHtml(hostile);
    expect(html).not.toContain('<script>alert(1)');
    expect(html.match(/<script>/g)?.length).toBe(1);
  });

  it('is one self-contained HTML file: no external URL, stylesheet link or remote script', async () => {
    const html = renderHtml(await demoReview());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<link\b|<script[^>]+src=|<img[^>]+src="http|url\(http|@import/i);
    expect(html.match(/<svg /g)?.length).toBe(3);
  });
});
