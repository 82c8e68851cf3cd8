import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ZtAggregateError, ZtError } from '../errors/zt-error.js';
import { writeFileAtomically } from '../files/atomic-write.js';
import { type Campaign, CAMPAIGN_KIND, type CampaignSource, CAMPAIGN_SCHEMA_VERSION, campaignChunks, campaignSchema, startCampaign } from '../review/campaign.js';
import type { Review } from '../review/model.js';
import { recordDecisions, type RecordOutcome, type ReturnedFile } from '../review/record.js';
import { campaignStatus, type CampaignStatus } from '../review/status.js';
import { carriedOverDecisions } from '../review/verify.js';
import { checkJsonShape } from '../text/json-shape.js';
import { parseJsonText } from '../text/json-text.js';
import type { NamedFile } from './access-review.js';

/**
 * The campaign file's life: started beside the pack (`zt access-review --campaign`), decisions
 * recorded into it (`record`), read for `status`. Every write is whole or nothing
 * (files/atomic-write), and a recording is refused whole when any row is (nothing stored).
 */

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Whether a JSON file is a campaign (by its kind), read cheaply before choosing its reader; false when unreadable (the reader says why). */
export async function isCampaignFile(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => '');
  try {
    return (JSON.parse(text.replace(/^\uFEFF/, '')) as { kind?: unknown } | null)?.kind === CAMPAIGN_KIND;
  } catch {
    return false;
  }
}

/**
 * Starts a campaign for a pack. An existing file is never replaced: a campaign's history is
 * append-only. `carryOver`: the last campaign, whose keep decisions on unchanged non-admin
 * grants are recorded into the new one (review.carryOver in .zt/config.yaml).
 */
export async function startCampaignFile(file: NamedFile, review: Review, due: string | null, carryOver?: Campaign, sources?: readonly CampaignSource[]): Promise<Campaign> {
  if (await stat(file.path).catch(() => undefined)) {
    throw new ZtError('ZT_USAGE', `${file.display} exists: a campaign is started once and never overwritten`, {
      hint: 'Name a new file for a new campaign; record decisions into an existing one with `zt access-review record`.',
    });
  }
  let campaign = startCampaign(review, due, sources);
  if (carryOver) {
    const carried = carriedOverDecisions(carryOver, campaign);
    if (carried.length > 0) campaign = { ...campaign, decisions: carried, records: [{ recordedBy: 'zt (carry-over)', recordedAt: campaign.collectedAt ?? '', files: [], decisions: carried.length }] };
  }
  await writeFileAtomically(file.path, campaignChunks(campaign));
  return campaign;
}

async function readText(file: NamedFile, what: string): Promise<string> {
  try {
    return await readFile(file.path, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read ${what} ${file.display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { location: { file: file.display }, cause: error });
  }
}

export interface ReadCampaign {
  readonly campaign: Campaign;
  readonly text: string;
  /** The file as read (inode, size, modification time in ns): a write meanwhile changes it. */
  readonly version: string;
}

/** Which file and version is at the path now ('' when it cannot be read). */
async function fileVersion(path: string): Promise<string> {
  const s = await stat(path, { bigint: true }).catch(() => undefined);
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : '';
}

export async function readCampaign(file: NamedFile): Promise<ReadCampaign> {
  const version = await fileVersion(file.path);
  const text = await readText(file, 'campaign');
  const raw = parseJsonText(text, file.display, 'ZT_CAMPAIGN_INVALID');
  const head = raw as { kind?: unknown; schemaVersion?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.kind !== CAMPAIGN_KIND) {
    throw new ZtError('ZT_CAMPAIGN_INVALID', `${file.display} is not a zt access review campaign (kind ${CAMPAIGN_KIND})`, { location: { file: file.display } });
  }
  if (head.schemaVersion !== CAMPAIGN_SCHEMA_VERSION) {
    throw new ZtError('ZT_CAMPAIGN_INVALID', `${file.display} has schemaVersion ${String(head.schemaVersion)}; this zt reads ${CAMPAIGN_SCHEMA_VERSION}`, { location: { file: file.display } });
  }
  const campaign = checkJsonShape(campaignSchema, raw, { text, file: file.display }, { code: 'ZT_CAMPAIGN_INVALID' });
  const rows = new Set<string>();
  for (const item of campaign.items) {
    if (rows.has(item.row)) throw new ZtError('ZT_CAMPAIGN_INVALID', `${file.display}: row ${item.row} appears twice in items`, { location: { file: file.display } });
    rows.add(item.row);
  }
  for (const d of campaign.decisions) {
    if (!rows.has(d.row)) throw new ZtError('ZT_CAMPAIGN_INVALID', `${file.display}: a decision names row ${d.row}, which is not in items`, { location: { file: file.display } });
  }
  return { campaign, text, version };
}

/** The CSV files named: files as given, folders' *.csv files (not recursive), in name order. */
export async function returnedFiles(inputs: readonly NamedFile[]): Promise<ReturnedFile[]> {
  const out: ReturnedFile[] = [];
  for (const input of inputs) {
    const info = await stat(input.path).catch((error: unknown) => {
      throw new ZtError('ZT_FILE_UNREADABLE', `cannot read ${input.display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { location: { file: input.display } });
    });
    const files = info.isDirectory()
      ? (await readdir(input.path))
          .filter((n) => n.toLowerCase().endsWith('.csv') && !n.startsWith('.'))
          .sort()
          .map((n) => ({ path: join(input.path, n), display: join(input.display, n) }))
      : [input];
    if (info.isDirectory() && files.length === 0) throw new ZtError('ZT_USAGE', `${input.display} holds no .csv file`);
    for (const f of files) {
      const text = await readText(f, 'decisions');
      out.push({ name: f.display, text, sha256: sha256(text) });
    }
  }
  return out;
}

export interface RecordRequest {
  readonly campaign: NamedFile;
  readonly inputs: readonly NamedFile[];
  readonly by: string;
  readonly at: string;
}

/** Validates the returned files and appends their decisions to the campaign; any problem: exit 2, the file untouched. */
export async function recordIntoCampaign(request: RecordRequest): Promise<RecordOutcome> {
  const { campaign, version } = await readCampaign(request.campaign);
  const files = await returnedFiles(request.inputs);
  const outcome = recordDecisions(campaign, files, { by: request.by, at: request.at });
  if (outcome.problems.length > 0) {
    const errors = outcome.problems.map((p) => new ZtError('ZT_DECISIONS_INVALID', p.message, { location: { file: p.file, line: p.line } }));
    throw new ZtAggregateError('ZT_DECISIONS_INVALID', errors, `${errors.length} problem${errors.length === 1 ? '' : 's'} in the returned files; nothing was recorded`);
  }
  if (outcome.stored > 0) {
    // Another recording may have written meanwhile: appending to a stale copy would drop its decisions.
    // (The file's inode, size and times, not its text: a second 400 MB string is what this costs at 500,000 rows.)
    if ((await fileVersion(request.campaign.path)) !== version) throw new ZtError('ZT_CAMPAIGN_INVALID', `${request.campaign.display} changed while recording; nothing was recorded: run record again`);
    await writeFileAtomically(request.campaign.path, campaignChunks(outcome.campaign));
  }
  return outcome;
}

export async function statusOfCampaign(file: NamedFile, asOf: string): Promise<CampaignStatus> {
  const { campaign } = await readCampaign(file);
  return campaignStatus(campaign, asOf);
}
