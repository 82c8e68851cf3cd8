import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { demoSnapshotFiles } from '../../src/app/inputs.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { mergeSnapshots } from '../../src/inventory/merge.js';
import { readSnapshotFile, serializeSnapshot } from '../../src/inventory/snapshot-file.js';
import { parseWaivers } from '../../src/waivers/load.js';
import { tempTree } from '../support/temp.js';

// docs/ci.md's examples are run as written, so the documentation cannot drift from the CLI.
const doc = readFileSync('docs/ci.md', 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string);

async function workspace(): Promise<string> {
  const snapshots = await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f)));
  return tempTree({ 'snap.json': serializeSnapshot(mergeSnapshots(snapshots)) });
}

describe('docs/ci.md', () => {
  it('every zt command in the shell examples runs, in order, without a usage or internal error', async () => {
    const dir = await workspace();
    const commands = blocks('sh').flatMap((b) => b.split('\n')).filter((l) => l.startsWith('zt '));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) {
      const [argvText, redirect] = command.slice(3).split(' > ');
      const io = memoryIo({ cwd: dir });
      const code = await run((argvText as string).trim().split(/\s+/), io);
      expect([0, 1], `${command}\n${io.err()}`).toContain(code);
      expect(io.err(), command).not.toMatch(/\(ZT_[A-Z_]+\)/);
      if (redirect) writeFileSync(join(dir, redirect.trim()), io.out());
    }
    for (const file of ['.zt/baseline.json', 'zt.sarif', 'zt-report.json', 'zt-junit.xml', 'zt-summary.md', 'previous-report.json']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
  });

  it('the waivers example is a valid waivers file', () => {
    const example = blocks('yaml').find((b) => b.startsWith('waivers:'));
    expect(example).toBeDefined();
    const [waiver] = parseWaivers(example as string, 'docs/ci.md');
    expect(waiver).toMatchObject({ rule: 'ZT-APP-020', owner: 'platform-team@acme.example', expires: '2026-12-31' });
  });
});

const built = existsSync('dist/cli/run.js');

describe.runIf(built)('the GitHub Action', () => {
  it('action.yml wires every input the audit step reads', () => {
    const action = yaml.load(readFileSync('action.yml', 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { using: string; steps: { id?: string; env?: Record<string, string>; run?: string }[] };
    };
    expect(action.runs.using).toBe('composite');
    const audit = action.runs.steps.find((s) => s.id === 'audit');
    expect(audit?.run).toContain('action/audit.sh');
    for (const value of Object.values(audit?.env ?? {})) {
      const input = /inputs\.([\w-]+)/.exec(value)?.[1];
      expect(input && input in action.inputs, value).toBe(true);
    }
  });

  it('its audit script writes SARIF, the report, the step summary and the outputs, and records the exit code', async () => {
    const dir = await workspace();
    const outputs = join(dir, 'outputs.txt');
    const summary = join(dir, 'summary.md');
    const result = spawnSync('bash', [join(process.cwd(), 'action/audit.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GITHUB_ACTION_PATH: process.cwd(),
        GITHUB_OUTPUT: outputs,
        GITHUB_STEP_SUMMARY: summary,
        // Quoted words keep their spaces; the second line is more words.
        ZT_ARGS: "--snapshot 'snap.json'\n--min-coverage 0",
        ZT_ACTION_FAIL_ON: 'high',
        ZT_ACTION_BASELINE: '.zt/baseline.json',
        ZT_ACTION_WAIVERS: '.zt/waivers.yaml',
        ZT_SARIF_FILE: 'zt.sarif',
        ZT_REPORT_FILE: 'zt-report.json',
      },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(outputs, 'utf8')).toMatch(/^exit-code=1\noverall-stage=traditional\n$/);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## zt: Traditional/);
    expect(JSON.parse(readFileSync(join(dir, 'zt.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('an args input with an unmatched quote is exit 2 with one error line, and nothing is run', async () => {
    const dir = await workspace();
    const outputs = join(dir, 'outputs.txt');
    const result = spawnSync('bash', [join(process.cwd(), 'action/audit.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_ACTION_PATH: process.cwd(), GITHUB_OUTPUT: outputs, ZT_ARGS: "--snapshot 'snap.json", ZT_REPORT_FILE: 'zt-report.json' },
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^::error::zt: the args input has an unmatched quote/);
    expect(readFileSync(outputs, 'utf8')).toBe('exit-code=2\noverall-stage=\n');
    expect(existsSync(join(dir, 'zt-report.json'))).toBe(false);
  });
});
