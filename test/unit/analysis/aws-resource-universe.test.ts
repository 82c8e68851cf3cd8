import { describe, expect, it } from 'vitest';
import { globCovers, globIntersects, globTokens } from '../../../src/analysis/aws/glob-sets.js';
import { ALL_RESOURCES, ANY_RESOURCE, evaluateDocuments } from '../../../src/analysis/aws/policy-evaluator.js';
import { resourceUniverse } from '../../../src/analysis/aws/resource-universe.js';
import { ACCOUNT, ADMIN, allow, arn, deny, doc, factsOf, role, trustAws, user } from './aws-support.js';

const home = { partition: 'aws', account: ACCOUNT };
const t = (patterns: string[]) => patterns.map(globTokens);

describe('wildcard pattern sets', () => {
  // IAM's matching: `*` any run of characters across `:` and `/`, `?` exactly one.
  it.each([
    [['*'], 'arn:aws:iam::1:user/*', true],
    [['arn:aws:*'], 'arn:aws:iam::1:user/*', true],
    [['arn:*:*:*:*:*'], 'arn:aws:iam::1:user/*', true],
    [['arn:*:*:*:*:*'], 'arn:aws:s3:::*/*', true],
    [['arn:*:*:*:*:*:*'], 'arn:aws:iam::1:user/*', false],
    [['arn:aws:iam::1:*'], 'arn:aws:iam::1:user/*', true],
    [['arn:aws:iam::2:*'], 'arn:aws:iam::1:user/*', false],
    [['arn:aws:iam::1:user/a*'], 'arn:aws:iam::1:user/*', false],
    [['arn:aws:iam::1:user/?*', 'arn:aws:iam::1:user/'], 'arn:aws:iam::1:user/*', true],
    [['arn:aws:iam::1:user/?*'], 'arn:aws:iam::1:user/*', false],
    [['arn:aws:iam::?:*'], 'arn:aws:iam::1:user/*', true],
    [['arn:aws:iam::1:role/*'], 'arn:aws:iam::1:user/*', false],
  ] as const)('%j covers %s: %s', (patterns, universe, expected) => {
    expect(globCovers(t([...patterns]), globTokens(universe))).toBe(expected);
  });

  it.each([
    [['arn:aws:iam::1:user/a'], 'arn:aws:iam::1:user/*', true],
    [['arn:aws:iam::2:user/a'], 'arn:aws:iam::1:user/*', false],
    [['arn:aws:s3:::x'], 'arn:aws:iam::1:*', false],
    // `*` crosses `:`, so this pattern is not bound to account 2 (a user name is any text to it).
    [['arn:aws:*:*:2:*'], 'arn:aws:iam::1:user/*', true],
    [['arn:aws:iam::2:*'], 'arn:aws:iam::1:*', false],
    [['*:user/*'], 'arn:aws:iam::1:user/*', true],
  ] as const)('%j meets %s: %s', (patterns, universe, expected) => {
    expect(globIntersects(t([...patterns]), globTokens(universe))).toBe(expected);
  });
});

describe('the universe of an action', () => {
  it('IAM resources of the principal\'s own account; other services any account and region', () => {
    expect(resourceUniverse('iam:AttachUserPolicy', home)?.globs.map((g) => g.map((c) => (typeof c === 'string' ? c : '*')).join(''))).toEqual([`arn:aws:iam::${ACCOUNT}:user/*`]);
    expect(resourceUniverse('kms:Decrypt', home)?.globs.map((g) => g.map((c) => (typeof c === 'string' ? c : '*')).join(''))).toEqual(['arn:aws:kms:*:*:key/*']);
    // No resource type: its Resource must be "*".
    expect(resourceUniverse('iam:ListUsers', home)).toBeUndefined();
    expect(resourceUniverse('nosuch:Action', home)).toBeUndefined();
  });
});

