import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { Campaign } from '../../src/review/campaign.js';
import type { Review } from '../../src/review/model.js';
import { parseCsv } from '../../src/text/csv.js';
import { tempTree } from '../support/temp.js';

// Scoping an access review (--plane, --source, --namespace, --exclude-namespace): only rows in
// scope are reviewed, namespace scoping leaves cluster-wide grants and other planes alone (as
// zt audit --namespace does), and a scoped run never takes what it did not look at as gone.

async function zt(argv: string[], cwd = tempTree({})) {
  const io = memoryIo({ cwd });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err(), cwd };
}
const grants = (r: Review) => r.principals.flatMap((p) => p.grants.map((g) => ({ p, g })));

describe('zt access-review scoping', () => {
  it('--plane keeps the grants of that plane, and says so in every format', async () => {
    const whole = JSON.parse((await zt(['access-review', '--demo', '-q', '-f', 'json'])).stdout) as Review;
    const r = await zt(['access-review', '--demo', '-f', 'json', '--plane', 'aws']);
    expect(r.code).toBe(0);
    const aws = JSON.parse(r.stdout) as Review;
    expect(aws.scope).toEqual({ planes: ['aws'], sources: [], namespaces: [], excludeNamespaces: [] });
    expect(grants(aws).every(({ g }) => g.plane === 'aws')).toBe(true);
    // Every AWS-plane grant of the whole review is here (IdP users' federated ones too).
    expect(grants(aws).length).toBe(grants(whole).filter(({ g }) => g.plane === 'aws').length);
    expect(aws.principals.some((p) => p.type === 'idp.user')).toBe(true);
    expect(aws.pack.rows).toHaveLength(grants(aws).length + aws.principals.filter((p) => p.grants.length === 0).length);
    expect(r.stderr).toMatch(/^scoped to plane aws: rows outside it are not reviewed, and revocations there are not verified$/m);
    const markdown = await zt(['access-review', '--demo', '-q', '--plane', 'aws', '--plane', 'identity']);
    expect(markdown.stdout).toMatch(/Scoped to planes aws, identity: only those rows are reviewed/);
    expect(whole.scope).toBeUndefined();
  });

  it('--namespace keeps that namespace\'s grants and service accounts, and cluster-wide grants; --exclude-namespace drops them', async () => {
    const shop = JSON.parse((await zt(['access-review', '--demo', '-q', '-f', 'json', '--namespace', 'shop'])).stdout) as Review;
    const namespaced = grants(shop).map(({ g }) => /\/ns\/(.+)$/.exec(g.scope)?.[1]).filter((ns) => ns !== undefined);
    expect(namespaced.length).toBeGreaterThan(0);
    expect(new Set(namespaced)).toEqual(new Set(['shop']));
    expect(grants(shop).some(({ g }) => g.scope === 'k8s:acme-prod')).toBe(true);
    expect(shop.principals.filter((p) => p.type === 'k8s.serviceAccount').every((p) => p.name.startsWith('shop/'))).toBe(true);
    expect(shop.principals.some((p) => p.plane === 'aws')).toBe(true);
    const notShop = JSON.parse((await zt(['access-review', '--demo', '-q', '-f', 'json', '--exclude-namespace', 'shop'])).stdout) as Review;
    expect(grants(notShop).some(({ g }) => g.scope.endsWith('/ns/shop'))).toBe(false);
    expect(notShop.principals.some((p) => p.type === 'k8s.serviceAccount' && p.name.startsWith('shop/'))).toBe(false);
  });

  it('--source keeps principals living in, or grants applying to, the systems named', async () => {
    const r = JSON.parse((await zt(['access-review', '--demo', '-q', '-f', 'json', '--source', 'k8s:*'])).stdout) as Review;
    expect(grants(r).length).toBeGreaterThan(0);
    for (const { p, g } of grants(r)) expect(p.source.startsWith('k8s:') || g.scope.startsWith('k8s:'), `${p.name} ${g.what}`).toBe(true);
    expect((await zt(['access-review', '--demo', '--plane', 'cloud'])).code).toBe(2);
  });

  it('a scoped run verifying last quarter\'s campaign: revocations outside its scope are not verified, never carried out, nor "removed"', async () => {
    const started = await zt(['access-review', '--demo', '-q', '-f', 'json', '-o', 'csv=pack.csv', '--start-campaign', 'q4.json']);
    expect(started.code).toBe(0);
    const cwd = started.cwd;
    const [head, ...rows] = parseCsv(readFileSync(join(cwd, 'pack.csv'), 'utf8'));
    const h = [...(head?.cells ?? [])];
    const at = (c: string) => h.indexOf(c);
    // Revoke every write grant that has a reviewer, in every plane.
    const filled = rows.filter((r) => r.cells[at('reviewer')] !== '' && r.cells[at('grant_privilege')] === 'write').map((r) => {
      const out = [...r.cells];
      out[at('decision')] = 'revoke';
      return out;
    });
    writeFileSync(join(cwd, 'back.csv'), [h, ...filled].map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n'));
    expect((await zt(['access-review', 'record', 'back.csv', '--campaign', 'q4.json', '--by', 'grc@example.com'], cwd)).code).toBe(0);
    const campaign = JSON.parse(readFileSync(join(cwd, 'q4.json'), 'utf8')) as Campaign;
    expect(campaign.items.some((i) => i.plane === 'aws' && campaign.decisions.some((d) => d.row === i.row))).toBe(true);

    const next = await zt(['access-review', '--demo', '-q', '-f', 'json', '--plane', 'kubernetes', '--previous', 'q4.json', '--start-campaign', 'q1.json'], cwd);
    expect(next.code).toBe(0);
    const review = JSON.parse(next.stdout) as Review;
    const v = review.verification!;
    const outside = v.revocations.filter((x) => /outside this review's scope \(plane kubernetes\)/.test(x.detail));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.every((x) => x.state === 'not_verified')).toBe(true);
    expect(v.counts.carried_out).toBe(0); // the demo did not change: nothing was revoked
    // Last quarter's other planes are not "removed": changes are judged within the scope.
    expect(review.changes?.changes.filter((c) => c.change === 'removed' || c.change === 'principal_removed')).toEqual([]);
    // The new campaign records its scope (the evidence shows it).
    expect((JSON.parse(readFileSync(join(cwd, 'q1.json'), 'utf8')) as Campaign).scope).toEqual({ planes: ['kubernetes'], sources: [], namespaces: [], excludeNamespaces: [] });
  });
});
