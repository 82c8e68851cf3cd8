// Part of `npm run build`: renders `zt --help` as a pipe or file receives it (no TTY,
// 100 columns) into dist/cli/help.txt, so bin/zt.js can answer `zt --help` without
// loading the CLI. A test checks the binary's answer against the CLI's own rendering.
import { writeFileSync } from 'node:fs';
import { run } from '../dist/cli/run.js';

let stdout = '';
let stderr = '';
const io = {
  stdout: (text) => (stdout += text),
  stderr: (text) => (stderr += text),
  drained: () => Promise.resolve(),
  stdoutIsTTY: false,
  stderrIsTTY: false,
  columns: 100,
  env: {},
  cwd: process.cwd(),
  now: () => new Date(),
};
const code = await run(['--help'], io);
if (code !== 0 || stderr !== '' || stdout === '') {
  console.error(`zt --help did not render (exit ${code}): ${stderr}`);
  process.exit(1);
}
writeFileSync(new URL('../dist/cli/help.txt', import.meta.url), stdout);
