/**
 * Everything the CLI touches of the outside world, so tests can run `run(argv, io)`
 * in-process and see every byte. Only bin/zt.js builds the real one.
 */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves once stdout can take more (back-pressure for large outputs); absent when it always can. */
  readonly drained?: () => Promise<void>;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly columns: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The clock, read once per collection: the as-of time of live sources (offline input is never dated by it). */
  readonly now: () => Date;
  /** Standard input (`--manifests -`); absent in tests that do not give one. */
  readonly stdin?: AsyncIterable<unknown>;
  /** --debug was given: a collector's unexpected crash shows its stack on stderr (never in a report). */
  readonly debug?: boolean;
  /** The stream behind stderr, for the progress spinner (ora writes to a stream); absent in memory. */
  readonly stderrStream?: NodeJS.WritableStream;
}

/** Collects output in memory (tests, and `zt` used as a library). */
export function memoryIo(overrides: Partial<Io> = {}): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    columns: 100,
    env: {},
    cwd: process.cwd(),
    now: () => new Date(),
    ...overrides,
    out: () => out,
    err: () => err,
  };
}
