import { describe, expect, it } from 'vitest';
import { documentGrantsAdmin } from '../../../src/analysis/aws/admin-equivalent.js';
import { facts, resource } from './support.js';

const allow = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] });

describe('admin-equivalent policy documents', () => {
  it.each([
    ['Action * on *', allow({ Action: ['*'], Resource: ['*'] }), true],
    ['iam:* on *', allow({ Action: ['iam:*'], Resource: ['*'] }), true],
    ['NotAction on *', allow({ NotAction: ['s3:*'], Resource: ['*'] }), true],
    ['* on one bucket', allow({ Action: ['*'], Resource: ['arn:aws:s3:::b'] }), false],
    ['s3:* on *', allow({ Action: ['s3:*'], Resource: ['*'] }), false],
    ['conditioned *', allow({ Action: ['*'], Resource: ['*'], Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } }), false],
    ['Deny *', { Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'] }] }, false],
  ] as const)('%s → %s', (_name, document, expected) => {
    expect(documentGrantsAdmin(document as never)).toBe(expected);
  });
});

describe('admin-equivalent principals', () => {
  const base = { accountId: '111122223333', path: '/', attachedPolicies: [], inlinePolicies: [] };
  const group = resource('aws.iam.group', 'admins', { ...base, attachedPolicies: [{ policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] }, 'arn:group/admins');
  const user = (name: string, extra: Record<string, unknown>) =>
    resource('aws.iam.user', name, { ...base, createdAt: '2020-01-01T00:00:00Z', groups: [], permissionsBoundaryArn: null, tags: {}, credentials: null, mfaDevices: null, ...extra }, `arn:user/${name}`);

  it('through a group', () => {
    const u = user('ana', { groups: ['admins'] });
    expect(facts([group, u]).get(u.id)).toMatchObject({ adminEquivalent: true, adminGrants: ['group admins → managed policy AdministratorAccess'] });
  });

  it('unknown when an attached policy document was not collected, false when all are known and narrow', () => {
    const unknown = user('bo', { attachedPolicies: [{ policyName: 'custom', policyArn: 'arn:aws:iam::111122223333:policy/custom' }] });
    // Unknown: left out of the facts and named by unknownsOf, so a rule reading it is not evaluated.
    expect(facts([unknown]).get(unknown.id)?.adminEquivalent).toBeUndefined();
    expect(facts([unknown]).unknownsOf({ kind: 'aws.iam.user', id: unknown.id })?.adminEquivalent?.explain()).toMatch(/policy\/custom is not in the snapshot/);
    const policy = resource('aws.iam.policy', 'custom', { accountId: '111122223333', path: '/', awsManaged: false, defaultVersionId: 'v1', document: allow({ Action: ['s3:GetObject'], Resource: ['*'] }), attachmentCount: 1, permissionsBoundaryUsageCount: 0 }, 'arn:aws:iam::111122223333:policy/custom');
    expect(facts([unknown, policy]).get(unknown.id)?.adminEquivalent).toBe(false);
  });
});

describe('idp user factor strength', () => {
  const user = (factors: unknown[]) =>
    resource('idp.user', 'u', { provider: 'okta', tenant: 't', login: 'u', email: null, status: 'active', userType: 'member', accountClass: 'human', adminRoles: [], privileged: false, factors, lastSignInAt: null, createdAt: null });
  it.each([
    [[], 'none'],
    [[{ type: 'sms', strength: 'weak', status: 'active' }], 'weak'],
    [[{ type: 'sms', strength: 'weak', status: 'active' }, { type: 'push', strength: 'mfa', status: 'active' }], 'mfa'],
    [[{ type: 'webauthn', strength: 'phishing_resistant', status: 'inactive' }, { type: 'push', strength: 'mfa', status: 'active' }], 'mfa'],
    [[{ type: 'webauthn', strength: 'phishing_resistant', status: 'active' }], 'phishing_resistant'],
  ] as const)('%j → %s', (factors, expected) => {
    const u = user([...factors]);
    expect(facts([u]).get(u.id)?.mfaStrength).toBe(expected);
  });
});
