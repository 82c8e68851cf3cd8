import type { Reporter } from './types.js';

/**
 * The report exactly as it is: the versioned format documented in docs/report-format.md.
 * Keys keep the Report's own order and nothing is added, so the output is a pure
 * function of the report (2-space indent, one trailing newline).
 */
export const jsonReporter: Reporter = {
  id: 'json',
  render(report) {
    return `${JSON.stringify(report, null, 2)}\n`;
  },
};
