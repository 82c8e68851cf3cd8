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

/** How a waiver fared in one run, for the report. */
export interface WaiverStatus {
  readonly index: number;
  readonly line?: number;
  readonly rule: string;
  readonly resource: string;
  readonly owner: string;
  readonly expires: string;
  readonly ticket?: string;
  /** Failing findings it waived (active) or would have waived (expired, unjudged). */
  readonly matched: number;
}

export interface WaiverSummary {
  readonly file?: string;
  readonly applied: number;
  /** Expired waivers: they no longer apply; their findings fail again. */
  readonly expired: readonly WaiverStatus[];
  /** Active waivers that matched no failing finding: stale, or written wrong. */
  readonly unused: readonly WaiverStatus[];
  /**
   * Waivers whose expiry could not be judged because the audit's time is unknown
   * (inventory.collectedAt null: no input says when it was taken; give --as-of). They do
   * not apply: their findings fail. Absent when there are none.
   */
  readonly unjudged?: readonly WaiverStatus[];
}
