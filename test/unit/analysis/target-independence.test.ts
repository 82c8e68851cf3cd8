import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditSnapshot } from '../../../src/app/audit.js';
import { loadRules } from '../../../src/app/rules.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { parseSnapshot } from '../../../src/inventory/snapshot-file.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import type { Report } from '../../../src/model/report.js';

/**
 * Targets (clusters, tenants) are separate worlds: what one holds can never change a
 * verdict on another's resources. Two clusters routinely hold objects of the same name
 * (the `default` service account, a ClusterRole `app`); an analysis that looked objects up
 * by name alone judged one cluster's binding by the other's role — a false pass when the
 * other's is the harmless one. So: audit a target alone, then merged with a twin whose
 * same-named objects differ in every way that matters, and the target's findings must
 * not move.
 */

const rules = await loadRules({ extraPaths: [] });

function demoFile(name: string): Snapshot {
  const path = new URL(`../../../fixtures/demo/${name}`, import.meta.url);
  return parseSnapshot(readFileSync(path, 'utf8'), name);
}

/** The snapshot's text with every occurrence of `from` (its target's name) made `to`: an identical second target. */
function twin(snapshot: Snapshot, from: string, to: string): Snapshot {
  return JSON.parse(JSON.stringify(snapshot).split(from).join(to)) as Snapshot;
}

/** Each resource's findings (pass included), by rule, for the resources of one source. */
function findingsOf(report: Report, source: string): string[] {
  return report.findings
    .filter((f) => f.resource.source === source)
    .map((f) => `${f.ruleId} ${f.status} ${f.resource.id} ${f.message ?? f.error?.message ?? ''}`)
    .sort();
}

type Mutate = (snapshot: Snapshot) => Snapshot;

/** Kubernetes objects of the twin made the opposite of the demo's where analysis joins by name. */
const kubernetesMutations: Record<string, Mutate> = {
  'objects are the same': (s) => s,
  'roles grant everything': (s) => mapResources(s, (r) => (r.kind.startsWith('k8s.rbac.') && r.kind.endsWith('ole') ? withAttr(r, 'rules', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]) : r)),
  'roles grant nothing': (s) => mapResources(s, (r) => (r.kind.startsWith('k8s.rbac.') && r.kind.endsWith('ole') ? withAttr(r, 'rules', []) : r)),
  'service accounts never mount tokens': (s) => mapResources(s, (r) => (r.kind === 'k8s.serviceAccount' ? withAttr(r, 'automountServiceAccountToken', false) : r)),
  'service accounts always mount tokens, with cloud identities': (s) =>
    mapResources(s, (r) =>
      r.kind === 'k8s.serviceAccount'
        ? withAttr(withAttr(r, 'automountServiceAccountToken', true), 'annotations', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::999999999999:role/admin' })
        : r,
    ),
  'bindings give every service account cluster-admin': (s) =>
    mapResources(s, (r) =>
      r.kind === 'k8s.rbac.clusterRoleBinding' || r.kind === 'k8s.rbac.roleBinding'
        ? withAttr(withAttr(r, 'roleRef', { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }), 'subjects', [
            ...(r.attributes.subjects as unknown[]),
            { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' },
          ])
        : r,
    ),
  'namespaces labelled otherwise, no network policies': (s) => ({
    ...mapResources(s, (r) => (r.kind === 'k8s.namespace' ? withAttr(r, 'labels', { other: 'yes' }) : r)),
  }),
};

/** Identity objects of the twin tenant made the opposite of the demo's: the same native ids, other settings. */
const identityMutations: Record<string, Mutate> = {
  'objects are the same': (s) => s,
  'users all have strong factors and are admins': (s) =>
    mapResources(s, (r) => (r.kind === 'idp.user' ? withAttr(withAttr(r, 'status', 'active'), 'mfaFactors', [{ type: 'webauthn', status: 'active', provider: 'FIDO' }]) : r)),
  'policies are all removed': (s) => ({ ...s, resources: s.resources.filter((r) => r.kind !== 'idp.accessPolicy') }),
  'groups have no members': (s) => mapResources(s, (r) => (r.kind === 'idp.group' ? withAttr(r, 'members', []) : r)),
};

/** AWS objects of the twin account made the opposite of the demo's (trust policies untouched: trust may cross accounts). */
const awsMutations: Record<string, Mutate> = {
  'objects are the same': (s) => s,
  'customer policies allow everything': (s) =>
    mapResources(s, (r) => (r.kind === 'aws.iam.policy' && !r.id.includes(':aws:policy/') ? withAttr(r, 'document', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] }) : r)),
  'customer policies allow nothing': (s) =>
    mapResources(s, (r) => (r.kind === 'aws.iam.policy' && !r.id.includes(':aws:policy/') ? withAttr(r, 'document', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'] }] }) : r)),
};

type AnyResource = Snapshot['resources'][number];

function mapResources(snapshot: Snapshot, change: (r: AnyResource & { attributes: Record<string, unknown> }) => AnyResource): Snapshot {
  return { ...snapshot, resources: snapshot.resources.map((r) => change(r as AnyResource & { attributes: Record<string, unknown> })) };
}

function withAttr<R extends { attributes: Record<string, unknown> }>(r: R, key: string, value: unknown): R {
  return { ...r, attributes: { ...r.attributes, [key]: value } };
}

describe('one target never changes the verdicts on another', () => {
  const cluster = demoFile('kubernetes.json');
  const alone = findingsOf(auditSnapshot(cluster, rules, 'test', { list: [] }, true), 'k8s:acme-prod');

  it('the demo cluster has findings to compare', () => {
    expect(alone.length).toBeGreaterThan(100);
  });

  for (const [name, mutate] of Object.entries(kubernetesMutations)) {
    it(`Kubernetes: a second cluster whose ${name}`, () => {
      const other = mutate(twin(cluster, 'acme-prod', 'acme-stage'));
      const merged = mergeSnapshots([cluster, other]);
      expect(findingsOf(auditSnapshot(merged, rules, 'test', { list: [] }, true), 'k8s:acme-prod')).toEqual(alone);
    });
  }
});

describe('one tenant never changes the verdicts on another', () => {
  const tenants = demoFile('identity.json');
  const sources = ['okta:acme.okta.com', 'entra:4f5e6d7c-0000-4000-8000-00000000ac01'];
  const alone = sources.map((source) => findingsOf(auditSnapshot(tenants, rules, 'test', { list: [] }, true), source));

  for (const [name, mutate] of Object.entries(identityMutations)) {
    it(`Okta and Entra: second tenants whose ${name}`, () => {
      const other = mutate(twin(twin(tenants, 'acme.okta.com', 'beta.okta.com'), '4f5e6d7c-0000-4000-8000-00000000ac01', '4f5e6d7c-0000-4000-8000-00000000be02'));
      const merged = auditSnapshot(mergeSnapshots([tenants, other]), rules, 'test', { list: [] }, true);
      expect(sources.map((source) => findingsOf(merged, source))).toEqual(alone);
    });
  }
});

describe('one AWS account never changes the verdicts on another, trust aside', () => {
  const account = demoFile('aws.json');
  const alone = findingsOf(auditSnapshot(account, rules, 'test', { list: [] }, true), 'aws:111122223333');

  for (const [name, mutate] of Object.entries(awsMutations)) {
    it(`AWS: a second account whose ${name}`, () => {
      const other = mutate(twin(account, '111122223333', '444455556666'));
      const merged = auditSnapshot(mergeSnapshots([account, other]), rules, 'test', { list: [] }, true);
      expect(findingsOf(merged, 'aws:111122223333')).toEqual(alone);
    });
  }
});
