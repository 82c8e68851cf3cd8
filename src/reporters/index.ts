import type { Reporter, ReporterId } from './types.js';

/** Lazy registry: a reporter's module (and cli-table3/chalk for the table) loads only when used. */
const loaders: Record<ReporterId, () => Promise<Reporter>> = {
  table: async () => (await import('./table.js')).tableReporter,
  json: async () => (await import('./json.js')).jsonReporter,
  sarif: async () => (await import('./sarif.js')).sarifReporter,
  markdown: async () => (await import('./markdown.js')).markdownReporter,
  junit: async () => (await import('./junit.js')).junitReporter,
  html: async () => (await import('./html.js')).htmlReporter,
};

export function loadReporter(id: ReporterId): Promise<Reporter> {
  return loaders[id]();
}
