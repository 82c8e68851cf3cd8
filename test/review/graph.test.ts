import { describe, expect, it } from 'vitest';
import { eksAccessPolicyPrivilege, groupMatchesRole, oktaAwsGroupRole, samlProviderIdp, trustAdmitsServiceAccount } from '../../src/review/graph.js';
import type { IdentityMap } from '../../src/review/identity-map.js';
import type { PolicyDocument } from '../../src/inventory/kinds/common.js';
import { buildReview } from '../../src/review/review.js';
import type { Resource } from '../../src/inventory/snapshot.js';
import {
  ADMIN_ARN,
  clusterRole,
  clusterRoleBinding,
  irsaTrust,
  managedPolicy,
  oktaGroup,
  oktaUser,
  role,
  serviceAccount,
  snapshotOf,
} from './fixtures.js';

describe('IdP group ↔ SAML role naming conventions', () => {
  it.each([
    ['AWS-Admins', 'OktaSSO-Admin', true],
    ['AWS-Developers', 'OktaSSO-Developer', true],
    ['aws_readonly', 'SSO-ReadOnly', true],
    ['AWS ReadOnly', 'ReadOnly', true],
    ['aws:billing', 'Okta-Billing', true],
    // Without an AWS prefix, a group is about something else (Okta admins are not AWS admins).
    ['Okta Admins', 'OktaSSO-Admin', false],
    ['Admins', 'OktaSSO-Admin', false],
    ['AWS-Admins', 'OktaSSO-Administrator', false],
    ['AWS-Billing', 'OktaSSO-Admin', false],
    ['AWS-', 'OktaSSO-', false],
    // IAM Identity Center: the permission set name, with or without the AWS prefix.
    ['PlatformAdmin', 'AWSReservedSSO_PlatformAdmin_0123456789abcdef', true],
    ['AWS-PlatformAdmin', 'AWSReservedSSO_PlatformAdmin_0123456789abcdef', true],
    ['Platform', 'AWSReservedSSO_PlatformAdmin_0123456789abcdef', false],
    ['PlatformAdmins', 'AWSReservedSSO_PlatformAdmin_0123456789abcdef', false],
  ])('group %s ~ role %s: %s', (group, roleName, expected) => {
    expect(groupMatchesRole(group, roleName)).toBe(expected);
  });

  it.each([
    ['aws#Acme Prod#OktaSSO-Admin#111122223333', { role: 'OktaSSO-Admin', account: '111122223333' }],
    ['aws#prod#Admin#12345', undefined],
    ['AWS-Admins', undefined],
  ])('Okta AWS app group %s', (group, expected) => {
    expect(oktaAwsGroupRole(group)).toEqual(expected);
  });

  it.each([
    ['arn:aws:iam::1:saml-provider/Okta', 'okta'],
    ['arn:aws:iam::1:saml-provider/AzureAD', 'entra'],
    ['arn:aws:iam::1:saml-provider/EntraID', 'entra'],
    ['arn:aws:iam::1:saml-provider/CorpIdP', undefined],
  ])('SAML provider %s is %s', (arn, idp) => {
    expect(samlProviderIdp(arn)).toBe(idp);
  });
});

describe('IRSA trust', () => {
  it.each([
    ['exact subject', irsaTrust('system:serviceaccount:payments:api'), 'payments', 'api', true],
    ['other name', irsaTrust('system:serviceaccount:payments:api'), 'payments', 'worker', false],
    ['StringLike namespace wildcard', irsaTrust('system:serviceaccount:payments:*', 'StringLike'), 'payments', 'worker', true],
    ['StringLike other namespace', irsaTrust('system:serviceaccount:payments:*', 'StringLike'), 'billing', 'worker', false],
    ['StringEquals does not expand *', irsaTrust('system:serviceaccount:payments:*'), 'payments', 'worker', false],
    [
      'no sub condition admits every service account',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: ['arn:aws:iam::1:oidc-provider/x'] }, Action: ['sts:AssumeRoleWithWebIdentity'] }] },
      'any',
      'any',
      true,
    ],
    ['a non-OIDC trust admits none', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] } }] }, 'a', 'b', false],
  ])('%s', (_name, trust, namespace, name, expected) => {
    expect(trustAdmitsServiceAccount(trust as PolicyDocument, namespace, name)).toBe(expected);
  });
});

it.each([
  ['arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', 'admin'],
  ['AmazonEKSAdminPolicy', 'admin'],
  ['AmazonEKSEditPolicy', 'write'],
  ['AmazonEKSViewPolicy', 'read'],
  ['AmazonEKSAdminViewPolicy', 'read'],
])('EKS access policy %s is %s', (policy, privilege) => {
  expect(eksAccessPolicyPrivilege(policy)).toBe(privilege);
});

