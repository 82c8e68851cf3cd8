import type { AnalysisFailure } from '../analysis/index.js';
import type { CollectionIssue } from '../model/coverage.js';

/** One internal issue (ZT_ANALYSIS_CRASHED, exit 4) per analyser that threw; `consequence` says what its unknown facts cost. */
export function analysisFailureIssues(failures: readonly AnalysisFailure[], consequence = 'the rules reading them are not evaluated'): CollectionIssue[] {
  return failures.map((failure) => ({
    collector: 'analysis',
    severity: 'error' as const,
    code: 'ZT_ANALYSIS_CRASHED',
    message: `The analysis deriving ${failure.kind}'s ${failure.fields.join(', ')} failed: ${failure.message}. Those facts are unknown and ${consequence}.`,
    kinds: [failure.kind],
  }));
}
