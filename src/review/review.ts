import { type AnalysisFailure, analyse } from '../analysis/index.js';
import { InventoryIndex } from '../inventory/index.js';
import type { Kind } from '../inventory/kinds/index.js';
import type { Snapshot } from '../inventory/snapshot.js';
import { assignReviewers, type GroupOwners, type ReviewerRule } from './assign.js';
import { buildGraph, cmp } from './graph.js';
import type { IdentityMap } from './identity-map.js';
import {
  type Flag,
  type Grant,
  maxPrivilege,
  type PlaneCoverage,
  type Privilege,
  privilegeRank,
  type Review,
  REVIEW_KIND,
  REVIEW_SCHEMA_VERSION,
  type ReviewPlane,
  type ReviewPrincipal,
  type ReviewSummary,
  reviewPlanes,
} from './model.js';
import { sealPack } from './pack.js';
import { isReviewScoped, type ReviewScope, scopeTest } from './scope.js';
import { awsRolePrincipal, awsUserPrincipal, daysBetween, type DraftPrincipal, entraRoleGrants, idpUserPrincipal, kubernetesPrincipals } from './principals.js';

export interface ReviewOptions {
  readonly toolVersion: string;
  /** Declared cross-plane mappings and the name reports show for them. */
  readonly identityMap?: { readonly map: IdentityMap; readonly name: string } | null;
  readonly staleDays?: number;
  readonly keyMaxAgeDays?: number;
  /** Reviewer rules of .zt/config.yaml (review.reviewers), tried before the IdP manager and owners. */
  readonly reviewerRules?: readonly ReviewerRule[];
  /** Only the rows in this scope are reviewed (scope.ts). */
  readonly scope?: ReviewScope | undefined;
}

/** Kinds each plane's part of the review reads (coverage gaps are reported per plane). */
const planeKinds: Readonly<Record<ReviewPlane, readonly Kind[]>> = {
  identity: ['idp.user', 'idp.group'],
  aws: ['aws.iam.user', 'aws.iam.role', 'aws.iam.group', 'aws.iam.policy'],
  kubernetes: ['k8s.rbac.clusterRoleBinding', 'k8s.rbac.roleBinding', 'k8s.rbac.clusterRole', 'k8s.rbac.role', 'k8s.serviceAccount'],
};
const planeCollectors: Readonly<Record<ReviewPlane, readonly string[]>> = {
  identity: ['okta', 'entra'],
  aws: ['aws-iam'],
  kubernetes: ['kubernetes'],
};
const planeOrder: Readonly<Record<ReviewPlane, number>> = { identity: 0, aws: 1, kubernetes: 2 };

/** The access review of a snapshot. Pure: the same snapshot and options give the same review. */
export function buildReview(snapshot: Snapshot, options: ReviewOptions): Review {
  return reviewOf(snapshot, options).review;
}

export interface BuiltReview {
  readonly review: Review;
  /**
   * Analysers that threw (a bug in zt): the facts they derive are unknown, the planes whose
   * kinds they derive say so in their gaps, and the caller reports each as an internal issue (exit 4).
   */
  readonly analysisFailures: readonly AnalysisFailure[];
}

