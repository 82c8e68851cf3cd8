import { describe, expect, it } from 'vitest';
import { COMPUTE_METHODS, EXISTING_COMPUTE_METHODS } from '../../../src/analysis/aws/escalation-methods.js';
import { actionExists } from '../../../src/analysis/aws/iam-catalogue.js';
import { resource } from './support.js';
import { ADMIN, allow, arn, factsOf, role, trustAws, trustService, user } from './aws-support.js';

/**
 * One row per compute method: the actions it needs (restated from AWS's API references and
 * the public catalogues of IAM escalation), the service the reached role must trust. With
 * every action the method is found; without any one of them it disappears or another
 * method takes its place (the differential check).
 */

interface Row {
  readonly method: string;
  readonly servicePrincipal: string;
  readonly actions: readonly string[];
  readonly assumption: boolean;
}

const rows: Row[] = [
  ...COMPUTE_METHODS.map((m) => ({ method: `iam:PassRole+${m.id}`, servicePrincipal: m.servicePrincipal, actions: ['iam:PassRole', ...m.actions], assumption: false })),
  ...EXISTING_COMPUTE_METHODS.map((m) => ({ method: m.id, servicePrincipal: m.servicePrincipal, actions: [...m.actions], assumption: true })),
];

const methodsOf = (actions: readonly string[], servicePrincipal: string, roleAccount?: string): string[] => {
  const target = role('target-admin', trustService(servicePrincipal), { attached: [ADMIN], ...(roleAccount ? { account: roleAccount } : {}) });
  const u = user('dev', { inline: [[allow([...actions])]] });
  return (factsOf([target, u], arn('user/dev')).privilegeEscalation as { method: string }[]).map((p) => p.method);
};

describe('every compute method, with the actions it needs', () => {
  it('names only actions of the AWS catalogue, and every method once', () => {
    for (const row of rows) for (const action of row.actions) expect(actionExists(action), `${row.method}: ${action}`).toBe(true);
    expect(new Set(rows.map((r) => r.method)).size).toBe(rows.length);
  });

  it.each(rows)('$method: found with $actions', (row) => {
    const target = role('target-admin', trustService(row.servicePrincipal), { attached: [ADMIN] });
    const f = factsOf([target, user('dev', { inline: [[allow([...row.actions])]] })], arn('user/dev'));
    const path = (f.privilegeEscalation as { method: string; actions: string[]; assumptions: string[]; path: string }[]).find((p) => p.method === row.method);
    expect(path, f.escalationSummary as string).toBeDefined();
    expect(path!.actions).toEqual(row.actions);
    // Existing compute is not in the snapshot: the finding says what was assumed.
    expect(path!.assumptions.length > 0).toBe(row.assumption);
    if (row.assumption) expect(path!.path).toMatch(/\[assumes: .*any role trusting /);
    expect(f.computeEscalation).toMatch(/→ administrator/);
  });

  it.each(rows.flatMap((row) => row.actions.map((removed) => ({ ...row, removed }))))('$method without $removed: gone or another method', (row) => {
    const methods = methodsOf(row.actions.filter((a) => a !== row.removed), row.servicePrincipal);
    expect(methods).not.toContain(row.method);
  });

  it.each(rows)('$method: not when the role trusts another service', (row) => {
    expect(methodsOf(row.actions, 'states.amazonaws.com')).toEqual([]);
  });

  it.each(rows)('$method: not across accounts (a role is passed to, or runs, compute of its own account only)', (row) => {
    expect(methodsOf(row.actions, row.servicePrincipal, '444455556666')).toEqual([]);
  });
});

describe('multi-hop through existing compute', () => {
  it('user → new code in a function running as a non-admin role → that role attaches a policy to itself', () => {
    const fnRole = role('fn', trustService('lambda.amazonaws.com'), { inline: [[allow(['iam:AttachRolePolicy'], [arn('role/fn')])]] });
    const dev = user('dev', { inline: [[allow(['lambda:UpdateFunctionCode'])]] });
    const f = factsOf([fnRole, dev], arn('user/dev'));
    expect(f.privilegeEscalation[0]).toMatchObject({ method: 'iam:AttachRolePolicy', via: [arn('role/fn')] });
    expect(f.privilegeEscalation[0].steps.map((s: { principal: string; method: string }) => [s.principal, s.method])).toEqual([
      [arn('user/dev'), 'existing:lambda-code'],
      [arn('role/fn'), 'iam:AttachRolePolicy'],
    ]);
    expect(f.escalationSummary).toBe(
      'user/dev → replace the code of a Lambda function: lambda:UpdateFunctionCode as role/fn → iam:AttachRolePolicy on role/fn (attaching arn:aws:iam::aws:policy/AdministratorAccess) → administrator [assumes: a Lambda function runs as the role and is invoked (compute is not collected: any role trusting lambda.amazonaws.com is taken to have some)]',
    );
  });
});

describe('account boundaries: IAM actions change only the caller\'s own account', () => {
  const OTHER = '444455556666';
  const other = (path: string) => `arn:aws:iam::${OTHER}:${path}`;
  it.each<[string, string[]]>([
    ['iam:AddUserToGroup on an administrator group of another account', ['iam:AddUserToGroup']],
    ['iam:UpdateAssumeRolePolicy on an administrator role of another account', ['iam:UpdateAssumeRolePolicy']],
    ['iam:CreateAccessKey on an administrator user of another account', ['iam:CreateAccessKey']],
  ])('%s: no path', (_name, actions) => {
    const g = resource('aws.iam.group', 'admins', { accountId: OTHER, path: '/', attachedPolicies: [ADMIN], inlinePolicies: [] }, other('group/admins'));
    const r = role('admin', trustService('ec2.amazonaws.com'), { attached: [ADMIN], account: OTHER });
    const boss = resource('aws.iam.user', 'boss', { accountId: OTHER, path: '/', createdAt: '2024-01-01T00:00:00Z', groups: [], attachedPolicies: [ADMIN], inlinePolicies: [], permissionsBoundaryArn: null, tags: {}, credentials: null, mfaDevices: null }, other('user/boss'));
    expect(factsOf([g, r, boss, user('dev', { inline: [[allow(actions)]] })], arn('user/dev')).privilegeEscalation).toEqual([]);
  });

  it('a role of another account is reached only when its trust policy admits the caller', () => {
    const open = role('admin', trustAws([arn('root')]), { attached: [ADMIN], account: OTHER });
    const closed = role('admin', trustAws([`arn:aws:iam::${OTHER}:root`]), { attached: [ADMIN], account: OTHER });
    const dev = user('dev', { inline: [[allow(['sts:AssumeRole'])]] });
    expect(factsOf([open, dev], arn('user/dev')).escalationSummary).toBe('user/dev → sts:AssumeRole role/admin → administrator');
    expect(factsOf([closed, dev], arn('user/dev')).privilegeEscalation).toEqual([]);
  });
});

describe('service-linked roles', () => {
  it('are never reached through compute (they cannot be passed, and customer compute does not run as them)', () => {
    const linked = role('AWSServiceRoleForLambdaThing', trustService('lambda.amazonaws.com'), { attached: [ADMIN] });
    (linked.attributes as Record<string, unknown>).serviceLinked = true;
    const dev = user('dev', { inline: [[allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction', 'lambda:UpdateFunctionCode'])]] });
    expect(factsOf([linked, dev], arn('user/dev')).privilegeEscalation).toEqual([]);
  });
});
