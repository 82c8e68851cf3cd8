import type { Report } from '../model/report.js';
import type { ReporterId } from './index.js';

export type { ReporterId } from './index.js';

export interface ReporterContext {
  /** Emit ANSI colour (table only). Decided by the CLI from TTY, NO_COLOR, FORCE_COLOR, --no-color. */
  readonly color: boolean;
  /** Terminal width in columns (table only). */
  readonly width: number;
  /** --details: the long form (table only: every failing finding with its message, instead of findings grouped by rule). */
  readonly details?: boolean;
}

/** A pure function of the report: same report, same bytes. Reporters never do I/O. */
export interface Reporter {
  readonly id: ReporterId;
  render(report: Report, context: ReporterContext): string;
  /**
   * The same bytes as `render`, produced lazily in chunks: for formats whose output grows
   * with the findings (hundreds of MB at 100k resources), so no one string holds it all.
   */
  renderChunks?(report: Report, context: ReporterContext): Iterable<string>;
}

/** A reporter's output as chunks, whether or not it renders in chunks itself. */
export function renderedChunks(reporter: Reporter, report: Report, context: ReporterContext): Iterable<string> {
  return reporter.renderChunks ? reporter.renderChunks(report, context) : [reporter.render(report, context)];
}
