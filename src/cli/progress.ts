import { terminalText } from '../text/terminal-text.js';
import type { Io } from './io.js';

export interface Progress {
  update(message: string): void;
  stop(): void;
}

const silent: Progress = { update: () => {}, stop: () => {} };

/**
 * A spinner on stderr, only on a TTY and without --quiet, so stdout stays clean for
 * `--format json | jq`. ora is imported only when a spinner will be shown.
 */
export async function startProgress(io: Io, quiet: boolean): Promise<Progress> {
  if (quiet || !io.stderrIsTTY || !io.stderrStream) return silent;
  // A terminal that reports no width (`script … /dev/null` gives 0 × 0): ora divides each
  // line's width by it to count the lines to clear, and with 0 it never finished.
  const columns = (io.stderrStream as { columns?: unknown }).columns;
  if (typeof columns === 'number' && columns < 1) return silent;
  // A CI runner's log is not a terminal a person watches, even when it allocates a TTY:
  // frames would fill the log. Decided here from zt's own environment (ora would read
  // process.env itself), so it is the same in tests and in use.
  if (io.env.CI !== undefined) return silent;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: io.stderrStream, discardStdin: false, isEnabled: true }).start();
  return {
    update: (message) => {
      // Progress can quote outside text (a server's answer): one line, no control characters.
      spinner.text = terminalText(message);
    },
    stop: () => {
      spinner.stop();
    },
  };
}
