import { CsvSyntaxError, parseCsv } from '../text/csv.js';
import { isSelf } from './assign.js';
import { type Campaign, type CampaignDecision, type CampaignItem, decisionValues, type DecisionValue, latestDecisions } from './campaign.js';
import { formulaSafe, type IdentityColumn, identityColumns, rowHashOfWritten } from './pack.js';
import { decisionColumns } from './render-csv.js';

/**
 * Taking filled-in CSV files back into a campaign (`zt access-review record`). Every file
 * is checked against the campaign before anything is stored: it must come from the
 * campaign's pack (pack_id), each row must be one of the pack's (row_hash) and unedited in
 * the columns that identify its grant (the hash recomputed from them), a decision must be
 * keep, revoke or modify, keep on an admin grant and modify need a reason (comment), a
 * reviewer may not decide on their own access, a date may not be in the future or before
 * the pack, and one grant may be decided once per recording. Any problem refuses the whole
 * recording (all problems listed, each with file and line); the campaign is unchanged.
 * Columns are found by name (a spreadsheet may reorder them), blank decisions leave the
 * row pending, and a decision identical to the one already stored is not stored twice.
 */

export interface ReturnedFile {
  /** As the user named it (shown in problems and stored in the log). */
  readonly name: string;
  readonly text: string;
  readonly sha256: string;
}

export interface RecordProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface RecordOutcome {
  readonly campaign: Campaign;
  readonly problems: readonly RecordProblem[];
  /** Decisions stored by this recording (new or changed). */
  readonly stored: number;
  /** Decisions read that were already stored as they are. */
  readonly unchanged: number;
  /** Rows read without a decision. */
  readonly blank: number;
}

export interface RecordOptions {
  readonly by: string;
  /** ISO date-time of the recording: decisions may not be dated after it. */
  readonly at: string;
}

const required = [...identityColumns, ...decisionColumns, 'pack_id', 'row_hash'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A decision date: YYYY-MM-DD or an ISO date-time (its date part); undefined when it is neither or does not exist. */
export function decisionDay(text: string): string | undefined {
  const day = /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim())?.[1];
  const m = day ? DATE.exec(day) : null;
  if (!m || !day) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? day : undefined;
}