// ------------------------------------------------------------------ the graph end to end

const admin = managedPolicy('AdministratorAccess', [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }]);
const dana = oktaUser('u1', 'dana@example.com');
const ben = oktaUser('u2', 'ben@example.com', { status: 'suspended' });
const awsAdmins = oktaGroup('g1', 'AWS-Admins', ['u1', 'u2']);
const clusterAdmin = clusterRole('cluster-admin', [{ verbs: ['*'], resources: ['*'] }]);
const platform = clusterRoleBinding('platform', 'cluster-admin', [{ kind: 'Group', name: 'acme:platform' }]);
const eksMap: IdentityMap = {
  eks: [{ cluster: 'prod', arn: ADMIN_ARN, username: 'admin:{{SessionName}}', groups: ['acme:platform'], accessPolicies: [], source: 'aws-auth' }],
  federation: [],
};

function review(resources: Resource[], map: IdentityMap | null = null) {
  return buildReview(snapshotOf(resources), { toolVersion: 'test', identityMap: map ? { map, name: 'map.yaml' } : null });
}
const principal = (r: ReturnType<typeof review>, id: string) => {
  const p = r.principals.find((x) => x.id === id);
  if (!p) throw new Error(`no principal ${id}`);
  return p;
};

describe('the identity graph', () => {
  it('links an Okta group through a SAML role and aws-auth to cluster-admin, with the weakest evidence', () => {
    const r = review([dana, awsAdmins, role('OktaSSO-Admin'), admin, clusterAdmin, platform], eksMap);
    const grants = principal(r, dana.id).grants.map((g) => `${g.privilege} ${g.what} | ${g.via} | ${g.scope} | ${g.evidence}`);
    expect(grants).toEqual([
      'admin managed policy AdministratorAccess | Okta group AWS-Admins → role OktaSSO-Admin | aws:111122223333 | inferred',
      'admin ClusterRole/cluster-admin | Okta group AWS-Admins → role OktaSSO-Admin → k8s group acme:platform → ClusterRoleBinding/platform | k8s:prod | inferred',
    ]);
    expect(principal(r, dana.id).privilege).toBe('admin');
    const groupPaths = r.graph.paths.filter((p) => p.start === awsAdmins.id).map((p) => `${p.steps.join(' → ')} ⇒ ${p.target} (${p.scope}) ${p.privilege}`);
    expect(groupPaths).toEqual([
      'Okta group AWS-Admins → role OktaSSO-Admin ⇒ managed policy AdministratorAccess (aws:111122223333) admin',
      'Okta group AWS-Admins → role OktaSSO-Admin → k8s group acme:platform → ClusterRoleBinding/platform ⇒ ClusterRole/cluster-admin (k8s:prod) admin',
    ]);
    // The role's own view: declared (aws-auth), not inferred.
    const roleK8s = principal(r, ADMIN_ARN).grants.find((g) => g.plane === 'kubernetes');
    expect(roleK8s?.evidence).toBe('declared');
    expect(r.graph.edges.map((e) => `${e.relation} ${e.evidence}`).sort()).toEqual([
      'federates_to inferred',
      'maps_to declared',
      'maps_to declared',
      'member_of evidenced',
    ]);
  });

  it('flags a suspended user who still reaches access downstream', () => {
    const r = review([dana, ben, awsAdmins, role('OktaSSO-Admin'), admin]);
    expect(principal(r, ben.id).flags).toContain('inactive_with_access');
    expect(principal(r, dana.id).flags).not.toContain('inactive_with_access');
  });

  it("uses the cluster's collected aws-auth as evidenced, with no identity map", () => {
    const awsAuth: Resource = {
      kind: 'k8s.awsAuth',
      id: 'k8s://prod/kube-system/ConfigMap/aws-auth',
      name: 'aws-auth',
      attributes: { namespace: 'kube-system', labels: {}, annotations: {}, mappings: [{ arn: ADMIN_ARN, type: 'role', username: 'admin:{{SessionName}}', groups: ['acme:platform'] }] },
      provenance: { collector: 'kubernetes', source: 'k8s:prod' },
    };
    const r = review([dana, awsAdmins, role('OktaSSO-Admin'), admin, clusterAdmin, platform, awsAuth]);
    const roleK8s = principal(r, ADMIN_ARN).grants.find((g) => g.plane === 'kubernetes');
    expect(roleK8s).toMatchObject({ what: 'ClusterRole/cluster-admin', evidence: 'evidenced' });
    expect(r.graph.edges.filter((e) => e.relation === 'maps_to').map((e) => `${e.evidence} ${e.basis}`)).toEqual(['evidenced aws-auth (prod)', 'evidenced aws-auth (prod)']);
  });

  it('stops at AWS when no aws-auth or access entry is known', () => {
    const r = review([dana, awsAdmins, role('OktaSSO-Admin'), admin, clusterAdmin, platform]);
    expect(principal(r, dana.id).grants.map((g) => g.plane)).toEqual(['aws']);
  });

  it('uses a role tag naming the group as declared evidence, where names do not match', () => {
    const team = oktaGroup('g9', 'Cloud Team', ['u1']);
    const r = review([dana, team, role('Prod-Operator', { tags: { 'idp-groups': 'Finance, Cloud Team' } }), admin]);
    const grant = principal(r, dana.id).grants[0];
    expect(grant?.via).toBe('Okta group Cloud Team → role Prod-Operator');
    expect(grant?.evidence).toBe('declared');
    expect(r.graph.edges.find((e) => e.relation === 'federates_to')?.basis).toMatch(/role tag idp-groups=Finance, Cloud Team/);
  });

  it('takes IdP group → role assignments from the identity map', () => {
    const team = oktaGroup('g9', 'Cloud Team', ['u1']);
    const map: IdentityMap = { eks: [], federation: [{ idpGroup: 'Cloud Team', roleArn: role('Prod-Operator').id }] };
    const r = review([dana, team, role('Prod-Operator'), admin], map);
    expect(principal(r, dana.id).grants.map((g) => g.evidence)).toEqual(['declared']);
  });

  it('does not federate an Okta group to a role trusting another IdP', () => {
    const r = review([dana, awsAdmins, role('OktaSSO-Admin', { saml: 'AzureAD' }), admin]);
    expect(principal(r, dana.id).grants).toEqual([]);
    expect(r.graph.edges.filter((e) => e.relation === 'federates_to')).toEqual([]);
  });

  it('gives an IRSA service account its role only when the role trusts it', () => {
    const trusted = role('irsa-api', { trust: irsaTrust('system:serviceaccount:payments:api'), policies: ['AdministratorAccess'] });
    const api = serviceAccount('payments', 'api', { 'eks.amazonaws.com/role-arn': trusted.id });
    const worker = serviceAccount('payments', 'worker', { 'eks.amazonaws.com/role-arn': trusted.id });
    const r = review([trusted, admin, api, worker]);
    expect(principal(r, api.id).grants.map((g) => `${g.privilege} ${g.via} ${g.evidence}`)).toEqual(['admin role irsa-api evidenced']);
    expect(principal(r, worker.id).grants).toEqual([]);
    expect(principal(r, worker.id).privilege).toBe('none');
  });

  it('links an IdP user to the Kubernetes user of the same name, and a group by OIDC prefix', () => {
    const legacy = clusterRoleBinding('legacy', 'cluster-admin', [{ kind: 'User', name: 'Dana@example.com' }]);
    const sre = oktaGroup('g3', 'SRE', ['u1']);
    const viewer = clusterRole('viewer', [{ verbs: ['get', 'list'], resources: ['pods'], apiGroups: [''] }]);
    const sreBinding = clusterRoleBinding('sre', 'viewer', [{ kind: 'Group', name: 'oidc:SRE' }]);
    const r = review([dana, sre, clusterAdmin, legacy, viewer, sreBinding], { eks: [], federation: [], oidcGroupPrefix: 'oidc:' });
    expect(principal(r, dana.id).grants.map((g) => `${g.privilege} ${g.what} via ${g.via} [${g.evidence}]`)).toEqual([
      'admin ClusterRole/cluster-admin via k8s user Dana@example.com → ClusterRoleBinding/legacy [inferred]',
      'read ClusterRole/viewer via Okta group SRE → k8s group oidc:SRE → ClusterRoleBinding/sre [inferred]',
    ]);
  });

  it('grants Kubernetes access through EKS access policies of an access entry', () => {
    const map: IdentityMap = {
      eks: [{ cluster: 'prod', arn: ADMIN_ARN, groups: [], accessPolicies: [{ policy: 'AmazonEKSViewPolicy', namespaces: ['shop'] }], source: 'access-entry' }],
      federation: [],
    };
    const r = review([dana, awsAdmins, role('OktaSSO-Admin', { policies: [] })], map);
    expect(principal(r, dana.id).grants.map((g) => `${g.privilege} ${g.what} ${g.scope} via ${g.via}`)).toEqual([
      'read EKS access policy AmazonEKSViewPolicy k8s:prod/ns/shop via Okta group AWS-Admins → role OktaSSO-Admin → EKS access entry (prod)',
    ]);
  });

  it('rates Kubernetes roles: wildcard admin, writes, reads, self-reviews as reads, impersonation as admin', () => {
    const roles = [
      clusterRole('wild', [{ verbs: ['*'], resources: ['*'] }]),
      clusterRole('deployer', [{ verbs: ['get', 'patch'], resources: ['deployments'], apiGroups: ['apps'] }]),
      clusterRole('reader', [{ verbs: ['get', 'list', 'watch'], resources: ['pods'], apiGroups: [''] }]),
      clusterRole('whoami', [{ verbs: ['create'], resources: ['selfsubjectaccessreviews'], apiGroups: ['authorization.k8s.io'] }]),
      clusterRole('impersonator', [{ verbs: ['impersonate'], resources: ['users'], apiGroups: [''] }]),
    ];
    const bindings = roles.map((r) => clusterRoleBinding(r.name, r.name, [{ kind: 'Group', name: `g-${r.name}` }]));
    const r = review([...roles, ...bindings]);
    expect(Object.fromEntries(r.principals.map((p) => [p.name, p.privilege]))).toEqual({
      'g-wild': 'admin',
      'g-deployer': 'write',
      'g-reader': 'read',
      'g-whoami': 'read',
      'g-impersonator': 'admin',
    });
  });
});

