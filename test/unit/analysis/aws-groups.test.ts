import { describe, expect, it } from 'vitest';
import { ADMIN, allow, arn, factsOf, group, role, trustAws, user } from './aws-support.js';

/** Groups as subjects: what a group's own policies let any member do, and who can assume which privileged role. */

describe('groups', () => {
  const assumer = group('assumers', [], [[allow(['sts:AssumeRole'])]]);
  const admin = role('admin', trustAws([arn('root')]), { attached: [ADMIN] });
  const member = user('ana', { groups: ['assumers'] });

  it('a group whose policies reach an administrator role: the group and its member both escalate, by the same method', () => {
    const g = factsOf([assumer, admin, member], arn('group/assumers'));
    expect(g).toMatchObject({ adminEquivalent: false, canBecomeAdmin: true, assumeRoleAnywhere: true, members: [arn('user/ana')], memberCount: 1 });
    expect(g.escalationSummary).toBe('group/assumers → sts:AssumeRole role/admin → administrator');
    expect(factsOf([assumer, admin, member], arn('user/ana')).escalationSummary).toBe('user/ana → sts:AssumeRole role/admin → administrator');
  });

  it('a group is not listed among the principals that can assume a role (its members are)', () => {
    const r = factsOf([assumer, admin, member], admin.id);
    expect(r).toMatchObject({ assumableBy: [arn('user/ana')], assumableByCount: 1, assumableByNonAdmins: [arn('user/ana')], assumableByNonAdminCount: 1 });
  });

  it('administrators that can assume a role are not counted as non-administrators', () => {
    const boss = user('boss', { attached: [ADMIN] });
    expect(factsOf([admin, boss], admin.id)).toMatchObject({ assumableByCount: 1, assumableByNonAdmins: [], assumableByNonAdminCount: 0 });
  });

  it('a condition on the member (aws:username) leaves the group conditional, not denied', () => {
    const g = group('self', [], [[allow(['iam:AttachUserPolicy'], ['*']), allow(['iam:PutGroupPolicy'], [arn('group/self')], { Condition: { StringEquals: { 'aws:username': ['ana'] } } })]]);
    const f = factsOf([g], arn('group/self'));
    expect(f.privilegeEscalation.map((p: { method: string; conditional: boolean; target: string }) => [p.method, p.target, p.conditional])).toEqual([
      ['iam:AttachUserPolicy', arn('user/*'), false],
      ['iam:PutGroupPolicy', arn('group/self'), true],
    ]);
    expect(f.privilegeEscalation[1].conditions).toEqual(['StringEquals aws:username ana']);
    // A grant on one named member is not a grant on every member.
    const named = group('named', [], [[allow(['iam:AttachUserPolicy'], [arn('user/ana')])]]);
    expect(factsOf([named], arn('group/named')).canBecomeAdmin).toBe(false);
  });

  it('an empty group that grants nothing: no path, decided', () => {
    expect(factsOf([group('empty', [])], arn('group/empty'))).toMatchObject({ canBecomeAdmin: false, privilegeEscalation: [], memberCount: 0, assumeRoleAnywhere: false });
  });
});
