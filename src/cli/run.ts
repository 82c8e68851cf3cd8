import { CommanderError } from './commander.js';
import { exitCodeFor, ExitCode } from './exit-codes.js';
import type { Io } from './io.js';
import { createProgram, type RunState } from './program.js';
import { terminalIo } from './terminal.js';

/**
 * The testable entry point: argv in, exit code out. Every byte goes through `io`, guarded
 * for a terminal (cli/terminal.ts): no control character from outside zt reaches it.
 * Expected failures (ZtError) print a catalogue message; anything else is a bug (4).
 */
export async function run(argv: readonly string[], given: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const io = terminalIo(debug ? { ...given, debug } : given);
  const state: RunState = { exitCode: ExitCode.OK, debug };
  try {
    const program = await createProgram(io, state, argv);
    if (argv.length === 0) {
      io.stdout(program.helpInformation());
      return ExitCode.OK;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help or version, already printed (usage mistakes arrive as ZtErrors: usage-errors.ts).
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
    }
    // Loaded only on failure: the error catalogue and formatter are not needed to succeed.
    const [{ isZtError }, { formatInternalError, formatZtError }] = await Promise.all([import('../errors/zt-error.js'), import('./format-error.js')]);
    if (isZtError(error)) {
      io.stderr(formatZtError(error, state.debug));
      return exitCodeFor({ kind: 'error', exitClass: error.exitClass });
    }
    io.stderr(formatInternalError(error, state.debug));
    return ExitCode.INTERNAL;
  }
}
