import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { startProgress } from '../../../src/cli/progress.js';

/** A terminal stream of the given width (the tty.WriteStream calls ora makes), collecting what is written. */
function terminal(columns: number): PassThrough & { columns: number; isTTY: boolean } {
  const ok = (): boolean => true;
  return Object.assign(new PassThrough(), { columns, rows: columns === 0 ? 0 : 24, isTTY: true, cursorTo: ok, moveCursor: ok, clearLine: ok, clearScreenDown: ok });
}

describe('progress on stderr', () => {
  it('a terminal that reports no width (0 columns) gets no spinner, and the run ends', () => {
    // In a child with a deadline: the bug was a synchronous endless loop, which would hang
    // this process rather than fail a test.
    const script = `
      import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
      import { startProgress } from ${JSON.stringify(new URL('../../../dist/cli/progress.js', import.meta.url).href)};
      const ok = () => true;
      const stream = Object.assign(new PassThrough(), { columns: 0, rows: 0, isTTY: true, cursorTo: ok, moveCursor: ok, clearLine: ok, clearScreenDown: ok });
      const progress = await startProgress({ stderrIsTTY: true, stderrStream: stream }, false);
      progress.update('Reading inputs');
      await new Promise((done) => setTimeout(done, 300));
      progress.stop();
      process.stdout.write(stream.read() === null ? 'nothing drawn' : 'drawn');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(child.signal, 'the spinner never finished').toBeNull();
    expect(child.stdout).toBe('nothing drawn');
  });

  it('a terminal of some width gets the spinner', async () => {
    const stream = terminal(80);
    const io = { ...memoryIo({}), stderrIsTTY: true, stderrStream: stream };
    const progress = await startProgress(io, false);
    progress.update('Reading inputs');
    progress.stop();
    // The spinner drew a frame (and hid the cursor) before it stopped.
    expect(String(stream.read() ?? '')).toMatch(/\u001b\[\?25l/);
  });

  it('a CI runner (CI set) gets no spinner, even on a terminal', async () => {
    const stream = terminal(80);
    const io = { ...memoryIo({}), env: { CI: 'true' }, stderrIsTTY: true, stderrStream: stream };
    const progress = await startProgress(io, false);
    progress.update('Reading inputs');
    progress.stop();
    expect(stream.read()).toBeNull();
  });
});
