/** An accepted risk: one rule, the resources it covers, why, who owns it, and until when. */
export interface Waiver {
  /** Position in the waivers file (0-based) and its line, for messages. */
  readonly index: number;
  readonly line: number | undefined;
  readonly rule: string;
  /** An exact resource id, or a glob (`*` any run of characters, `?` one character). */
  readonly resource: string;
  readonly reason: string;
  readonly owner: string;
  /** Last day the waiver applies (YYYY-MM-DD, inclusive, UTC). */
  readonly expires: string;
  readonly ticket: string | undefined;
}

/** What a waived finding carries, so every output can say who accepted it and why. */
export interface WaiverRef {
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly ticket?: string;
}

export function waiverRef(waiver: Waiver): WaiverRef {
  return { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires, ...(waiver.ticket ? { ticket: waiver.ticket } : {}) };
}

/** A waiver is active through the end of its expiry day, measured at the snapshot's time. */
export function isExpired(waiver: Waiver, collectedAt: string): boolean {
  return collectedAt.slice(0, 10) > waiver.expires;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

/** Matches resource ids against a waiver's selector (exact id or glob). */
export function resourceMatcher(selector: string): (resourceId: string) => boolean {
  if (!/[*?]/.test(selector)) return (id) => id === selector;
  const regex = globToRegExp(selector);
  return (id) => regex.test(id);
}