describe('Entra role assignments', () => {
  const tenant = 't1';
  const entraUser = (id: string, adminRoles: string[]): Resource => ({
    ...oktaUser(id, `${id}@labs.example.com`, { provider: 'entra', tenant, adminRoles, privileged: adminRoles.length > 0 }),
    id: `entra://${tenant}/user/${id}`,
    provenance: { collector: 'entra', source: `entra:${tenant}` },
  });
  const assignment = (principalId: string, principalType: 'user' | 'group', roleName: string, state: 'active' | 'eligible', assignmentType: 'assigned' | 'activated' | null): Resource => ({
    kind: 'entra.roleAssignment',
    id: `entra://${tenant}/roleAssignment/${principalId}-${roleName}`,
    name: roleName,
    attributes: {
      tenant,
      principalId,
      principalType,
      principalName: principalId,
      principalAccountClass: null,
      principalOnPremisesSynced: null,
      roleDefinitionId: 'r',
      roleTemplateId: 'r',
      roleName,
      privileged: true,
      directoryScopeId: '/',
      state,
      assignmentType,
      memberType: 'direct',
      permanent: state === 'active' && assignmentType === 'assigned',
      startAt: null,
      endAt: state === 'active' && assignmentType === 'assigned' ? null : '2027-01-01T00:00:00Z',
    },
    provenance: { collector: 'entra', source: `entra:${tenant}` },
  });
  const group: Resource = {
    kind: 'idp.group',
    id: `entra://${tenant}/group/g1`,
    name: 'Cloud Admins',
    attributes: { provider: 'entra', tenant, memberIds: ['carol'], adminRoles: [] },
    provenance: { collector: 'entra', source: `entra:${tenant}` },
  };

  it.each([
    ['standing assignment', 'active', 'assigned', true, 'direct'],
    ['PIM eligible', 'eligible', null, false, 'PIM eligibility'],
    ['PIM activated (time-bound)', 'active', 'activated', false, 'direct'],
  ] as const)('%s: admin, standing_admin only when standing', (_name, state, type, standing, via) => {
    const r = review([entraUser('ana', state === 'active' ? ['Global Administrator'] : []), assignment('ana', 'user', 'Global Administrator', state, type)]);
    const ana = principal(r, `entra://${tenant}/user/ana`);
    expect(ana.privilege).toBe('admin');
    expect(ana.grants.map((g) => `${g.what} via ${g.via} standing=${g.standing}`)).toEqual([`Entra role Global Administrator via ${via} standing=${standing}`]);
    expect(ana.flags.includes('standing_admin')).toBe(standing);
  });

  it('gives a group-assigned eligible role to the members', () => {
    const r = review([entraUser('carol', []), group, assignment('g1', 'group', 'Security Administrator', 'eligible', null)]);
    const carol = principal(r, `entra://${tenant}/user/carol`);
    expect(carol.grants.map((g) => `${g.privilege} ${g.what} via ${g.via} standing=${g.standing}`)).toEqual([
      'admin Entra role Security Administrator via Entra group Cloud Admins → PIM eligibility standing=false',
    ]);
    expect(carol.flags).not.toContain('standing_admin');
  });
});
