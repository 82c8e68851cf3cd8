import { describe, expect, it } from 'vitest';
import { isZtError } from '../../src/errors/zt-error.js';
import { diffReviews, parsePreviousReview } from '../../src/review/diff.js';
import type { Grant, Privilege, ReviewPrincipal } from '../../src/review/model.js';
import { makeGrant } from '../../src/review/principals.js';

const grant = (what: string, privilege: Privilege, via = 'direct'): Grant => makeGrant({ privilege, what, via, scope: 'aws:1', plane: 'aws' });

function principal(id: string, grants: Grant[]): ReviewPrincipal {
  return {
    id,
    type: 'aws.iam.user',
    plane: 'aws',
    source: 'aws:1',
    name: id,
    email: null,
    owner: null,
    manager: null,
    status: 'active',
    accountClass: 'human',
    privilege: grants.reduce<Privilege>((best, g) => (['none', 'read', 'write', 'admin'].indexOf(g.privilege) > ['none', 'read', 'write', 'admin'].indexOf(best) ? g.privilege : best), 'none'),
    grants,
    auth: { strength: 'mfa', detail: '' },
    credentials: [],
    lastUsed: null,
    lastUsedSource: 'password',
    createdAt: null,
    groups: [],
    flags: [],
  };
}

const changes = (before: ReviewPrincipal[], after: ReviewPrincipal[]) =>
  diffReviews({ collectedAt: '2026-08-01T00:00:00Z', principals: before }, { principals: after }).changes.map(
    (c) => `${c.change} ${c.principal}${c.grant ? ` ${c.grant}` : ''}${c.from || c.to ? ` ${c.from ?? '∅'}→${c.to ?? '∅'}` : ''}`,
  );

describe('what changed since the last review', () => {
  const ana = principal('ana', [grant('ReadOnly', 'read'), grant('Deploy', 'write')]);

  it.each<[string, ReviewPrincipal[], ReviewPrincipal[], string[]]>([
    ['nothing', [ana], [ana], []],
    [
      'a principal added, with what it holds (grants of "none" are not access)',
      [ana],
      [ana, principal('bo', [grant('Admin', 'admin', 'group admins'), grant('Nothing', 'none')])],
      ['principal_added bo ∅→admin', 'granted bo Admin via group admins (aws:1) ∅→admin'],
    ],
    [
      'a principal removed, with what it held',
      [ana, principal('cy', [grant('Admin', 'admin')])],
      [ana],
      ['principal_removed cy admin→∅', 'removed cy Admin via direct (aws:1) admin→∅'],
    ],
    ['a grant escalated', [ana], [principal('ana', [grant('ReadOnly', 'admin'), grant('Deploy', 'write')])], ['escalated ana ReadOnly via direct (aws:1) read→admin']],
    ['a grant de-escalated', [ana], [principal('ana', [grant('ReadOnly', 'read'), grant('Deploy', 'read')])], ['de_escalated ana Deploy via direct (aws:1) write→read']],
    [
      'the same policy through another path is a new grant and a removed one',
      [ana],
      [principal('ana', [grant('ReadOnly', 'read', 'group devs'), grant('Deploy', 'write')])],
      ['granted ana ReadOnly via group devs (aws:1) ∅→read', 'removed ana ReadOnly via direct (aws:1) read→∅'],
    ],
    ['a grant falling to none is de-escalated', [ana], [principal('ana', [grant('ReadOnly', 'none'), grant('Deploy', 'write')])], ['de_escalated ana ReadOnly via direct (aws:1) read→none']],
  ])('%s', (_name, before, after, expected) => {
    expect(changes(before, after)).toEqual(expected);
  });

  it('counts each kind of change', () => {
    const result = diffReviews(
      { collectedAt: 'x', principals: [ana, principal('gone', [])] },
      { principals: [principal('ana', [grant('ReadOnly', 'write')]), principal('new', [grant('A', 'read')])] },
    );
    expect(result.counts).toEqual({ principal_added: 1, principal_removed: 1, granted: 1, removed: 1, escalated: 1, de_escalated: 0 });
    expect(result.previousCollectedAt).toBe('x');
  });
});

describe('reading a previous review', () => {
  const good = { schemaVersion: 1, kind: 'zt-access-review', tool: { name: 'zt', version: '1' }, collectedAt: '2026-08-01T00:00:00Z', principals: [] };

  it('accepts a review of this schema version', () => {
    expect(parsePreviousReview(JSON.stringify(good), 'q3.json').collectedAt).toBe('2026-08-01T00:00:00Z');
  });

  it.each([
    ['not JSON', '{', /q3\.json is not JSON/],
    ['an audit report', JSON.stringify({ schemaVersion: 1, tool: { name: 'zt' }, findings: [] }), /not a zt access review/],
    ['another tool', JSON.stringify({ ...good, tool: { name: 'other' } }), /not a zt access review/],
    ['another schema version', JSON.stringify({ ...good, schemaVersion: 2 }), /schemaVersion 2; this zt reads version 1/],
    ['broken principals', JSON.stringify({ ...good, principals: [{ id: 'x', name: 'x', grants: [{}] }] }), /principals\[0\] is not a review principal/],
  ])('refuses %s (exit class usage)', (_name, text, message) => {
    let error: unknown;
    try {
      parsePreviousReview(text, 'q3.json');
    } catch (e) {
      error = e;
    }
    expect(isZtError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as { exitClass: string }).exitClass).toBe('usage');
  });
});
