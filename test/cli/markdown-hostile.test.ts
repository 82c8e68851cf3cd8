import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { idpUser, smallSnapshot } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

// Every Markdown zt writes goes into pull-request comments, step summaries and tickets.
// A name from an audited system must not split a table, render HTML, open a code span,
// become a link or start a new line. One hostile user runs through all three families:
// `zt audit -f markdown`, `zt diff -f markdown` and `zt access-review -f markdown`.

const hostile = 'evil|<img src=x onerror=alert(1)>\n`code` [click](javascript:alert(1)) ![p](https://t.example/p.png) \\| <b>bold</b> tail';

async function zt(argv: string[], cwd: string) {
  const io = memoryIo({ cwd, columns: 100 });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Cells of a GFM table row: GitHub splits on every pipe that has no backslash before it. */
const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1);

/** The hostile text is shown, on one line, as text: no HTML, code span, link or extra cell. */
function expectNeutralised(markdown: string, what: string): void {
  const lines = markdown.split('\n');
  const shown = lines.filter((l) => l.includes('evil'));
  expect(shown.length, `${what} shows the hostile name`).toBeGreaterThan(0);
  for (const line of shown) {
    expect(line, `${what}: the name stays on one line`).toContain('tail');
    expect(line, what).toContain('evil\\|&lt;img src=x onerror=alert(1)&gt;');
    expect(line, what).toContain("'code'");
    expect(line, what).toContain('\\](javascript&#58;alert(1))');
    expect(line, what).toContain('&lt;b&gt;bold&lt;/b&gt;');
    if (line.startsWith('|')) {
      // The header is the nearest line above that starts a table.
      const at = lines.indexOf(line);
      let header = at;
      while (header > 0 && lines[header - 1]?.startsWith('|')) header -= 1;
      expect(cells(line).length, `${what}: ${line}`).toBe(cells(lines[header] as string).length);
    }
  }
  expect(markdown, `${what}: no HTML tag but zt's own <br>`).not.toMatch(/<(?!br>)/);
  expect(markdown, `${what}: no link or image`).not.toMatch(/(?<!\\)\]\(/);
  expect(markdown).not.toContain('`code`');
}

describe('Markdown outputs neutralise hostile names', () => {
  const dir = tempTree({
    'rules/mfa.yaml': validRule('ACME-IDN-1'),
    'old.json': JSON.stringify(smallSnapshot()),
    'new.json': JSON.stringify(smallSnapshot({ resources: [...(smallSnapshot().resources as unknown[]), idpUser(hostile, [])] })),
  });
  const audit = ['--rules', 'rules', '--only-rules', '--fail-on', 'none', '-q'];

  it('zt audit -f markdown', async () => {
    const result = await zt(['audit', '--snapshot', 'new.json', ...audit, '-f', 'markdown'], dir);
    expect(result.code, result.stderr).toBe(0);
    expectNeutralised(result.stdout, 'audit');
  });

  it('zt diff -f markdown', async () => {
    for (const [snapshot, report] of [['old.json', 'r1.json'], ['new.json', 'r2.json']] as const) {
      const result = await zt(['audit', '--snapshot', snapshot, ...audit, '-f', 'json'], dir);
      expect(result.code, result.stderr).toBe(0);
      writeFileSync(join(dir, report), result.stdout);
    }
    const result = await zt(['diff', 'r1.json', 'r2.json', '-f', 'markdown'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/### New failures \(1\)\n\n- `ACME-IDN-1` \*\*evil/);
    expectNeutralised(result.stdout, 'diff');
  });

  it('zt access-review -f markdown', async () => {
    const result = await zt(['access-review', '--snapshot', 'new.json', '-q', '-f', 'markdown'], dir);
    expect(result.code, result.stderr).toBe(0);
    expectNeutralised(result.stdout, 'access review');
  });
});
