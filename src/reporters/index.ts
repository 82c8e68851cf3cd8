import type { Reporter } from './types.js';

/**
 * The one list of `zt audit` output formats. Adding a format is a file in this folder that
 * exports a `Reporter` and an entry here: the CLI's `--format`/`--output` choices and help,
 * the extension its example file names use and the lazy loading all come from this list.
 *
 * This module is light on purpose (the CLI imports it to build `--help`): an entry's
 * module, and what it imports (chalk for the table, the HTML page), load
 * only when `load()` is called for a format that is being written.
 */
export const reporterRegistry = [
  { id: 'table', extension: '.txt', load: async (): Promise<Reporter> => (await import('./table.js')).tableReporter },
  { id: 'json', extension: '.json', load: async (): Promise<Reporter> => (await import('./json.js')).jsonReporter },
  { id: 'sarif', extension: '.sarif', load: async (): Promise<Reporter> => (await import('./sarif.js')).sarifReporter },
  { id: 'markdown', extension: '.md', load: async (): Promise<Reporter> => (await import('./markdown.js')).markdownReporter },
  { id: 'junit', extension: '.xml', load: async (): Promise<Reporter> => (await import('./junit.js')).junitReporter },
  { id: 'html', extension: '.html', load: async (): Promise<Reporter> => (await import('./html.js')).htmlReporter },
] as const satisfies readonly ReporterEntry[];

export interface ReporterEntry {
  /** The format's name on the command line (`-f <id>`, `-o <id>=<path>`) and the reporter's `id`. */
  readonly id: string;
  /** The usual file extension (with the dot), for example file names such as `zt.sarif`. */
  readonly extension: string;
  /** Imports the reporter's module; called only when the format is written. */
  readonly load: () => Promise<Reporter>;
}

export type ReporterId = (typeof reporterRegistry)[number]['id'];

/** Format ids in registry order: the order of `--format`'s choices and of every list shown to users. */
export const reporterIds: readonly ReporterId[] = reporterRegistry.map((entry) => entry.id);

/** The format written to stdout when none is asked for there. */
export const defaultReporterId: ReporterId = 'table';

export function isReporterId(value: string): value is ReporterId {
  return (reporterIds as readonly string[]).includes(value);
}

export function reporterEntry(id: ReporterId): ReporterEntry {
  return reporterRegistry.find((entry) => entry.id === id) as ReporterEntry;
}

export function loadReporter(id: ReporterId): Promise<Reporter> {
  return reporterEntry(id).load();
}
