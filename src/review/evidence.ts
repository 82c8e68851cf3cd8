import { z } from 'zod';
import { type Campaign, type CampaignSource, latestDecisions } from './campaign.js';
import { campaignStatus, type CampaignStatus } from './status.js';
import type { CampaignVerification } from './verify.js';

/**
 * The sign-off evidence of a campaign (`zt access-review evidence`): what an auditor keeps
 * to see that the review happened — scope, sources and their as-of times, counts, every
 * decision with its reviewer and date, the changes to carry out, the revocations verified
 * by the next collection — and the SHA-256 of every file it rests on, so the bundle can be
 * checked later. Pure: the same campaign and files give the same manifest, byte for byte
 * (no wall clock: "as of" is --at, else the last recording).
 */

export const EVIDENCE_KIND = 'zt-access-evidence';
export const EVIDENCE_SCHEMA_VERSION = 1;

/** A file the evidence lists: where it is in the bundle (null: not copied), what it is, and its hash. */
export interface EvidenceFile {
  /** Path inside the bundle, with / separators; null for a file listed by hash only (a returned CSV as recorded). */
  readonly path: string | null;
  /** How the user named it, or where the campaign records it from. */
  readonly source: string;
  readonly role: 'campaign' | 'returned' | 'verification' | 'attachment' | 'report';
  readonly sha256: string;
  /** Size in bytes; null when only the hash is known (recorded files). */
  readonly bytes: number | null;
}

/** The next quarter's review (JSON) whose verification checks this campaign's revocations. */
export interface VerificationInput {
  readonly file: string;
  readonly collectedAt: string | null;
  readonly packId: string;
  readonly verification: CampaignVerification;
}

/** What the evidence reads of a later review's JSON: enough to check it verifies this campaign. */
export const verifyingReviewSchema = z.object({
  collectedAt: z.string().nullable(),
  pack: z.object({ id: z.string() }),
  verification: z
    .object({
      previousPackId: z.string(),
      previousCollectedAt: z.string().nullable(),
      counts: z.object({ carried_out: z.number(), still_present: z.number(), not_verified: z.number(), carriedOver: z.number(), newSinceSignOff: z.number() }),
      revocations: z.array(
        z.object({
          principalId: z.string(),
          principal: z.string(),
          grant: z.string(),
          via: z.string(),
          scope: z.string(),
          privilege: z.enum(['admin', 'write', 'read', 'none']),
          state: z.enum(['carried_out', 'still_present', 'not_verified']),
          detail: z.string(),
          object: z.string(),
          reviewer: z.string(),
          date: z.string(),
        }),
      ),
      newSinceSignOff: z.array(
        z.object({ principalId: z.string(), principal: z.string(), grant: z.string(), via: z.string(), scope: z.string(), privilege: z.enum(['admin', 'write', 'read', 'none']) }),
      ),
    })
    .nullable(),
});

/** decided: every row has a decision; open: some are pending. */
export type CampaignState = 'open' | 'decided';

export interface EvidenceDecision {
  readonly row: string;
  readonly principal: string;
  readonly principalId: string;
  readonly plane: string;
  readonly privilege: string;
  readonly grant: string;
  readonly via: string;
  readonly scope: string;
  readonly decision: string;
  readonly reviewer: string;
  readonly date: string;
  readonly comment: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
  /** file:line the decision was read from (carried-over decisions name the previous pack). */
  readonly from: string;
  /** A later decision for the same row replaced this one (it stays in the record). */
  readonly superseded: boolean;
}

