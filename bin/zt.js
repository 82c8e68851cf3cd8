#!/usr/bin/env node
// Process shell only: check the runtime, run(argv) → process.exitCode. Nothing else
// touches `process`; stdout is left to drain (no process.exit()) so piped output is never cut.
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import module from 'node:module';

/**
 * `zt --help` to a pipe or file: the text the build rendered (scripts/gen-help.js), without
 * loading the CLI. A terminal gets the CLI's own rendering (its width varies). False when
 * the text is not there, and the CLI answers.
 */
function answeredFromRenderedHelp() {
  if (process.argv.length !== 3 || (process.argv[2] !== '--help' && process.argv[2] !== '-h')) return false;
  let bytes;
  try {
    if (isatty(1)) return false;
    bytes = readFileSync(new URL('../dist/cli/help.txt', import.meta.url));
  } catch {
    return false;
  }
  try {
    while (bytes.length > 0) bytes = bytes.subarray(writeSync(1, bytes));
  } catch (error) {
    // A closed reader needs nothing more; a refused write (EAGAIN) finishes through the stream.
    if (error?.code !== 'EPIPE') process.stdout.write(bytes);
  }
  return true;
}

// The runtime floor is package.json's engines.node (the highest floor of any dependency,
// kept so by test/unit/runtime-floor.test.ts: undici, under @kubernetes/client-node, needs 22.19).
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const floor = /^>=\s*(\d+)\.(\d+)/.exec(manifest.engines.node).slice(1).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < floor[0] || (major === floor[0] && minor < floor[1])) {
  process.stderr.write(
    `✖ zt needs Node.js ${floor[0]}.${floor[1]} or newer; this is ${process.version}. Install Node.js ${floor[0]}.${floor[1]} or later (https://nodejs.org), or run zt through npm in its clone (npm run zt -- …), which uses the Node installed with it.\n`,
  );
  process.exitCode = 2;
} else if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-V')) {
  // The one answer that needs nothing but package.json: skip loading the CLI (commander
  // alone is about a third of zt's start-up).
  process.stdout.write(`${manifest.version}\n`);
} else if (!answeredFromRenderedHelp()) {
  module.enableCompileCache?.();
  const debug = process.argv.includes('--debug');
  const fatal = (error) => {
    process.stderr.write(`✖ Internal error (ZT_INTERNAL)\n  ${debug && error?.stack ? error.stack : (error?.message ?? String(error))}\n  hint: This is a bug in zt. Re-run with --debug and report the output.\n`);
    if (!process.exitCode) process.exitCode = 4;
  };
  // Standard output that cannot be written (a full disk: ENOSPC, EIO, EFBIG, EDQUOT) is the
  // run's failure, not zt's bug: said once, exit 2 whatever the gate said, nothing more written.
  let outputFailed = false;
  const outputFailure = (error) => {
    if (outputFailed) return;
    outputFailed = true;
    process.exitCode = 2;
    process.stderr.write(
      `✖ Cannot write to standard output (ZT_OUTPUT_UNWRITABLE)\n  ${error?.code ?? 'error'}: ${error?.code === 'ENOSPC' ? 'no space left on the device' : 'the write failed'}; the output is incomplete\n` +
        '  hint: Free space where standard output goes, or write the report to another path with -o <format>=<path>.\n',
    );
  };
  // The reader went away (`zt … | head`): nothing more can be delivered; stop quietly.
  const onStreamError = (name) => (error) => {
    if (error?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (name === 'stdout') outputFailure(error);
    else fatal(error);
  };
  // process.stdout / process.stderr are built on first use (about 7 ms for a pipe, a fifth
  // of `zt --help`), so they are touched only when needed, and get the handler then.
  const streams = new Map();
  const stream = (name) => {
    if (!streams.has(name)) streams.set(name, process[name].on('error', onStreamError(name)));
    return streams.get(name);
  };
  // A TTY is a character device; a pipe or file never is, and then no stream is needed to know.
  const isTTY = (fd, name) => {
    try {
      return fstatSync(fd).isCharacterDevice() && Boolean(stream(name).isTTY);
    } catch {
      return false;
    }
  };
  // Small outputs (help, usage, a table) go straight to fd 1. The first large write, or one
  // the descriptor refuses (EAGAIN on a non-blocking pipe), switches to process.stdout for
  // good, which handles back-pressure; nothing is written directly after that, so order holds.
  let streaming = false;
  const writeStdout = (text) => {
    if (outputFailed) return;
    // What is left to write: the text, or after a refused direct write the bytes not yet
    // written (kept as bytes, so a character split by a partial write stays whole).
    let rest = text;
    if (!streaming && text.length <= 65536) {
      let bytes = Buffer.from(text);
      try {
        while (bytes.length > 0) bytes = bytes.subarray(writeSync(1, bytes));
        return;
      } catch (error) {
        if (error?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        if (error?.code !== 'EAGAIN') return outputFailure(error);
        rest = bytes;
      }
    }
    streaming = true;
    stream('stdout').write(rest);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // Files are written whole or not at all (files/atomic-write.ts): on Ctrl-C the ones in
  // progress are removed and the previous ones stay. Long audits give the event loop a turn
  // between steps, so this runs promptly.
  let removePendingFiles = () => {};
  process.once('SIGINT', () => {
    removePendingFiles();
    process.stderr.write('\n✖ Interrupted (ZT_INTERRUPTED)\n');
    process.exit(130);
  });
  // No top-level await: the self-contained executable bundles this file as CommonJS
  // (scripts/build-exe.js). A rejection reaches `fatal` as it would through the module.
  const main = async () => {
    const [{ run }, files] = await Promise.all([import('../dist/cli/run.js'), import('../dist/files/atomic-write.js')]);
    removePendingFiles = files.removePendingFiles;
    const stdoutIsTTY = isTTY(1, 'stdout');
    const io = {
      stdout: writeStdout,
      stderr: (text) => stream('stderr').write(text),
      // Settles on drain, or when stdout closes or fails (EPIPE is handled above).
      drained: () =>
        streaming && process.stdout.writableNeedDrain
          ? new Promise((resolve) => {
              const settle = () => {
                for (const event of ['drain', 'close', 'error']) process.stdout.off(event, settle);
                resolve();
              };
              for (const event of ['drain', 'close', 'error']) process.stdout.on(event, settle);
            })
          : Promise.resolve(),
      stdoutIsTTY,
      stderrIsTTY: isTTY(2, 'stderr'),
      columns: (stdoutIsTTY && process.stdout.columns) || 100,
      env: process.env,
      cwd: process.cwd(),
      now: () => new Date(),
      stdin: process.stdin,
      stderrStream: process.stderr,
    };
    const code = await run(process.argv.slice(2), io);
    // A failed write to standard output wins over the gate (an incomplete report must not pass for one).
    process.exitCode = outputFailed ? 2 : code;
  };
  main().catch(fatal);
}
