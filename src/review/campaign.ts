import { z } from 'zod';
import { inChunks } from '../output/chunks.js';
import type { Review } from './model.js';
import { principalRows } from './pack.js';
import { revocationTargets } from './revocation.js';

/**
 * A review campaign: the pack's rows as they were sent out (with reviewer, due date and the
 * object a revocation changes), the decisions taken back, and a log of who recorded what
 * when. JSON, versioned; decisions and records are only ever appended (a later decision
 * for the same row supersedes the earlier one, which stays in the file).
 */

export const CAMPAIGN_KIND = 'zt-access-campaign';
export const CAMPAIGN_SCHEMA_VERSION = 1;

export const decisionValues = ['keep', 'revoke', 'modify'] as const;
export type DecisionValue = (typeof decisionValues)[number];

const plane = z.enum(['identity', 'aws', 'kubernetes']);
const privilege = z.enum(['admin', 'write', 'read', 'none']);

export const campaignItemSchema = z.strictObject({
  /** The row hash (pack.ts): the row's identity in the CSV and here. */
  row: z.string(),
  principalId: z.string(),
  principal: z.string(),
  email: z.string().nullable(),
  type: z.string(),
  plane,
  source: z.string(),
  /** The grant's key, what, via and scope; null for the row of a principal without grants. */
  grantKey: z.string().nullable(),
  grant: z.string(),
  via: z.string(),
  scope: z.string(),
  privilege,
  standing: z.boolean().nullable(),
  reviewer: z.string().nullable(),
  basis: z.string(),
  /** What a revoke decision changes (revocation.ts). */
  revoke: z.strictObject({ system: z.string(), object: z.string(), change: z.string() }),
});
export type CampaignItem = z.infer<typeof campaignItemSchema>;

export const campaignDecisionSchema = z.strictObject({
  row: z.string(),
  decision: z.enum(decisionValues),
  /** Who decided (the CSV's reviewer column, else the assigned reviewer). */
  reviewer: z.string(),
  /** The day the reviewer decided (YYYY-MM-DD). */
  date: z.string(),
  comment: z.string(),
  /** Who recorded it and when (record's --by and --at). */
  recordedBy: z.string(),
  recordedAt: z.string(),
  /** The file (as named to record) and line it came from. */
  file: z.string(),
  line: z.number().int(),
});
export type CampaignDecision = z.infer<typeof campaignDecisionSchema>;

export const campaignRecordSchema = z.strictObject({
  recordedBy: z.string(),
  recordedAt: z.string(),
  files: z.array(z.strictObject({ name: z.string(), sha256: z.string(), rows: z.number().int(), decisions: z.number().int() })),
  decisions: z.number().int(),
});
export type CampaignRecord = z.infer<typeof campaignRecordSchema>;

export const campaignSourceSchema = z.strictObject({ source: z.string(), collector: z.string(), mode: z.enum(['live', 'offline']), asOf: z.string().nullable() });
export type CampaignSource = z.infer<typeof campaignSourceSchema>;

export const campaignSchema = z.strictObject({
  schemaVersion: z.literal(CAMPAIGN_SCHEMA_VERSION),
  kind: z.literal(CAMPAIGN_KIND),
  tool: z.strictObject({ name: z.literal('zt'), version: z.string() }),
  packId: z.string(),
  collectedAt: z.string().nullable(),
  /** The day decisions are due (YYYY-MM-DD), null when none was set. */
  due: z.string().nullable(),
  pseudonymised: z.boolean(),
  planes: z.array(z.strictObject({ plane, covered: z.boolean(), sources: z.array(z.string()), gaps: z.array(z.string()) })),
  /** The review's scope when it was scoped (--plane, --source, --namespace, --exclude-namespace): the campaign covers only those rows. */
  scope: z
    .strictObject({ planes: z.array(plane), sources: z.array(z.string()), namespaces: z.array(z.string()), excludeNamespaces: z.array(z.string()) })
    .optional(),
  /** Every source of the collection and the time its facts hold at (null: unknown); absent in campaigns started before zt recorded them. */
  sources: z.array(campaignSourceSchema).optional(),
  items: z.array(campaignItemSchema),
  decisions: z.array(campaignDecisionSchema),
  records: z.array(campaignRecordSchema),
});
export type Campaign = z.infer<typeof campaignSchema>;

