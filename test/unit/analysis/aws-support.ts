import { analyse } from '../../../src/analysis/index.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { completeCoverage, resource } from './support.js';

/** Builders for IAM escalation tests: one account, hand-written policies. */
export const ACCOUNT = '111122223333';
export const arn = (path: string) => `arn:aws:iam::${ACCOUNT}:${path}`;
export type Statement = Record<string, unknown>;
export const doc = (...Statement: Statement[]) => ({ Version: '2012-10-17', Statement });
export const allow = (Action: string[], Resource: string[] = ['*'], extra: Statement = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
export const deny = (Action: string[], Resource: string[] = ['*'], extra: Statement = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });
export const ADMIN = { policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
export const trustService = (service: string) => doc({ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] });
export const trustAws = (principals: string[], extra: Statement = {}) => doc({ Effect: 'Allow', Principal: { AWS: principals }, Action: ['sts:AssumeRole'], ...extra });

type Attached = { policyName: string; policyArn: string };

export function user(name: string, extra: { inline?: Statement[][]; attached?: Attached[]; groups?: string[]; boundary?: string | null } = {}): Resource {
  return resource(
    'aws.iam.user',
    name,
    {
      accountId: ACCOUNT,
      path: '/',
      createdAt: '2024-01-01T00:00:00Z',
      groups: extra.groups ?? [],
      attachedPolicies: extra.attached ?? [],
      inlinePolicies: (extra.inline ?? []).map((statements, i) => ({ policyName: `inline-${i}`, document: doc(...statements) })),
      permissionsBoundaryArn: extra.boundary ?? null,
      tags: {},
      credentials: null,
      mfaDevices: null,
    },
    arn(`user/${name}`),
  );
}

export function role(name: string, trust: unknown, extra: { inline?: Statement[][]; attached?: Attached[]; account?: string; boundary?: string | null } = {}): Resource {
  const account = extra.account ?? ACCOUNT;
  return resource(
    'aws.iam.role',
    name,
    {
      accountId: account,
      path: '/',
      createdAt: '2024-01-01T00:00:00Z',
      trustPolicy: trust,
      attachedPolicies: extra.attached ?? [],
      inlinePolicies: (extra.inline ?? []).map((statements, i) => ({ policyName: `inline-${i}`, document: doc(...statements) })),
      permissionsBoundaryArn: extra.boundary ?? null,
      maxSessionDuration: 3600,
      lastUsedAt: null,
      tags: {},
      serviceLinked: false,
    },
    `arn:aws:iam::${account}:role/${name}`,
  );
}

export function policy(name: string, document: unknown, extra: { versions?: { versionId: string; document: unknown }[] } = {}): Resource {
  return resource(
    'aws.iam.policy',
    name,
    {
      accountId: ACCOUNT,
      path: '/',
      awsManaged: false,
      defaultVersionId: 'v1',
      document,
      attachmentCount: 1,
      permissionsBoundaryUsageCount: 0,
      ...(extra.versions ? { nonDefaultVersions: extra.versions } : {}),
    },
    arn(`policy/${name}`),
  );
}

export function group(name: string, attached: Attached[], inline: Statement[][] = []): Resource {
  return resource(
    'aws.iam.group',
    name,
    { accountId: ACCOUNT, path: '/', attachedPolicies: attached, inlinePolicies: inline.map((statements, i) => ({ policyName: `inline-${i}`, document: doc(...statements) })) },
    arn(`group/${name}`),
  );
}

/** The derived facts of one resource, the snapshot dated `asOf` (null: its time is unknown). */
export function factsOf(resources: Resource[], id: string, asOf: string | null = '2026-06-01T00:00:00Z'): Record<string, any> {
  const index = new InventoryIndex({ schemaVersion: 1, collectedAt: asOf, sources: [], coverage: completeCoverage(), issues: [], resources });
  return analyse(index).get(id) as Record<string, any>;
}
