import { describe, expect, it } from 'vitest';
import { resource } from './support.js';
import { allow, arn, doc, factsOf, group, policy, user } from './aws-support.js';

/** iam:SetDefaultPolicyVersion over the non-default versions a policy keeps (IAM keeps up to five). */

const reader = doc(allow(['s3:GetObject']));
const adminVersion = { versionId: 'v1', document: doc(allow(['*'])) };
const readOnlyVersion = { versionId: 'v2', document: doc(allow(['s3:ListBucket'])) };
const attachedTo = (name: string) => ({ policyName: name, policyArn: arn(`policy/${name}`) });

describe('iam:SetDefaultPolicyVersion', () => {
  it('an older version that grants administration makes the caller an administrator', () => {
    const p = policy('app', reader, { versions: [readOnlyVersion, adminVersion] });
    const u = user('dev', { attached: [attachedTo('app')], inline: [[allow(['iam:SetDefaultPolicyVersion'], [arn('policy/app')])]] });
    const f = factsOf([p, u], arn('user/dev'));
    expect(f.canBecomeAdmin).toBe(true);
    expect(f.privilegeEscalation[0]).toMatchObject({ method: 'iam:SetDefaultPolicyVersion', target: arn('policy/app'), conditional: false });
    expect(f.escalationSummary).toBe(`user/dev → iam:SetDefaultPolicyVersion on policy/app (making version v1 the default) → administrator`);
  });

  it('no version that grants administration: no path, and the answer is a decided no', () => {
    const p = policy('app', reader, { versions: [readOnlyVersion] });
    const u = user('dev', { attached: [attachedTo('app')], inline: [[allow(['iam:SetDefaultPolicyVersion'], [arn('policy/app')])]] });
    expect(factsOf([p, u], arn('user/dev'))).toMatchObject({ canBecomeAdmin: false, privilegeEscalation: [], escalationUndecided: [] });
  });

  it('versions not collected: canBecomeAdmin is unknown, and says why', () => {
    const p = resource('aws.iam.policy', 'app', { accountId: '111122223333', path: '/', awsManaged: false, defaultVersionId: 'v3', document: reader, attachmentCount: 1, permissionsBoundaryUsageCount: 0, nonDefaultVersions: null }, arn('policy/app'));
    const u = user('dev', { attached: [attachedTo('app')], inline: [[allow(['iam:SetDefaultPolicyVersion'], [arn('policy/app')])]] });
    const f = factsOf([p, u], arn('user/dev'));
    expect(f.canBecomeAdmin).toBeNull();
    expect(f.escalationUndecided).toEqual([`whether another version of ${arn('policy/app')} grants administration (its versions were not collected)`]);
  });

  it('through a group the user belongs to; the permission on another policy does not count', () => {
    const p = policy('team', reader, { versions: [adminVersion] });
    const g = group('team', [attachedTo('team')]);
    const member = user('ana', { groups: ['team'], inline: [[allow(['iam:SetDefaultPolicyVersion'], [arn('policy/team')])]] });
    expect(factsOf([p, g, member], arn('user/ana')).privilegeEscalation[0]).toMatchObject({ method: 'iam:SetDefaultPolicyVersion' });
    const elsewhere = user('ana', { groups: ['team'], inline: [[allow(['iam:SetDefaultPolicyVersion'], [arn('policy/other')])]] });
    expect(factsOf([p, g, elsewhere], arn('user/ana')).canBecomeAdmin).toBe(false);
  });

  it('a permissions boundary caps it unless the boundary itself permits administration', () => {
    const p = policy('app', reader, { versions: [adminVersion] });
    const boundary = policy('boundary', doc(allow(['s3:*', 'iam:SetDefaultPolicyVersion'])));
    const u = user('dev', { attached: [attachedTo('app')], boundary: arn('policy/boundary'), inline: [[allow(['iam:SetDefaultPolicyVersion'], [arn('policy/app')])]] });
    expect(factsOf([p, boundary, u], arn('user/dev')).canBecomeAdmin).toBe(false);
  });
});
