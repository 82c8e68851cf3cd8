import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { ACCOUNT, ADMIN, allow, arn, deny, doc, group, policy, role, trustAws, trustService, user, type Statement } from './aws-support.js';
import { facts } from './support.js';

const get = (resources: Resource[], id: string) => facts(resources).get(id) as Record<string, any>;
/** Fields the analysis leaves unknown for this resource (a rule reading one is not evaluated), with why. */
const unknownFields = (resources: Resource[], id: string): Record<string, string> =>
  Object.fromEntries(Object.entries(facts(resources).unknownsOf({ kind: resources.find((r) => r.id === id)?.kind ?? '', id }) ?? {}).map(([k, v]) => [k, v.explain()]));

describe('effective admin through the evaluator', () => {
  it('AdministratorAccess through a group is admin; a Deny on iam:* takes it away', () => {
    const admins = group('admins', [ADMIN]);
    expect(get([admins, user('ana', { groups: ['admins'] })], arn('user/ana'))).toMatchObject({ adminEquivalent: true, adminGrants: ['group admins → managed policy AdministratorAccess'], iamFullAccess: true });
    const denied = user('ana', { groups: ['admins'], inline: [[deny(['iam:*'])]] });
    expect(get([admins, denied], arn('user/ana'))).toMatchObject({ adminEquivalent: false, iamFullAccess: false, canBecomeAdmin: false });
  });

  it('a permissions boundary narrows an admin policy', () => {
    const boundary = policy('dev-boundary', doc(allow(['s3:*', 'logs:*'])));
    const u = user('dev', { attached: [ADMIN], boundary: boundary.id });
    expect(get([boundary, u], u.id)).toMatchObject({ adminEquivalent: false, canBecomeAdmin: false, dataReadEverywhere: ['s3:GetObject'] });
  });

  it('a boundary that was not collected leaves admin unknown', () => {
    const u = user('dev', { attached: [ADMIN], boundary: arn('policy/missing') });
    expect(unknownFields([u], u.id).adminEquivalent).toMatch(/boundary arn:aws:iam::111122223333:policy\/missing is not in the snapshot/);
    expect(get([u], u.id).adminEquivalent).toBeUndefined();
  });

  it('NotAction grants that leave IAM in are admin; PowerUserAccess is not', () => {
    const notAction = user('n', { inline: [[{ Effect: 'Allow', NotAction: ['s3:*'], Resource: ['*'] }]] });
    expect(get([notAction], notAction.id).adminEquivalent).toBe(true);
    const power = user('p', { attached: [{ policyName: 'PowerUserAccess', policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }] });
    expect(get([power], power.id)).toMatchObject({ adminEquivalent: false, iamFullAccess: false });
  });

  it('admin that depends on MFA is admin, with the condition named', () => {
    const u = user('m', { inline: [[allow(['*'], ['*'], { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } })]] });
    expect(get([u], u.id)).toMatchObject({ adminEquivalent: true, adminConditions: ['aws:MultiFactorAuthPresent'] });
  });

  it('unknown when a policy document is missing and nothing known grants admin', () => {
    const u = user('x', { attached: [{ policyName: 'gone', policyArn: arn('policy/gone') }] });
    const unknown = unknownFields([u], u.id);
    // Every "nothing found" answer is unknown, never a pass: admin, escalation, reads, assumable roles.
    for (const field of ['adminEquivalent', 'canBecomeAdmin', 'iamFullAccess', 'dataReadEverywhere', 'computeEscalation', 'assumeRoleAnywhere', 'assumableRoleCount']) {
      expect(unknown[field], field).toMatch(/managed policy arn:aws:iam::111122223333:policy\/gone is not in the snapshot/);
    }
  });

  it('what was found despite a missing document stands: admin through a policy that was read', () => {
    const u = user('x', { attached: [ADMIN, { policyName: 'gone', policyArn: arn('policy/gone') }] });
    expect(get([u], u.id)).toMatchObject({ adminEquivalent: true });
    expect(unknownFields([u], u.id).adminEquivalent).toBeUndefined();
  });

  it('whoever can assume a role with a missing document cannot be said to stay below administrator', () => {
    const r = role('mystery', trustAws([arn('user/hop')]), { attached: [{ policyName: 'gone', policyArn: arn('policy/gone') }] });
    const hop = user('hop', { inline: [[allow(['sts:AssumeRole'], [r.id])]] });
    expect(get([r, hop], hop.id).adminEquivalent).toBe(false);
    expect(unknownFields([r, hop], hop.id).canBecomeAdmin).toMatch(/can assume role\/mystery/);
  });

  it("a role's assumable-by lists are unknown when its trust admits a principal with a missing document", () => {
    const r = role('target', trustAws([`arn:aws:iam::${ACCOUNT}:root`]), { attached: [ADMIN] });
    const gap = user('gap', { attached: [{ policyName: 'gone', policyArn: arn('policy/gone') }] });
    expect(unknownFields([r, gap], r.id)).toMatchObject({ assumableByNonAdminCount: expect.stringMatching(/admits user\/gap/), assumableByUsersWithoutMfa: expect.stringMatching(/admits user\/gap/) });
    // Without the gap, the lists are known (empty: no one holds sts:AssumeRole).
    expect(unknownFields([r], r.id).assumableByNonAdminCount).toBeUndefined();
  });
});

