// Synthetic AWS IAM accounts for the benchmarks (aws-iam, aws-accounts): deterministic per
// seed, shaped like real estates (team paths, managed policies, trust of services, the
// account, other roles, GitHub OIDC, a foreign account, the organisation).

/**
 * A deterministic synthetic account: `roles` roles, 0.4× users and 0.6× policies unless
 * given, roles/50 groups; its account id `account` (ARNs, attributes and source).
 */
export function synthAccount(roles, seed = 7, { account = '111122223333', users: userCount, policies: policyCount } = {}) {
  const ACCOUNT = account;
  const arn = (path) => `arn:aws:iam::${ACCOUNT}:${path}`;
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const users = userCount ?? Math.round(roles * 0.4);
  const policies = policyCount ?? Math.round(roles * 0.6);
  const groups = Math.max(5, Math.round(roles / 50));
  const teams = Math.max(10, Math.round(roles / 100));
  const services = ['s3', 'dynamodb', 'sqs', 'sns', 'logs', 'cloudwatch', 'ec2', 'ecs', 'lambda', 'kms', 'secretsmanager', 'ssm', 'rds', 'route53'];
  const computeServices = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com', 'glue.amazonaws.com', 'codebuild.amazonaws.com'];
  const resources = [];
  const meta = { collector: 'aws-iam', source: `aws:${ACCOUNT}` };
  const mfa = { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } };

  const statement = (i) => {
    const r = rand();
    const team = `team-${i % teams}`;
    const svc = pick(services);
    if (r < 0.02) return { Effect: 'Allow', Action: ['*'], Resource: ['*'] };
    if (r < 0.04) return { Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: ['*'] };
    if (r < 0.06) return { Effect: 'Allow', Action: ['iam:PassRole'], Resource: [arn(`role/${team}/*`)], Condition: { StringEquals: { 'iam:PassedToService': [pick(computeServices)] } } };
    if (r < 0.10) return { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [arn(`role/${team}/*`)] };
    if (r < 0.11) return { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: ['*'] };
    if (r < 0.12) return { Effect: 'Allow', Action: ['iam:AttachRolePolicy', 'iam:PutRolePolicy'], Resource: [arn(`role/${team}/*`)] };
    if (r < 0.13) return { Effect: 'Allow', Action: ['iam:CreatePolicyVersion'], Resource: [arn(`policy/${team}-*`)] };
    if (r < 0.15) return { Effect: 'Deny', Action: ['iam:*'], Resource: ['*'], Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } } };
    if (r < 0.18) return { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: ['*'] };
    if (r < 0.25) return { Effect: 'Allow', Action: [`${svc}:*`], Resource: ['*'], Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } };
    if (r < 0.55) return { Effect: 'Allow', Action: [`${svc}:Get*`, `${svc}:List*`, `${svc}:Describe*`], Resource: ['*'] };
    return { Effect: 'Allow', Action: [`${svc}:Get*`, `${svc}:Put*`, `${svc}:Delete*`], Resource: [`arn:aws:${svc}:eu-west-1:${ACCOUNT}:${team}-${i}/*`] };
  };
  const doc = (i, n) => ({ Version: '2012-10-17', Statement: Array.from({ length: n }, (_, k) => statement(i * 7 + k)) });

  const policyArns = [];
  for (let i = 0; i < policies; i++) {
    const team = `team-${i % teams}`;
    const id = arn(`policy/${team}-p${i}`);
    policyArns.push({ policyName: `${team}-p${i}`, policyArn: id });
    resources.push({ kind: 'aws.iam.policy', id, name: `${team}-p${i}`, provenance: meta,
      attributes: { accountId: ACCOUNT, path: '/', awsManaged: false, defaultVersionId: 'v1', document: doc(i, 1 + Math.floor(rand() * 4)), attachmentCount: 1, permissionsBoundaryUsageCount: 0 } });
  }
  const managed = [
    { policyName: 'ReadOnlyAccess', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    { policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    { policyName: 'PowerUserAccess', policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
  ];
  resources.push({ kind: 'aws.iam.policy', id: managed[0].policyArn, name: 'ReadOnlyAccess', provenance: meta,
    attributes: { accountId: null, path: '/', awsManaged: true, defaultVersionId: 'v1', document: { Statement: [{ Effect: 'Allow', Action: services.flatMap((s) => [`${s}:Get*`, `${s}:List*`, `${s}:Describe*`]).concat(['iam:Get*', 'iam:List*']), Resource: ['*'] }] }, attachmentCount: 1, permissionsBoundaryUsageCount: 0 } });
  const attach = () => {
    const out = [];
    const n = Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) out.push(pick(policyArns));
    const r = rand();
    if (r < 0.03) out.push(managed[1]);
    else if (r < 0.2) out.push(managed[0]);
    else if (r < 0.23) out.push(managed[2]);
    return [...new Map(out.map((p) => [p.policyArn, p])).values()];
  };
  const inline = (i) => (rand() < 0.3 ? [{ policyName: `inline-${i}`, document: doc(i + 100000, 1 + Math.floor(rand() * 2)) }] : []);
  const boundary = () => (rand() < 0.1 ? pick(policyArns).policyArn : null);

  const groupNames = Array.from({ length: groups }, (_, i) => `group-${i}`);
  for (const name of groupNames) {
    resources.push({ kind: 'aws.iam.group', id: arn(`group/${name}`), name, provenance: meta, attributes: { accountId: ACCOUNT, path: '/', attachedPolicies: attach(), inlinePolicies: [] } });
  }
  for (let i = 0; i < users; i++) {
    const name = `user-${i}`;
    resources.push({ kind: 'aws.iam.user', id: arn(`user/${name}`), name, provenance: meta,
      attributes: { accountId: ACCOUNT, path: '/', createdAt: '2024-01-01T00:00:00Z', groups: [pick(groupNames), ...(rand() < 0.3 ? [pick(groupNames)] : [])].filter((g, k, a) => a.indexOf(g) === k),
        attachedPolicies: rand() < 0.3 ? attach() : [], inlinePolicies: inline(i), permissionsBoundaryArn: boundary(), tags: {}, credentials: null, mfaDevices: null } });
  }
  for (let i = 0; i < roles; i++) {
    const team = `team-${i % teams}`;
    const name = `role-${i}`;
    const r = rand();
    let principal;
    let condition;
    if (r < 0.4) principal = { Service: [pick(computeServices)] };
    else if (r < 0.6) { principal = { AWS: [`arn:aws:iam::${ACCOUNT}:root`] }; if (rand() < 0.5) condition = mfa; }
    else if (r < 0.7) principal = { AWS: [arn(`role/team-${Math.floor(rand() * teams)}/role-${Math.floor(rand() * roles)}`), arn(`user/user-${Math.floor(rand() * users)}`)] };
    else if (r < 0.78) { principal = { Federated: [arn('oidc-provider/token.actions.githubusercontent.com')] }; condition = { StringLike: { 'token.actions.githubusercontent.com:sub': [rand() < 0.5 ? `repo:acme/${team}:*` : 'repo:acme/*'] } }; }
    else if (r < 0.83) { principal = { AWS: ['arn:aws:iam::999988887777:root'] }; if (rand() < 0.5) condition = { StringEquals: { 'sts:ExternalId': [`x-${i}`] } }; }
    else if (r < 0.85) { principal = { AWS: ['*'] }; condition = { StringEquals: { 'aws:PrincipalOrgID': ['o-abc'] } }; }
    else principal = { Federated: [arn('saml-provider/Okta')] };
    const action = principal.Federated ? (principal.Federated[0].includes('saml') ? 'sts:AssumeRoleWithSAML' : 'sts:AssumeRoleWithWebIdentity') : 'sts:AssumeRole';
    resources.push({ kind: 'aws.iam.role', id: arn(`role/${team}/${name}`), name, provenance: meta,
      attributes: { accountId: ACCOUNT, path: `/${team}/`, createdAt: '2024-01-01T00:00:00Z',
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: [action], ...(condition ? { Condition: condition } : {}) }] },
        attachedPolicies: attach(), inlinePolicies: inline(i + 50000), permissionsBoundaryArn: boundary(), maxSessionDuration: 3600, lastUsedAt: null, tags: {}, serviceLinked: false } });
  }
  const coverage = Object.fromEntries(['aws.iam.user', 'aws.iam.role', 'aws.iam.group', 'aws.iam.policy'].map((k) => [k, { state: 'complete' }]));
  return { schemaVersion: 1, collectedAt: '2026-11-02T09:00:00Z', sources: [{ collector: 'aws-iam', source: `aws:${ACCOUNT}`, mode: 'offline' }], coverage, issues: [], resources };
}

