// The synthetic organisation of the access-review benchmarks: about 50,000 principals and
// 500,000 grants across the three planes at scale 1 (IdP users in groups, IAM users/roles
// with managed policies, Kubernetes service accounts bound in 500 namespaces), plus the
// identity map that links the planes. Deterministic: same scale, same snapshot.
const ACCOUNT = '111122223333';
const collectedAt = '2026-11-01T00:00:00Z';
const day = (d) => new Date(Date.parse(collectedAt) - d * 86_400_000).toISOString();

export function synthetic(scale = 1) {
  const n = (x) => Math.max(1, Math.round(x * scale));
  const resources = [];
  const okta = { collector: 'okta', source: 'okta:bench.okta.com' };
  const aws = { collector: 'aws-iam', source: `aws:${ACCOUNT}` };
  const k8s = { collector: 'kubernetes', source: 'k8s:bench' };
  const teams = n(40);

  // AWS: managed policies, groups, users, roles (40 of them SAML roles, one per team).
  const policies = [];
  for (let i = 0; i < 200; i++) {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/p${i}`;
    const actions = i % 50 === 0 ? ['*'] : i % 3 === 0 ? ['s3:GetObject', 's3:ListBucket'] : ['s3:PutObject', 'sqs:SendMessage', 'dynamodb:Query'];
    resources.push({ kind: 'aws.iam.policy', id: arn, name: `p${i}`, attributes: { accountId: ACCOUNT, path: '/', awsManaged: false, defaultVersionId: 'v1', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: i % 50 === 0 ? ['*'] : [`arn:aws:s3:::b${i}/*`] }] }, attachmentCount: 1, permissionsBoundaryUsageCount: 0 }, provenance: aws });
    policies.push({ policyName: `p${i}`, policyArn: arn });
  }
  const attach = (i, k) => Array.from({ length: k }, (_, j) => policies[(i * 7 + j * 13) % policies.length]);
  for (let g = 0; g < 100; g++) {
    resources.push({ kind: 'aws.iam.group', id: `arn:aws:iam::${ACCOUNT}:group/g${g}`, name: `g${g}`, attributes: { accountId: ACCOUNT, path: '/', attachedPolicies: attach(g + 1, 4), inlinePolicies: [] }, provenance: aws });
  }
  for (let u = 0; u < n(10_000); u++) {
    resources.push({
      kind: 'aws.iam.user',
      id: `arn:aws:iam::${ACCOUNT}:user/u${u}`,
      name: `u${u}`,
      attributes: {
        accountId: ACCOUNT,
        path: '/',
        createdAt: day(900),
        groups: [`g${u % 100}`, `g${(u * 3 + 1) % 100}`, `g${(u * 7 + 2) % 100}`, `g${(u * 11 + 3) % 100}`],
        attachedPolicies: attach(u, 2),
        inlinePolicies: [],
        permissionsBoundaryArn: null,
        tags: { owner: `team-${u % teams}` },
        credentials: { passwordEnabled: u % 4 !== 0, passwordLastUsed: day(u % 200), passwordLastChanged: day(300), mfaActive: u % 9 !== 0, accessKeys: u % 4 === 0 ? [{ slot: 1, active: true, lastRotated: day(u % 400), lastUsed: day(u % 120), lastUsedService: 's3' }] : [] },
        mfaDevices: u % 9 !== 0 ? [{ serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/u${u}`, type: u % 5 === 0 ? 'u2f' : 'virtual' }] : [],
      },
      provenance: aws,
    });
  }
  const samlTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: [`arn:aws:iam::${ACCOUNT}:saml-provider/Okta`] }, Action: ['sts:AssumeRoleWithSAML'] }] };
  const serviceTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] };
  for (let r = 0; r < n(2_000); r++) {
    const saml = r < teams;
    const name = saml ? `OktaSSO-Team${r}` : `svc-role-${r}`;
    resources.push({ kind: 'aws.iam.role', id: `arn:aws:iam::${ACCOUNT}:role/${name}`, name, attributes: { accountId: ACCOUNT, path: '/', createdAt: day(800), trustPolicy: saml ? samlTrust : serviceTrust, attachedPolicies: attach(r, 5), inlinePolicies: [], permissionsBoundaryArn: null, maxSessionDuration: 3600, lastUsedAt: day(r % 150), tags: {}, serviceLinked: false }, provenance: aws });
  }

  // IdP: users in groups; one AWS-TeamN group per SAML role.
  const groups = Array.from({ length: n(400) }, (_, g) => ({ name: g < teams ? `AWS-Team${g}` : `Dept-${g}`, members: [] }));
  for (let u = 0; u < n(20_000); u++) {
    const id = `00u${u}`;
    for (const g of [u % groups.length, (u * 5 + 1) % groups.length, u % teams]) groups[g].members.push(id);
    resources.push({ kind: 'idp.user', id: `okta://bench.okta.com/user/${id}`, name: `user${u}@bench.example`, attributes: { provider: 'okta', tenant: 'bench.okta.com', login: `user${u}@bench.example`, email: `user${u}@bench.example`, status: u % 50 === 0 ? 'suspended' : 'active', userType: 'member', accountClass: 'human', adminRoles: u % 1000 === 0 ? ['SUPER_ADMIN'] : [], privileged: u % 1000 === 0, factors: [{ type: u % 3 === 0 ? 'webauthn' : 'push', strength: u % 3 === 0 ? 'phishing_resistant' : 'mfa', status: 'active' }], lastSignInAt: day(u % 180), createdAt: day(700) }, provenance: okta });
  }
  groups.forEach((g, i) => resources.push({ kind: 'idp.group', id: `okta://bench.okta.com/group/00g${i}`, name: g.name, attributes: { provider: 'okta', tenant: 'bench.okta.com', memberIds: [...new Set(g.members)], adminRoles: [] }, provenance: okta }));

  // Kubernetes: 500 namespaces × 36 service accounts, 10 RoleBindings per namespace naming all of them.
  const rule = (verbs) => ({ apiGroups: [''], resources: ['pods', 'configmaps'], verbs, resourceNames: [] });
  resources.push({ kind: 'k8s.rbac.clusterRole', id: 'k8s://bench/_cluster/ClusterRole/cluster-admin', name: 'cluster-admin', attributes: { labels: {}, annotations: {}, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: [], nonResourceURLs: [] }], aggregated: false }, provenance: k8s });
  resources.push({ kind: 'k8s.rbac.clusterRole', id: 'k8s://bench/_cluster/ClusterRole/view', name: 'view', attributes: { labels: {}, annotations: {}, rules: [{ ...rule(['get', 'list']), nonResourceURLs: [] }], aggregated: false }, provenance: k8s });
  for (let t = 0; t < teams; t++) {
    resources.push({ kind: 'k8s.rbac.clusterRoleBinding', id: `k8s://bench/_cluster/ClusterRoleBinding/team${t}`, name: `team${t}`, attributes: { labels: {}, annotations: {}, roleRef: { kind: 'ClusterRole', name: t % 10 === 0 ? 'cluster-admin' : 'view' }, subjects: [{ kind: 'Group', name: `team-${t}`, namespace: null }] }, provenance: k8s });
  }
  const namespaces = n(500);
  for (let ns = 0; ns < namespaces; ns++) {
    const namespace = `ns${ns}`;
    for (let r = 0; r < 10; r++) {
      resources.push({ kind: 'k8s.rbac.role', id: `k8s://bench/${namespace}/Role/r${r}`, name: `r${r}`, attributes: { namespace, labels: {}, annotations: {}, rules: [rule(r % 2 ? ['get'] : ['get', 'update'])] }, provenance: k8s });
    }
    const subjects = [];
    for (let s = 0; s < 36; s++) {
      const annotations = s === 0 ? { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ACCOUNT}:role/svc-role-${teams + (ns % 100)}` } : {};
      resources.push({ kind: 'k8s.serviceAccount', id: `k8s://bench/${namespace}/ServiceAccount/sa${s}`, name: `sa${s}`, attributes: { namespace, labels: { owner: `team-${ns % teams}` }, annotations, automountServiceAccountToken: false }, provenance: k8s });
      subjects.push({ kind: 'ServiceAccount', name: `sa${s}`, namespace });
    }
    for (let b = 0; b < 10; b++) {
      resources.push({ kind: 'k8s.rbac.roleBinding', id: `k8s://bench/${namespace}/RoleBinding/b${b}`, name: `b${b}`, attributes: { namespace, labels: {}, annotations: {}, roleRef: { kind: 'Role', name: `r${b}` }, subjects }, provenance: k8s });
    }
  }
  const kinds = [...new Set(resources.map((r) => r.kind))];
  const snapshot = {
    schemaVersion: 1,
    collectedAt,
    sources: [okta, aws, k8s].map((p) => ({ ...p, mode: 'offline' })),
    coverage: Object.fromEntries(kinds.map((k) => [k, { state: 'complete' }])),
    issues: [],
    resources,
  };
  const map = {
    eks: Array.from({ length: teams }, (_, t) => ({ cluster: 'bench', arn: `arn:aws:iam::${ACCOUNT}:role/OktaSSO-Team${t}`, groups: [`team-${t}`], accessPolicies: [], source: 'aws-auth' })),
    federation: [],
  };
  return { snapshot, map };
}