/** `buildReview` with the analysers that failed. */
export function reviewOf(snapshot: Snapshot, options: ReviewOptions): BuiltReview {
  const staleDays = options.staleDays ?? 90;
  const keyMaxAgeDays = options.keyMaxAgeDays ?? 90;
  const inventory = new InventoryIndex(snapshot);
  const facts = analyse(inventory);

  const drafts = new Map<string, DraftPrincipal>();
  const add = (p: DraftPrincipal): void => {
    drafts.set(p.id, p);
  };
  const entraGrants = entraRoleGrants(inventory);
  for (const user of inventory.ofKind('idp.user')) add(idpUserPrincipal(user, facts, entraGrants));
  // Ages are measured from the as-of time of each principal's own source (design §10).
  for (const user of inventory.ofKind('aws.iam.user')) add(awsUserPrincipal(user, inventory, facts, inventory.timeOf(user).iso));
  for (const role of inventory.ofKind('aws.iam.role')) add(awsRolePrincipal(role, inventory, facts));
  for (const p of kubernetesPrincipals(inventory)) add(p);

  const { graph, inherited, memberships } = buildGraph(inventory, drafts, options.identityMap?.map ?? null, entraGrants);

  const scope = isReviewScoped(options.scope) ? options.scope : undefined;
  const inScope = scope ? scopeTest(scope) : undefined;
  const principals: ReviewPrincipal[] = [];
  for (const draft of drafts.values()) {
    let grants = dedupeAndSort([...draft.grants, ...(inherited.get(draft.id) ?? [])]);
    if (inScope) {
      // Out-of-scope grants leave; a principal with none left (or, without grants, itself out of scope) leaves too.
      const row = (g: Grant | null) => ({ plane: draft.plane, type: draft.type, name: draft.name, source: draft.source, grant: g });
      const all = grants;
      grants = grants.filter((g) => inScope(row(g)));
      if (all.length > 0 ? grants.length === 0 : !inScope(row(null))) continue;
    }
    const privilege = maxPrivilege(grants.map((g) => g.privilege));
    const groups = draft.type === 'idp.user' ? [...(memberships.get(draft.id) ?? [])] : draft.groups;
    principals.push({
      id: draft.id,
      type: draft.type,
      plane: draft.plane,
      source: draft.source,
      name: draft.name,
      email: draft.email,
      owner: draft.owner,
      manager: draft.manager,
      status: draft.status,
      accountClass: draft.accountClass,
      privilege,
      grants,
      auth: draft.auth,
      credentials: draft.credentials,
      lastUsed: draft.lastUsed,
      lastUsedSource: draft.lastUsedSource,
      createdAt: draft.createdAt,
      groups,
      flags: flagsOf(draft, grants, privilege, inventory.timeOfSource(draft.source).iso, staleDays, keyMaxAgeDays),
    });
  }
  principals.sort((a, b) => planeOrder[a.plane] - planeOrder[b.plane] || cmp(a.type, b.type) || cmp(a.name, b.name) || cmp(a.id, b.id));

  const review = {
    schemaVersion: REVIEW_SCHEMA_VERSION,
    kind: REVIEW_KIND,
    tool: { name: 'zt', version: options.toolVersion },
    collectedAt: snapshot.collectedAt,
    thresholds: { staleDays, keyMaxAgeDays },
    planes: planeCoverage(snapshot, facts.failures),
    pseudonymised: null,
    identityMap: options.identityMap?.name ?? null,
    ...(scope ? { scope } : {}),
    summary: summarise(principals),
    principals,
    graph,
    changes: null,
    verification: null,
  } as const;
  return { review: { ...review, pack: sealPack(review, assignReviewers(review, options.reviewerRules ?? [], groupOwnersOf(inventory))) }, analysisFailures: facts.failures };
}

/**
 * Owners of the IdP groups by the label grants' paths show them with. Two groups shown
 * alike (same name in two orgs) whose owners differ are ambiguous: unknown.
 */
function groupOwnersOf(inventory: InventoryIndex): GroupOwners {
  const out = new Map<string, readonly string[] | null>();
  for (const group of inventory.ofKind('idp.group')) {
    const owners = group.attributes.owners;
    if (owners === undefined) continue;
    const label = `${group.attributes.provider === 'entra' ? 'Entra' : 'Okta'} group ${group.name}`;
    const before = out.get(label);
    out.set(label, before === undefined ? owners : before === null || owners === null || before.join('\n') !== owners.join('\n') ? null : owners);
  }
  return out;
}

function dedupeAndSort(grants: readonly Grant[]): Grant[] {
  const byKey = new Map<string, Grant>();
  for (const g of grants) {
    const known = byKey.get(g.key);
    if (!known || privilegeRank[g.privilege] > privilegeRank[known.privilege]) byKey.set(g.key, g);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      privilegeRank[b.privilege] - privilegeRank[a.privilege] ||
      planeOrder[a.plane] - planeOrder[b.plane] ||
      cmp(a.scope, b.scope) ||
      cmp(a.what, b.what) ||
      cmp(a.via, b.via),
  );
}

