import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { smallSnapshot } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

const rules = tempTree({ 'mfa.yaml': validRule('ACME-IDN-1') });
const folder = () => tempTree({ 'snap.json': JSON.stringify(smallSnapshot()) });

async function zt(argv: string[], cwd: string) {
  const io = memoryIo({ columns: 100, cwd });
  const extra = argv[0] === 'audit' ? ['--snapshot', 'snap.json', '--rules', rules, '--only-rules', '--fail-on', 'none', '-q'] : [];
  const code = await run([...argv, ...extra], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('-o <path>: the format from -f, else from the extension', () => {
  it('-f sarif -o zt.sarif writes SARIF to the file and the table (not SARIF) to stdout', async () => {
    const dir = folder();
    const { code, stdout } = await zt(['audit', '-f', 'sarif', '-o', 'zt.sarif'], dir);
    expect(code).toBe(0);
    expect(JSON.parse(read(dir, 'zt.sarif')).version).toBe('2.1.0');
    expect(stdout).toMatch(/^zt .* CISA ZTMM/);
    expect(stdout).not.toContain('"version"');
  });

  it('-f names the format of every bare -o, whatever its extension (SARIF in a .json file)', async () => {
    const dir = folder();
    expect((await zt(['audit', '-f', 'sarif', '-o', 'results.json'], dir)).code).toBe(0);
    expect(JSON.parse(read(dir, 'results.json')).version).toBe('2.1.0');
  });

  it('without -f, the extension names the format: .json, .sarif, .sarif.json, .html, .md, .xml', async () => {
    const dir = folder();
    const { code, stdout } = await zt(['audit', '-o', 'r.json', '-o', 'r.sarif', '-o', 'gh.sarif.json', '-o', 'r.html', '-o', 'r.md', '-o', 'r.xml'], dir);
    expect(code).toBe(0);
    expect(JSON.parse(read(dir, 'r.json')).schemaVersion).toBe(1);
    expect(JSON.parse(read(dir, 'r.sarif')).version).toBe('2.1.0');
    expect(JSON.parse(read(dir, 'gh.sarif.json')).version).toBe('2.1.0');
    expect(read(dir, 'r.html')).toMatch(/^<!doctype html>/i);
    expect(read(dir, 'r.md')).toMatch(/^#/);
    expect(read(dir, 'r.xml')).toMatch(/^<\?xml/);
    expect(stdout).toMatch(/^zt .* CISA ZTMM/);
  });

  it('the same format written with -o fmt=path and -o path gives the same bytes as -f on stdout', async () => {
    const dir = folder();
    const piped = await zt(['audit', '-f', 'json'], dir);
    await zt(['audit', '-o', 'a.json', '-o', 'json=b.json'], dir);
    expect(read(dir, 'a.json')).toBe(piped.stdout);
    expect(read(dir, 'b.json')).toBe(piped.stdout);
  });

  it('-f html -o html=x.html writes the page once, to the file; stdout gets the table', async () => {
    const dir = folder();
    const { code, stdout } = await zt(['audit', '-f', 'html', '-o', 'html=x.html'], dir);
    expect(code).toBe(0);
    expect(read(dir, 'x.html')).toMatch(/^<!doctype html>/i);
    expect(stdout).not.toMatch(/<html/i);
    expect(stdout).toMatch(/ZTMM pillars/);
  });

  it('-f json -o sarif=zt.sarif keeps JSON on stdout; -o json=- writes to stdout', async () => {
    const dir = folder();
    const both = await zt(['audit', '-f', 'json', '-o', 'sarif=zt.sarif'], dir);
    expect(JSON.parse(both.stdout).schemaVersion).toBe(1);
    expect(existsSync(join(dir, 'zt.sarif'))).toBe(true);
    const dash = await zt(['audit', '-o', 'json=-'], dir);
    expect(JSON.parse(dash.stdout).schemaVersion).toBe(1);
  });

  it('a name whose format cannot be told, a format the command lacks, or a mistyped one: exit 2 before auditing', async () => {
    const dir = folder();
    const none = await zt(['audit', '-o', 'report'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--output report: cannot tell the format from the file name \(ZT_USAGE\)|ZT_USAGE[\s\S]*--output report: cannot tell the format from the file name/);
    expect(none.stderr).toMatch(/-f <format> --output report, or --output <format>=report/);
    const csv = await zt(['audit', '-o', 'r.csv'], dir);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/cannot tell the format/);
    const typo = await zt(['audit', '-o', 'jsn=r.json'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown format "jsn"; did you mean "json"\?/);
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
    const twice = await zt(['audit', '-o', 'r.json', '-o', 'json=r.json'], dir);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/would both be written to/);
  });

  it('zt access-review: -o review.html and -f csv -o q4.dat; .xml is not a review format', async () => {
    const dir = folder();
    const html = await zt(['access-review', '--demo', '-q', '-o', 'review.html'], dir);
    expect(html.code).toBe(0);
    expect(read(dir, 'review.html')).toMatch(/^<!doctype html>/i);
    expect(html.stdout).not.toMatch(/<html/i);
    expect((await zt(['access-review', '--demo', '-q', '-f', 'csv', '-o', 'q4.dat'], dir)).code).toBe(0);
    expect(read(dir, 'q4.dat').split('\n')[0]).toMatch(/,/);
    const xml = await zt(['access-review', '--demo', '-q', '-o', 'review.xml'], dir);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toMatch(/\.md \(markdown\), \.csv \(csv\), \.json \(json\), \.html \(html\), \.txt \(table\)/);
  });
});

describe('a flag that takes one value, given twice', () => {
  it('is exit 2 naming the flag and both values', async () => {
    const dir = folder();
    const failOn = await zt(['audit', '--fail-on', 'critical', '--min-coverage', '0.1', '--min-coverage', '0.2'], dir);
    expect(failOn.code).toBe(2);
    expect(failOn.stderr).toMatch(/--min-coverage was given more than once \("0\.1", then "0\.2"\); it takes one value/);
    const format = await zt(['audit', '-f', 'json', '--format', 'sarif'], dir);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format was given more than once/);
    const source = await zt(['audit', '--kubeconfig', 'a', '--kubeconfig', 'b'], dir);
    expect(source.code).toBe(2);
    expect(source.stderr).toMatch(/--kubeconfig was given more than once/);
    const okta = await zt(['audit', '--okta-export', 'a', '--okta-export', 'b'], dir);
    expect(okta.code).toBe(2);
    expect(okta.stderr).toMatch(/--okta-export was given more than once/);
    const rulesShow = await zt(['rules', 'list', '--pillar', 'identity', '--pillar', 'networks'], dir);
    expect(rulesShow.code).toBe(2);
    expect(rulesShow.stderr).toMatch(/--pillar was given more than once/);
  });

  it('repeatable flags keep collecting: -o, --snapshot, --rules, and the source flags (--context, --manifests, --profile, --role-arn)', async () => {
    const dir = folder();
    const twice = await zt(['audit', '--snapshot', 'snap.json', '-o', 'a.json', '-o', 'b.sarif'], dir);
    expect(twice.code).toBe(0);
    // Each source flag parses twice; what the sources then make of it is their own matter (no kubeconfig here).
    for (const flag of ['--context', '--manifests', '--profile', '--role-arn', '--aws-authorization-details', '--aws-credential-report', '--aws-virtual-mfa']) {
      const { stderr } = await zt(['audit', flag, 'x', flag, 'y'], dir);
      expect(stderr, flag).not.toMatch(/more than once/);
    }
  });
});

describe('zt access-review on a terminal', () => {
  async function review(stdoutIsTTY: boolean, columns: number, argv: string[] = []) {
    const io = memoryIo({ columns, stdoutIsTTY });
    const code = await run(['access-review', '--demo', '-q', ...argv], io);
    return { code, stdout: io.out() };
  }

  it('shows tables that fit, not raw Markdown; piped, it stays Markdown; -f table asks for the table anywhere', async () => {
    for (const columns of [80, 120]) {
      const { code, stdout } = await review(true, columns);
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/^#|\|---/m);
      expect(stdout).toMatch(/^Standing admin \(\d+\)\n┌/m);
      expect(stdout).toMatch(/^Needs attention \(\d+\)\n┌/m);
      expect(Math.max(...stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(columns);
    }
    expect((await review(false, 100)).stdout).toMatch(/^# Access review/);
    expect((await review(false, 100, ['-f', 'table'])).stdout).toMatch(/^Access review — /);
    expect((await review(true, 100, ['-f', 'markdown'])).stdout).toMatch(/^# Access review/);
  });
});
