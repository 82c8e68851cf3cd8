import type { CoverageReason, CoverageState } from './coverage.js';

/** Why a derived fact is unknown: an input kind that was not read completely. */
export interface UnknownBecause {
  /** The input kind that was partial or missing. */
  readonly kind: string;
  readonly state: Exclude<CoverageState, 'complete'>;
  readonly reason: CoverageReason;
}

/**
 * The value of a derived fact that cannot be known: it would be computed over an input
 * that was partly or wholly unread, so any value (a count, "not enforced", false) could
 * be wrong in either direction. Analysis puts it where the fact would be; the engine
 * reports a rule that reads it as not evaluated (a ZT_FACT_UNKNOWN error finding), never
 * pass or fail (design §10, three-valued facts).
 */
export class UnknownFact {
  readonly because: UnknownBecause;
  /** Why, in words, when the input was read but does not hold the evidence (replaces the coverage wording). */
  readonly explanation: string | undefined;
  constructor(because: UnknownBecause, explanation?: string) {
    this.because = because;
    this.explanation = explanation;
  }

  /** One line for a finding: "k8s.workload was partially collected (api_error)". */
  explain(): string {
    if (this.explanation !== undefined) return this.explanation;
    const { kind, state, reason } = this.because;
    return `${kind} was ${state === 'partial' ? 'partially collected' : 'not collected'} (${reason})`;
  }
}
