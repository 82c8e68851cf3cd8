import { describe, expect, it } from 'vitest';
import { demoSnapshotFiles } from '../../src/app/inputs.js';
import { mergeSnapshots } from '../../src/inventory/merge.js';
import { readSnapshotFile } from '../../src/inventory/snapshot-file.js';
import type { ReviewerRule } from '../../src/review/assign.js';
import { startCampaign } from '../../src/review/campaign.js';
import type { Review } from '../../src/review/model.js';
import { pseudonymiseReview } from '../../src/review/pseudonymise.js';
import { buildReview } from '../../src/review/review.js';

/** The demo's review; `owners`: the owners to give IdP groups by name (null: the read failed). */
async function demoReview(rules: readonly ReviewerRule[] = [], owners: Record<string, string[] | null> = {}): Promise<Review> {
  const snapshots = await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f)));
  const snapshot = mergeSnapshots(snapshots);
  for (const r of snapshot.resources) if (r.kind === 'idp.group' && r.name in owners) (r.attributes as Record<string, unknown>).owners = owners[r.name];
  return buildReview(snapshot, { toolVersion: '0.0.0-test', reviewerRules: rules });
}

/** The reviewer and basis of the row of a principal (by name) and grant (by what, and via when given). */
function rowOf(review: Review, principal: string, what: string | null, via?: string) {
  let i = 0;
  for (const p of review.principals) {
    for (const g of p.grants.length > 0 ? p.grants : [null]) {
      const row = review.pack.rows[i++];
      if (p.name === principal && (g?.what ?? null) === what && (via === undefined || g?.via === via)) return row;
    }
  }
  throw new Error(`no row ${principal} ${what}`);
}

describe('reviewer assignment', () => {
  it('takes the IdP manager, then the binding owner or owner tag, else leaves the row unassigned', async () => {
    const review = await demoReview();
    expect(rowOf(review, 'carl.jensen@example.com', 'ClusterRole/view')).toMatchObject({ reviewer: 'sam.okafor@example.com', basis: 'manager' });
    expect(rowOf(review, 'alice.nguyen', 'managed policy ReadOnlyAccess')).toMatchObject({ reviewer: 'platform', basis: 'owner' });
    // dana.reyes has no manager recorded: her rows wait for a rule.
    expect(rowOf(review, 'dana.reyes@example.com', 'Okta admin role SUPER_ADMIN')).toMatchObject({ reviewer: null, basis: 'unassigned' });
    expect(review.pack.unassigned).toBe(review.pack.rows.filter((r) => r.reviewer === null).length);
    expect(review.pack.reviewers.reduce((n, r) => n + r.rows, 0) + review.pack.unassigned).toBe(review.pack.rows.length);
  });

  it('lets the first matching rule of .zt/config.yaml win, by plane, account, cluster and namespace, group, or principal', async () => {
    const review = await demoReview([
      { reviewer: 'shop-lead@example.com', namespace: 'legacy' },
      { reviewer: 'cloud-lead@example.com', plane: 'aws', account: '1111*' },
      { reviewer: 'k8s-lead@example.com', cluster: 'acme-prod' },
      { reviewer: 'it-lead@example.com', group: 'AWS-Admins' },
      { reviewer: 'ciso@example.com', principal: 'dana.reyes@example.com' },
    ]);
    expect(rowOf(review, 'finn.murphy@example.com', 'Role/legacy-admin', 'RoleBinding legacy/legacy-admins')).toMatchObject({ reviewer: 'shop-lead@example.com', basis: 'config', basisDetail: 'rule 1 of review.reviewers' });
    expect(rowOf(review, 'alice.nguyen', 'managed policy ReadOnlyAccess')).toMatchObject({ reviewer: 'cloud-lead@example.com', basis: 'config' });
    // An IdP user's AWS grant is in the aws plane: the rule for AWS takes it before the manager.
    expect(rowOf(review, 'carl.jensen@example.com', 'managed policy ReadOnlyAccess')).toMatchObject({ reviewer: 'cloud-lead@example.com' });
    expect(rowOf(review, 'carl.jensen@example.com', 'ClusterRole/view')).toMatchObject({ reviewer: 'k8s-lead@example.com' });
    // A member of AWS-Admins: the group rule takes dana's Okta role; the principal rule is never reached for it.
    expect(rowOf(review, 'dana.reyes@example.com', 'Okta admin role SUPER_ADMIN')).toMatchObject({ reviewer: 'it-lead@example.com', basis: 'config', basisDetail: 'rule 4 of review.reviewers' });
  });

  it('never assigns someone their own access: a matching rule naming the principal is passed over', async () => {
    const review = await demoReview([{ reviewer: 'SAM.OKAFOR@example.com', plane: 'identity' }]);
    expect(rowOf(review, 'sam.okafor@example.com', 'Okta admin role ORG_ADMIN')).toMatchObject({ reviewer: 'dana.reyes@example.com', basis: 'manager' });
    expect(rowOf(review, 'lee.chen@example.com', 'Okta admin role APP_ADMIN')).toMatchObject({ reviewer: 'SAM.OKAFOR@example.com', basis: 'config' });
  });

  it('takes the owner of the IdP group a grant comes through, after the manager; owners that could not be read are unknown, never none', async () => {
    const viaAdmins = (review: Review) => {
      const rows: { principal: string; row: Review['pack']['rows'][number] }[] = [];
      let i = 0;
      for (const p of review.principals) for (const g of p.grants.length > 0 ? p.grants : [null]) {
        const row = review.pack.rows[i++];
        if (row && g?.via.split(' → ').includes('Okta group AWS-Admins')) rows.push({ principal: p.name, row });
      }
      return rows;
    };
    const owned = await demoReview([], { 'AWS-Admins': ['it-owner@example.com', 'dana.reyes@example.com'] });
    const rows = viaAdmins(owned);
    // dana.reyes has no manager: the group's owner reviews her AWS access through the group, never herself.
    const dana = rows.filter((r) => r.principal === 'dana.reyes@example.com');
    expect(dana.length).toBeGreaterThan(0);
    for (const { row } of dana) expect(row).toMatchObject({ reviewer: 'it-owner@example.com', basis: 'group_owner', basisDetail: 'owner of Okta group AWS-Admins' });
    // A member with a manager keeps the manager.
    for (const { principal, row } of rows) if (principal !== 'dana.reyes@example.com') expect(row.basis).toBe('manager');
    // Her own role, not through the group, is still unassigned.
    expect(rowOf(owned, 'dana.reyes@example.com', 'Okta admin role SUPER_ADMIN')).toMatchObject({ reviewer: null });

    const unknown = viaAdmins(await demoReview([], { 'AWS-Admins': null })).filter((r) => r.principal === 'dana.reyes@example.com');
    for (const { row } of unknown) {
      expect(row.basis).not.toBe('group_owner');
      expect(row.basisDetail).toMatch(/; owners of Okta group AWS-Admins unknown \(not read\)$/);
    }
    // Not collected at all: nothing said of owners.
    for (const { row } of viaAdmins(await demoReview())) expect(row.basisDetail).not.toMatch(/owners of/);
  });

  it('hashes rows over what the CSV shows: pseudonymised packs get their own hashes and pack id, stable for a key', async () => {
    const review = await demoReview();
    const a = pseudonymiseReview(review, { key: 'k' });
    const b = pseudonymiseReview(review, { key: 'k' });
    expect(a.pack.id).toBe(b.pack.id);
    expect(a.pack.id).not.toBe(review.pack.id);
    expect(a.pack.rows.find((r) => r.reviewer?.includes('sam.okafor'))).toBeUndefined();
    expect(new Set(review.pack.rows.map((r) => r.hash)).size).toBe(review.pack.rows.length);
  });
});