/** A new campaign for a review pack: every row pending. `sources`: the collection's sources and their as-of times (the evidence names them). */
export function startCampaign(review: Review, due: string | null, sources?: readonly CampaignSource[]): Campaign {
  const items: CampaignItem[] = [];
  const revocationTarget = revocationTargets(review);
  let i = 0;
  for (const { principal: p, grant: g } of principalRows(review)) {
    const row = review.pack.rows[i++];
    if (!row) throw new Error('pack rows out of step with the principals');
    items.push({
      row: row.hash,
      principalId: p.id,
      principal: p.name,
      email: p.email,
      type: p.type,
      plane: g?.plane ?? p.plane,
      source: p.source,
      grantKey: g?.key ?? null,
      grant: g?.what ?? '',
      via: g?.via ?? '',
      scope: g?.scope ?? '',
      privilege: g?.privilege ?? 'none',
      standing: g ? g.standing : null,
      reviewer: row.reviewer,
      basis: row.basisDetail,
      revoke: revocationTarget(p, g),
    });
  }
  return {
    schemaVersion: CAMPAIGN_SCHEMA_VERSION,
    kind: CAMPAIGN_KIND,
    tool: review.tool,
    packId: review.pack.id,
    collectedAt: review.collectedAt,
    due,
    pseudonymised: review.pseudonymised !== null,
    planes: review.planes.map((p) => ({ plane: p.plane, covered: p.covered, sources: [...p.sources], gaps: [...p.gaps] })),
    ...(review.scope ? { scope: { planes: [...review.scope.planes], sources: [...review.scope.sources], namespaces: [...review.scope.namespaces], excludeNamespaces: [...review.scope.excludeNamespaces] } } : {}),
    ...(sources ? { sources: [...sources].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)) } : {}),
    items,
    decisions: [],
    records: [],
  };
}

/** The latest decision per row (decisions are appended in order). */
export function latestDecisions(campaign: Pick<Campaign, 'decisions'>): Map<string, CampaignDecision> {
  const out = new Map<string, CampaignDecision>();
  for (const d of campaign.decisions) out.set(d.row, d);
  return out;
}

/** The long lists of a campaign: one element per line. */
const listKeys = new Set(['items', 'decisions', 'records']);

/**
 * The campaign as written, in chunks of about 1 MB: stable key order, two-space indent, and
 * one line per item, decision and record (compact JSON), so a line is a row and the file
 * stays about a third smaller than pretty-printed. At 500,000 rows a pretty-printed
 * campaign with its decisions outgrew the longest string V8 can build (record failed with
 * "Invalid string length"); chunks are written one after the other.
 */
export function* campaignChunks(campaign: Campaign): Generator<string> {
  yield* inChunks(campaignPieces(campaign));
}

function* campaignPieces(campaign: Campaign): Generator<string> {
  const entries = Object.entries(campaign).filter(([, v]) => v !== undefined);
  yield '{';
  for (const [i, [key, value]] of entries.entries()) {
    yield `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (listKeys.has(key) && Array.isArray(value) && value.length > 0) {
      yield '[';
      for (const [j, element] of (value as unknown[]).entries()) yield `${j === 0 ? '' : ','}\n    ${JSON.stringify(element)}`;
      yield '\n  ]';
    } else yield JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
  }
  yield '\n}\n';
}

/** The campaign's whole text (small campaigns, tests). */
export function renderCampaign(campaign: Campaign): string {
  return [...campaignChunks(campaign)].join('');
}
