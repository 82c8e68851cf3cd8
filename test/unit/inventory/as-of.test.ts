import { describe, expect, it } from 'vitest';
import { dateUnknownSources, laterAsOf, noteUnknownTimes, SourceTimes, undatedSources } from '../../../src/inventory/as-of.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import type { Resource, Snapshot } from '../../../src/inventory/snapshot.js';
import type { SnapshotSource } from '../../../src/model/coverage.js';
import { parseIsoDateTime } from '../../../src/text/as-of-text.js';
import { idpUser } from '../../support/snapshots.js';

const user = (login: string, source: string): Resource => {
  const r = idpUser(login, []);
  return { ...r, id: `okta://${source}/user/${login}`, provenance: { collector: 'okta', source } } as unknown as Resource;
};

function snapshot(collectedAt: string | null, sources: SnapshotSource[], resources: Resource[] = []): Snapshot {
  return { schemaVersion: 1, collectedAt, sources, coverage: {}, issues: [], resources };
}

const okta = (source: string, asOf?: string | null): SnapshotSource => ({ collector: 'okta', source, mode: 'offline', ...(asOf === undefined ? {} : { asOf }) });

describe('SourceTimes: each resource is as of its own source', () => {
  it('by provenance; a source without a time of its own (older snapshots) has the snapshot time; a resource no source lists too', () => {
    const snap = snapshot('2026-03-01T00:00:00Z', [okta('okta:a', '2026-01-01T00:00:00Z'), okta('okta:b', null), okta('okta:old')]);
    const times = new SourceTimes(snap);
    expect(times.of(user('x', 'okta:a')).iso).toBe('2026-01-01T00:00:00Z');
    expect(times.of(user('x', 'okta:a')).at).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(times.of(user('x', 'okta:b'))).toMatchObject({ iso: null, at: null, label: 'okta:b' });
    expect(times.of(user('x', 'okta:old')).iso).toBe('2026-03-01T00:00:00Z');
    expect(times.of(user('x', 'okta:nobody')).iso).toBe('2026-03-01T00:00:00Z');
    // One object per source, so callers can remember what they derive from it.
    expect(times.of(user('x', 'okta:a'))).toBe(times.of(user('y', 'okta:a')));
    expect(times.ofSource('okta:a').iso).toBe('2026-01-01T00:00:00Z');
  });

  it('a source listed twice (two snapshots of it) is as of the later time; a known time wins over an unknown one', () => {
    const times = new SourceTimes(snapshot('2026-03-01T00:00:00Z', [okta('okta:a', '2026-01-01T00:00:00Z'), okta('okta:a', null), okta('okta:a', '2026-02-01T00:00:00Z')]));
    expect(times.of(user('x', 'okta:a')).iso).toBe('2026-02-01T00:00:00Z');
    expect(laterAsOf(null, '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(laterAsOf('2026-01-01T02:00:00+02:00', '2025-12-31T23:30:00Z')).toBe('2026-01-01T02:00:00+02:00');
    expect(laterAsOf('2026-01-01T01:00:00+02:00', '2025-12-31T23:30:00Z')).toBe('2025-12-31T23:30:00Z');
    expect(laterAsOf(null, null)).toBeNull();
  });
});

describe('mergeSnapshots keeps each source time', () => {
  it('an older snapshot (no asOf) merged with a later one keeps its own time, written out', () => {
    const old = snapshot('2026-01-01T00:00:00Z', [okta('okta:a')], [user('x', 'okta:a')]);
    const recent = snapshot('2026-03-01T00:00:00Z', [okta('okta:b', '2026-03-01T00:00:00Z')], [user('y', 'okta:b')]);
    const merged = mergeSnapshots([old, recent]);
    expect(merged.collectedAt).toBe('2026-03-01T00:00:00Z');
    expect(merged.sources).toEqual([okta('okta:a', '2026-01-01T00:00:00Z'), okta('okta:b', '2026-03-01T00:00:00Z')]);
    expect(new SourceTimes(merged).of(user('x', 'okta:a')).iso).toBe('2026-01-01T00:00:00Z');
  });

  it('a snapshot whose time is unknown merged with a dated one: the merged time is the known one, the unknown source stays unknown', () => {
    const merged = mergeSnapshots([snapshot(null, [okta('okta:a', null)]), snapshot('2026-03-01T00:00:00Z', [okta('okta:b', '2026-03-01T00:00:00Z')])]);
    expect(merged.collectedAt).toBe('2026-03-01T00:00:00Z');
    expect(merged.sources.map((s) => s.asOf)).toEqual([null, '2026-03-01T00:00:00Z']);
  });
});

describe('--as-of (dateUnknownSources)', () => {
  it('dates the sources whose time is unknown, keeps the others, and moves the snapshot time to the latest', () => {
    const snap = snapshot('2026-01-01T00:00:00Z', [okta('okta:a', null), okta('okta:b', '2026-01-01T00:00:00Z'), okta('okta:old')]);
    const dated = dateUnknownSources(snap, '2026-02-01T00:00:00.000Z');
    expect(dated.collectedAt).toBe('2026-02-01T00:00:00.000Z');
    // okta:old (no asOf: the snapshot's time) is pinned to the time it had.
    expect(dated.sources).toEqual([okta('okta:a', '2026-02-01T00:00:00.000Z'), okta('okta:b', '2026-01-01T00:00:00Z'), okta('okta:old', '2026-01-01T00:00:00Z')]);
    // Nothing unknown: the snapshot as it was.
    const known = snapshot('2026-01-01T00:00:00Z', [okta('okta:b', '2026-01-01T00:00:00Z')]);
    expect(dateUnknownSources(known, '2026-02-01T00:00:00.000Z')).toBe(known);
  });
});

describe('noteUnknownTimes', () => {
  it('one warning per source with resources whose time is unknown, first; warnings already in the snapshot are replaced', () => {
    const snap: Snapshot = {
      ...snapshot(null, [okta('okta:a', null), okta('okta:empty', null), okta('okta:b', '2026-01-01T00:00:00Z')], [user('x', 'okta:a'), user('y', 'okta:a'), user('z', 'okta:b')]),
      issues: [
        { collector: 'okta', severity: 'warning', code: 'ZT_AS_OF_UNKNOWN', message: 'okta:gone: stale', kinds: [] },
        { collector: 'okta', severity: 'info', code: 'ZT_OKTA_FASTPASS', message: 'other', kinds: [] },
      ],
    };
    const noted = noteUnknownTimes(snap);
    expect(noted.issues.map((i) => [i.code, i.message.split(':').slice(0, 2).join(':')])).toEqual([
      ['ZT_AS_OF_UNKNOWN', 'okta:a'],
      ['ZT_OKTA_FASTPASS', 'other'],
    ]);
    // A source also listed with a time (two snapshots of it merged) is as of that time: no warning.
    const twice = snapshot(null, [okta('okta:a', null), okta('okta:a', '2026-01-01T00:00:00Z')], [user('x', 'okta:a')]);
    expect(undatedSources(twice)).toEqual([]);
    expect(noteUnknownTimes(twice).issues).toEqual([]);
    expect(undatedSources(snapshot(null, [okta('okta:a', null), okta('okta:a', null), okta('okta:old')]))).toEqual([okta('okta:a', null), okta('okta:old')]);
    // Dated later with --as-of: the warning goes.
    expect(noteUnknownTimes(dateUnknownSources(noted, '2026-02-01T00:00:00.000Z')).issues.map((i) => i.code)).toEqual(['ZT_OKTA_FASTPASS']);
  });
});

describe('parseIsoDateTime (--as-of, exportedAt, GeneratedTime)', () => {
  it('takes an ISO 8601 date-time with a zone, seconds and fractions optional', () => {
    expect(parseIsoDateTime('2026-03-01T09:00:00Z')?.toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(parseIsoDateTime('2026-03-01T10:00+01:00')?.toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(parseIsoDateTime('2024-02-29T23:59:59.5-05:30')?.toISOString()).toBe('2024-03-01T05:29:59.500Z');
  });

  it('refuses anything else, including dates that do not exist (Date.parse would roll them over)', () => {
    for (const bad of ['', 'yesterday', '2026-03-01', '2026-03-01T09:00:00', '2026-03-01 09:00:00Z', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00+24:00', '2026-01-01t00:00:00z']) {
      expect(parseIsoDateTime(bad), bad).toBeUndefined();
    }
  });
});
