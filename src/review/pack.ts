import { createHash } from 'node:crypto';
import type { Grant, PackRow, Review, ReviewerBasis, ReviewPack, ReviewPrincipal } from './model.js';

/**
 * The review pack's rows as a campaign tracks them: one per principal × grant (a principal
 * without grants has one row, the account itself), each with its reviewer and a hash of
 * the cells that identify the grant. `zt access-review record` recomputes the hash from a
 * returned CSV row: a row whose grant cells were edited no longer matches, a row of another
 * pack is not in the campaign. Dates and other informational columns are not hashed, as
 * spreadsheets rewrite them on save.
 */

/** The CSV columns that identify a row's grant, in this order, hashed as the CSV writes them. */
export const identityColumns = ['plane', 'source', 'principal_type', 'principal_id', 'principal', 'grant_privilege', 'grant', 'via', 'scope'] as const;
export type IdentityColumn = (typeof identityColumns)[number];

/** A cell as written: one starting with = + - @ tab or CR (a formula in a spreadsheet) gets a leading '. */
export function formulaSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function identityCells(p: ReviewPrincipal, g: Grant | null): Record<IdentityColumn, string> {
  return {
    plane: p.plane,
    source: p.source,
    principal_type: p.type,
    principal_id: p.id,
    principal: p.name,
    grant_privilege: g?.privilege ?? 'none',
    grant: g?.what ?? '',
    via: g?.via ?? '',
    scope: g?.scope ?? '',
  };
}

/** The hash of a row from its identity cells as written (formula-safe), so the CSV's text can be checked as is. */
export function rowHashOfWritten(written: readonly string[]): string {
  return createHash('sha256').update(written.join('\u001f')).digest('hex').slice(0, 24);
}

export function rowHash(p: ReviewPrincipal, g: Grant | null): string {
  const cells = identityCells(p, g);
  return rowHashOfWritten(identityColumns.map((c) => formulaSafe(cells[c])));
}

export function packIdOf(collectedAt: string | null, hashes: readonly string[]): string {
  const h = createHash('sha256').update(`zt-access-pack\n${collectedAt ?? ''}\n`);
  for (const hash of hashes) h.update(`${hash}\n`);
  return `pk-${h.digest('hex').slice(0, 16)}`;
}

export interface UnsealedRow {
  readonly principalId: string;
  readonly grantKey: string | null;
  readonly reviewer: string | null;
  readonly basis: ReviewerBasis;
  readonly basisDetail: string;
}

/** Each principal's rows in CSV order: its grants, or one row for the account when it has none. */
export function* principalRows(review: Pick<Review, 'principals'>): Generator<{ principal: ReviewPrincipal; grant: Grant | null }> {
  for (const principal of review.principals) {
    if (principal.grants.length === 0) yield { principal, grant: null };
    else for (const grant of principal.grants) yield { principal, grant };
  }
}

/**
 * Hashes every row and names the pack. Run last (after pseudonymising), so the hashes are
 * of the cells the CSV shows. `assigned` is in principalRows order.
 */
export function sealPack(review: Omit<Review, 'pack'>, assigned: readonly UnsealedRow[]): ReviewPack {
  const rows: PackRow[] = [];
  let i = 0;
  for (const { principal, grant } of principalRows(review)) {
    const a = assigned[i++];
    if (!a || a.principalId !== principal.id || a.grantKey !== (grant?.key ?? null)) throw new Error('pack rows out of step with the principals');
    rows.push({ ...a, hash: rowHash(principal, grant) });
  }
  const counts = new Map<string, number>();
  let unassigned = 0;
  for (const r of rows) {
    if (r.reviewer === null) unassigned++;
    else counts.set(r.reviewer, (counts.get(r.reviewer) ?? 0) + 1);
  }
  return {
    id: packIdOf(review.collectedAt, rows.map((r) => r.hash)),
    rows,
    reviewers: [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([reviewer, n]) => ({ reviewer, rows: n })),
    unassigned,
  };
}
