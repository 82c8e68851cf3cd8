import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envName } from '../../src/cli/flag-defaults.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { smallSnapshot } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

// One high-severity rule that fails on the small snapshot: the gate's threshold decides the exit code.
const rules = tempTree({ 'mfa.yaml': validRule('ACME-IDN-1') });

function project(config?: string): string {
  return tempTree({ 'snap.json': JSON.stringify(smallSnapshot()), ...(config === undefined ? {} : { '.zt/config.yaml': config }) });
}

async function zt(cwd: string, argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ columns: 100, cwd, env });
  const code = await run(['audit', '--snapshot', 'snap.json', '--rules', rules, '--only-rules', ...argv], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('flag defaults: flag > ZT_<FLAG> > .zt/config.yaml audit: > built-in', () => {
  it('names each variable after its flag', () => {
    expect(envName('failOn')).toBe('ZT_FAIL_ON');
    expect(envName('excludeNamespace')).toBe('ZT_EXCLUDE_NAMESPACE');
    expect(envName('quiet')).toBe('ZT_QUIET');
  });

  it('--fail-on: the flag wins over the variable, the variable over the file, the file over the built-in high', async () => {
    const dir = project('audit:\n  failOn: critical\n');
    // The one failing finding is high: critical and none pass, high and medium fail.
    expect((await zt(dir, ['--fail-on', 'high'], { ZT_FAIL_ON: 'none' })).code).toBe(1);
    const env = await zt(dir, [], { ZT_FAIL_ON: 'medium' });
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(/at or above --fail-on medium/);
    expect((await zt(dir, [], { ZT_FAIL_ON: 'none' })).code).toBe(0);
    expect((await zt(dir, [])).code).toBe(0);
    const builtIn = await zt(project(), []);
    expect(builtIn.code).toBe(1);
    expect(builtIn.stderr).toMatch(/at or above --fail-on high/);
  });

  it('an empty variable is unset; a list in a variable is comma-separated and replaces the file\'s list', async () => {
    const config = 'audit:\n  failOn: none\n  output: [json=from-file.json]\n';
    expect((await zt(project(config), [], { ZT_FAIL_ON: '' })).code).toBe(0);
    const dir = project(config);
    await zt(dir, [], { ZT_OUTPUT: 'sarif=a.sarif, json=b.json' });
    expect(JSON.parse(readFileSync(join(dir, 'a.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).schemaVersion).toBe(1);
    expect(existsSync(join(dir, 'from-file.json'))).toBe(false);
    await zt(dir, []);
    expect(existsSync(join(dir, 'from-file.json'))).toBe(true);
  });

  it('the file sets the format, switches and scoping; ZT_CONFIG names another file', async () => {
    const dir = project('audit:\n  format: json\n  failOn: none\n  severity: critical\n');
    const json = await zt(dir, []);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.scope).toMatchObject({ severity: 'critical', findingsNotListed: 1 });
    const other = tempTree({ 'ci.yaml': 'audit:\n  format: markdown\n  failOn: none\n' });
    const markdown = await zt(dir, [], { ZT_CONFIG: join(other, 'ci.yaml') });
    expect(markdown.stdout).toMatch(/^## zt: /);
    // --config on the command line wins over ZT_CONFIG.
    expect((await zt(dir, ['--config', '.zt/config.yaml'], { ZT_CONFIG: join(other, 'ci.yaml') })).stdout).toMatch(/^\{/);
    // A switch the file turns on, the variable turns off.
    const quiet = project('audit:\n  failOn: none\n  includePasses: true\n  format: json\n');
    expect(JSON.parse((await zt(quiet, [])).stdout).findings.some((f: { status: string }) => f.status === 'pass')).toBe(true);
    expect(JSON.parse((await zt(quiet, [], { ZT_INCLUDE_PASSES: 'false' })).stdout).findings.some((f: { status: string }) => f.status === 'pass')).toBe(false);
  });

  it('a bad default names where it came from: exit 2', async () => {
    const dir = project();
    const variable = await zt(dir, [], { ZT_FAIL_ON: 'hgh' });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toMatch(/ZT_FAIL_ON: "hgh" is not one of critical, high, medium, low, info, none; did you mean "high"\?/);
    const toggle = await zt(dir, [], { ZT_QUIET: 'maybe' });
    expect(toggle.code).toBe(2);
    expect(toggle.stderr).toMatch(/ZT_QUIET=maybe: expected true or false/);
    const format = await zt(project('audit:\n  format: jsn\n'), []);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/\.zt\/config\.yaml: audit\.format: "jsn" is not one of table, json, sarif, markdown, junit, html; did you mean "json"\?/);
    const key = await zt(project('identity: {}\naudit:\n  failOn: none\n  fail-on: high\n'), []);
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(/ZT_CONFIG_INVALID/);
    expect(key.stderr).toMatch(/\.zt\/config\.yaml:2: audit: Unrecognized key: "fail-on"/);
    const severity = await zt(project('audit:\n  failOn: hgh\n'), []);
    expect(severity.code).toBe(2);
    expect(severity.stderr).toMatch(/config\.yaml:2[\s\S]*audit\.failOn/);
  });
});
