#!/usr/bin/env node
// Process shell only: check the runtime, run(argv) → process.exitCode. Nothing else
// touches `process`; stdout is left to drain (no process.exit()) so piped output is never cut.
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `✖ zt needs Node.js 22.12 or newer; this is ${process.version}.\n` +
      '  hint: run zt through npm (npm run zt -- …, npx zt …), which uses the Node 22 installed with it, or install Node 22.\n',
  );
  process.exitCode = 2;
} else if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-V')) {
  // The one answer that needs nothing but package.json: skip loading the CLI (commander
  // alone is about a third of zt's start-up).
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  module.enableCompileCache?.();
  const debug = process.argv.includes('--debug');
  const fatal = (error) => {
    process.stderr.write(`✖ Internal error (ZT_INTERNAL)\n  ${debug && error?.stack ? error.stack : (error?.message ?? String(error))}\n  hint: This is a bug in zt. Re-run with --debug and report the output.\n`);
    if (!process.exitCode) process.exitCode = 4;
  };
  // The reader went away (`zt … | head`): nothing more can be delivered; stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      fatal(error);
    });
  }
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  process.once('SIGINT', () => {
    process.stderr.write('\n✖ Interrupted (ZT_INTERRUPTED)\n');
    process.exit(130);
  });
  const { run } = await import('../dist/cli/run.js');
  const io = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // Settles on drain, or when stdout closes or fails (EPIPE is handled above).
    drained: () =>
      process.stdout.writableNeedDrain
        ? new Promise((resolve) => {
            const settle = () => {
              for (const event of ['drain', 'close', 'error']) process.stdout.off(event, settle);
              resolve();
            };
            for (const event of ['drain', 'close', 'error']) process.stdout.on(event, settle);
          })
        : Promise.resolve(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stdout.columns || 100,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
  };
  process.exitCode = await run(process.argv.slice(2), io);
}