describe('single-step privilege escalation', () => {
  const adminLambdaRole = role('lambda-admin', trustService('lambda.amazonaws.com'), { attached: [ADMIN] });

  it('iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction with an admin role that trusts Lambda', () => {
    const u = user('dev', { inline: [[allow(['lambda:CreateFunction', 'lambda:InvokeFunction'])], [allow(['iam:PassRole'], [arn('role/*')])]] });
    const f = get([adminLambdaRole, u], u.id);
    expect(f.canBecomeAdmin).toBe(true);
    expect(f.privilegeEscalation[0]).toMatchObject({ method: 'iam:PassRole+lambda', via: [], target: adminLambdaRole.id, actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] });
    expect(f.escalationSummary).toBe('user/dev → new Lambda function: iam:PassRole role/lambda-admin with lambda:CreateFunction, lambda:InvokeFunction → administrator');
  });

  it('no escalation when the admin role trusts another service, or PassRole is limited to another service', () => {
    const ec2Admin = role('ec2-admin', trustService('ec2.amazonaws.com'), { attached: [ADMIN] });
    const u = user('dev', { inline: [[allow(['lambda:CreateFunction', 'lambda:InvokeFunction', 'iam:PassRole'])]] });
    expect(get([ec2Admin, u], u.id).canBecomeAdmin).toBe(false);
    const scoped = user('dev', {
      inline: [[allow(['lambda:CreateFunction', 'lambda:InvokeFunction']), allow(['iam:PassRole'], ['*'], { Condition: { StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] } } })]],
    });
    expect(get([adminLambdaRole, scoped], scoped.id).canBecomeAdmin).toBe(false);
  });

  it('ec2:RunInstances with PassRole on an admin instance role', () => {
    const ec2Admin = role('ec2-admin', trustService('ec2.amazonaws.com'), { attached: [ADMIN] });
    const u = user('ops', { inline: [[allow(['ec2:RunInstances', 'iam:PassRole'])]] });
    expect(get([ec2Admin, u], u.id).privilegeEscalation.map((p: { method: string }) => p.method)).toEqual(['iam:PassRole+ec2']);
  });

  it.each([
    ['iam:AttachUserPolicy on itself', [allow(['iam:AttachUserPolicy'], [arn('user/${aws:username}')])], 'iam:AttachUserPolicy', arn('user/eve')],
    ['iam:PutUserPolicy on itself', [allow(['iam:PutUserPolicy'], [arn('user/eve')])], 'iam:PutUserPolicy', arn('user/eve')],
    ['iam:CreatePolicyVersion on its own customer policy', [allow(['iam:CreatePolicyVersion'], [arn('policy/eve-tools')])], 'iam:CreatePolicyVersion', arn('policy/eve-tools')],
    ['iam:AddUserToGroup on an admin group', [allow(['iam:AddUserToGroup'], [arn('group/admins')])], 'iam:AddUserToGroup', arn('group/admins')],
    ['iam:UpdateAssumeRolePolicy on an admin role', [allow(['iam:UpdateAssumeRolePolicy'])], 'iam:UpdateAssumeRolePolicy', arn('role/lambda-admin')],
    ['iam:CreateAccessKey on an admin user', [allow(['iam:CreateAccessKey'], [arn('user/root-ops')])], 'iam:CreateAccessKey', arn('user/root-ops')],
    ['iam:UpdateLoginProfile on an admin user', [allow(['iam:UpdateLoginProfile'], [arn('user/root-ops')])], 'iam:UpdateLoginProfile', arn('user/root-ops')],
  ] as const)('%s', (_name, statements, method, target) => {
    const tools = policy('eve-tools', doc(allow(['s3:ListBucket'])));
    const u = user('eve', { inline: [[...statements]], attached: [{ policyName: 'eve-tools', policyArn: tools.id }] });
    const f = get([tools, u, group('admins', [ADMIN]), adminLambdaRole, user('root-ops', { attached: [ADMIN] })], u.id);
    expect(f.adminEquivalent).toBe(false);
    expect(f.canBecomeAdmin).toBe(true);
    expect(f.privilegeEscalation).toEqual([expect.objectContaining({ method, target, via: [] })]);
  });

  it('CreateAccessKey on itself or on a non-admin user is not escalation', () => {
    const u = user('eve', { inline: [[allow(['iam:CreateAccessKey'])]] });
    expect(get([u, user('other')], u.id).canBecomeAdmin).toBe(false);
  });

  it('a boundary stops self-granting unless the boundary can be deleted', () => {
    const boundary = policy('b', doc(allow(['iam:AttachUserPolicy', 'iam:DeleteUserPermissionsBoundary', 's3:*'])));
    const u = user('eve', { inline: [[allow(['iam:AttachUserPolicy'])]], boundary: boundary.id });
    expect(get([boundary, u], u.id).canBecomeAdmin).toBe(false);
    const v = user('eve', { inline: [[allow(['iam:AttachUserPolicy', 'iam:DeleteUserPermissionsBoundary'])]], boundary: boundary.id });
    expect(get([boundary, v], v.id).privilegeEscalation[0]).toMatchObject({ method: 'iam:AttachUserPolicy', actions: ['iam:DeleteUserPermissionsBoundary', 'iam:AttachUserPolicy'] });
  });

  it('iam:Put<Self>PermissionsBoundary with AdministratorAccess lifts the boundary, unless iam:PermissionsBoundary pins another policy', () => {
    const boundary = policy('b', doc(allow(['iam:AttachUserPolicy', 'iam:PutUserPermissionsBoundary', 's3:*'])));
    // Identity grants admin; only the boundary holds it back; setting the boundary to AdministratorAccess frees it.
    const admin = user('ana', { attached: [ADMIN], inline: [[allow(['iam:PutUserPermissionsBoundary'])]], boundary: boundary.id });
    expect(get([boundary, admin], admin.id)).toMatchObject({ adminEquivalent: false, canBecomeAdmin: true });
    const paths = get([boundary, admin], admin.id).privilegeEscalation as { method: string }[];
    expect(paths.find((p) => p.method === 'iam:PutUserPermissionsBoundary')).toMatchObject({ steps: [expect.objectContaining({ detail: 'boundary set to arn:aws:iam::aws:policy/AdministratorAccess' })] });
    // A self-grant that the boundary capped: replace the boundary, then attach.
    const eve = user('eve', { inline: [[allow(['iam:AttachUserPolicy', 'iam:PutUserPermissionsBoundary'])]], boundary: boundary.id });
    expect(get([boundary, eve], eve.id).privilegeEscalation[0]).toMatchObject({ method: 'iam:AttachUserPolicy', actions: ['iam:PutUserPermissionsBoundary', 'iam:AttachUserPolicy'] });
    // The guard AWS documents for delegated administration: deny setting any other boundary.
    const pinned = user('bo', {
      attached: [ADMIN],
      inline: [[deny(['iam:PutUserPermissionsBoundary'], ['*'], { Condition: { StringNotEquals: { 'iam:PermissionsBoundary': [boundary.id] } } })]],
      boundary: boundary.id,
    });
    expect(get([boundary, pinned], pinned.id)).toMatchObject({ canBecomeAdmin: false });
  });

  it('an explicit Deny on the escalation action blocks it', () => {
    const u = user('eve', { inline: [[allow(['iam:AttachUserPolicy']), deny(['iam:Attach*'])]] });
    expect(get([u], u.id).canBecomeAdmin).toBe(false);
  });
});

