import { inChunks } from '../output/chunks.js';
import type { PackRow, Review, ReviewPrincipal } from './model.js';
import { formulaSafe } from './pack.js';

/**
 * One row per principal × grant (a principal without grants has one row), with the
 * attestation columns: reviewer (filled with the assigned reviewer, see assign.ts),
 * decision (keep / revoke / modify), date, comment; then pack_id and row_hash, which
 * `zt access-review record` checks the returned file against (pack.ts). RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote,
 * CR or LF. Spreadsheet formula injection: a cell starting with = + - @ (or tab / CR)
 * is prefixed with a single quote, so Excel and Sheets show it as text.
 */

export const csvColumns = [
  'plane',
  'source',
  'principal_type',
  'principal_id',
  'principal',
  'email',
  'owner',
  'status',
  'account_class',
  'principal_privilege',
  'grant_privilege',
  'grant',
  'via',
  'scope',
  'evidence',
  'standing',
  'grant_notes',
  'auth_strength',
  'auth_detail',
  'credentials',
  'last_used',
  'last_used_source',
  'flags',
  'reviewer',
  'decision',
  'decision_date',
  'comment',
  'pack_id',
  'row_hash',
] as const;
export type CsvColumn = (typeof csvColumns)[number];
/** The columns a reviewer fills in; every other column must come back as it was written. */
export const decisionColumns = ['reviewer', 'decision', 'decision_date', 'comment'] as const;

export function csvCell(value: string): string {
  const safe = formulaSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function credentialsText(p: ReviewPrincipal): string {
  return p.credentials
    .map((c) => `${c.kind}${c.active ? '' : ' (inactive)'}: ${c.ageDays === null ? 'age unknown' : `${c.ageDays} days old`}, last used ${c.lastUsed ?? 'never'}`)
    .join('; ');
}

const grantColumns = ['grant_privilege', 'grant', 'via', 'scope', 'evidence', 'standing', 'grant_notes'] as const;
const firstGrantColumn = csvColumns.indexOf(grantColumns[0]);
const firstDecisionColumn = csvColumns.indexOf(decisionColumns[0]);

/** The CSV of the pack's rows; `only` keeps the rows it accepts (one reviewer's file). */
function* csvRows(review: Review, only?: (row: PackRow) => boolean): Generator<string> {
  yield `${csvColumns.join(',')}\r\n`;
  const packId = csvCell(review.pack.id);
  let index = 0;
  for (const p of review.principals) {
    const first = index;
    const count = Math.max(1, p.grants.length);
    // One reviewer's file: a principal none of whose rows it keeps costs no formatting.
    if (only && !review.pack.rows.slice(first, first + count).some(only)) {
      index += count;
      continue;
    }
    const principal: Partial<Record<(typeof csvColumns)[number], string>> = {
      plane: p.plane,
      source: p.source,
      principal_type: p.type,
      principal_id: p.id,
      principal: p.name,
      email: p.email ?? '',
      owner: p.owner ?? '',
      status: p.status,
      account_class: p.accountClass,
      principal_privilege: p.privilege,
      auth_strength: p.auth.strength,
      auth_detail: p.auth.detail,
      credentials: credentialsText(p),
      last_used: p.lastUsed ?? (p.lastUsedSource === 'unknown' ? '' : 'never'),
      last_used_source: p.lastUsedSource,
      flags: p.flags.join(' '),
    };
    // The principal's cells are the same on each of its rows: quote them once.
    const before = csvColumns.slice(0, firstGrantColumn).map((c) => csvCell(principal[c] ?? '')).join(',');
    const after = csvColumns.slice(firstGrantColumn + grantColumns.length, firstDecisionColumn).map((c) => csvCell(principal[c] ?? '')).join(',');
    const grants = p.grants.length > 0 ? p.grants : [null];
    for (const g of grants) {
      const row = review.pack.rows[index++];
      if (!row || row.principalId !== p.id) throw new Error('pack rows out of step with the principals');
      if (only && !only(row)) continue;
      const cells = [
        g?.privilege ?? 'none',
        g?.what ?? '',
        g?.via ?? '',
        g?.scope ?? '',
        g?.evidence ?? '',
        g ? (g.standing ? 'yes' : 'no') : '',
        g?.notes.join('; ') ?? '',
      ];
      yield `${before},${cells.map(csvCell).join(',')},${after},${csvCell(row.reviewer ?? '')},,,,${packId},${csvCell(row.hash)}\r\n`;
    }
  }
}

/** The CSV lazily, in chunks of about a megabyte (a 500k-grant review is over 100 MB). */
export function renderCsvChunks(review: Review, only?: (row: PackRow) => boolean): Iterable<string> {
  return inChunks(csvRows(review, only));
}

export function renderCsv(review: Review): string {
  return [...renderCsvChunks(review)].join('');
}