export function flagsOf(
  p: DraftPrincipal,
  grants: readonly Grant[],
  privilege: Privilege,
  now: string | null,
  staleDays: number,
  keyMaxAgeDays: number,
): Flag[] {
  const flags = new Set<Flag>();
  const knowsUse = p.lastUsedSource !== 'unknown';
  const usedDays = daysBetween(p.lastUsed, now);
  const ageDays = daysBetween(p.createdAt, now);
  if (knowsUse && p.lastUsed === null) {
    flags.add('never_used');
    if (ageDays === null || ageDays > staleDays) flags.add('stale');
  } else if (usedDays !== null && usedDays > staleDays) flags.add('stale');
  const human = p.accountClass === 'human' || p.accountClass === 'break_glass';
  if (privilege === 'admin' && p.accountClass !== 'system' && grants.some((g) => g.privilege === 'admin' && g.standing)) flags.add('standing_admin');
  if (p.type === 'idp.user' && human && p.auth.strength === 'none' && p.status === 'active') flags.add('no_mfa');
  if (p.hints.consoleWithoutMfa) flags.add('no_mfa');
  if (p.type === 'idp.user' && human && p.auth.strength === 'weak') flags.add('weak_mfa');
  if (p.hints.guest) flags.add('external');
  const external = p.hints.external ?? [];
  if (external.includes('*')) flags.add('public').add('external');
  if (external.some((a) => a !== '*')) flags.add('cross_account').add('external');
  if (p.hints.public) flags.add('public');
  if (p.accountClass === 'break_glass') flags.add('break_glass');
  if (p.type === 'idp.user' && p.status !== 'active' && privilege !== 'none') flags.add('inactive_with_access');
  for (const c of p.credentials) {
    if (!c.active || !c.kind.startsWith('access key')) continue;
    if (c.ageDays !== null && c.ageDays > keyMaxAgeDays) flags.add('old_access_key');
    const keyUsed = daysBetween(c.lastUsed, now);
    if (c.lastUsed === null || (keyUsed !== null && keyUsed > staleDays)) flags.add('unused_access_key');
  }
  if (p.hints.dangling) flags.add('dangling');
  return [...flags].sort();
}

/** The kinds whose derived facts the review reads (principals.ts): their analysers' failures are gaps of the plane. */
const derivedKinds: Readonly<Record<ReviewPlane, readonly string[]>> = {
  identity: ['idp.user'],
  aws: ['aws.iam.user', 'aws.iam.role', 'aws.iam.group'],
  kubernetes: [],
};

function planeCoverage(snapshot: Snapshot, failures: readonly AnalysisFailure[] = []): PlaneCoverage[] {
  return reviewPlanes.map((plane) => {
    const sources = snapshot.sources.filter((s) => planeCollectors[plane].includes(s.collector)).map((s) => s.source);
    const kinds = planeKinds[plane];
    const covered = sources.length > 0 || kinds.some((k) => snapshot.coverage[k] !== undefined);
    const gaps: string[] = [];
    if (covered) {
      for (const kind of kinds) {
        const c = snapshot.coverage[kind];
        if (!c) gaps.push(`${kind}: not collected`);
        else if (c.state !== 'complete') gaps.push(`${kind}: ${c.state}${c.reason ? ` (${c.reason})` : ''}`);
      }
      // An analyser that threw leaves its facts unknown: never read as "no admin", "no factor".
      for (const f of failures) if (derivedKinds[plane].includes(f.kind)) gaps.push(`${f.kind}: ${f.fields.join(', ')} unknown (zt's analysis failed, ZT_ANALYSIS_CRASHED)`);
    }
    return { plane, covered, sources: [...new Set(sources)].sort(), gaps };
  });
}

export function summarise(principals: readonly ReviewPrincipal[]): ReviewSummary {
  const byPlane = Object.fromEntries(reviewPlanes.map((p) => [p, { admin: 0, write: 0, read: 0, none: 0 }])) as Record<ReviewPlane, Record<Privilege, number>>;
  const authStrength: Record<string, number> = {};
  const flags: Partial<Record<Flag, number>> = {};
  let grants = 0;
  let staleWithAccess = 0;
  for (const p of principals) {
    byPlane[p.plane][p.privilege] += 1;
    grants += p.grants.length;
    if (p.accountClass === 'human' || p.accountClass === 'break_glass') {
      if (p.type === 'idp.user' || p.type === 'aws.iam.user') authStrength[p.auth.strength] = (authStrength[p.auth.strength] ?? 0) + 1;
    }
    for (const f of p.flags) flags[f] = (flags[f] ?? 0) + 1;
    if (p.privilege !== 'none' && (p.flags.includes('stale') || p.flags.includes('never_used'))) staleWithAccess += 1;
  }
  const sortedFlags = Object.fromEntries(Object.entries(flags).sort(([a], [b]) => cmp(a, b))) as Partial<Record<Flag, number>>;
  const sortedAuth = Object.fromEntries(Object.entries(authStrength).sort(([a], [b]) => cmp(a, b)));
  return { principals: principals.length, grants, byPlane, authStrength: sortedAuth, flags: sortedFlags, staleWithAccess };
}
