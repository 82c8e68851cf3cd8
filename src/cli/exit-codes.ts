import type { ExitClass } from '../errors/catalog.js';

export const ExitCode = {
  OK: 0,
  /** The audit completed and a gate failed (--fail-on, --min-stage). */
  GATE_FAILED: 1,
  /** Bad flags, rules, config or input files. */
  INVALID_INPUT: 2,
  /** Part of a chosen source could not be read (unless --allow-incomplete), nothing audited, a source contributed nothing, or coverage below --min-coverage. */
  INCOMPLETE: 3,
  /** A bug in zt. */
  INTERNAL: 4,
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type RunOutcome =
  | {
      readonly kind: 'completed';
      /** An issue the catalogue classes as a bug in zt (ZT_COLLECT_CRASHED, ZT_COLLECT_MALFORMED, ZT_ANALYSIS_CRASHED). */
      readonly internal: boolean;
      readonly incomplete: boolean;
      readonly gateFailed: boolean;
    }
  | { readonly kind: 'error'; readonly exitClass: ExitClass }
  | { readonly kind: 'help' };

/**
 * The one place an exit code is decided. Precedence: interrupted > internal > invalid
 * input > incomplete > gate failed > ok. Findings are never errors: they only ever
 * lead to 1, and only through a gate the user chose (--fail-on defaults to high). A
 * completed run whose collection met a bug in zt (an `internal` issue: a collector that
 * crashed, a mapped object that broke its kind's schema) writes its outputs, then exits 4.
 */
export function exitCodeFor(outcome: RunOutcome): ExitCode {
  switch (outcome.kind) {
    case 'help':
      return ExitCode.OK;
    case 'error':
      switch (outcome.exitClass) {
        case 'interrupted':
          return ExitCode.INTERRUPTED;
        case 'internal':
          return ExitCode.INTERNAL;
        case 'usage':
          return ExitCode.INVALID_INPUT;
        case 'incomplete':
          return ExitCode.INCOMPLETE;
        default:
          return outcome.exitClass satisfies never;
      }
    case 'completed':
      if (outcome.internal) return ExitCode.INTERNAL;
      if (outcome.incomplete) return ExitCode.INCOMPLETE;
      return outcome.gateFailed ? ExitCode.GATE_FAILED : ExitCode.OK;
    default:
      return outcome satisfies never;
  }
}
