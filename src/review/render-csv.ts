import { inChunks } from '../output/chunks.js';
import type { Review, ReviewPrincipal } from './model.js';

/**
 * One row per principal × grant (a principal without grants has one row), with empty
 * attestation columns for the reviewer: reviewer, decision (keep / revoke / modify),
 * date, comment. RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote,
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
] as const;

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function credentialsText(p: ReviewPrincipal): string {
  return p.credentials
    .map((c) => `${c.kind}${c.active ? '' : ' (inactive)'}: ${c.ageDays === null ? 'age unknown' : `${c.ageDays} days old`}, last used ${c.lastUsed ?? 'never'}`)
    .join('; ');
}

const grantColumns = ['grant_privilege', 'grant', 'via', 'scope', 'evidence', 'standing', 'grant_notes'] as const;
const firstGrantColumn = csvColumns.indexOf(grantColumns[0]);

function* csvRows(review: Review): Generator<string> {
  yield `${csvColumns.join(',')}\r\n`;
  for (const p of review.principals) {
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
    const after = csvColumns.slice(firstGrantColumn + grantColumns.length).map((c) => csvCell(principal[c] ?? '')).join(',');
    const grants = p.grants.length > 0 ? p.grants : [null];
    for (const g of grants) {
      const cells = [
        g?.privilege ?? 'none',
        g?.what ?? '',
        g?.via ?? '',
        g?.scope ?? '',
        g?.evidence ?? '',
        g ? (g.standing ? 'yes' : 'no') : '',
        g?.notes.join('; ') ?? '',
      ];
      yield `${before},${cells.map(csvCell).join(',')},${after}\r\n`;
    }
  }
}

/** The CSV lazily, in chunks of about a megabyte (a 500k-grant review is over 100 MB). */
export function renderCsvChunks(review: Review): Iterable<string> {
  return inChunks(csvRows(review));
}

export function renderCsv(review: Review): string {
  return [...renderCsvChunks(review)].join('');
}
