import { describe, expect, it } from 'vitest';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { parseSnapshot, serializeSnapshot } from '../../../src/inventory/snapshot-file.js';
import { ZtError } from '../../../src/errors/zt-error.js';

const user = (id: string, extra: Record<string, unknown> = {}) => ({
  kind: 'aws.iam.group',
  id,
  name: id.split('/').pop(),
  attributes: { accountId: '111122223333', path: '/', attachedPolicies: [], inlinePolicies: [], ...extra },
  provenance: { collector: 'aws-iam', source: 'aws:111122223333' },
});
const snapshotText = (resources: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      schemaVersion: 1,
      collectedAt: '2026-01-01T00:00:00Z',
      sources: [{ collector: 'aws-iam', source: 'aws:111122223333', mode: 'offline' }],
      coverage: { 'aws.iam.group': { state: 'complete' } },
      issues: [],
      resources,
      ...extra,
    },
    null,
    2,
  );

function errorOf(fn: () => unknown): ZtError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ZtError) return error;
    throw error;
  }
  throw new Error('expected a ZtError');
}

describe('snapshot loading', () => {
  it('loads a valid snapshot', () => {
    const snapshot = parseSnapshot(snapshotText([user('arn:aws:iam::111122223333:group/admins')]), 's.json');
    expect(snapshot.resources).toHaveLength(1);
  });

  it('names the line of a JSON syntax error', () => {
    const error = errorOf(() => parseSnapshot('{\n "schemaVersion": 1,\n "x": tru\n}', 's.json'));
    expect(error.code).toBe('ZT_SNAPSHOT_SYNTAX');
    expect(error.location).toMatchObject({ file: 's.json', line: 3 });
    expect(error.message).toBe("s.json:3 is not valid JSON (Unexpected token ' ')");
  });

  it('never echoes the file content in the error (a wrong file may hold secrets)', () => {
    const error = errorOf(() => parseSnapshot('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', 'credentials'));
    expect(error.message).not.toMatch(/wJalr|aws_secret/);
    expect(error.message).toMatch(/^credentials:1 is not valid JSON/);
  });

  it('rejects a file that is not a snapshot', () => {
    const error = errorOf(() => parseSnapshot('{"hello": 1}', 'x.json'));
    expect(error.code).toBe('ZT_SNAPSHOT_SCHEMA');
    expect(error.message).toMatch(/x\.json is not a zt snapshot/);
  });

  it('explains a version mismatch', () => {
    const error = errorOf(() => parseSnapshot(snapshotText([], { schemaVersion: 9 }), 's.json'));
    expect(error.code).toBe('ZT_SNAPSHOT_VERSION');
  });

  it('names the resource, its line and the bad field', () => {
    const text = snapshotText([user('arn:aws:iam::111122223333:group/a'), user('arn:aws:iam::111122223333:group/b', { path: 7 })]);
    const error = errorOf(() => parseSnapshot(text, 's.json'));
    expect(error.code).toBe('ZT_SNAPSHOT_SCHEMA');
    expect(error.message).toMatch(/group\/b.*resources\[1\]\.attributes\.path/);
    expect(error.location?.line).toBe(text.split('\n').findIndex((l) => l.includes('group/b"')) + 1);
  });

  it('rejects unknown kinds and duplicate ids', () => {
    expect(errorOf(() => parseSnapshot(snapshotText([{ ...user('x'), kind: 'aws.iam.grp' }]), 's.json')).message).toMatch(/unknown kind "aws\.iam\.grp"/);
    expect(errorOf(() => parseSnapshot(snapshotText([user('x'), user('x')]), 's.json')).message).toMatch(/appears twice/);
  });

  it('serialises canonically: same inventory, same bytes whatever the order', () => {
    const a = parseSnapshot(snapshotText([user('b'), user('a')]), 's.json');
    const b = parseSnapshot(snapshotText([user('a'), user('b')]), 's.json');
    expect(serializeSnapshot(a)).toBe(serializeSnapshot(b));
  });

  it('merges snapshots: worst coverage wins, latest time, conflicting resources refused', () => {
    const a = parseSnapshot(snapshotText([user('a')]), 'a.json');
    // Another account: a second source.
    const other = { sources: [{ collector: 'aws-iam', source: 'aws:444455556666', mode: 'offline' }] };
    const inOther = (r: ReturnType<typeof user>) => ({ ...r, provenance: { collector: 'aws-iam', source: 'aws:444455556666' } });
    const b = parseSnapshot(
      snapshotText([inOther(user('b'))], { ...other, collectedAt: '2026-02-01T00:00:00Z', coverage: { 'aws.iam.group': { state: 'partial', reason: 'permission_denied' } } }),
      'b.json',
    );
    const merged = mergeSnapshots([a, b]);
    expect(merged.resources.map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect(merged.collectedAt).toBe('2026-02-01T00:00:00Z');
    expect(merged.coverage['aws.iam.group']?.state).toBe('partial');
    const c = parseSnapshot(snapshotText([inOther(user('a', { path: '/other/' }))], other), 'c.json');
    expect(() => mergeSnapshots([a, c])).toThrow(/resource "a" differs between snapshot 1 and snapshot 2/);
    expect(() => mergeSnapshots([a, c], ['a.json', 'c.json'])).toThrow(/resource "a" differs between a\.json and c\.json/);
    // b and c are the same account collected twice, differently: refused before any resource is compared.
    expect(() => mergeSnapshots([a, b, c], ['a.json', 'b.json', 'c.json'])).toThrow(/aws:444455556666 was collected more than once, with different contents: in b\.json and c\.json/);
  });
});
