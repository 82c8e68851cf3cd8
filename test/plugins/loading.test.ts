import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { tempTree } from '../support/temp.js';

const fixture = (name: string) => resolve('test/plugins/fixtures', name);
const github = resolve('packages/zt-source-github');
const githubExport = resolve('packages/zt-source-github/test/fixtures/export-acme');

async function zt(argv: string[], cwd = process.cwd()) {
  const io = memoryIo({ env: { NO_COLOR: '1' }, cwd });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('plugin loading', () => {
  it('a plugin whose collector throws is a collection failure of its source (exit 3): reported, not a crash, and its rules do not pass', async () => {
    const result = await zt(['audit', '--plugin', fixture('throws'), '--boom', '-f', 'json', '--fail-on', 'none']);
    expect(result.code, result.err).toBe(3);
    const report = JSON.parse(result.out);
    expect(JSON.stringify(report.inventory)).toMatch(/ZT_PLUGIN_COLLECT_FAILED/);
    expect(JSON.stringify(report.inventory)).toMatch(/plugin zt-fixture-throws 1\.0\.0, source boom \(boom:one\), failed: cannot read properties/);
    const rule = report.ruleResults.find((r: any) => r.ruleId === 'BOOM-APP-001');
    expect(rule.status).toBe('not_evaluated');
  });

  it('refuses a plugin built for another plugin API major with one line (exit 2)', async () => {
    const result = await zt(['audit', '--demo', '--plugin', fixture('wrong-api')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/ZT_PLUGIN_API_VERSION/);
    expect(result.err).toMatch(/plugin zt-fixture-wrong-api 1\.0\.0 is built for zt plugin API 2; this zt \S+ provides plugin API 1/);
    expect(result.out).toBe('');
  });

  it('refuses a kind schema that cannot validate JSON, naming the plugin and kind (exit 2)', async () => {
    const result = await zt(['audit', '--demo', '--plugin', fixture('bad-kind')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/ZT_PLUGIN_INVALID[\s\S]*zt-fixture-bad-kind 1\.0\.0: kind bad\.thing: its schema cannot be used/);
  });

  it('a plugin rule that does not type-check is a rule error naming its file (exit 2), before anything is read', async () => {
    const result = await zt(['audit', '--demo', '--plugin', fixture('broken-rule')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/broken-thing\.yaml/);
    expect(result.err).toMatch(/enabeld/);
  });

  it('not installed, not a plugin, two plugins claiming one kind or one flag: one message naming the plugin (exit 2)', async () => {
    const missing = await zt(['audit', '--demo', '--plugin', 'zt-source-nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/ZT_PLUGIN_NOT_FOUND[\s\S]*plugin zt-source-nowhere \(--plugin\) is not installed/);
    const notPlugin = await zt(['audit', '--demo', '--plugin', fixture('not-a-plugin')]);
    expect(notPlugin.code).toBe(2);
    expect(notPlugin.err).toMatch(/plugin zt-fixture-not-a-plugin 1\.0\.0 \(--plugin\) is not a zt plugin/);
    const twins = await zt(['audit', '--demo', '--plugin', fixture('throws'), '--plugin', fixture('twin')]);
    expect(twins.code).toBe(2);
    expect(twins.err).toMatch(/ZT_PLUGIN_CONFLICT[\s\S]*zt-fixture-twin and zt-fixture-throws both declare kind boom\.thing/);
    const thief = await zt(['audit', '--demo', '--plugin', github, '--plugin', fixture('flag-thief')]);
    expect(thief.code).toBe(2);
    expect(thief.err).toMatch(/zt-fixture-flag-thief declares --github-org, which zt-source-github already declares/);
  });

  it('a snapshot holding a plugin kind, read without the plugin, names the plugin to configure (exit 2)', async () => {
    const dir = tempTree({});
    const out = join(dir, 'gh.json');
    expect((await zt(['collect', '--plugin', github, '--github-export', githubExport, '--out', out, '-q'])).code).toBe(0);
    const result = await zt(['audit', '--snapshot', out]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/ZT_SNAPSHOT_PLUGIN_MISSING[\s\S]*collected by plugin zt-source-github 0\.1\.0, which is not loaded[\s\S]*--plugin zt-source-github/);
    expect((await zt(['audit', '--snapshot', out, '--plugin', github, '--fail-on', 'none', '-q'])).code).toBe(0);
  });

  it('lists a plugin\'s flags in `zt audit --help` only when it is configured (--plugin or plugins: in .zt/config.yaml)', async () => {
    const bare = await zt(['audit', '--help']);
    expect(bare.out).not.toMatch(/--github-org/);
    const flagged = await zt(['audit', '--help', '--plugin', github]);
    expect(flagged.out).toMatch(/--github-org <org>/);
    const project = tempTree({ '.zt/config.yaml': `plugins:\n  - ${github}\n` });
    const configured = await zt(['audit', '--help'], project);
    expect(configured.out).toMatch(/--github-export <dir>/);
    // The next run in the same process starts from zt's own kinds again.
    const kinds = await zt(['rules', 'kinds']);
    expect(kinds.out).not.toMatch(/github\./);
  });

  it('zt plugins list names each plugin with its version, API version, sources, kinds and rules', async () => {
    const result = await zt(['plugins', 'list', '-f', 'json', '--plugin', github]);
    expect(result.code, result.err).toBe(0);
    const [plugin] = JSON.parse(result.out).plugins;
    expect(plugin).toMatchObject({ name: 'zt-source-github', version: '0.1.0', apiVersion: 1, sources: ['github'] });
    expect(plugin.kinds).toEqual(['github.appInstallation', 'github.member', 'github.organization', 'github.repository']);
    expect(plugin.rules).toContain('GH-APP-001');
    const project = tempTree({});
    mkdirSync(join(project, '.zt'));
    writeFileSync(join(project, '.zt', 'config.yaml'), 'plugins: [zt-source-nowhere]\n');
    const missing = await zt(['plugins', 'list'], project);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/zt-source-nowhere \(plugins: in \.zt\/config\.yaml\) is not installed/);
  });

  it('plugin rules run through `zt rules test` and `zt rules kinds` shows plugin kinds', async () => {
    const tested = await zt(['rules', 'test', resolve(github, 'rules'), '--plugin', github]);
    expect(tested.code, tested.out + tested.err).toBe(0);
    expect(tested.out).toMatch(/32 passed, 0 failed/);
    const kind = await zt(['rules', 'kinds', 'github.repository', '--plugin', github]);
    expect(kind.out).toMatch(/branchProtected: boolean \| null/);
  });
});
