import { describe, expect, it } from 'vitest';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { splitBySource } from '../../../src/inventory/split.js';
import type { Resource, Snapshot } from '../../../src/inventory/snapshot.js';
import type { KindCoverage } from '../../../src/model/coverage.js';

// Design §10, targets: merging keys on the resource id; a fact shared by targets (an
// AWS-managed policy) is one fact, and the same target collected twice is a decision the
// user makes (--prefer-latest), never a silent pick.

const managed = (account: string, statement: string): Resource => ({
  kind: 'aws.iam.policy',
  id: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
  name: 'ReadOnlyAccess',
  attributes: { accountId: null, path: '/', awsManaged: true, defaultVersionId: 'v1', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [statement], Resource: ['*'] }] }, attachmentCount: null, permissionsBoundaryUsageCount: null },
  provenance: { collector: 'aws-iam', source: `aws:${account}` },
});
const group = (account: string, name: string, path = '/'): Resource => ({
  kind: 'aws.iam.group',
  id: `arn:aws:iam::${account}:group/${name}`,
  name,
  attributes: { accountId: account, path, attachedPolicies: [], inlinePolicies: [] },
  provenance: { collector: 'aws-iam', source: `aws:${account}` },
});
const snapshot = (account: string, asOf: string | null, resources: Resource[], coverage: Record<string, KindCoverage> = { 'aws.iam.group': { state: 'complete' } }): Snapshot => ({
  schemaVersion: 1,
  collectedAt: asOf,
  sources: [{ collector: 'aws-iam', source: `aws:${account}`, mode: 'offline', asOf }],
  coverage,
  coverageBySource: { [`aws:${account}`]: coverage },
  issues: [{ collector: 'aws-iam', severity: 'info', code: 'ZT_TEST', message: `from ${account} at ${asOf}`, kinds: [] }],
  resources,
});

