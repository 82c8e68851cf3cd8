import type { Waiver, WaiverRef } from '../model/waiver.js';
import { globToRegExp, isGlob } from '../text/glob.js';

export function waiverRef(waiver: Waiver): WaiverRef {
  return { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires, ...(waiver.ticket ? { ticket: waiver.ticket } : {}) };
}

/**
 * A waiver is active through the end of its expiry day, measured at the snapshot's time;
 * null when that time is unknown (no source says when it was taken): its expiry cannot be judged.
 */
export function isExpired(waiver: Waiver, collectedAt: string | null): boolean | null {
  return collectedAt === null ? null : new Date(collectedAt).toISOString().slice(0, 10) > waiver.expires;
}

/** Matches resource ids against a waiver's selector (exact id or glob). */
export function resourceMatcher(selector: string): (resourceId: string) => boolean {
  if (!isGlob(selector)) return (id) => id === selector;
  const regex = globToRegExp(selector);
  return (id) => regex.test(id);
}
