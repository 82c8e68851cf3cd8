import { describe, expect, it } from 'vitest';
import { ALL_RESOURCES, type ContextInput, type DecisionKind, evaluateDocuments } from '../../../src/analysis/aws/policy-evaluator.js';
import type { PolicyDocument } from '../../../src/inventory/kinds/common.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { ADMIN, ACCOUNT, role, trustAws, user } from './aws-support.js';
import { facts, resource } from './support.js';

// Service control policies in the IAM analysis, restated from AWS's published evaluation
// logic (IAM User Guide, "Policy evaluation logic", and the Organizations User Guide, "SCP
// evaluation"): an explicit Deny in any SCP wins; SCPs never grant, so an identity policy
// must still allow; at every level of the hierarchy (root, each OU on the path, the account)
// at least one attached SCP must allow, or the request is implicitly denied; NotAction and
// conditions as in identity policies; SCPs do not apply to the management account nor to
// service-linked roles.

type Statement = PolicyDocument['Statement'][number];
const d = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
const FULL = { name: 'FullAWSAccess', document: d({ Effect: 'Allow', Action: ['*'], Resource: ['*'] }) };
const ADMIN_DOC = d({ Effect: 'Allow', Action: ['*'], Resource: ['*'] });
const level = (label: string, ...policies: { name: string; document: PolicyDocument }[]) => ({ label, policies });

interface Case {
  readonly name: string;
  readonly identity: PolicyDocument[];
  readonly scps?: ReturnType<typeof level>[];
  readonly action: string;
  readonly context?: ContextInput;
  readonly expected: DecisionKind;
  readonly deniedBy?: string[];
  readonly blockedBy?: string[];
}

const cases: Case[] = [
  { name: 'no SCPs (not read, or not applicable): the identity policy alone decides', identity: [ADMIN_DOC], action: 'iam:CreateUser', expected: 'allowed' },
  {
    name: 'FullAWSAccess at every level: the identity Allow counts',
    identity: [ADMIN_DOC],
    scps: [level('root'), level('OU prod'), level('account')].map((l) => ({ ...l, policies: [FULL] })),
    action: 'iam:CreateUser',
    expected: 'allowed',
  },
  {
    name: 'SCPs never grant: what no identity policy allows stays denied under FullAWSAccess',
    identity: [d({ Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] })],
    scps: [level('root', FULL), level('account', FULL)],
    action: 'ec2:RunInstances',
    expected: 'implicitlyDenied',
    blockedBy: [],
  },
  {
    name: 'deny wins: an explicit Deny in an OU\'s SCP beats FullAWSAccess at the same and every other level',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL), level('OU prod', FULL, { name: 'no-iam', document: d({ Effect: 'Deny', Action: ['iam:*'], Resource: ['*'] }) }), level('account', FULL)],
    action: 'iam:CreateUser',
    expected: 'denied',
    deniedBy: ['SCP no-iam at OU prod'],
  },
  {
    name: 'allow list: an OU whose only SCP allows s3:* blocks everything else, though root and account allow all',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL), level('OU sandbox', { name: 'only-s3', document: d({ Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] }) }), level('account', FULL)],
    action: 'iam:CreateUser',
    expected: 'implicitlyDenied',
    blockedBy: ['no SCP at OU sandbox allows iam:CreateUser'],
  },
  {
    name: 'allow list: what the OU\'s SCP allows passes every level',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL), level('OU sandbox', { name: 'only-s3', document: d({ Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] }) }), level('account', FULL)],
    action: 's3:GetObject',
    expected: 'allowed',
  },
  {
    name: 'a level with FullAWSAccess detached and nothing else (the account) blocks, whatever the levels above allow',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL), level('account', { name: 'ec2-only', document: d({ Effect: 'Allow', Action: ['ec2:*'], Resource: ['*'] }) })],
    action: 'sts:AssumeRole',
    expected: 'implicitlyDenied',
    blockedBy: ['no SCP at account allows sts:AssumeRole'],
  },
  {
    name: 'NotAction in a Deny: everything but the listed services is denied',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL, { name: 'only-iam-sts', document: d({ Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: ['*'] }) })],
    action: 'ec2:RunInstances',
    expected: 'denied',
    deniedBy: ['SCP only-iam-sts at root'],
  },
  {
    name: 'NotAction in a Deny: the listed services pass',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL, { name: 'only-iam-sts', document: d({ Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: ['*'] }) })],
    action: 'iam:PassRole',
    expected: 'allowed',
  },
  {
    name: 'NotAction in an Allow: an allow list by exclusion blocks what it leaves out',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL), level('OU', { name: 'all-but-organizations', document: d({ Effect: 'Allow', NotAction: ['organizations:*'], Resource: ['*'] }) })],
    action: 'organizations:LeaveOrganization',
    expected: 'implicitlyDenied',
    blockedBy: ['no SCP at OU allows organizations:LeaveOrganization'],
  },
  {
    name: 'a condition on the Deny, met by the principal: denied',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL, { name: 'guard-iam', document: d({ Effect: 'Deny', Action: ['iam:*'], Resource: ['*'], Condition: { StringNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/break-glass'] } } }) })],
    action: 'iam:CreateUser',
    context: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/ci` },
    expected: 'denied',
    deniedBy: ['SCP guard-iam at root'],
  },
  {
    name: 'a condition on the Deny, the principal exempt: allowed',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL, { name: 'guard-iam', document: d({ Effect: 'Deny', Action: ['iam:*'], Resource: ['*'], Condition: { StringNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/break-glass'] } } }) })],
    action: 'iam:CreateUser',
    context: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/break-glass` },
    expected: 'allowed',
  },
  {
    name: 'a condition on the Deny the request decides (region): conditional, naming the SCP',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL, { name: 'regions', document: d({ Effect: 'Deny', NotAction: ['iam:*'], Resource: ['*'], Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } }) })],
    action: 'ec2:RunInstances',
    expected: 'conditional',
    deniedBy: ['SCP regions at root'],
  },
  {
    name: 'a condition on the only Allow of a level: conditional, and the level is named',
    identity: [ADMIN_DOC],
    scps: [level('root', FULL), level('OU', { name: 'eu-only', document: d({ Effect: 'Allow', Action: ['*'], Resource: ['*'], Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } }) })],
    action: 'ec2:RunInstances',
    expected: 'conditional',
    blockedBy: ['no SCP at OU allows ec2:RunInstances unless aws:RequestedRegion is eu-west-1'],
  },
];

