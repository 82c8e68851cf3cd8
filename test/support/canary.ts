import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from './temp.js';

// The canary suite's harness: one collection scenario (a fake server that echoes the
// request's credentials in its error answers) run the ways a user runs zt — `zt collect
// --out`, `zt audit -f json`, `zt audit -f table`, each with and without --debug — and
// every byte they produce (stdout, stderr, the snapshot file) searched for the canaries.

export interface Outputs {
  /** What → text: `collect stdout`, `audit -f json --debug stderr`, `snapshot (--debug)`, … */
  readonly texts: Readonly<Record<string, string>>;
  /** The snapshot `zt collect --out` wrote (without --debug), parsed. */
  readonly snapshot: { issues: { code: string; message: string }[]; coverage: Record<string, { state: string; reason?: string; detail?: string }> };
  /** Exit codes by command. */
  readonly codes: Readonly<Record<string, number>>;
}

/**
 * Runs `zt collect` and `zt audit` (JSON and table) with `sourceArgs`, with and without
 * --debug, concurrently (each its own in-process run and I/O).
 */
export async function everyOutput(sourceArgs: readonly string[], env: Record<string, string>, cwd = tempTree({})): Promise<Outputs> {
  const commands: [string, string[]][] = [];
  for (const debug of [false, true]) {
    const flag = debug ? ['--debug'] : [];
    const suffix = debug ? ' --debug' : '';
    commands.push([`collect${suffix}`, ['collect', ...sourceArgs, '--out', join(cwd, `snapshot${debug ? '-debug' : ''}.json`), ...flag]]);
    commands.push([`audit -f json${suffix}`, ['audit', ...sourceArgs, '-f', 'json', '--fail-on', 'none', ...flag]]);
    commands.push([`audit -f table${suffix}`, ['audit', ...sourceArgs, '-f', 'table', '--fail-on', 'none', ...flag]]);
  }
  const texts: Record<string, string> = {};
  const codes: Record<string, number> = {};
  await Promise.all(
    commands.map(async ([name, argv]) => {
      const io = memoryIo({ env, cwd, columns: 120, now: () => new Date('2026-11-20T10:00:00Z') });
      codes[name] = await run(argv, io);
      texts[`${name} stdout`] = io.out();
      texts[`${name} stderr`] = io.err();
    }),
  );
  for (const [name, file] of [['snapshot', 'snapshot.json'], ['snapshot (--debug)', 'snapshot-debug.json']] as const) {
    const path = join(cwd, file);
    texts[name] = existsSync(path) ? readFileSync(path, 'utf8') : '';
  }
  expect(texts.snapshot, `zt collect wrote no snapshot: ${texts['collect stderr']}`).not.toBe('');
  return { texts, codes, snapshot: JSON.parse(texts.snapshot as string) as Outputs['snapshot'] };
}

/** No canary (nor its base64 or URL-encoded form) anywhere in the outputs. */
export function expectNoCanary(outputs: Outputs, canaries: readonly string[]): void {
  const forms = canaries.flatMap((c) => [c, Buffer.from(c).toString('base64'), encodeURIComponent(c)]);
  for (const [where, text] of Object.entries(outputs.texts)) {
    for (const canary of forms) expect(text.includes(canary), `${canary} leaked into ${where}:\n${text.slice(0, 2000)}`).toBe(false);
  }
}

/** The server's echo did reach zt and was redacted (so the canary check above can fail). */
export function expectRedactedIssue(outputs: Outputs, code: string | RegExp): void {
  const issues = outputs.snapshot.issues.filter((i) => (typeof code === 'string' ? i.code === code : code.test(i.code)));
  expect(issues.length, `no ${String(code)} issue in ${JSON.stringify(outputs.snapshot.issues)}`).toBeGreaterThan(0);
  expect(
    issues.some((i) => i.message.includes('[redacted]')),
    `no ${String(code)} issue shows the server's redacted echo: ${JSON.stringify(issues)}`,
  ).toBe(true);
}
