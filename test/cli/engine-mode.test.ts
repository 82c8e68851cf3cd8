import { describe, expect, it } from 'vitest';
import { engineMode } from '../../src/app/rules.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

async function zt(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('ZT_ENGINE', () => {
  it('is read from the environment the CLI is given', () => {
    expect(engineMode({})).toBe('default');
    expect(engineMode({ ZT_ENGINE: '' })).toBe('default');
    expect(engineMode({ ZT_ENGINE: 'default' })).toBe('default');
    expect(engineMode({ ZT_ENGINE: 'cel' })).toBe('cel');
  });

  it('=cel audits with cel-js alone, to the same report byte for byte', async () => {
    const argv = ['audit', '--demo', '--fail-on', 'none', '-f', 'json', '--include-passes'];
    const fast = await zt(argv);
    const cel = await zt(argv, { ZT_ENGINE: 'cel' });
    expect(cel.code).toBe(ExitCode.OK);
    expect(fast.stdout.length).toBeGreaterThan(10_000);
    expect(cel.stdout).toBe(fast.stdout);
  });

  it('=cel runs the rule cases with cel-js alone, all passing', async () => {
    const { code, stdout } = await zt(['rules', 'test'], { ZT_ENGINE: 'cel' });
    expect(code).toBe(ExitCode.OK);
    expect(stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
  });

  it('another value is a usage error, not silently the default', async () => {
    const { code, stderr } = await zt(['audit', '--demo', '--fail-on', 'none', '-f', 'json'], { ZT_ENGINE: 'fast' });
    expect(code).toBe(ExitCode.INVALID_INPUT);
    expect(stderr).toMatch(/ZT_USAGE[\s\S]*ZT_ENGINE=fast: expected cel, default, or unset/);
  });
});
