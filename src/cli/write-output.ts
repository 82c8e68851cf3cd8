import { writeFileAtomically } from '../files/atomic-write.js';
import { ZtError } from '../errors/zt-error.js';
import type { Io } from './io.js';
import { outputChannel } from './terminal.js';

function* guarded(chunks: Iterable<string>, guard: (chunk: string) => string): Generator<string> {
  for (const chunk of chunks) yield guard(chunk);
}

/**
 * Writes rendered output, chunk by chunk, to stdout or a file. Chunks are written as
 * they are produced and stdout's back-pressure is respected, so a large report is never
 * held whole in memory. Every format but JSON and SARIF is text a terminal may show:
 * its chunks pass the terminal guard (cli/terminal.ts), to stdout and to a file alike.
 */
export async function writeOutput(io: Io, format: string, path: string | undefined, chunks: Iterable<string>): Promise<void> {
  const { guard, stdout } = outputChannel(io, format);
  if (path === undefined) {
    for (const chunk of chunks) {
      stdout(guard(chunk));
      await io.drained?.();
    }
    return;
  }
  try {
    // Whole or not at all: Ctrl-C or a full disk leaves the previous file as it was.
    await writeFileAtomically(path, guarded(chunks, guard));
  } catch (error) {
    throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot write ${format} output to ${path}`, { location: { file: path }, cause: error });
  }
}