describe('merging the snapshots of many targets', () => {
  it('an AWS-managed policy seen from two accounts is one resource, whatever the order', () => {
    const a = snapshot('111111111111', '2026-01-01T00:00:00Z', [managed('111111111111', 's3:Get*'), group('111111111111', 'dev')]);
    const b = snapshot('222222222222', '2026-01-01T00:00:00Z', [managed('222222222222', 's3:Get*'), group('222222222222', 'dev')]);
    const ab = mergeSnapshots([a, b]);
    expect(ab.resources.filter((r) => r.kind === 'aws.iam.policy')).toHaveLength(1);
    expect(ab.resources.filter((r) => r.kind === 'aws.iam.group')).toHaveLength(2);
    expect(JSON.stringify(mergeSnapshots([b, a]).resources.find((r) => r.kind === 'aws.iam.policy'))).toBe(JSON.stringify(ab.resources.find((r) => r.kind === 'aws.iam.policy')));
  });

  it('an AWS-managed policy that AWS changed between two collections: the later view is the one kept', () => {
    const old = snapshot('111111111111', '2026-01-01T00:00:00Z', [managed('111111111111', 's3:Get*')]);
    const recent = snapshot('222222222222', '2026-03-01T00:00:00Z', [managed('222222222222', 's3:List*')]);
    for (const order of [[old, recent], [recent, old]]) {
      const policy = mergeSnapshots(order).resources[0]!;
      expect(policy.provenance.source).toBe('aws:222222222222');
    }
  });

  it('a resource of one account held by two sources with other contents is a conflict naming both files', () => {
    const a = snapshot('111111111111', '2026-01-01T00:00:00Z', [group('111111111111', 'dev')]);
    const b = snapshot('222222222222', '2026-01-01T00:00:00Z', [{ ...group('111111111111', 'dev', '/other/'), provenance: { collector: 'aws-iam', source: 'aws:222222222222' } }]);
    expect(() => mergeSnapshots([a, b], { origins: ['a.json', 'b.json'] })).toThrow(/resource "arn:aws:iam::111111111111:group\/dev" differs between a\.json and b\.json/);
  });

  it('the same account collected twice differently is refused, naming both files and --prefer-latest', () => {
    const jan = snapshot('111111111111', '2026-01-01T00:00:00Z', [group('111111111111', 'dev'), group('111111111111', 'ops')]);
    const mar = snapshot('111111111111', '2026-03-01T00:00:00Z', [group('111111111111', 'dev')], { 'aws.iam.group': { state: 'partial', reason: 'api_error' } });
    let error: unknown;
    try {
      mergeSnapshots([jan, mar], { origins: ['jan.json', 'mar.json'] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ZT_SNAPSHOT_DUPLICATE_SOURCE', message: 'aws:111111111111 was collected more than once, with different contents: in jan.json and mar.json' });
    expect(String((error as { hint: string }).hint)).toMatch(/--prefer-latest/);
  });

  it('--prefer-latest keeps the copy taken last: its resources, its coverage, its issues, in either order', () => {
    const jan = snapshot('111111111111', '2026-01-01T00:00:00Z', [group('111111111111', 'dev'), group('111111111111', 'ops')]);
    const mar = snapshot('111111111111', '2026-03-01T00:00:00Z', [group('111111111111', 'dev')], { 'aws.iam.group': { state: 'partial', reason: 'api_error' } });
    const other = snapshot('222222222222', '2026-02-01T00:00:00Z', [group('222222222222', 'dev')]);
    for (const order of [[jan, mar, other], [mar, other, jan]]) {
      const merged = mergeSnapshots(order, { preferLatest: true });
      expect(merged.resources.map((r) => r.id).sort()).toEqual(['arn:aws:iam::111111111111:group/dev', 'arn:aws:iam::222222222222:group/dev']);
      expect(merged.sources.map((s) => `${s.source}@${s.asOf}`).sort()).toEqual(['aws:111111111111@2026-03-01T00:00:00Z', 'aws:222222222222@2026-02-01T00:00:00Z']);
      expect(merged.coverage['aws.iam.group']).toEqual({ state: 'partial', reason: 'api_error' });
      expect(merged.issues.map((i) => i.message).sort()).toEqual(['from 111111111111 at 2026-03-01T00:00:00Z', 'from 222222222222 at 2026-02-01T00:00:00Z']);
    }
  });

  it('--prefer-latest refuses two different copies of the same time (it cannot tell which is later)', () => {
    const a = snapshot('111111111111', '2026-01-01T00:00:00Z', [group('111111111111', 'dev')]);
    const b = snapshot('111111111111', '2026-01-01T00:00:00Z', [group('111111111111', 'ops')]);
    expect(() => mergeSnapshots([a, b], { origins: ['a.json', 'b.json'], preferLatest: true })).toThrow(/cannot tell which is later: a\.json and b\.json are of the same time/);
  });

  it('the same file given twice is one copy, not a conflict', () => {
    const a = snapshot('111111111111', '2026-01-01T00:00:00Z', [group('111111111111', 'dev')]);
    const merged = mergeSnapshots([a, a]);
    expect(merged.resources).toHaveLength(1);
    expect(merged.sources).toHaveLength(1);
  });

  it('split per source (--out-dir) and merged back: the same snapshot, each issue once', () => {
    const a = snapshot('111111111111', '2026-01-01T00:00:00Z', [group('111111111111', 'dev')]);
    const b = snapshot('222222222222', '2026-01-01T00:00:00Z', [group('222222222222', 'dev')]);
    const whole = mergeSnapshots([a, b]);
    // Issues do not name their source: each part carries its collector's issues.
    const parts = splitBySource(whole).map((p) => p.snapshot);
    expect(parts.map((p) => p.issues.length)).toEqual([2, 2]);
    const back = mergeSnapshots(parts);
    expect(back.issues).toEqual(whole.issues);
    expect(back.resources).toEqual(whole.resources);
    expect(back.coverageBySource).toEqual(whole.coverageBySource);
  });
});
