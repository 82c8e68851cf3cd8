import { readFile } from 'node:fs/promises';
import { ZtError } from '../errors/zt-error.js';
import { withoutBom } from '../text/json-text.js';
import { cmp } from './graph.js';
import {
  type ChangeType,
  type Grant,
  type Privilege,
  privilegeRank,
  type Review,
  type ReviewChange,
  type ReviewChanges,
  REVIEW_KIND,
  REVIEW_SCHEMA_VERSION,
  type ReviewPrincipal,
} from './model.js';

/**
 * What changed since the last review. Principals are matched by id; a principal's grants
 * by what + via + scope (the grant key). A grant whose privilege went up is
 * "escalated", down "de_escalated". A principal that appeared (or disappeared) is one
 * "principal_added" (or "principal_removed") change, plus one "granted" (or "removed")
 * per grant above none, so a reviewer sees what a new principal holds.
 */
export function diffReviews(previous: Pick<Review, 'collectedAt' | 'principals'>, current: Pick<Review, 'principals'>): ReviewChanges {
  const changes: ReviewChange[] = [];
  const before = new Map(previous.principals.map((p) => [p.id, p]));
  const after = new Map(current.principals.map((p) => [p.id, p]));
  const label = (g: Grant): string => `${g.what} via ${g.via} (${g.scope})`;
  const push = (change: ChangeType, p: ReviewPrincipal, grant: Grant | null, from: Privilege | null, to: Privilege | null): void => {
    changes.push({ change, principalId: p.id, principal: p.name, plane: p.plane, grant: grant ? label(grant) : null, from, to });
  };
  for (const p of after.values()) {
    const old = before.get(p.id);
    if (!old) {
      push('principal_added', p, null, null, p.privilege);
      for (const g of p.grants) if (g.privilege !== 'none') push('granted', p, g, null, g.privilege);
      continue;
    }
    const oldGrants = new Map(old.grants.map((g) => [g.key, g]));
    const newKeys = new Set<string>();
    for (const g of p.grants) {
      newKeys.add(g.key);
      const was = oldGrants.get(g.key);
      if (!was) {
        if (g.privilege !== 'none') push('granted', p, g, null, g.privilege);
      } else if (privilegeRank[g.privilege] > privilegeRank[was.privilege]) push('escalated', p, g, was.privilege, g.privilege);
      else if (privilegeRank[g.privilege] < privilegeRank[was.privilege]) push('de_escalated', p, g, was.privilege, g.privilege);
    }
    for (const g of old.grants) {
      if (!newKeys.has(g.key) && g.privilege !== 'none') push('removed', p, g, g.privilege, null);
    }
  }
  for (const old of before.values()) {
    if (after.has(old.id)) continue;
    push('principal_removed', old, null, old.privilege, null);
    for (const g of old.grants) if (g.privilege !== 'none') push('removed', old, g, g.privilege, null);
  }
  const order: Readonly<Record<ChangeType, number>> = { principal_added: 0, principal_removed: 1, escalated: 2, granted: 3, de_escalated: 4, removed: 5 };
  changes.sort(
    (a, b) => cmp(a.plane, b.plane) || cmp(a.principal, b.principal) || cmp(a.principalId, b.principalId) || order[a.change] - order[b.change] || cmp(a.grant ?? '', b.grant ?? ''),
  );
  const counts = { principal_added: 0, principal_removed: 0, granted: 0, removed: 0, escalated: 0, de_escalated: 0 };
  for (const c of changes) counts[c.change] += 1;
  return { previousCollectedAt: previous.collectedAt, counts, changes };
}

/** Reads a review written by `zt access-review -f json`, refusing other tools' files and other versions (exit 2). */
export async function readPreviousReview(path: string, display: string): Promise<Review> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read previous review ${display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file: display },
      cause: error,
    });
  }
  return parsePreviousReview(text, display);
}

const HINT = '--previous takes a review written by `zt access-review -f json` (or -o json=<file>) of the same schema version.';

export function parsePreviousReview(text: string, display: string): Review {
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(text));
  } catch {
    throw new ZtError('ZT_REPORT_INVALID', `${display} is not JSON`, { location: { file: display }, hint: HINT });
  }
  const c = raw as Partial<Review> & { tool?: { name?: unknown } };
  if (typeof c !== 'object' || c === null || c.kind !== REVIEW_KIND || c.tool?.name !== 'zt') {
    throw new ZtError('ZT_REPORT_INVALID', `${display} is not a zt access review (no "kind": "${REVIEW_KIND}" from "tool": {"name": "zt"})`, {
      location: { file: display },
      hint: HINT,
    });
  }
  if (c.schemaVersion !== REVIEW_SCHEMA_VERSION) {
    throw new ZtError(
      'ZT_REPORT_INVALID',
      `${display} is a zt access review of schemaVersion ${JSON.stringify(c.schemaVersion)}; this zt reads version ${REVIEW_SCHEMA_VERSION}`,
      { location: { file: display, path: 'schemaVersion' }, hint: 'Re-run the previous review with this zt version, or compare with the zt version that wrote it.' },
    );
  }
  if (!Array.isArray(c.principals) || (typeof c.collectedAt !== 'string' && c.collectedAt !== null)) {
    throw new ZtError('ZT_REPORT_INVALID', `${display}: "principals" or "collectedAt" is missing`, { location: { file: display }, hint: HINT });
  }
  for (const [i, p] of c.principals.entries()) {
    const candidate = p as Partial<ReviewPrincipal> | null;
    const ok =
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof candidate.id === 'string' &&
      typeof candidate.name === 'string' &&
      Array.isArray(candidate.grants) &&
      (candidate.grants as unknown[]).every((g) => typeof (g as Partial<Grant> | null)?.key === 'string' && typeof (g as Partial<Grant>).privilege === 'string');
    if (!ok) throw new ZtError('ZT_REPORT_INVALID', `${display}: principals[${i}] is not a review principal`, { location: { file: display, path: `principals.${i}` }, hint: HINT });
  }
  return c as Review;
}