export interface Evidence {
  readonly schemaVersion: typeof EVIDENCE_SCHEMA_VERSION;
  readonly kind: typeof EVIDENCE_KIND;
  readonly tool: Campaign['tool'];
  readonly packId: string;
  readonly collectedAt: string | null;
  readonly due: string | null;
  /** The day counts and overdue are judged at. */
  readonly asOf: string;
  readonly state: CampaignState;
  readonly pseudonymised: boolean;
  readonly scope: { readonly planes: Campaign['planes']; readonly sources: readonly CampaignSource[] | null; readonly scopedTo: NonNullable<Campaign['scope']> | null };
  readonly counts: Pick<CampaignStatus, 'total' | 'byReviewer' | 'byPlane' | 'byPrivilege' | 'overdue'>;
  readonly recordings: Campaign['records'];
  readonly decisions: readonly EvidenceDecision[];
  readonly changes: CampaignStatus['changes'];
  readonly verification: (Omit<VerificationInput, 'verification'> & CampaignVerification) | null;
  /** Every file the evidence rests on or consists of, with its SHA-256. */
  readonly files: readonly EvidenceFile[];
}

/** The day evidence is judged at: --at, else the last recording's day, else the collection's, else the due date. */
export function evidenceDay(campaign: Campaign, at: string | undefined): string {
  if (at !== undefined) return at;
  let last = '';
  for (const r of campaign.records) if (r.recordedAt > last) last = r.recordedAt;
  return (last || campaign.collectedAt || campaign.due || '1970-01-01').slice(0, 10);
}

export interface EvidenceInput {
  readonly campaign: Campaign;
  readonly at?: string | undefined;
  readonly verification?: VerificationInput | undefined;
  /** The files read (campaign, verification, attachments), each with its hash. */
  readonly files: readonly EvidenceFile[];
}

export function buildEvidence(input: EvidenceInput): Evidence {
  const { campaign } = input;
  const asOf = evidenceDay(campaign, input.at);
  const status = campaignStatus(campaign, asOf);
  const items = new Map(campaign.items.map((i) => [i.row, i]));
  const latest = latestDecisions(campaign);
  const decisions: EvidenceDecision[] = campaign.decisions.map((d) => {
    const item = items.get(d.row);
    return {
      row: d.row,
      principal: item?.principal ?? '',
      principalId: item?.principalId ?? '',
      plane: item?.plane ?? '',
      privilege: item?.privilege ?? '',
      grant: item?.grant ?? '',
      via: item?.via ?? '',
      scope: item?.scope ?? '',
      decision: d.decision,
      reviewer: d.reviewer,
      date: d.date,
      comment: d.comment,
      recordedBy: d.recordedBy,
      recordedAt: d.recordedAt,
      from: d.line > 0 ? `${d.file}:${d.line}` : d.file,
      superseded: latest.get(d.row) !== d,
    };
  });
  // Returned files are listed by the hash stored when they were recorded: they are not in the bundle.
  const returned: EvidenceFile[] = campaign.records.flatMap((r) => r.files.map((f) => ({ path: null, source: f.name, role: 'returned' as const, sha256: f.sha256, bytes: null })));
  const v = input.verification;
  return {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    kind: EVIDENCE_KIND,
    tool: campaign.tool,
    packId: campaign.packId,
    collectedAt: campaign.collectedAt,
    due: campaign.due,
    asOf,
    state: status.total.pending === 0 ? 'decided' : 'open',
    pseudonymised: campaign.pseudonymised,
    scope: { planes: campaign.planes, sources: campaign.sources ?? null, scopedTo: campaign.scope ?? null },
    counts: { total: status.total, byReviewer: status.byReviewer, byPlane: status.byPlane, byPrivilege: status.byPrivilege, overdue: status.overdue },
    recordings: campaign.records,
    decisions,
    changes: status.changes,
    verification: v ? { file: v.file, collectedAt: v.collectedAt, packId: v.packId, ...v.verification } : null,
    files: [...input.files, ...returned],
  };
}

/** The manifest as written: two-space JSON, one trailing newline. */
export function renderManifest(evidence: Evidence): string {
  return `${JSON.stringify(evidence, null, 2)}\n`;
}

/** `sha256sum -c` input: every file of the bundle, sorted by path. */
export function renderChecksums(files: readonly { readonly path: string; readonly sha256: string }[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join('');
}