describe('multi-hop escalation through sts:AssumeRole', () => {
  it('user → role trusting the account → role that can attach policies to itself', () => {
    const hop = role('deployer', trustAws([`arn:aws:iam::${ACCOUNT}:root`]), { inline: [[allow(['iam:AttachRolePolicy'], [arn('role/deployer')])]] });
    const u = user('ci', { inline: [[allow(['sts:AssumeRole'], [arn('role/deploy*')])]] });
    const f = get([hop, u], u.id);
    expect(f.assumableRoles).toEqual([hop.id]);
    expect(f.privilegeEscalation).toEqual([expect.objectContaining({ method: 'iam:AttachRolePolicy', via: [hop.id], target: hop.id })]);
    expect(f.escalationSummary).toBe('user/ci → sts:AssumeRole role/deployer → iam:AttachRolePolicy on role/deployer (attaching arn:aws:iam::aws:policy/AdministratorAccess) → administrator');
    expect(get([hop, u], hop.id)).toMatchObject({ canBecomeAdmin: true, assumableBy: [u.id] });
  });

  it('a chain of two roles ending in an admin role', () => {
    const admin = role('admin', trustAws([arn('role/hop')]), { attached: [ADMIN] });
    const hop = role('hop', trustAws([ACCOUNT]), { inline: [[allow(['sts:AssumeRole'], [admin.id])]] });
    const u = user('ci', { inline: [[allow(['sts:AssumeRole'])]] });
    const f = get([admin, hop, u], u.id);
    expect(f.privilegeEscalation[0]).toMatchObject({ method: 'sts:AssumeRole', via: [hop.id], target: admin.id });
    expect(f.escalationSummary).toBe('user/ci → sts:AssumeRole role/hop → sts:AssumeRole role/admin → administrator');
  });

  it('trust of the account root needs an identity-policy Allow; a trust naming the user does not', () => {
    const admin = role('admin', trustAws([`arn:aws:iam::${ACCOUNT}:root`]), { attached: [ADMIN] });
    const u = user('ci');
    expect(get([admin, u], u.id)).toMatchObject({ canBecomeAdmin: false, assumableRoles: [] });
    const named = role('admin', trustAws([u.id]), { attached: [ADMIN] });
    expect(get([named, u], u.id)).toMatchObject({ canBecomeAdmin: true, assumableRoles: [named.id] });
    const denied = user('ci', { inline: [[deny(['sts:AssumeRole'])]] });
    expect(get([named, denied], denied.id).canBecomeAdmin).toBe(false);
  });

  it('an MFA condition on the trust makes the path conditional and keeps users without MFA out', () => {
    const admin = role('admin', trustAws([ACCOUNT], { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } }), { attached: [ADMIN] });
    const u = user('ops', { inline: [[allow(['sts:AssumeRole'])]] });
    const f = get([admin, u], u.id);
    expect(f.privilegeEscalation[0].conditionKeys).toEqual(['aws:MultiFactorAuthPresent']);
    expect(get([admin, u], admin.id)).toMatchObject({ assumableBy: [u.id], assumableByUsersWithoutMfa: [] });
    const lax = role('admin', trustAws([ACCOUNT]), { attached: [ADMIN] });
    expect(get([lax, u], lax.id).assumableByUsersWithoutMfa).toEqual([u.id]);
  });

  it('cycles without an admin terminate with no path', () => {
    const a = role('a', trustAws([arn('role/b')]), { inline: [[allow(['sts:AssumeRole'])]] });
    const b = role('b', trustAws([arn('role/a')]), { inline: [[allow(['sts:AssumeRole'])]] });
    const f = facts([a, b]);
    expect(f.get(a.id)).toMatchObject({ canBecomeAdmin: false, assumableRoles: [b.id] });
    expect(f.get(b.id)).toMatchObject({ canBecomeAdmin: false, assumableRoles: [a.id] });
  });

  it('paths are bounded and deterministic', () => {
    const admins = Array.from({ length: 15 }, (_, i) => role(`admin-${String(i).padStart(2, '0')}`, trustAws([ACCOUNT]), { attached: [ADMIN] }));
    const u = user('ci', { inline: [[allow(['sts:AssumeRole'])]] });
    const one = get([...admins, u], u.id);
    const two = get([u, ...[...admins].reverse()], u.id);
    expect(one.privilegeEscalation).toHaveLength(10);
    expect(one.privilegeEscalation).toEqual(two.privilegeEscalation);
    expect(one.privilegeEscalation[0].target).toBe(admins[0]?.id);
    expect(one.assumableRoleCount).toBe(15);
  });
});

