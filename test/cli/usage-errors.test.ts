import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree, validRule } from '../support/temp.js';

async function zt(argv: string[]) {
  const io = memoryIo({ columns: 100 });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** zt's own error format: the title and code, the problem, the hint; nothing of commander's wording. */
function expectUsage(stderr: string, problem: string, command: string): void {
  expect(stderr).toBe(`✖ Invalid command line (ZT_USAGE)\n  ${problem}\n  hint: Run \`${command} --help\` for its flags and arguments.\n`);
}

describe("commander's usage mistakes are zt errors: ZT_USAGE, exit 2, one suggestion when close", () => {
  it.each([
    [['audit', '--demo', '--fial-on', 'high'], 'zt audit has no option --fial-on; did you mean "--fail-on"?', 'zt audit'],
    [['audit', '--demo', '--frobnicate'], 'zt audit has no option --frobnicate', 'zt audit'],
    [['audit', '--demo', '--fail-on', 'hig'], '--fail-on "hig": not one of its values; did you mean "high"?', 'zt audit'],
    [['audit', '--demo', '-f', 'xml'], '--format "xml": not one of its values (table, json, sarif, markdown, junit, html)', 'zt audit'],
    [['audit', '--demo', '--fail-on'], '--fail-on needs a value (<severity>)', 'zt audit'],
    [['audt'], 'zt has no command "audt"; did you mean "audit"?', 'zt'],
    [['rules', 'lst'], 'zt rules has no command "lst"; did you mean "list"?', 'zt rules'],
    [['rules', 'show'], 'zt rules show needs <id> (rule id, e.g. ZT-IDN-001)', 'zt rules show'],
    [['rules', 'show', 'a', 'b'], 'zt rules show takes 1 argument (<id>), 2 given', 'zt rules show'],
    [['diff', 'old.json'], 'zt diff needs <new> (the later report)', 'zt diff'],
    [['network', 'matrix', '--demo', '--by', 'namespce'], '--by "namespce": not one of its values; did you mean "namespace"?', 'zt network matrix'],
    [['access-review', 'record', 'x.csv'], 'zt access-review record needs --campaign <file>', 'zt access-review record'],
  ])('zt %j', async (argv, problem, command) => {
    const { code, stdout, stderr } = await zt(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expectUsage(stderr, problem, command);
  });

  it('help and version are not mistakes', async () => {
    expect((await zt(['audit', '--help'])).code).toBe(0);
    expect((await zt(['--version'])).code).toBe(0);
  });
});

describe('did you mean: pillars, stages, severities, kinds, rule ids', () => {
  it.each([
    [['rules', 'list', '--pillar', 'identy'], /--pillar identy: not a pillar; did you mean "identity"\?/],
    [['rules', 'list', '--pillar', 'people'], /--pillar people: not a pillar \(one of identity, devices, networks, applications, data\)/],
    [['rules', 'list', '--severity', 'hihg'], /--severity hihg: not a severity; did you mean "high"\?/],
    [['rules', 'list', '--kind', 'idp.usr'], /--kind idp.usr: not a resource kind; did you mean "idp.user"\?/],
    [['rules', 'kinds', 'k8s.worklod'], /zt rules kinds k8s.worklod: not a resource kind; did you mean "k8s.workload"\?/],
    [['rules', 'show', 'ZT-IDN-01'], /no rule has the id ZT-IDN-01; did you mean "ZT-IDN-001"\?/],
    [['audit', '--demo', '--min-stage', 'networks=optimall'], /"optimall" is not a stage; did you mean "optimal"\?/],
  ])('zt %j', async (argv, message) => {
    const { code, stderr } = await zt(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    // A suggestion or a short list, never the whole catalogue of kinds.
    expect(stderr).not.toMatch(/aws\.account, aws\.iam\.group/);
  });

  it('a rule file with schema, kind/row and expression mistakes reports every one in one run, by file and line', async () => {
    const root = tempTree({
      'a.yaml': validRule('ACME-IDN-1')
        .replace('severity: high', 'severity: hihg')
        .replace('row: identity.authentication', 'row: identity.authenticaton')
        .replace('assert: size(resource.factors) > 0', 'assert: size(resource.factorz) > 0'),
      'b.yaml': `${validRule('ACME-IDN-2').replace('kind: idp.user', 'kind: idp.usr')}sevrity: high\n`,
    });
    const { code, stderr } = await zt(['rules', 'validate', root]);
    expect(code).toBe(2);
    const problems = stderr.split('\n').filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  hint:'));
    expect(problems).toEqual([
      `  ${root}/a.yaml:4: severity: "hihg" is not one of critical, high, medium, low, info; did you mean "high"?`,
      `  ${root}/a.yaml:6: ztmm.row: "identity.authenticaton" is not a CISA ZTMM v2.0 row; did you mean "identity.authentication"?`,
      expect.stringMatching(new RegExp(`^  ${root}/a\\.yaml:9: assert: resource\\.factorz is not a field of idp\\.user; did you mean "factors"\\?$`)),
      `  ${root}/b.yaml:3: kind: "idp.usr" is not a resource kind zt knows; did you mean "idp.user"?`,
      expect.stringMatching(/b\.yaml:\d+: sevrity: not a field of a rule; did you mean "severity"\?$/),
    ]);
  });
});
