// One fresh process under /usr/bin/time -v, asynchronous (a benchmark may be serving fake
// APIs in this process meanwhile): its exit status, wall time measured here, CPU (user +
// system) and peak RSS as time reports them, and its stderr without time's report.
import { spawn } from 'node:child_process';

/** Runs `command` (argv) under /usr/bin/time -v; `options` go to spawn (env, stdio of stdout). */
export function timedProcess(command, options = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const proc = spawn('/usr/bin/time', ['-v', ...command], { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (status) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const field = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(stderr)?.[1] ?? NaN);
      resolve({ status, wallMs, cpuS: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'), rssMb: field('Maximum resident set size \\(kbytes\\)') / 1024, stderr });
    });
  });
}