describe('"every resource" honours ARN wildcards (AWS: Resource matching of the request ARN)', () => {
  const all = (identity: unknown[], action = 'iam:AttachUserPolicy') => evaluateDocuments(identity as never, { action, resource: ALL_RESOURCES }, { home }).decision;
  it.each([
    ['Resource *', [doc(allow(['*']))], 'allowed'],
    ['arn:aws:*', [doc(allow(['*'], ['arn:aws:*']))], 'allowed'],
    ['arn:*:*:*:*:*', [doc(allow(['*'], ['arn:*:*:*:*:*']))], 'allowed'],
    ['iam:* on the own account', [doc(allow(['iam:*'], [`arn:aws:iam::${ACCOUNT}:*`]))], 'allowed'],
    ['iam:* on another account', [doc(allow(['iam:*'], ['arn:aws:iam::999999999999:*']))], 'implicitlyDenied'],
    ['iam:* on the own users, roles, groups and policies', [doc(allow(['iam:*'], [arn('user/*'), arn('role/*'), arn('group/*'), arn('policy/*')]))], 'allowed'],
    ['two statements together', [doc(allow(['iam:AttachUserPolicy'], [arn('user/a*')]), allow(['iam:AttachUserPolicy'], [arn('user/*')]))], 'allowed'],
    ['users under one path only', [doc(allow(['iam:*'], [arn('user/dev/*')]))], 'implicitlyDenied'],
    ['NotResource leaving IAM in', [doc({ Effect: 'Allow', NotAction: ['s3:*'], NotResource: ['arn:aws:s3:::secret'] })], 'allowed'],
    ['NotResource leaving the own users out', [doc({ Effect: 'Allow', Action: ['*'], NotResource: [arn('user/*')] })], 'implicitlyDenied'],
  ] as const)('Allow %s → %s', (_name, identity, expected) => {
    expect(all([...identity])).toBe(expected);
  });

  it.each([
    // A Deny covering every resource of the action takes it away…
    ['Deny iam:* on *', deny(['iam:*']), 'denied'],
    ['Deny iam:* on the own account', deny(['iam:*'], [`arn:aws:iam::${ACCOUNT}:*`]), 'denied'],
    ['Deny * NotResource S3', { Effect: 'Deny', Action: ['*'], NotResource: ['arn:aws:s3:::*'] }, 'denied'],
    // …one scoped to particular resources takes only those away.
    ['Deny iam:* on one user', deny(['iam:*'], [arn('user/breakglass')]), 'allowed'],
    ['Deny iam:* on another account', deny(['iam:*'], ['arn:aws:iam::999999999999:*']), 'allowed'],
    ['Deny * NotResource IAM users', { Effect: 'Deny', Action: ['*'], NotResource: [arn('user/*')] }, 'allowed'],
  ] as const)('Allow * with %s → %s', (_name, statement, expected) => {
    expect(all([doc(allow(['*']), statement)])).toBe(expected);
  });

  it('a resource-scoped Deny still decides the questions about its resources', () => {
    const identity = [doc(allow(['*']), deny(['iam:*'], [arn('user/breakglass')]))];
    expect(evaluateDocuments(identity as never, { action: 'iam:AttachUserPolicy', resource: arn('user/breakglass') }, { home }).decision).toBe('denied');
    expect(evaluateDocuments(identity as never, { action: 'iam:AttachUserPolicy', resource: arn('user/ana') }, { home }).decision).toBe('allowed');
  });

  it('"some resource" needs an Allow that names a resource of the action\'s universe', () => {
    const any = (resources: string[]) => evaluateDocuments([doc(allow(['iam:AttachUserPolicy'], resources))] as never, { action: 'iam:AttachUserPolicy', resource: ANY_RESOURCE }, { home }).decision;
    expect(any([arn('user/ana')])).toBe('allowed');
    expect(any(['arn:aws:iam::999999999999:user/ana'])).toBe('implicitlyDenied');
  });
});

describe('admin and escalation facts with scoped resources', () => {
  it.each([
    ['Action * on arn:aws:*', [allow(['*'], ['arn:aws:*'])]],
    ['Action * on arn:*:*:*:*:*', [allow(['*'], ['arn:*:*:*:*:*'])]],
    ['iam:* on the own account', [allow(['iam:*'], [`arn:aws:iam::${ACCOUNT}:*`])]],
  ])('%s is administrator-equivalent', (_name, statements) => {
    const u = user('u', { inline: [statements] });
    expect(factsOf([u], u.id)).toMatchObject({ adminEquivalent: true });
  });

  it('a Deny on one user leaves the admin standing; a Deny on every IAM resource of the account removes it', () => {
    const scoped = user('scoped', { inline: [[allow(['*']), deny(['iam:*'], [arn('user/breakglass')])]] });
    const whole = user('whole', { inline: [[allow(['*']), deny(['iam:*'], [`arn:aws:iam::${ACCOUNT}:*`])]] });
    expect(factsOf([scoped, whole], scoped.id)).toMatchObject({ adminEquivalent: true });
    expect(factsOf([scoped, whole], whole.id)).toMatchObject({ adminEquivalent: false });
  });

  it('escalation: a Deny on another user leaves the self-attach path; a Deny on the user itself removes it', () => {
    const other = user('other', { inline: [[allow(['iam:AttachUserPolicy']), deny(['iam:AttachUserPolicy'], [arn('user/someone-else')])]] });
    const self = user('self', { inline: [[allow(['iam:AttachUserPolicy']), deny(['iam:AttachUserPolicy'], [arn('user/self')])]] });
    expect(factsOf([other, self], other.id)).toMatchObject({ adminEquivalent: false, canBecomeAdmin: true });
    expect(factsOf([other, self], self.id)).toMatchObject({ adminEquivalent: false, canBecomeAdmin: false });
  });

  it('sts:AssumeRole on every role ARN is assuming anywhere', () => {
    const u = user('hopper', { inline: [[allow(['sts:AssumeRole'], ['arn:aws:iam::*:role/*'])]] });
    const r = role('admin', trustAws([`arn:aws:iam::${ACCOUNT}:root`]), { attached: [ADMIN] });
    expect(factsOf([u, r], u.id)).toMatchObject({ assumeRoleAnywhere: true, canBecomeAdmin: true });
  });
});