describe('trust-policy facts', () => {
  const oidc = (host: string, condition?: Statement) =>
    doc({ Effect: 'Allow', Principal: { Federated: [arn(`oidc-provider/${host}`)] }, Action: ['sts:AssumeRoleWithWebIdentity'], ...(condition ? { Condition: condition } : {}) });
  const GH = 'token.actions.githubusercontent.com';
  const EKS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';

  it.each([
    ['GitHub without sub', oidc(GH, { StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com'] } }), [GH]],
    ['GitHub org-wide wildcard', oidc(GH, { StringLike: { [`${GH}:sub`]: ['repo:acme/*'] } }), [GH]],
    ['GitHub repo pinned, any branch', oidc(GH, { StringLike: { [`${GH}:sub`]: ['repo:acme/infra:*'] } }), []],
    ['GitHub exact', oidc(GH, { StringEquals: { [`${GH}:sub`]: ['repo:acme/infra:ref:refs/heads/main'] } }), []],
    ['GitHub sub under IfExists', oidc(GH, { StringEqualsIfExists: { [`${GH}:sub`]: ['repo:acme/infra:ref:refs/heads/main'] } }), [GH]],
    ['EKS namespace wildcard', oidc(EKS, { StringLike: { [`${EKS}:sub`]: ['system:serviceaccount:payments:*'] } }), [EKS]],
    ['EKS exact', oidc(EKS, { StringEquals: { [`${EKS}:sub`]: ['system:serviceaccount:payments:api'] } }), []],
    ['no condition at all', oidc(EKS), [EKS]],
    ['Cognito pinned by its identity pool (aud)', doc({ Effect: 'Allow', Principal: { Federated: ['cognito-identity.amazonaws.com'] }, Action: ['sts:AssumeRoleWithWebIdentity'], Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': ['eu-west-1:1234'] } } }), []],
    ['Cognito without aud', doc({ Effect: 'Allow', Principal: { Federated: ['cognito-identity.amazonaws.com'] }, Action: ['sts:AssumeRoleWithWebIdentity'] }), ['cognito-identity.amazonaws.com']],
  ] as const)('%s → unpinned %j', (_name, trust, expected) => {
    const r = role('r', trust);
    expect(get([r], r.id).oidcSubjectUnpinned).toEqual(expected);
  });

  // Restated from AWS's condition operator and global condition key references: a "*" trust is
  // restricted only by a positive condition the caller cannot escape by leaving the key out,
  // whose value names an account, organisation, ARN of one account or an exact external id.
  it.each([
    ['StringEquals aws:PrincipalOrgID (exact, any literal)', { StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } }, false],
    ['StringLike aws:PrincipalOrgID "*"', { StringLike: { 'aws:PrincipalOrgID': ['*'] } }, true],
    ['StringLike aws:PrincipalAccount "1111*"', { StringLike: { 'aws:PrincipalAccount': ['1111*'] } }, true],
    ['StringNotEquals aws:PrincipalAccount', { StringNotEquals: { 'aws:PrincipalAccount': ['999999999999'] } }, true],
    ['ArnLike aws:PrincipalArn with a wildcard account', { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/deployer'] } }, true],
    ['ArnLike aws:PrincipalArn with one account', { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::444455556666:role/ci-*'] } }, false],
    ['ArnEquals (takes wildcards too) with a wildcard account', { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::*:root'] } }, true],
    ['ForAllValues:StringLike aws:PrincipalOrgPaths (true when absent)', { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*'] } }, true],
    ['ForAnyValue:StringLike aws:PrincipalOrgPaths under one organisation', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/*'] } }, false],
    ['StringEqualsIfExists aws:PrincipalOrgID', { StringEqualsIfExists: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } }, true],
    ['Null sts:ExternalId false (any value)', { Null: { 'sts:ExternalId': ['false'] } }, true],
    ['StringLike sts:ExternalId "*"', { StringLike: { 'sts:ExternalId': ['*'] } }, true],
    ['StringEquals sts:ExternalId', { StringEquals: { 'sts:ExternalId': ['acme-7f3c9e'] } }, false],
    ['Bool aws:SecureTransport (not about the caller)', { Bool: { 'aws:SecureTransport': ['true'] } }, true],
  ] as const)('a "*" trust with %s: public %s', (_label, condition, expected) => {
    const r = role('star', trustAws(['*'], { Condition: condition }));
    expect(get([r], r.id)).toMatchObject({ trustPublic: expected });
  });

  it.each([
    ['StringEquals sts:ExternalId', { StringEquals: { 'sts:ExternalId': ['acme-7f3c9e'] } }, []],
    ['StringLike sts:ExternalId "*"', { StringLike: { 'sts:ExternalId': ['*'] } }, ['999988887777']],
    ['Null sts:ExternalId false', { Null: { 'sts:ExternalId': ['false'] } }, ['999988887777']],
    ['StringEquals aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } }, []],
    ['StringLike aws:PrincipalOrgID "o-*"', { StringLike: { 'aws:PrincipalOrgID': ['o-*'] } }, ['999988887777']],
    ['StringEquals aws:PrincipalAccount (names the account already trusted, not a secret)', { StringEquals: { 'aws:PrincipalAccount': ['999988887777'] } }, ['999988887777']],
  ] as const)('another account trusted with %s: without external id %j', (_label, condition, expected) => {
    const r = role('vendor', trustAws(['arn:aws:iam::999988887777:root'], { Condition: condition }));
    expect(get([r], r.id)).toMatchObject({ crossAccountWithoutExternalId: expected });
  });

  it('public, cross-account and external-id facts', () => {
    const pub = role('pub', trustAws(['*']));
    expect(get([pub], pub.id)).toMatchObject({ trustPublic: true, externallyAssumable: true, trustedAccounts: ['*'], crossAccountWithoutExternalId: ['*'] });
    const org = role('org', trustAws(['*'], { Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-abc'] } } }));
    expect(get([org], org.id)).toMatchObject({ trustPublic: false, crossAccountWithoutExternalId: [] });
    const vendor = role('vendor', trustAws(['arn:aws:iam::999988887777:root']));
    expect(get([vendor], vendor.id)).toMatchObject({ trustedAccounts: ['999988887777'], crossAccountWithoutExternalId: ['999988887777'] });
    const withId = role('vendor', trustAws(['999988887777'], { Condition: { StringEquals: { 'sts:ExternalId': ['x-1'] } } }));
    expect(get([withId], withId.id)).toMatchObject({ trustedAccounts: ['999988887777'], crossAccountWithoutExternalId: [] });
    const own = role('own', trustAws([ACCOUNT]));
    expect(get([own], own.id)).toMatchObject({ trustedAccounts: [], externallyAssumable: false });
    const svc = role('svc', trustService('lambda.amazonaws.com'));
    expect(get([svc], svc.id)).toMatchObject({ trustedServices: ['lambda.amazonaws.com'], externallyAssumable: false });
  });
});
