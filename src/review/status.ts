import { type Campaign, latestDecisions } from './campaign.js';
import { cmp } from './graph.js';
import type { Privilege, ReviewPlane } from './model.js';

/**
 * Where a campaign stands (`zt access-review status`): rows decided per reviewer, plane and
 * privilege, the reviewers still owing decisions after the due date, and the changes to
 * carry out (revoke and modify decisions) with the exact object each one changes.
 */

export interface Progress {
  readonly rows: number;
  readonly decided: number;
  readonly keep: number;
  readonly revoke: number;
  readonly modify: number;
  readonly pending: number;
}

export interface ChangeToCarryOut {
  readonly decision: 'revoke' | 'modify';
  readonly principal: string;
  readonly principalId: string;
  readonly plane: ReviewPlane;
  readonly privilege: Privilege;
  readonly grant: string;
  readonly via: string;
  readonly scope: string;
  readonly system: string;
  readonly object: string;
  readonly change: string;
  readonly reviewer: string;
  readonly date: string;
  readonly comment: string;
  readonly row: string;
}

export interface CampaignStatus {
  readonly kind: 'zt-access-campaign-status';
  readonly packId: string;
  readonly collectedAt: string | null;
  readonly due: string | null;
  /** The day the status was judged at (overdue is relative to it). */
  readonly asOf: string;
  readonly total: Progress;
  readonly byReviewer: readonly (Progress & { readonly reviewer: string | null })[];
  readonly byPlane: readonly (Progress & { readonly plane: ReviewPlane })[];
  readonly byPrivilege: readonly (Progress & { readonly privilege: Privilege })[];
  /** Reviewers with pending rows once the due date has passed (none before it, or without one). */
  readonly overdue: readonly { readonly reviewer: string | null; readonly pending: number }[];
  readonly changes: readonly ChangeToCarryOut[];
}

const planeOrder: readonly ReviewPlane[] = ['identity', 'aws', 'kubernetes'];
const privilegeOrder: readonly Privilege[] = ['admin', 'write', 'read', 'none'];

class Tally {
  rows = 0;
  keep = 0;
  revoke = 0;
  modify = 0;
  add(decision: string | undefined): void {
    this.rows++;
    if (decision === 'keep') this.keep++;
    else if (decision === 'revoke') this.revoke++;
    else if (decision === 'modify') this.modify++;
  }
  get progress(): Progress {
    const decided = this.keep + this.revoke + this.modify;
    return { rows: this.rows, decided, keep: this.keep, revoke: this.revoke, modify: this.modify, pending: this.rows - decided };
  }
}

function tally<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Tally()));
  return t;
}

/** The status on `asOf` (YYYY-MM-DD: the clock or --at, only overdue depends on it). */
export function campaignStatus(campaign: Campaign, asOf: string): CampaignStatus {
  const latest = latestDecisions(campaign);
  const total = new Tally();
  const reviewers = new Map<string | null, Tally>();
  const planes = new Map<ReviewPlane, Tally>();
  const privileges = new Map<Privilege, Tally>();
  const changes: ChangeToCarryOut[] = [];
  for (const item of campaign.items) {
    const d = latest.get(item.row);
    total.add(d?.decision);
    tally(reviewers, item.reviewer).add(d?.decision);
    tally(planes, item.plane).add(d?.decision);
    tally(privileges, item.privilege).add(d?.decision);
    if (d && (d.decision === 'revoke' || d.decision === 'modify')) {
      changes.push({
        decision: d.decision,
        principal: item.principal,
        principalId: item.principalId,
        plane: item.plane,
        privilege: item.privilege,
        grant: item.grant,
        via: item.via,
        scope: item.scope,
        system: item.revoke.system,
        object: item.revoke.object,
        change: d.decision === 'revoke' ? item.revoke.change : `modify (${d.comment}); the grant reaches the principal through: ${item.revoke.object}`,
        reviewer: d.reviewer,
        date: d.date,
        comment: d.comment,
        row: item.row,
      });
    }
  }
  changes.sort((a, b) => cmp(a.system, b.system) || cmp(a.object, b.object) || cmp(a.row, b.row));
  const byReviewer = [...reviewers]
    .map(([reviewer, t]) => ({ reviewer, ...t.progress }))
    .sort((a, b) => (a.reviewer === null ? 1 : b.reviewer === null ? -1 : cmp(a.reviewer, b.reviewer)));
  const pastDue = campaign.due !== null && asOf > campaign.due;
  return {
    kind: 'zt-access-campaign-status',
    packId: campaign.packId,
    collectedAt: campaign.collectedAt,
    due: campaign.due,
    asOf,
    total: total.progress,
    byReviewer,
    byPlane: planeOrder.filter((p) => planes.has(p)).map((plane) => ({ plane, ...(planes.get(plane) as Tally).progress })),
    byPrivilege: privilegeOrder.filter((p) => privileges.has(p)).map((privilege) => ({ privilege, ...(privileges.get(privilege) as Tally).progress })),
    overdue: pastDue ? byReviewer.filter((r) => r.pending > 0).map((r) => ({ reviewer: r.reviewer, pending: r.pending })) : [],
    changes,
  };
}
