import type { Resource, Snapshot } from '../../src/inventory/snapshot.js';
import { idpUser } from '../support/snapshots.js';

/** Small hand-made resources for review tests (attributes as the kinds define them). */

const ACCOUNT = '111122223333';

export function oktaUser(id: string, login: string, extra: Record<string, unknown> = {}): Resource {
  const user = idpUser(login, [{ type: 'webauthn', strength: 'phishing_resistant' }], { lastSignInAt: '2026-10-30T00:00:00Z', ...extra });
  return { ...user, id: `okta://acme.okta.com/user/${id}` } as Resource;
}

export function oktaGroup(id: string, name: string, memberIds: string[], adminRoles: string[] = []): Resource {
  return {
    kind: 'idp.group',
    id: `okta://acme.okta.com/group/${id}`,
    name,
    attributes: { provider: 'okta', tenant: 'acme.okta.com', memberIds, adminRoles },
    provenance: { collector: 'okta', source: 'okta:acme.okta.com' },
  };
}

const samlTrust = (provider = 'Okta') => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: [`arn:aws:iam::${ACCOUNT}:saml-provider/${provider}`] },
      Action: ['sts:AssumeRoleWithSAML'],
    },
  ],
});

export const irsaTrust = (sub: string, operator = 'StringEquals') => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: [`arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC`] },
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: { [operator]: { 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': [sub] } },
    },
  ],
});

export function role(name: string, options: { trust?: unknown; policies?: string[]; tags?: Record<string, string>; saml?: string; lastUsedAt?: string | null } = {}): Resource {
  return {
    kind: 'aws.iam.role',
    id: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    attributes: {
      accountId: ACCOUNT,
      path: '/',
      createdAt: '2024-01-01T00:00:00Z',
      trustPolicy: options.trust ?? samlTrust(options.saml),
      attachedPolicies: (options.policies ?? ['AdministratorAccess']).map((p) => ({ policyName: p, policyArn: `arn:aws:iam::aws:policy/${p}` })),
      inlinePolicies: [],
      permissionsBoundaryArn: null,
      maxSessionDuration: 3600,
      lastUsedAt: options.lastUsedAt === undefined ? '2026-10-30T00:00:00Z' : options.lastUsedAt,
      tags: options.tags ?? {},
      serviceLinked: false,
    },
    provenance: { collector: 'aws-iam', source: `aws:${ACCOUNT}` },
  };
}

export function managedPolicy(name: string, statements: unknown[]): Resource {
  return {
    kind: 'aws.iam.policy',
    id: `arn:aws:iam::aws:policy/${name}`,
    name,
    attributes: { accountId: null, path: '/', awsManaged: true, defaultVersionId: 'v1', document: { Version: '2012-10-17', Statement: statements }, attachmentCount: 1, permissionsBoundaryUsageCount: 0 },
    provenance: { collector: 'aws-iam', source: `aws:${ACCOUNT}` },
  };
}

export function clusterRole(name: string, rules: { verbs: string[]; resources: string[]; apiGroups?: string[] }[]): Resource {
  return {
    kind: 'k8s.rbac.clusterRole',
    id: `k8s://prod/_cluster/ClusterRole/${name}`,
    name,
    attributes: {
      labels: {},
      annotations: {},
      rules: rules.map((r) => ({ apiGroups: r.apiGroups ?? ['*'], resources: r.resources, verbs: r.verbs, resourceNames: [], nonResourceURLs: [] })),
      aggregated: false,
    },
    provenance: { collector: 'kubernetes', source: 'k8s:prod' },
  };
}

export function clusterRoleBinding(name: string, roleName: string, subjects: { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string }[]): Resource {
  return {
    kind: 'k8s.rbac.clusterRoleBinding',
    id: `k8s://prod/_cluster/ClusterRoleBinding/${name}`,
    name,
    attributes: { labels: {}, annotations: {}, roleRef: { kind: 'ClusterRole', name: roleName }, subjects: subjects.map((s) => ({ ...s, namespace: s.namespace ?? null })) },
    provenance: { collector: 'kubernetes', source: 'k8s:prod' },
  };
}

export function serviceAccount(namespace: string, name: string, annotations: Record<string, string> = {}): Resource {
  return {
    kind: 'k8s.serviceAccount',
    id: `k8s://prod/${namespace}/ServiceAccount/${name}`,
    name,
    attributes: { namespace, labels: {}, annotations, automountServiceAccountToken: null },
    provenance: { collector: 'kubernetes', source: 'k8s:prod' },
  };
}

export function snapshotOf(resources: Resource[], collectedAt = '2026-11-01T00:00:00Z'): Snapshot {
  const kinds = [...new Set(resources.map((r) => r.kind))];
  return {
    schemaVersion: 1,
    collectedAt,
    sources: [...new Map(resources.map((r) => [r.provenance.source, r.provenance])).values()].map((p) => ({ collector: p.collector, source: p.source, mode: 'offline' as const })),
    coverage: Object.fromEntries(kinds.map((k) => [k, { state: 'complete' as const }])),
    issues: [],
    resources,
  };
}

export const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:role/OktaSSO-Admin`;
