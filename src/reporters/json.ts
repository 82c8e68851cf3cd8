import { prettyJson, prettyJsonChunks, type JsonLayout } from '../output/json-chunks.js';
import type { Reporter } from './types.js';

/** Walk the report and its top-level arrays; each finding is then stringified whole. */
const layout: JsonLayout = { space: 2, streamDepth: 2 };

/**
 * The report exactly as it is: the versioned format documented in docs/report-format.md.
 * Keys keep the Report's own order and nothing is added, so the output is a pure
 * function of the report (2-space indent, one trailing newline).
 */
export const jsonReporter: Reporter = {
  id: 'json',
  render: (report) => prettyJson(report, layout),
  renderChunks: (report) => prettyJsonChunks(report, layout),
};
