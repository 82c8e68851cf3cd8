import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { displayWidth } from '../../src/text/display-width.js';
import type { Report } from '../../src/model/report.js';
import { tableReporter } from '../../src/reporters/table.js';

async function output(argv: string[], columns: number): Promise<string[]> {
  const io = memoryIo({ columns });
  await run(argv, io);
  return io.out().split('\n');
}

/** The rows of each box-drawn table in the output, table by table (a table starts at ┌ and ends at └). */
function tables(lines: readonly string[]): string[][] {
  const found: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith('┌')) current = [];
    if (current) current.push(line);
    if (line.startsWith('└') && current) {
      found.push(current);
      current = undefined;
    }
  }
  return found;
}

describe('tables fit the terminal', () => {
  // The demo audited once; its table rendered as `zt audit` renders it at each width (width: the terminal's columns).
  let demo: Report | undefined;
  const demoReport = async (): Promise<Report> => (demo ??= JSON.parse((await output(['audit', '--demo', '--fail-on', 'none', '-f', 'json'], 100)).join('\n')) as Report);
  for (const columns of [80, 120, 200]) {
    it(`zt rules list and zt audit --demo (both forms) at ${columns} columns: no line wider, no row broken, no identifier cut`, async () => {
      const report = await demoReport();
      const outputs = {
        'rules list': await output(['rules', 'list'], columns),
        audit: tableReporter.render(report, { color: false, width: columns }).split('\n'),
        'audit --details': tableReporter.render(report, { color: false, width: columns, details: true }).split('\n'),
      };
      for (const [name, lines] of Object.entries(outputs)) {
        const argv = [name];
        expect(lines.length, argv.join(' ')).toBeGreaterThan(20);
        expect(Math.max(...lines.map(displayWidth)), argv.join(' ')).toBeLessThanOrEqual(columns);
        expect(lines.filter((l) => /\w…/.test(l)), argv.join(' ')).toEqual([]);
        const found = tables(lines);
        expect(found.length, argv.join(' ')).toBeGreaterThan(0);
        for (const table of found) {
          // Every line of a table (borders and rows) is as wide as its top border: no row broke.
          const width = displayWidth(table[0] ?? '');
          expect(table.filter((l) => displayWidth(l) !== width), argv.join(' ')).toEqual([]);
          expect(table.every((l) => /^[┌├│└]/.test(l) && /[┐┤│┘]$/.test(l)), argv.join(' ')).toBe(true);
        }
      }
    });
  }
});