describe('SCP evaluation (truth table restated from AWS\'s policy evaluation logic)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluateDocuments(c.identity, { action: c.action, resource: ALL_RESOURCES, ...(c.context ? { context: c.context } : {}) }, c.scps ? { scps: c.scps } : {});
      expect(decision.decision).toBe(c.expected);
      if (c.deniedBy) expect(decision.deniedBy).toEqual(c.deniedBy);
      if (c.blockedBy) expect(decision.blockedBy ?? []).toEqual(c.blockedBy.map((b) => expect.stringContaining(b.replace(/ unless .*/, ''))));
    });
  }
});

// ---------------------------------------------------------------------------------------
// In the analysis: the organisation's resources make the hierarchy per account.

const ORG = 'o-test123456';
const MGMT = '999988887777';
const orgAccount = (accountId: string, path: { id: string; type: 'ROOT' | 'ORGANIZATIONAL_UNIT'; name: string }[], extra: Record<string, unknown> = {}): Resource =>
  resource('aws.organization.account', accountId, { accountId, organizationId: ORG, state: 'ACTIVE', managementAccount: accountId === MGMT, scpsEnabled: true, path, ...extra }, `arn:aws:organizations::${MGMT}:account/${ORG}/${accountId}`);
const scp = (name: string, document: PolicyDocument, targets: { targetId: string; type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' }[]): Resource =>
  resource('aws.scp', name, { policyId: `p-${name}`, organizationId: ORG, description: '', awsManaged: false, document, targets: targets.map((t) => ({ ...t, name: t.targetId })) }, `arn:aws:organizations::${MGMT}:policy/${ORG}/service_control_policy/p-${name}`);
const ROOT = { id: 'r-root', type: 'ROOT' as const, name: 'Root' };
const OU = { id: 'ou-guarded', type: 'ORGANIZATIONAL_UNIT' as const, name: 'Guarded' };
const noIam = d({ Effect: 'Deny', Action: ['iam:*', 'sts:AssumeRole'], Resource: ['*'] });
const everywhere = (...ids: string[]) => ids.map((targetId) => ({ targetId, type: (targetId.startsWith('r-') ? 'ROOT' : targetId.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT') as 'ROOT' }));

function estate(extra: Resource[] = []): Resource[] {
  return [
    user('admin', { attached: [ADMIN] }),
    role('ops', trustAws(['arn:aws:iam::444455556666:root', `arn:aws:iam::${MGMT}:root`]), { attached: [ADMIN] }),
    role('mgmt-admin', trustAws([`arn:aws:iam::${MGMT}:root`]), { attached: [ADMIN], account: MGMT }),
    orgAccount(ACCOUNT, [ROOT, OU]),
    orgAccount(MGMT, [ROOT]),
    scp('FullAWSAccess', FULL.document, everywhere('r-root', 'ou-guarded', ACCOUNT, MGMT)),
    scp('no-iam', noIam, everywhere('ou-guarded')),
    ...extra,
  ];
}

describe('SCPs in the IAM analysis', () => {
  it('an admin blocked by an SCP is not admin, and says which SCP; the management account is exempt', () => {
    const derived = facts(estate());
    const adminUser = derived.get(`arn:aws:iam::${ACCOUNT}:user/admin`) as Record<string, unknown>;
    expect(adminUser.adminEquivalent).toBe(false);
    expect(adminUser.adminBlockedByScp).toEqual(['SCP no-iam at OU Guarded (ou-guarded)']);
    const mgmt = derived.get(`arn:aws:iam::${MGMT}:role/mgmt-admin`) as Record<string, unknown>;
    expect(mgmt.adminEquivalent).toBe(true);
    expect(mgmt.adminBlockedByScp).toEqual([]);
  });

  it('an escalation path the SCPs stop names the SCP; one they do not stop is still a path', () => {
    const dev = user('dev', { inline: [[{ Effect: 'Allow', Action: ['iam:AttachUserPolicy'], Resource: ['*'] }]] });
    const blocked = facts(estate([dev])).get(dev.id) as Record<string, unknown>;
    expect(blocked.canBecomeAdmin).toBe(false);
    expect(blocked.escalationBlockedByScp).toEqual([
      'user/dev → iam:AttachUserPolicy on user/dev (attaching arn:aws:iam::aws:policy/AdministratorAccess) → administrator — blocked by SCP no-iam at OU Guarded (ou-guarded)',
    ]);
    // Without the guarding SCP the same path is found, and nothing is said blocked.
    const open = facts(estate([dev]).filter((r) => r.name !== 'no-iam')).get(dev.id) as Record<string, unknown>;
    expect(open).toMatchObject({ canBecomeAdmin: true, escalationBlockedByScp: [] });
  });

  it('an allow-list SCP with FullAWSAccess detached from the account blocks admin at that level', () => {
    const resources = estate().filter((r) => r.kind !== 'aws.scp');
    resources.push(scp('FullAWSAccess', FULL.document, everywhere('r-root', 'ou-guarded', MGMT)), scp('s3-only', d({ Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] }), everywhere(ACCOUNT)));
    const adminUser = facts(resources).get(`arn:aws:iam::${ACCOUNT}:user/admin`) as Record<string, unknown>;
    expect(adminUser.adminEquivalent).toBe(false);
    expect(adminUser.adminBlockedByScp).toEqual([expect.stringMatching(/^no SCP at account 111122223333 \(111122223333\) allows /)]);
  });

  it('service-linked roles are not affected by SCPs', () => {
    const linked = { ...role('AWSServiceRoleForSupport', trustAws(['arn:aws:iam::111122223333:root']), { attached: [ADMIN] }) };
    const serviceLinked = { ...linked, attributes: { ...linked.attributes, serviceLinked: true } } as Resource;
    const derived = facts(estate([serviceLinked]));
    expect((derived.get(serviceLinked.id) as Record<string, unknown>).adminEquivalent).toBe(true);
  });

  it('SCPs not enabled at the root, or not read completely: nothing is narrowed (as without --org)', () => {
    const disabled = estate().map((r) => (r.kind === 'aws.organization.account' ? ({ ...r, attributes: { ...r.attributes, scpsEnabled: false } }) : r));
    expect((facts(disabled).get(`arn:aws:iam::${ACCOUNT}:user/admin`) as Record<string, unknown>).adminEquivalent).toBe(true);
    const denied = facts(estate(), { 'aws.scp': { state: 'missing', reason: 'permission_denied' } });
    expect((denied.get(`arn:aws:iam::${ACCOUNT}:user/admin`) as Record<string, unknown>).adminEquivalent).toBe(true);
    // …and nothing SCP-based is claimed: the field is unknown.
    expect(denied.unknownsOf({ kind: 'aws.iam.user', id: `arn:aws:iam::${ACCOUNT}:user/admin`, provenance: { source: 'test' } })?.adminBlockedByScp).toBeDefined();
  });

  it('cross-account trust: an account of the organisation is told apart from one outside it', () => {
    const derived = facts(estate());
    const ops = derived.get(`arn:aws:iam::${ACCOUNT}:role/ops`) as Record<string, unknown>;
    expect(ops.trustedAccounts).toEqual(['444455556666', MGMT]);
    expect(ops.trustedAccountsOutsideOrganization).toEqual(['444455556666']);
    const unread = facts(estate().filter((r) => r.kind !== 'aws.organization.account'), { 'aws.organization.account': { state: 'missing', reason: 'collector_disabled' } });
    expect(unread.unknownsOf({ kind: 'aws.iam.role', id: `arn:aws:iam::${ACCOUNT}:role/ops`, provenance: { source: 'test' } })?.trustedAccountsOutsideOrganization).toBeDefined();
  });
});
