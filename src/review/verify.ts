import { type Campaign, type CampaignDecision, type CampaignItem, latestDecisions } from './campaign.js';
import { makeGrant } from './principals.js';
import type { Grant, PlaneCoverage, Privilege, Review, ReviewPrincipal } from './model.js';
import { principalRows } from './pack.js';
import { isReviewScoped, type ReviewScope, type ScopedRow, scopeTest, scopeText } from './scope.js';

/**
 * Next quarter against the last campaign (`--previous <campaign>`): was every revoke
 * carried out (the grant is gone from the fresh collection), which decisions carry over to
 * grants that did not change (when `review.carryOver` allows; never for admin grants), and
 * which grants are new since the last sign-off. A grant whose source or plane this
 * collection did not cover completely is not verified: absence there is not evidence.
 */

export type RevocationState = 'carried_out' | 'still_present' | 'not_verified';

/** One row's grant, as a campaign names it. */
export interface NewGrant {
  readonly principalId: string;
  readonly principal: string;
  readonly grant: string;
  readonly via: string;
  readonly scope: string;
  readonly privilege: Privilege;
}

export interface VerifiedRevocation extends NewGrant {
  readonly state: RevocationState;
  /** Why it is not verified, or what was found. */
  readonly detail: string;
  readonly object: string;
  readonly reviewer: string;
  readonly date: string;
}

export interface CampaignVerification {
  readonly previousPackId: string;
  readonly previousCollectedAt: string | null;
  readonly counts: Readonly<Record<RevocationState, number>> & { readonly carriedOver: number; readonly newSinceSignOff: number };
  readonly revocations: readonly VerifiedRevocation[];
  /** Grants (rows) not in the last campaign's pack. */
  readonly newSinceSignOff: readonly NewGrant[];
}

const INACTIVE = new Set(['suspended', 'deprovisioned', 'disabled', 'inactive', 'missing']);
const rowKey = (principalId: string, grantKey: string | null): string => `${principalId}\u0000${grantKey ?? ''}`;

/** The last campaign's grants as a review's principals, so `changes` can be computed against it. */
export function principalsOfCampaign(campaign: Campaign): Pick<Review, 'collectedAt' | 'principals'> {
  const byId = new Map<string, { p: CampaignItem; grants: Grant[] }>();
  for (const item of campaign.items) {
    let entry = byId.get(item.principalId);
    if (!entry) byId.set(item.principalId, (entry = { p: item, grants: [] }));
    if (item.grantKey !== null) {
      entry.grants.push({ ...makeGrant({ privilege: item.privilege, what: item.grant, via: item.via, scope: item.scope, plane: item.plane, standing: item.standing ?? true }), key: item.grantKey });
    }
  }
  const principals = [...byId.values()].map(({ p, grants }) => ({ id: p.principalId, name: p.principal, plane: p.plane, privilege: grants.reduce<Privilege>((best, g) => (rank[g.privilege] > rank[best] ? g.privilege : best), 'none'), grants }) as unknown as ReviewPrincipal);
  return { collectedAt: campaign.collectedAt, principals };
}

const rank: Readonly<Record<Privilege, number>> = { none: 0, read: 1, write: 2, admin: 3 };

function coverageOf(planes: readonly PlaneCoverage[]): { sources: Set<string>; partial: Map<string, readonly string[]> } {
  const sources = new Set<string>();
  const partial = new Map<string, readonly string[]>();
  for (const p of planes) {
    if (!p.covered) continue;
    for (const s of p.sources) sources.add(s);
    if (p.gaps.length > 0) partial.set(p.plane, p.gaps);
  }
  return { sources, partial };
}

/** A campaign row as a scope judges it. */
export function campaignRow(item: CampaignItem): ScopedRow {
  const plane = item.type.startsWith('idp.') ? 'identity' : item.type.startsWith('aws.') ? 'aws' : 'kubernetes';
  return { plane, type: item.type, name: item.principal, source: item.source, grant: item.grantKey === null ? null : { plane: item.plane, scope: item.scope } };
}

/** The campaign's rows within a scope (all of them without one). */
export function campaignInScope(campaign: Campaign, scope: ReviewScope | undefined): Campaign {
  if (!isReviewScoped(scope)) return campaign;
  const test = scopeTest(scope);
  return { ...campaign, items: campaign.items.filter((i) => test(campaignRow(i))) };
}

