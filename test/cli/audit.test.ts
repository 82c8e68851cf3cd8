import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { smallSnapshot } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

// A fixed one-rule pack, so these tests do not change when bundled rules are added.
const testRules = tempTree({ 'mfa.yaml': validRule('ACME-IDN-1') });

async function zt(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env, columns: 100 });
  const withRules = argv[0] === 'audit' && !argv.includes('--rules') ? [...argv, '--rules', testRules, '--only-rules'] : argv;
  const code = await run(withRules, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

function snapshotFile(content: unknown = smallSnapshot()): string {
  const root = tempTree({ 'snap.json': typeof content === 'string' ? content : JSON.stringify(content, null, 2) });
  return join(root, 'snap.json');
}

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

describe('zt audit: outputs and gates', () => {
  it('prints a table by default and fails the gate on a high finding (default --fail-on high)', async () => {
    const { code, stdout, stderr } = await zt(['audit', '--snapshot', snapshotFile()]);
    expect(stdout).toMatch(/Identity/);
    expect(stdout).toMatch(/cy@example\.com/);
    expect(stderr).toMatch(/1 failing finding\(s\) at or above --fail-on high/);
    expect(code).toBe(1);
  });

  it('--fail-on none and --fail-on critical do not fail on a high finding', async () => {
    expect((await zt(['audit', '--snapshot', snapshotFile(), '--fail-on', 'none'])).code).toBe(0);
    expect((await zt(['audit', '--snapshot', snapshotFile(), '--fail-on', 'critical'])).code).toBe(0);
  });

  it('--format json writes clean JSON to stdout and nothing but gate lines to stderr', async () => {
    const { stdout, stderr } = await zt(['audit', '--snapshot', snapshotFile(), '-f', 'json', '--fail-on', 'none']);
    const report = JSON.parse(stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.findings.map((f: { resource: { name: string } }) => f.resource.name)).toEqual(['cy@example.com']);
    expect(stderr).toBe('');
  });

  it('same input gives byte-identical JSON, SARIF, JUnit and Markdown, whatever the resource order', async () => {
    const file = snapshotFile();
    const snap = smallSnapshot();
    const reversed = snapshotFile({ ...snap, resources: [...(snap.resources as unknown[])].reverse() });
    for (const format of ['json', 'sarif', 'junit', 'markdown']) {
      const a = await zt(['audit', '--snapshot', file, '-f', format, '--fail-on', 'none']);
      const b = await zt(['audit', '--snapshot', file, '-f', format, '--fail-on', 'none']);
      const c = await zt(['audit', '--snapshot', reversed, '-f', format, '--fail-on', 'none']);
      expect(a.stdout.length).toBeGreaterThan(100);
      expect(b.stdout).toBe(a.stdout);
      expect(c.stdout.replace(reversed, file)).toBe(a.stdout);
    }
  });

  it('--output writes files; the table still goes to stdout', async () => {
    const root = tempTree({});
    const { code, stdout } = await zt([
      'audit', '--snapshot', snapshotFile(), '--fail-on', 'none',
      '-o', `json=${join(root, 'r.json')}`, '-o', `sarif=${join(root, 'r.sarif')}`,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Identity/);
    expect(JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')).schemaVersion).toBe(1);
    expect(JSON.parse(readFileSync(join(root, 'r.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('--min-stage fails the gate when a pillar is below it, and rejects a malformed value', async () => {
    const below = await zt(['audit', '--snapshot', snapshotFile(), '--fail-on', 'none', '--min-stage', 'identity=optimal']);
    expect(below.code).toBe(1);
    expect(below.stderr).toMatch(/identity is .*, below --min-stage identity=optimal/);
    const notAssessed = await zt(['audit', '--snapshot', snapshotFile(), '--fail-on', 'none', '--min-stage', 'networks=initial']);
    expect(notAssessed.code).toBe(1);
    expect(notAssessed.stderr).toMatch(/networks is not assessed/);
    const bad = await zt(['audit', '--snapshot', snapshotFile(), '--min-stage', 'identity=expert']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-stage identity=expert: "expert" is not a stage\n/);
    const typo = await zt(['audit', '--snapshot', snapshotFile(), '--min-stage', 'identiy=advancd']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--min-stage identiy=advancd: "identiy" is not a pillar; did you mean "identity"\?/);
    const shape = await zt(['audit', '--snapshot', snapshotFile(), '--min-stage', 'identity']);
    expect(shape.stderr).toMatch(/--min-stage identity: expected <pillar>=<stage>/);
  });

  it('--min-coverage below what was assessed exits 3 and still writes the report', async () => {
    const { code, stdout, stderr } = await zt(['audit', '--snapshot', snapshotFile(), '--fail-on', 'none', '-f', 'json', '--min-coverage', '0.9']);
    expect(code).toBe(3);
    expect(JSON.parse(stdout).schemaVersion).toBe(1);
    expect(stderr).toMatch(/ZTMM coverage \d+% is below --min-coverage 90%/);
  });

  it('a collection that met a bug in zt (ZT_COLLECT_CRASHED, ZT_COLLECT_MALFORMED) writes its report and exits 4, as the catalogue says', async () => {
    for (const code of ['ZT_COLLECT_CRASHED', 'ZT_COLLECT_MALFORMED']) {
      const snap = smallSnapshot();
      const crashed = { ...snap, issues: [{ collector: 'okta', severity: 'error', code, message: 'collector failed unexpectedly: list.filter is not a function', kinds: [] }] };
      const result = await zt(['audit', '--snapshot', snapshotFile(crashed), '--fail-on', 'none', '-f', 'json']);
      expect(JSON.parse(result.stdout).schemaVersion).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`✖ internal: okta: ${code}, a bug in zt: .*\\(exit 4\\)`));
      expect(result.code, code).toBe(4);
    }
  });

  it('a snapshot with no resources is an incomplete audit (exit 3), never a pass', async () => {
    const { code, stderr } = await zt(['audit', '--snapshot', snapshotFile(smallSnapshot({ resources: [] })), '--fail-on', 'none']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/nothing was audited/);
  });

  it('rules for a system the audit did not include are out of scope (collector_disabled), not failures', async () => {
    const rules = tempTree({
      'mfa.yaml': validRule('ACME-IDN-1'),
      'entra.yaml': validRule('ACME-IDN-2').replace('kind: idp.user', 'kind: entra.tenant').replace('when: resource.status == "active"\n', '').replace('size(resource.factors) > 0', 'resource.securityDefaultsEnabled == true').replace('{{login}}', '{{name}}'),
    });
    const io = memoryIo();
    await run(['audit', '--snapshot', snapshotFile(smallSnapshot({ resources: (smallSnapshot().resources as unknown[]).slice(0, 2) })), '--rules', rules, '--only-rules', '-f', 'json'], io);
    const report = JSON.parse(io.out());
    const entra = report.ruleResults.find((r: { ruleId: string }) => r.ruleId === 'ACME-IDN-2');
    expect(entra).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'collector_disabled' });
    expect(report.score.pillars[0].rows[0].stage).toBe('initial');
  });

  it('a kind that was not collected leaves its rules not evaluated, never passed', async () => {
    const { stdout } = await zt(['audit', '--snapshot', snapshotFile(smallSnapshot({ coverage: {}, resources: [] })), '-f', 'json']);
    const report = JSON.parse(stdout);
    const mfa = report.ruleResults.find((r: { ruleId: string }) => r.ruleId === 'ACME-IDN-1');
    expect(mfa.status).toBe('not_evaluated');
    expect(report.score.overall.stage).toBe('not_assessed');
  });
});

describe('zt audit: bad input is exit 2 with a clear message and no stack trace', () => {
  it('no input', async () => {
    const { code, stderr } = await zt(['audit']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Nothing to audit \(ZT_NO_SOURCE\)/);
    expect(stderr).toMatch(/hint: Pass --demo, or --snapshot <file>/);
  });

  it('unknown flag and unknown format', async () => {
    const flag = await zt(['audit', '--demo', '--frobnicate']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Invalid command line \(ZT_USAGE\)\n {2}zt audit has no option --frobnicate/);
    const format = await zt(['audit', '--demo', '-f', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format "xml": not one of its values \(table, json, sarif/);
  });

  it('malformed snapshot names the file and line', async () => {
    const file = snapshotFile('{\n  "schemaVersion": 1,\n  "collectedAt": oops\n}');
    const { code, stderr } = await zt(['audit', '--snapshot', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Snapshot is not valid JSON \(ZT_SNAPSHOT_SYNTAX\)/);
    expect(stderr).toContain(`${file}:3`);
    noStack(stderr);
  });

  it('wrong-shaped snapshot names the resource and field', async () => {
    const snap = smallSnapshot();
    (snap.resources as { attributes: Record<string, unknown> }[])[1]!.attributes.status = 'enabled';
    const { code, stderr } = await zt(['audit', '--snapshot', snapshotFile(snap)]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/resource "okta:\/\/acme\.okta\.com\/user\/bo@example\.com" is malformed: resources\[1\]\.attributes\.status/);
  });

  it('two snapshots that disagree about a resource: exit 2 naming both files', async () => {
    const snap = smallSnapshot();
    const [first, ...rest] = snap.resources as { name: string }[];
    const a = snapshotFile(snap);
    // Another source holding a resource of the first one, with other contents.
    const elsewhere = { collector: 'okta', source: 'okta:other.okta.com' };
    const b = snapshotFile({ ...snap, sources: [{ ...elsewhere, mode: 'offline' }], resources: [{ ...first, name: 'renamed', provenance: elsewhere }] });
    const { code, stdout, stderr } = await zt(['audit', '--snapshot', a, '--snapshot', b]);
    expect(stderr).toMatch(/✖ Two snapshots disagree about one resource \(ZT_SNAPSHOT_CONFLICT\)/);
    expect(stderr).toContain(`differs between ${a} and ${b}`);
    expect(stdout).toBe('');
    expect(code).toBe(2);
    // The same file twice agrees with itself.
    expect((await zt(['audit', '--snapshot', a, '--snapshot', a, '--fail-on', 'none'])).code).toBe(0);
    // The same source twice, differently: the source is named, not one of its resources.
    const again = snapshotFile({ ...snap, resources: [{ ...first, name: 'renamed' }, ...rest] });
    const twice = await zt(['audit', '--snapshot', a, '--snapshot', again]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/ZT_SNAPSHOT_DUPLICATE_SOURCE/);
  });

  it('missing snapshot file', async () => {
    const { code, stderr } = await zt(['audit', '--snapshot', '/nonexistent/snap.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read snapshot \/nonexistent\/snap\.json: ENOENT/);
  });

  it('rule errors are reported before any input is read', async () => {
    const rules = tempTree({ 'bad.yaml': validRule().replace('size(resource.factors) > 0', 'resource.nope') });
    const { code, stderr } = await zt(['audit', '--snapshot', '/nonexistent/snap.json', '--rules', rules]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Rules are invalid \(ZT_RULES_INVALID\)/);
    expect(stderr).toMatch(/bad\.yaml:9: assert: resource\.nope is not a field of idp\.user/);
    expect(stderr).not.toMatch(/snap\.json/);
  });

  it('an unwritable output path fails before the audit runs, and nothing is half-written', async () => {
    const { code, stdout, stderr } = await zt(['audit', '--snapshot', snapshotFile(), '-o', 'json=/nonexistent/dir/r.json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Cannot write an output file or standard output \(ZT_OUTPUT_UNWRITABLE\)/);
  });

  it('two formats to one path, or two formats to stdout', async () => {
    const root = tempTree({});
    const same = await zt(['audit', '--demo', '-o', `json=${join(root, 'x')}`, '-o', `sarif=${join(root, 'x')}`]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/would both be written to/);
    const two = await zt(['audit', '--demo', '-f', 'json', '-o', 'sarif=-']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/only one format can be written to stdout \(json and sarif were asked for\)/);
  });

  it('--debug adds the stack trace', async () => {
    const { stderr } = await zt(['audit', '--snapshot', '/nonexistent/snap.json', '--debug']);
    expect(stderr).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

describe('zt --help, --version', () => {
  it('prints the version', async () => {
    const { code, stdout } = await zt(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('prints help for every command', async () => {
    for (const argv of [['--help'], ['audit', '--help'], ['rules', '--help'], ['rules', 'list', '--help'], ['rules', 'test', '--help']]) {
      const { code, stdout } = await zt(argv);
      expect(code, argv.join(' ')).toBe(0);
      expect(stdout, argv.join(' ')).toMatch(/Usage: zt/);
    }
    expect((await zt(['audit', '--help'])).stdout).toMatch(/Exit codes: 0 ok · 1 a gate failed · 2 invalid input · 3 incomplete audit/);
  });

  it('no arguments prints help', async () => {
    const { code, stdout } = await zt([]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: zt/);
  });

  it('unknown command is exit 2', async () => {
    const { code, stderr } = await zt(['audt']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/zt has no command "audt"; did you mean "audit"\?/);
  });
});

describe('colour', () => {
  it('is off when not a TTY, and on with FORCE_COLOR, off again with --no-color or NO_COLOR', async () => {
    const file = snapshotFile();
    const esc = /\u001b\[/;
    expect((await zt(['audit', '--snapshot', file, '--fail-on', 'none'])).stdout).not.toMatch(esc);
    expect((await zt(['audit', '--snapshot', file, '--fail-on', 'none'], { FORCE_COLOR: '1' })).stdout).toMatch(esc);
    expect((await zt(['audit', '--snapshot', file, '--fail-on', 'none', '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toMatch(esc);
    expect((await zt(['audit', '--snapshot', file, '--fail-on', 'none'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(esc);
  });
});


describe('zt collect', () => {
  it('needs --out and a source', async () => {
    const noOut = await zt(['collect']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/zt collect needs --out <file> or --out-dir <dir>/);
    const noSource = await zt(['collect', '--out', join(tempTree({}), 's.json')]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toMatch(/no source chosen: nothing to collect/);
  });
});

describe('zt audit --waivers', () => {
  const waivers = (expires: string, resource = 'okta://acme.okta.com/user/cy@example.com') => `waivers:
  - rule: ACME-IDN-1
    resource: "${resource}"
    reason: Contractor account; replaced by SSO next month.
    owner: it@acme.example
    expires: ${expires}
`;

  it('a waived finding leaves the gate and the score, and is listed with its owner', async () => {
    const root = tempTree({ 'w.yaml': waivers('2026-12-31') });
    const { code, stdout } = await zt(['audit', '--snapshot', snapshotFile(), '--waivers', join(root, 'w.yaml'), '-f', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.findings).toEqual([expect.objectContaining({ status: 'waived', waiver: expect.objectContaining({ owner: 'it@acme.example' }) })]);
    expect(report.ruleResults[0].counts).toMatchObject({ pass: 2, fail: 0, waived: 1 });
    expect(report.ruleResults[0].passRate).toBe(1);
    expect(report.waivers).toMatchObject({ applied: 1, expired: [], unused: [] });
  });

  it('an expired waiver stops applying and is reported', async () => {
    const root = tempTree({ 'w.yaml': waivers('2026-10-31') });
    const { code, stdout } = await zt(['audit', '--snapshot', snapshotFile(), '--waivers', join(root, 'w.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/expired 2026-10-31 \(line 2\): ACME-IDN-1/);
  });

  it('a waiver that matches nothing is reported as unused', async () => {
    const root = tempTree({ 'w.yaml': waivers('2026-12-31', 'okta://acme.okta.com/user/nobody') });
    const { stdout } = await zt(['audit', '--snapshot', snapshotFile(), '--waivers', join(root, 'w.yaml'), '-f', 'json', '--fail-on', 'none']);
    expect(JSON.parse(stdout).waivers.unused).toEqual([expect.objectContaining({ resource: 'okta://acme.okta.com/user/nobody', line: 2 })]);
  });

  it('is read from .zt/waivers.yaml by default; a malformed file is exit 2 naming the line', async () => {
    const root = tempTree({ '.zt/waivers.yaml': waivers('someday') });
    const io = memoryIo({ cwd: root });
    const code = await run(['audit', '--snapshot', snapshotFile(), '--rules', testRules, '--only-rules'], io);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/Waivers file is invalid \(ZT_WAIVERS_INVALID\)/);
    expect(io.err()).toMatch(/waivers\.yaml:6: waivers\[0\]\.expires: expires must be a date written YYYY-MM-DD/);
  });
});

describe('CI formats', () => {
  it('--format junit --include-passes gives one test case per rule per resource', async () => {
    const { stdout } = await zt(['audit', '--snapshot', snapshotFile(), '-f', 'junit', '--include-passes', '--fail-on', 'none']);
    const cases = stdout.match(/<testcase /g) ?? [];
    expect(cases).toHaveLength(3);
    expect(stdout).toMatch(/<testcase classname="ACME-IDN-1" name="cy@example\.com \(okta:\/\/acme\.okta\.com\/user\/cy@example\.com\)">\n\s+<failure type="high"/);
    const without = await zt(['audit', '--snapshot', snapshotFile(), '-f', 'junit', '--fail-on', 'none']);
    expect(without.stdout).toMatch(/name="2 resource\(s\) pass"/);
  });

  it('--format markdown for a pull-request comment', async () => {
    const { stdout } = await zt(['audit', '--snapshot', snapshotFile(), '-f', 'markdown', '--fail-on', 'none']);
    expect(stdout).toMatch(/^## zt: Traditional/);
    expect(stdout).toMatch(/\| high \| `ACME-IDN-1` \| cy@example\.com \|/);
  });
});

describe('a bug is exit 4 with a short message', () => {
  it('an unexpected exception becomes ZT_INTERNAL without a stack, and with one under --debug', async () => {
    const explode = () => {
      throw new TypeError('cannot read properties of undefined (reading "x")');
    };
    for (const debug of [false, true]) {
      const io = memoryIo();
      const broken = { ...io, stdout: explode };
      const argv = ['audit', '--snapshot', snapshotFile(), '--rules', testRules, '--only-rules', ...(debug ? ['--debug'] : [])];
      const code = await run(argv, broken);
      expect(code).toBe(4);
      expect(io.err()).toMatch(/^✖ Internal error \(ZT_INTERNAL\)\n {2}cannot read properties of undefined/);
      if (debug) expect(io.err()).toMatch(/^\s+at .+/m);
      else noStack(io.err());
    }
  });
});