export function recordDecisions(campaign: Campaign, files: readonly ReturnedFile[], options: RecordOptions): RecordOutcome {
  const problems: RecordProblem[] = [];
  const items = new Map<string, CampaignItem>(campaign.items.map((i) => [i.row, i]));
  const stored = latestDecisions(campaign);
  const seen = new Map<string, { file: string; line: number }>();
  const fresh: CampaignDecision[] = [];
  const fileLog: Campaign['records'][number]['files'] = [];
  const today = options.at.slice(0, 10);
  const packDay = campaign.collectedAt?.slice(0, 10) ?? null;
  let unchanged = 0;
  let blank = 0;

  for (const file of files) {
    const problem = (line: number, message: string): void => {
      problems.push({ file: file.name, line, message });
    };
    let records;
    try {
      records = parseCsv(file.text);
    } catch (error) {
      if (error instanceof CsvSyntaxError) {
        problem(error.line, `not valid CSV: ${error.message}`);
        continue;
      }
      throw error;
    }
    const header = records[0];
    if (!header) {
      problem(1, 'empty file: expected the CSV of zt access-review with its header row');
      continue;
    }
    const index = new Map<string, number>();
    for (const [i, name] of header.cells.entries()) {
      const column = name.trim().toLowerCase();
      if (index.has(column)) problem(header.line, `column ${column} appears twice in the header`);
      index.set(column, i);
    }
    const missing = required.filter((c) => !index.has(c));
    if (missing.length > 0) {
      problem(header.line, `missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: return the CSV zt access-review wrote (columns may be reordered, not removed)`);
      continue;
    }
    // Column positions looked up once per file, not per cell (500,000 rows × 15 cells).
    const at = Object.fromEntries(required.map((c) => [c, index.get(c) as number])) as Record<(typeof required)[number], number>;
    const identityAt = identityColumns.map((c) => at[c]);
    const cell = (cells: readonly string[], column: (typeof required)[number]): string => cells[at[column]] ?? '';
    let rows = 0;
    let decisions = 0;
    let wrongPack = false;
    for (const record of records.slice(1)) {
      rows++;
      const { cells, line } = record;
      if (cells.length > header.cells.length) {
        problem(line, `${cells.length} cells, the header has ${header.cells.length}: a cell holding a comma must be quoted`);
        continue;
      }
      const packId = cell(cells, 'pack_id').trim();
      if (packId !== campaign.packId) {
        if (!wrongPack) problem(line, `from another pack (pack_id ${packId || 'empty'}); this campaign's pack is ${campaign.packId}`);
        wrongPack = true;
        continue;
      }
      const hash = cell(cells, 'row_hash').trim();
      const item = items.get(hash);
      if (!item) {
        problem(line, `row_hash ${hash || '(empty)'} is not a row of pack ${campaign.packId}: return rows as zt wrote them`);
        continue;
      }
      const written = identityAt.map((i) => cells[i] ?? '');
      if (rowHashOfWritten(written) !== hash) {
        problem(line, `the row was edited beyond the decision columns (${editedColumns(item, cells, cell).join(', ') || 'columns that identify the grant'}): only reviewer, decision, decision_date and comment may change`);
        continue;
      }
      const first = seen.get(hash);
      if (first) {
        problem(line, `a second decision row for the grant of ${first.file}:${first.line} (${item.principal}: ${item.grant || 'the account'}): keep one`);
        continue;
      }
      seen.set(hash, { file: file.name, line });
      const raw = cell(cells, 'decision').trim().toLowerCase();
      if (raw === '') {
        blank++;
        continue;
      }
      if (!(decisionValues as readonly string[]).includes(raw)) {
        problem(line, `decision "${cell(cells, 'decision').trim()}" is not one of ${decisionValues.join(', ')}`);
        continue;
      }
      const decision = raw as DecisionValue;
      const reviewer = cell(cells, 'reviewer').trim() || item.reviewer || '';
      if (reviewer === '') {
        problem(line, 'no reviewer: fill the reviewer column with who decided');
        continue;
      }
      if (isSelf(reviewer, { name: item.principal, email: item.email, id: item.principalId })) {
        problem(line, `${reviewer} decided on their own access (${item.grant || 'the account'}): another reviewer must decide this row`);
        continue;
      }
      const comment = cell(cells, 'comment').trim();
      if (decision === 'keep' && item.privilege === 'admin' && comment === '') {
        problem(line, `keep on an admin grant (${item.grant}) needs a reason in the comment column`);
        continue;
      }
      if (decision === 'modify' && comment === '') {
        problem(line, 'modify needs the change wanted in the comment column');
        continue;
      }
      const dateText = cell(cells, 'decision_date').trim();
      const date = dateText === '' ? today : decisionDay(dateText);
      if (date === undefined) {
        problem(line, `decision_date "${dateText}" is not a date: write it as YYYY-MM-DD`);
        continue;
      }
      if (date > today) {
        problem(line, `decision_date ${date} is in the future (recording on ${today})`);
        continue;
      }
      if (packDay !== null && date < packDay) {
        problem(line, `decision_date ${date} is before the pack was collected (${packDay})`);
        continue;
      }
      const previous = stored.get(hash);
      if (previous && previous.decision === decision && previous.reviewer === reviewer && previous.date === date && previous.comment === comment) {
        unchanged++;
        continue;
      }
      decisions++;
      fresh.push({ row: hash, decision, reviewer, date, comment, recordedBy: options.by, recordedAt: options.at, file: file.name, line });
    }
    fileLog.push({ name: file.name, sha256: file.sha256, rows, decisions });
  }

  if (problems.length > 0 || fresh.length === 0) {
    return { campaign, problems, stored: 0, unchanged, blank };
  }
  return {
    campaign: {
      ...campaign,
      decisions: [...campaign.decisions, ...fresh],
      records: [...campaign.records, { recordedBy: options.by, recordedAt: options.at, files: fileLog, decisions: fresh.length }],
    },
    problems,
    stored: fresh.length,
    unchanged,
    blank,
  };
}

/** Which identifying cells differ from the campaign's row (the principal and grant ones it keeps). */
function editedColumns(item: CampaignItem, cells: readonly string[], cell: (cells: readonly string[], c: (typeof required)[number]) => string): IdentityColumn[] {
  const expected: Partial<Record<IdentityColumn, string>> = {
    source: item.source,
    principal_type: item.type,
    principal_id: item.principalId,
    principal: item.principal,
    grant_privilege: item.privilege,
    grant: item.grant,
    via: item.via,
    scope: item.scope,
  };
  return identityColumns.filter((c) => expected[c] !== undefined && formulaSafe(expected[c]) !== cell(cells, c));
}
