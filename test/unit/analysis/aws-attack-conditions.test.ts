import { describe, expect, it } from 'vitest';
import { evaluateDocuments } from '../../../src/analysis/aws/policy-evaluator.js';
import { ADMIN, allow, arn, deny, factsOf, policy, role, trustService, user } from './aws-support.js';

/**
 * Conditions evaluated in the context of each attack step (docs/aws-analysis.md,
 * "Conditions in the attack's context"). Each row: the condition on the escalating
 * permission, and whether the path is allowed, conditional (with the exact condition), or
 * dropped (never true). Restated from AWS's condition-operator and global-key references.
 */

const lambdaAdmin = role('lambda-admin', trustService('lambda.amazonaws.com'), { attached: [ADMIN] });
const attachSelf = (condition: Record<string, unknown>) => user('eve', { inline: [[allow(['iam:AttachUserPolicy'], [arn('user/eve')], { Condition: condition })]] });

type Outcome = 'allowed' | 'conditional' | 'none';
const outcomeOf = (f: Record<string, any>): Outcome => (f.privilegeEscalation.length === 0 ? 'none' : f.privilegeEscalation[0].conditional ? 'conditional' : 'allowed');

describe('iam:PolicyARN is the policy the attack would attach', () => {
  it.each<[string, Record<string, unknown>, Outcome]>([
    ['only ReadOnlyAccess may be attached (the issue\'s false flag)', { ArnEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/ReadOnlyAccess'] } }, 'none'],
    ['AdministratorAccess may be attached', { ArnEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/AdministratorAccess'] } }, 'allowed'],
    ['any AWS-managed policy (wildcard)', { ArnLike: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/*'] } }, 'allowed'],
    ['everything but AdministratorAccess, nothing else that grants admin', { ArnNotEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/AdministratorAccess'] } }, 'none'],
  ])('%s', (_name, condition, expected) => {
    expect(outcomeOf(factsOf([attachSelf(condition)], arn('user/eve')))).toBe(expected);
  });

  it('a customer policy of the account that grants administration is attached when the condition admits only it', () => {
    const breakGlass = policy('break-glass', { Version: '2012-10-17', Statement: [allow(['*'])] });
    const f = factsOf([breakGlass, attachSelf({ ArnEquals: { 'iam:PolicyARN': [arn('policy/break-glass')] } })], arn('user/eve'));
    expect(f.privilegeEscalation[0]).toMatchObject({ method: 'iam:AttachUserPolicy', conditional: false });
    expect(f.privilegeEscalation[0].steps[0].detail).toBe(`attaching ${arn('policy/break-glass')}, which grants administration`);
  });

  it('a policy the caller can create at an admitted ARN: iam:CreatePolicy then attach; without CreatePolicy no path', () => {
    const condition = { ArnLike: { 'iam:PolicyARN': [arn('policy/team-*')] } };
    const creator = user('eve', { inline: [[allow(['iam:AttachUserPolicy'], [arn('user/eve')], { Condition: condition }), allow(['iam:CreatePolicy'], [arn('policy/team-*')])]] });
    const f = factsOf([creator], arn('user/eve'));
    expect(f.privilegeEscalation[0]).toMatchObject({ method: 'iam:AttachUserPolicy', actions: ['iam:CreatePolicy', 'iam:AttachUserPolicy'], conditional: false });
    expect(outcomeOf(factsOf([attachSelf(condition)], arn('user/eve')))).toBe('none');
    // CreatePolicy allowed only elsewhere: the admitted ARN cannot be created.
    const elsewhere = user('eve', { inline: [[allow(['iam:AttachUserPolicy'], [arn('user/eve')], { Condition: condition }), allow(['iam:CreatePolicy'], [arn('policy/other-*')])]] });
    expect(outcomeOf(factsOf([elsewhere], arn('user/eve')))).toBe('none');
  });

  it('an existing admitted policy the caller can rewrite: iam:CreatePolicyVersion then attach', () => {
    const teamPolicy = policy('team-reader', { Version: '2012-10-17', Statement: [allow(['s3:GetObject'])] });
    const condition = { ArnEquals: { 'iam:PolicyARN': [arn('policy/team-reader')] } };
    const rewriter = user('eve', { inline: [[allow(['iam:AttachUserPolicy'], [arn('user/eve')], { Condition: condition }), allow(['iam:CreatePolicyVersion'], [arn('policy/team-reader')])]] });
    const f = factsOf([teamPolicy, rewriter], arn('user/eve'));
    expect(f.privilegeEscalation.map((p: any) => p.actions)).toContainEqual(['iam:CreatePolicyVersion', 'iam:AttachUserPolicy']);
    expect(outcomeOf(factsOf([teamPolicy, attachSelf(condition)], arn('user/eve')))).toBe('none');
  });
});

describe('iam:PassedToService is the service of the step', () => {
  it.each<[string, string, Outcome]>([
    ['the service the admin role trusts', 'lambda.amazonaws.com', 'allowed'],
    ['another service', 'ec2.amazonaws.com', 'none'],
  ])('%s', (_name, service, expected) => {
    const dev = user('dev', { inline: [[allow(['lambda:CreateFunction', 'lambda:InvokeFunction']), allow(['iam:PassRole'], ['*'], { Condition: { StringEquals: { 'iam:PassedToService': [service] } } })]] });
    expect(outcomeOf(factsOf([lambdaAdmin, dev], arn('user/dev')))).toBe(expected);
  });
});

describe('tags the caller sets on what it creates', () => {
  it.each<[string, Record<string, unknown>, Outcome]>([
    ['aws:RequestTag/team must be dev', { StringEquals: { 'aws:RequestTag/team': ['dev'] } }, 'allowed'],
    ['ForAllValues aws:TagKeys within a list', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, 'allowed'],
    ['ForAnyValue aws:TagKeys must include one', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, 'allowed'],
    // The new function's tags are the caller's (aws:RequestTag); a resource zt cannot see keeps aws:ResourceTag undecided.
    ['aws:ResourceTag is not the caller\'s choice', { StringEquals: { 'aws:ResourceTag/team': ['dev'] } }, 'conditional'],
  ])('%s on lambda:CreateFunction', (_name, condition, expected) => {
    const dev = user('dev', { inline: [[allow(['lambda:CreateFunction'], ['*'], { Condition: condition }), allow(['lambda:InvokeFunction', 'iam:PassRole'])]] });
    expect(outcomeOf(factsOf([lambdaAdmin, dev], arn('user/dev')))).toBe(expected);
  });
});

describe('aws:ResourceTag and iam:ResourceTag are the tags of the user or role a step targets', () => {
  const tagged = <T extends { attributes: Record<string, unknown> }>(r: T, tags: Record<string, string>): T => ({ ...r, attributes: { ...r.attributes, tags } });
  it.each<[string, Record<string, string>, Outcome]>([
    ['the target carries the tag value', { team: 'dev' }, 'allowed'],
    ['the tag key differs in case only (condition keys are case-insensitive)', { Team: 'dev' }, 'allowed'],
    ['the target carries another value', { team: 'ops' }, 'none'],
    ['the target does not carry the tag (key absent: StringEquals is false)', {}, 'none'],
  ])('attach to itself only when aws:ResourceTag/team is dev: %s', (_name, tags, expected) => {
    const eve = tagged(attachSelf({ StringEquals: { 'aws:ResourceTag/team': ['dev'] } }), tags);
    expect(outcomeOf(factsOf([eve], arn('user/eve')))).toBe(expected);
  });

  it.each<[string, Record<string, string>, Outcome]>([
    ['the role is tagged env=sandbox', { env: 'sandbox' }, 'allowed'],
    ['the role is tagged env=prod', { env: 'prod' }, 'none'],
  ])('iam:PassRole only for roles with iam:ResourceTag/env sandbox: %s', (_name, tags, expected) => {
    const target = tagged(lambdaAdmin, tags);
    const dev = user('dev', { inline: [[allow(['lambda:CreateFunction', 'lambda:InvokeFunction']), allow(['iam:PassRole'], ['*'], { Condition: { StringEquals: { 'iam:ResourceTag/env': ['sandbox'] } } })]] });
    expect(outcomeOf(factsOf([target, dev], arn('user/dev')))).toBe(expected);
  });

  it('a StringNotEquals guard on the target role\'s tag is decided too (sts:AssumeRole)', () => {
    const admin = tagged(role('admin', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root'] }, Action: ['sts:AssumeRole'] }] }, { attached: [ADMIN] }), { tier: 'privileged' });
    const guarded = user('hop', { inline: [[allow(['sts:AssumeRole']), deny(['sts:AssumeRole'], ['*'], { Condition: { StringEquals: { 'aws:ResourceTag/tier': ['privileged'] } } })]] });
    expect(outcomeOf(factsOf([admin, guarded], arn('user/hop')))).toBe('none');
    const open = user('hop', { inline: [[allow(['sts:AssumeRole']), deny(['sts:AssumeRole'], ['*'], { Condition: { StringEquals: { 'aws:ResourceTag/tier': ['other'] } } })]] });
    expect(outcomeOf(factsOf([admin, open], arn('user/hop')))).toBe('allowed');
  });
});

describe('date and time keys against the snapshot as-of time (2026-06-01), never the wall clock', () => {
  it.each<[string, Record<string, unknown>, string | null, Outcome]>([
    ['a token issued before 2020 (never true now)', { DateLessThan: { 'aws:TokenIssueTime': ['2020-01-01T00:00:00Z'] } }, '2026-06-01T00:00:00Z', 'none'],
    ['a token issued before 2020, as-of unknown', { DateLessThan: { 'aws:TokenIssueTime': ['2020-01-01T00:00:00Z'] } }, null, 'conditional'],
    ['current time before 2030', { DateLessThan: { 'aws:CurrentTime': ['2030-01-01T00:00:00Z'] } }, '2026-06-01T00:00:00Z', 'allowed'],
    ['current time after 2030', { DateGreaterThan: { 'aws:CurrentTime': ['2030-01-01T00:00:00Z'] } }, '2026-06-01T00:00:00Z', 'none'],
    ['current time after 2030, as-of unknown', { DateGreaterThan: { 'aws:CurrentTime': ['2030-01-01T00:00:00Z'] } }, null, 'conditional'],
    ['epoch time before 2030', { NumericLessThan: { 'aws:EpochTime': ['1893456000'] } }, '2026-06-01T00:00:00Z', 'allowed'],
    ['a token issued after 2020 (temporary credentials only)', { DateGreaterThan: { 'aws:TokenIssueTime': ['2020-01-01T00:00:00Z'] } }, '2026-06-01T00:00:00Z', 'conditional'],
  ])('%s', (_name, condition, asOf, expected) => {
    expect(outcomeOf(factsOf([attachSelf(condition)], arn('user/eve'), asOf))).toBe(expected);
  });

  it('a role always signs with temporary credentials: Null TokenIssueTime true never holds', () => {
    const r = role('worker', trustService('ec2.amazonaws.com'), { inline: [[allow(['iam:AttachRolePolicy'], ['*'], { Condition: { Null: { 'aws:TokenIssueTime': ['true'] } } })]] });
    expect(outcomeOf(factsOf([r], r.id))).toBe('none');
    const u = user('eve', { inline: [[allow(['iam:AttachUserPolicy'], ['*'], { Condition: { Null: { 'aws:TokenIssueTime': ['true'] } } })]] });
    expect(outcomeOf(factsOf([u], arn('user/eve')))).toBe('conditional');
  });
});

describe('conditions the snapshot cannot decide make the path conditional, named exactly', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['MFA', { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } }, 'holds only with MFA (Bool aws:MultiFactorAuthPresent true)'],
    ['source address', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, 'holds only from addresses 10.0.0.0/8 (IpAddress aws:SourceIp 10.0.0.0/8)'],
    ['source VPC', { StringEquals: { 'aws:SourceVpc': ['vpc-1234'] } }, 'holds only from VPC vpc-1234 (StringEquals aws:SourceVpc vpc-1234)'],
    ['an operator zt does not know', { StringMatchesRegex: { 'aws:username': ['e.*'] } }, 'StringMatchesRegex aws:username e.* (operator not understood)'],
    ['a key not in AWS\'s catalogue', { StringEquals: { 'aws:MultiFactorAuthPresnt': ['true'] } }, "StringEquals aws:MultiFactorAuthPresnt true (condition key not in AWS's catalogue)"],
  ])('%s', (_name, condition, text) => {
    const f = factsOf([attachSelf(condition)], arn('user/eve'));
    expect(f.privilegeEscalation[0]).toMatchObject({ conditional: true, conditions: [text] });
    expect(f.privilegeEscalation[0].steps[0]).toMatchObject({ outcome: 'conditional', conditions: [text] });
    expect(f.escalationSummary).toContain(`[conditional: ${text}]`);
  });

  it('a Deny that depends on MFA reads as "holds only with MFA"', () => {
    const u = user('eve', { inline: [[allow(['iam:AttachUserPolicy'], [arn('user/eve')]), deny(['iam:*'], ['*'], { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } } })]] });
    const f = factsOf([u], arn('user/eve'));
    expect(f.privilegeEscalation[0].conditions).toEqual(['holds only with MFA (Deny BoolIfExists aws:MultiFactorAuthPresent false)']);
  });

  it('a path is conditional when any step is: the trust of a hop requires MFA', () => {
    const hop = role('deployer', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [arn('root')] }, Action: ['sts:AssumeRole'], Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } }] }, { inline: [[allow(['iam:AttachRolePolicy'], [arn('role/deployer')])]] });
    const ci = user('ci', { inline: [[allow(['sts:AssumeRole'])]] });
    const f = factsOf([hop, ci], arn('user/ci'));
    expect(f.privilegeEscalation[0].steps.map((s: any) => s.outcome)).toEqual(['conditional', 'allowed']);
    expect(f.privilegeEscalation[0]).toMatchObject({ conditional: true, conditions: ['trust: holds only with MFA (Bool aws:MultiFactorAuthPresent true)'] });
  });
});

describe('the evaluator in a situation (restating the operator semantics)', () => {
  const tagged = (operator: string, key: string, values: string[]) => [{ Version: '2012-10-17', Statement: [allow(['s3:CreateBucket'], ['*'], { Condition: { [operator]: { [key]: values } } })] }];
  const chosen = { chosen: ['aws:requesttag/', 'aws:tagkeys'], key: 't' };
  it.each<[string, string, string[], string]>([
    ['StringEquals', 'aws:RequestTag/team', ['dev'], 'allowed'],
    ['StringNotEquals', 'aws:RequestTag/team', ['prod'], 'allowed'],
    ['Null', 'aws:RequestTag/team', ['false'], 'allowed'],
    ['StringEquals', 'aws:RequestTag/team', [], 'implicitlyDenied'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['team'], 'allowed'],
  ])('%s %s %j with tags the caller chooses → %s', (operator, key, values, expected) => {
    expect(evaluateDocuments(tagged(operator, key, values) as never, { action: 's3:CreateBucket', resource: '*', situation: chosen }).decision).toBe(expected);
  });

  const worlds = (values: (string[] | null)[], range = false) => ({ worlds: new Map([['aws:multifactorauthpresent', { values, range }]]), key: 'w' });
  it.each<[string, (string[] | null)[], string]>([
    ['Bool', [['true']], 'allowed'],
    ['Bool', [['false']], 'implicitlyDenied'],
    ['Bool', [null, ['true']], 'conditional'],
    ['BoolIfExists', [null, ['true']], 'allowed'],
    ['BoolIfExists', [null, ['false']], 'conditional'],
  ])('%s MFA true over possible values %j → %s', (operator, values, expected) => {
    const docs = [{ Version: '2012-10-17', Statement: [allow(['s3:GetObject'], ['*'], { Condition: { [operator]: { 'aws:MultiFactorAuthPresent': ['true'] } } })] }];
    expect(evaluateDocuments(docs as never, { action: 's3:GetObject', resource: '*' }, { situation: worlds(values) }).decision).toBe(expected);
  });
});