describe('revocation targets', () => {
  it('name the exact object to change for each kind of grant', async () => {
    const campaign = startCampaign(await demoReview(), null);
    const target = (principal: string, grant: string, via?: string) =>
      campaign.items.find((i) => i.principal === principal && i.grant === grant && (via === undefined || i.via === via))?.revoke;
    expect(target('alice.nguyen', 'managed policy ReadOnlyAccess')).toEqual({
      system: 'aws:111122223333',
      object: 'IAM group membership: alice.nguyen in group developers',
      change: 'remove IAM user alice.nguyen from group developers',
    });
    expect(target('terraform-admin', 'managed policy AdministratorAccess')).toMatchObject({
      object: 'policy attachment: managed policy AdministratorAccess on IAM role arn:aws:iam::111122223333:role/terraform-admin',
    });
    expect(target('release-manager', 'inline policy release-tooling')?.change).toMatch(/^delete inline policy release-tooling from IAM role /);
    expect(target('ci/ci-deployer', 'ClusterRole/cluster-admin')).toMatchObject({ system: 'k8s:acme-prod', object: 'ClusterRoleBinding ci-deployer-admin, subject ServiceAccount ci/ci-deployer' });
    expect(target('finn.murphy@example.com', 'Role/legacy-admin', 'RoleBinding legacy/legacy-admins')).toMatchObject({ object: 'RoleBinding legacy/legacy-admins, subject User finn.murphy@example.com' });
    // The IdP user reaches the binding by signing in as the Kubernetes user: the subject is the change.
    expect(target('finn.murphy@example.com', 'Role/legacy-admin', 'k8s user finn.murphy@example.com → RoleBinding legacy/legacy-admins')).toMatchObject({
      object: 'RoleBinding legacy/legacy-admins, subject User finn.murphy@example.com',
    });
    expect(target('dana.reyes@example.com', 'managed policy AdministratorAccess')).toMatchObject({ system: 'okta:acme.okta.com', object: 'group membership: dana.reyes@example.com in Okta group AWS-Admins' });
    expect(target('dana.reyes@example.com', 'Okta admin role SUPER_ADMIN')).toMatchObject({ object: 'admin role assignment: SUPER_ADMIN to user dana.reyes@example.com' });
    expect(target('OktaSSO-Admin', 'ClusterRole/cluster-admin')?.change).toMatch(/aws-auth ConfigMap mapRoles\/mapUsers, or the EKS access entry/);
    expect(target('kube-system/external-dns', 'managed policy acme-external-dns-route53')?.object).toBe('IRSA: annotation eks.amazonaws.com/role-arn on service account kube-system/external-dns');
    expect(target('mia.rossi@labs.example.com', 'Entra role Security Administrator')?.object).toMatch(/^PIM eligible assignment/);
    expect(target('grace.li@example.com', '')).toMatchObject({ object: 'user grace.li@example.com', change: 'disable or delete user grace.li@example.com' });
  });
});
