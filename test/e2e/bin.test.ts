import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../support/temp.js';

// These run the built binary (npm test builds first), as a user or CI would.
const bin = join(process.cwd(), 'bin', 'zt.js');
const built = existsSync(join(process.cwd(), 'dist', 'cli', 'run.js'));

function zt(args: string[], options: { node?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  const result = spawnSync(options.node ?? process.execPath, [...(options.nodeArgs ?? []), bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.runIf(built)('the zt binary', () => {
  it('starts without loading any heavy module for --help and --version', () => {
    for (const args of [['--help'], ['--version'], ['audit', '--help']]) {
      const trace = join(tempTree({}), 'trace.txt');
      const result = zt(args, { nodeArgs: ['--import', join(process.cwd(), 'test/support/trace-imports.mjs')], env: { ZT_TRACE_FILE: trace } });
      expect(result.code, args.join(' ')).toBe(0);
      const loaded = readFileSync(trace, 'utf8');
      // --version is answered from package.json alone, top-level help to a pipe from the text the
      // build rendered; a command's help needs commander and nothing heavy.
      if (args.length === 1) expect(loaded).not.toMatch(/commander|dist\/cli\/run/);
      else expect(loaded).toMatch(/commander/);
      // The reporter registry is loaded for a command's help (its formats are the choices), the reporters are not.
      for (const heavy of ['@aws-sdk', '@kubernetes', 'chalk', '/ora/', 'zod', 'cel-js', 'js-yaml', '/app/', '/engine/', '/reporters/table', '/reporters/html', '/output/', '/diff/render', '/plugins']) {
        expect(loaded, `${args.join(' ')} loaded ${heavy}`).not.toContain(heavy);
      }
    }
  });

  it('zt doctor loads only the chosen source: --kubernetes loads no AWS or Azure SDK, and no other source\'s probe', () => {
    const trace = join(tempTree({}), 'trace.txt');
    const home = tempTree({});
    const result = zt(['doctor', '--kubernetes'], { nodeArgs: ['--import', join(process.cwd(), 'test/support/trace-imports.mjs')], env: { ZT_TRACE_FILE: trace, HOME: home, KUBECONFIG: '' } });
    // No kubeconfig: a credential gap with its fix, exit 3.
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/no kubeconfig found/);
    const loaded = readFileSync(trace, 'utf8');
    expect(loaded).toMatch(/kubernetes\/doctor/);
    for (const other of ['@aws-sdk', '@azure', 'aws-iam/doctor', 'okta/doctor', 'entra/doctor', 'aws-iam/client', 'entra/client']) expect(loaded, `loaded ${other}`).not.toContain(other);
  });

  it('answers `zt --help` to a pipe with exactly what the CLI renders (the text the build wrote is current)', async () => {
    const { run } = await import('../../src/cli/run.js');
    const { memoryIo } = await import('../../src/cli/io.js');
    const io = memoryIo({ env: { ...process.env, NO_COLOR: '1' } });
    expect(await run(['--help'], io)).toBe(0);
    const rendered = io.out();
    for (const flag of ['--help', '-h']) {
      const result = zt([flag]);
      expect(result.code, flag).toBe(0);
      expect(result.stdout, flag).toBe(rendered);
    }
  });

  it('audits the demo organisation and writes valid JSON', () => {
    const result = zt(['audit', '--demo', '-f', 'json', '--fail-on', 'none']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.inventory.resourceCount).toBeGreaterThan(50);
    expect(report.score.model).toEqual({ id: 'cisa-ztmm', version: '2.0' });
  });

  it('delivers the same complete output to a pipe and to a file, small (help) and large (JSON) alike', () => {
    const dir = tempTree({});
    for (const args of [['--help'], ['audit', '--demo', '-f', 'json', '--fail-on', 'none'], ['audit', '--demo', '--fail-on', 'none']]) {
      const piped = zt(args);
      const file = join(dir, 'out.txt');
      const fd = openSync(file, 'w');
      const direct = spawnSync(process.execPath, [bin, ...args], { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
      closeSync(fd);
      expect(direct.status, args.join(' ')).toBe(0);
      expect(readFileSync(file, 'utf8'), args.join(' ')).toBe(piped.stdout);
      expect(piped.stdout.length).toBeGreaterThan(500);
    }
  });

  it('exits 1 on the demo with the default gate, and says why on stderr', () => {
    const result = zt(['audit', '--demo']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ZTMM-aligned estimate/);
    expect(result.stderr).toMatch(/at or above --fail-on high/);
  });

  it('refuses an old Node.js with a clear message (exit 2)', () => {
    const old = ['/usr/bin/node', '/bin/node'].find((p) => existsSync(p));
    const version = old ? spawnSync(old, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
    if (!old || !/^v(1\d|2[01])\./.test(version)) return; // no older Node on this machine
    const result = zt(['--version'], { node: old });
    expect(result.code).toBe(2);
    // One line naming the version to install (the floor is package.json's engines.node).
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^✖ zt needs Node\.js 22\.19 or newer; this is v\d+\.\d+\.\d+\. Install Node\.js 22\.19 or later/);
  });
});

describe.runIf(built)('the zt binary and pipes', () => {
  it.runIf(existsSync('/dev/full'))('a full disk under standard output is its own error (exit 2, over the gate), never "a bug in zt"', () => {
    for (const args of [['audit', '--demo', '-f', 'json'], ['audit', '--demo', '-f', 'json', '--fail-on', 'none'], ['audit', '--demo']]) {
      const full = openSync('/dev/full', 'w');
      try {
        const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', full, 'pipe'], timeout: 60_000 });
        expect(result.status, args.join(' ')).toBe(2);
        expect(result.stderr).toMatch(/Cannot write to standard output \(ZT_OUTPUT_UNWRITABLE\)\n {2}ENOSPC/);
        expect(result.stderr).not.toMatch(/Internal error|bug in zt/);
      } finally {
        closeSync(full);
      }
    }
  });

  it('Ctrl-C during a large audit stops it, keeps the previous report and leaves no partial file', async () => {
    // @ts-expect-error bench/synth.js is plain JavaScript, without type declarations
    const { synthSnapshot } = (await import('../../bench/synth.js')) as { synthSnapshot: (size: number) => unknown };
    const dir = tempTree({ 'snap.json': JSON.stringify(synthSnapshot(30_000)), 'r.json': 'previous report\n' });
    const child = spawn(process.execPath, [bin, 'audit', '--snapshot', 'snap.json', '-o', 'json=r.json', '-f', 'json', '--fail-on', 'none', '-q'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupted once the audit is under way (it has read its rules and started on the snapshot).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    const report = readFileSync(join(dir, 'r.json'), 'utf8');
    if (code === 130) {
      expect(stderr).toMatch(/Interrupted \(ZT_INTERRUPTED\)/);
      expect(report).toBe('previous report\n');
    } else {
      // The machine was fast enough to finish first: then the report is whole.
      expect(code).toBe(0);
      expect(() => JSON.parse(report) as unknown).not.toThrow();
    }
    expect(readdirSync(dir).sort()).toEqual(['r.json', 'snap.json']);
  }, 60_000);

  it('stops quietly when the reader closes the pipe early (zt … | head)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'audit', '--demo', '-f', 'json', '--fail-on', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/Internal error|EPIPE/);
  });
});
