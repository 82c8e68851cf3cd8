import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planOutputs } from '../../src/cli/output-plan.js';
import { accessReviewFormats } from '../../src/cli/program.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { isReporterId, loadReporter, reporterIds, reporterRegistry } from '../../src/reporters/index.js';
import { renderedChunks, type Reporter } from '../../src/reporters/types.js';
import { reviewFormats } from '../../src/review/render.js';
import { sampleReport } from '../support/sample-report.js';
import { smallSnapshot } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

// The reporter registry (src/reporters/index.ts) is the one list of audit output formats:
// these tests fail when a format is added in one place and not derived everywhere else.

const isReporter = (value: unknown): value is Reporter =>
  typeof value === 'object' && value !== null && typeof (value as Reporter).id === 'string' && typeof (value as Reporter).render === 'function';

describe('the reporter registry', () => {
  it('has unique ids and extensions, and each entry loads the reporter with its id, which renders', async () => {
    expect(new Set(reporterIds).size).toBe(reporterRegistry.length);
    expect(new Set(reporterRegistry.map((e) => e.extension)).size).toBe(reporterRegistry.length);
    for (const entry of reporterRegistry) {
      expect(entry.extension, entry.id).toMatch(/^\.[a-z]+$/);
      const reporter = await loadReporter(entry.id);
      expect(reporter.id).toBe(entry.id);
      const text = [...renderedChunks(reporter, sampleReport(), { color: false, width: 100 })].join('');
      expect(text.length, entry.id).toBeGreaterThan(100);
    }
  });

  it('registers every reporter module in src/reporters/', async () => {
    const folder = join(import.meta.dirname, '../../src/reporters');
    const exported: string[] = [];
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
      const module = (await import(join(folder, file))) as Record<string, unknown>;
      for (const value of Object.values(module)) if (isReporter(value)) exported.push(value.id);
    }
    expect(exported.sort()).toEqual([...reporterIds].sort());
  });

  it('gives the CLI its --format choices and help, and --output its formats', async () => {
    const help = memoryIo({ columns: 200 });
    expect(await run(['audit', '--help'], help)).toBe(0);
    expect(help.out()).toContain(`output format: ${reporterIds.join(', ')} (default: table)`);
    expect(help.out()).toContain('e.g. sarif=zt.sarif');

    const rules = tempTree({ 'mfa.yaml': validRule('ACME-IDN-1') });
    const dir = tempTree({ 'snap.json': JSON.stringify(smallSnapshot()) });
    for (const { id, extension } of reporterRegistry) {
      const io = memoryIo({ columns: 100, cwd: dir });
      const argv = ['audit', '--snapshot', 'snap.json', '--rules', rules, '--only-rules', '--fail-on', 'none', '-q'];
      expect(await run([...argv, '-f', id, '-o', `${id}=out${extension}`], io), `${id}: ${io.err()}`).toBe(0);
      expect(io.out().length, id).toBeGreaterThan(100);
      expect(statSync(join(dir, `out${extension}`)).size, id).toBeGreaterThan(100);
    }
    const wrong = memoryIo();
    expect(await run(['audit', '--demo', '-f', 'xml'], wrong)).toBe(2);
    expect(wrong.err()).toContain(`--format "xml": not one of its values (${reporterIds.join(', ')})`);
    expect(() => planOutputs(undefined, ['jsno=out.json'], '/tmp')).toThrow('unknown format "jsno"; did you mean "json"?');
    expect(isReporterId('xml')).toBe(false);
  });

  it("lists access-review's formats as review/render.ts does (written out in program.ts to keep --help light)", () => {
    expect(accessReviewFormats).toEqual(reviewFormats);
  });
});