export function verifyAgainstCampaign(previous: Campaign, review: Pick<Review, 'principals' | 'planes' | 'scope'>): CampaignVerification {
  const inScope = isReviewScoped(review.scope) ? scopeTest(review.scope) : undefined;
  const latest = latestDecisions(previous);
  const now = new Map<string, { principal: ReviewPrincipal; grant: Grant | null }>();
  const principals = new Map<string, ReviewPrincipal>();
  for (const row of principalRows(review)) {
    now.set(rowKey(row.principal.id, row.grant?.key ?? null), row);
    principals.set(row.principal.id, row.principal);
  }
  const { sources, partial } = coverageOf(review.planes);
  // A path across planes vanishes when any plane along it is missing: all the last campaign's sources must be here.
  const missing = previous.planes.filter((p) => p.covered).flatMap((p) => p.sources).filter((s) => !sources.has(s)).sort();
  const revocations: VerifiedRevocation[] = [];
  for (const item of previous.items) {
    const d: CampaignDecision | undefined = latest.get(item.row);
    if (d?.decision !== 'revoke') continue;
    const base = { principalId: item.principalId, principal: item.principal, grant: item.grant, via: item.via, scope: item.scope, privilege: item.privilege, object: item.revoke.object, reviewer: d.reviewer, date: d.date };
    const gaps = partial.get(item.plane);
    let state: RevocationState;
    let detail: string;
    if (inScope && review.scope && !inScope(campaignRow(item))) {
      // This review did not look there: absence is not evidence.
      state = 'not_verified';
      detail = `outside this review's scope (${scopeText(review.scope)})`;
    } else if (!sources.has(item.source)) {
      state = 'not_verified';
      detail = `${item.source} is not in this collection`;
    } else if (item.grantKey !== null && !sources.has(item.scope.replace(/\/ns\/.*$/, ''))) {
      state = 'not_verified';
      detail = `${item.scope.replace(/\/ns\/.*$/, '')} is not in this collection`;
    } else if (item.via.includes(' → ') && missing.length > 0) {
      state = 'not_verified';
      detail = `a path across planes, and ${missing.join(', ')} is not in this collection`;
    } else if (gaps) {
      state = 'not_verified';
      detail = `the ${item.plane} plane was partly collected (${gaps.join(', ')})`;
    } else if (item.grantKey === null) {
      const p = principals.get(item.principalId);
      state = p && !INACTIVE.has(p.status) ? 'still_present' : 'carried_out';
      detail = p ? `the account is ${p.status}` : 'the account is gone';
    } else {
      const found = now.get(rowKey(item.principalId, item.grantKey));
      state = found ? 'still_present' : 'carried_out';
      detail = found ? `still held (${found.grant?.privilege ?? 'none'})` : 'the grant is gone';
    }
    revocations.push({ state, detail, ...base });
  }
  revocations.sort((a, b) => order[a.state] - order[b.state] || (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0) || (a.grant < b.grant ? -1 : a.grant > b.grant ? 1 : 0));
  const known = new Set(previous.items.map((i) => rowKey(i.principalId, i.grantKey)));
  // (Rows of this review are all in its scope; rows of the last campaign outside it are not compared.)
  const knownPrincipals = new Set(previous.items.map((i) => i.principalId));
  const newSinceSignOff: NewGrant[] = [];
  for (const { principal, grant } of principalRows(review)) {
    if (known.has(rowKey(principal.id, grant?.key ?? null))) continue;
    // A principal that lost all its grants shows as an account row: nothing was granted.
    if (grant === null && knownPrincipals.has(principal.id)) continue;
    newSinceSignOff.push({ principalId: principal.id, principal: principal.name, grant: grant?.what ?? '', via: grant?.via ?? '', scope: grant?.scope ?? '', privilege: grant?.privilege ?? 'none' });
  }
  const counts = { carried_out: 0, still_present: 0, not_verified: 0 };
  for (const r of revocations) counts[r.state]++;
  return {
    previousPackId: previous.packId,
    previousCollectedAt: previous.collectedAt,
    counts: { ...counts, carriedOver: 0, newSinceSignOff: newSinceSignOff.length },
    revocations,
    newSinceSignOff,
  };
}

const order: Readonly<Record<RevocationState, number>> = { still_present: 0, not_verified: 1, carried_out: 2 };

/**
 * Keep decisions of the last campaign that hold for this pack's rows: the same principal,
 * grant and privilege, never admin. Dated as decided; recorded as carried over.
 */
export function carriedOverDecisions(previous: Campaign, next: Campaign): CampaignDecision[] {
  const latest = latestDecisions(previous);
  const before = new Map(previous.items.map((i) => [rowKey(i.principalId, i.grantKey), i]));
  const out: CampaignDecision[] = [];
  for (const item of next.items) {
    const old = before.get(rowKey(item.principalId, item.grantKey));
    const d = old ? latest.get(old.row) : undefined;
    if (!old || d?.decision !== 'keep' || old.privilege !== item.privilege || item.privilege === 'admin') continue;
    out.push({
      row: item.row,
      decision: 'keep',
      reviewer: d.reviewer,
      date: d.date,
      comment: `carried over from ${previous.packId}${d.comment ? `: ${d.comment}` : ''}`,
      recordedBy: 'zt (carry-over)',
      recordedAt: next.collectedAt ?? d.recordedAt,
      file: previous.packId,
      line: 0,
    });
  }
  return out;
}
