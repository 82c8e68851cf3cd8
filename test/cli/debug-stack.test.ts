import { afterEach, describe, expect, it, vi } from 'vitest';
import { DerivedFacts } from '../../src/analysis/index.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

// A bug is exit 4; with --debug its stack is printed, wherever it was thrown. cel-js's
// expected evaluation errors are made without stacks (engine/cel-run.ts), but only
// around cel-js's own calls: a bug thrown anywhere else during evaluation keeps its stack.
const stackLine = /^\s+at .+:\d+:\d+\)?$/m;

async function zt(argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, stderr: io.err() };
}

describe('internal errors', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a bug thrown while rules are evaluated shows its stack under --debug, and no stack without', async () => {
    // Thrown from inside the evaluation loop, where each resource's derived facts are read.
    const partsOf = vi.spyOn(DerivedFacts.prototype, 'partsOf').mockImplementation(() => {
      throw new Error('injected bug in derived facts');
    });
    const debug = await zt(['audit', '--demo', '--fail-on', 'none', '-f', 'json', '-q', '--debug']);
    expect(partsOf).toHaveBeenCalled();
    expect(debug.code).toBe(ExitCode.INTERNAL);
    expect(debug.stderr).toMatch(/ZT_INTERNAL[\s\S]*injected bug in derived facts/);
    expect(debug.stderr).toMatch(stackLine);
    expect(debug.stderr).toMatch(/at .*partsOf|at .*evaluate/);

    const plain = await zt(['audit', '--demo', '--fail-on', 'none', '-f', 'json', '-q']);
    expect(plain.code).toBe(ExitCode.INTERNAL);
    expect(plain.stderr).toMatch(/injected bug in derived facts/);
    expect(plain.stderr).not.toMatch(stackLine);
  });

  it('stacks are captured again after an audit (no global limit left behind)', async () => {
    const { code } = await zt(['audit', '--demo', '--fail-on', 'none', '-f', 'json', '-q']);
    expect(code).toBe(ExitCode.OK);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
    expect(new Error('after').stack).toMatch(stackLine);
  });
});
