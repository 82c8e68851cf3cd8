// Part of `npm run build`: renders `zt --help` as a pipe or file receives it (no TTY,
// 100 columns) into dist/cli/help.txt, so bin/zt.js can answer `zt --help` without
// loading the CLI. A test checks the binary's answer against the CLI's own rendering.
import { writeFileSync } from 'node:fs';
import { memoryIo } from '../dist/cli/io.js';
import { run } from '../dist/cli/run.js';

const io = memoryIo();
const code = await run(['--help'], io);
if (code !== 0 || io.err() !== '' || io.out() === '') {
  console.error(`zt --help did not render (exit ${code}): ${io.err()}`);
  process.exit(1);
}
writeFileSync(new URL('../dist/cli/help.txt', import.meta.url), io.out());
