import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from '../support/temp.js';

// A UTF-8 byte-order mark (Windows editors write one) is accepted on every JSON input,
// as it already was on YAML and CSV.
const BOM = '\uFEFF';
const demo = join(import.meta.dirname, '..', '..', 'fixtures', 'demo');
const aws = join(import.meta.dirname, '..', '..', 'fixtures', 'collectors', 'aws-iam');

async function zt(argv: string[], cwd: string) {
  const io = memoryIo({ cwd });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('JSON inputs with a byte-order mark', () => {
  it('snapshot, report (zt diff) and baseline', async () => {
    const root = tempTree({ 'snap.json': BOM + readFileSync(join(demo, 'kubernetes.json'), 'utf8') });
    const audit = await zt(['audit', '--snapshot', 'snap.json', '-f', 'json', '-q', '--fail-on', 'none'], root);
    expect(audit.code).toBe(0);
    const withBom = tempTree({ 'a.json': BOM + audit.out, 'b.json': audit.out });
    expect((await zt(['diff', 'a.json', 'b.json'], withBom)).code).toBe(0);
    expect((await zt(['baseline', 'create', '--from-report', 'a.json', '--out', 'base.json'], withBom)).code).toBe(0);
    const baseline = BOM + readFileSync(join(withBom, 'base.json'), 'utf8');
    const again = tempTree({ 'snap.json': BOM + readFileSync(join(demo, 'kubernetes.json'), 'utf8'), 'base.json': baseline });
    expect((await zt(['audit', '--snapshot', 'snap.json', '--baseline', 'base.json', '-q', '--fail-on', 'none'], again)).code).toBe(0);
  });

  it('AWS authorization details', async () => {
    const root = tempTree({ 'gaad.json': BOM + readFileSync(join(aws, 'gaad-cli.json'), 'utf8') });
    const { code, err } = await zt(['collect', '--aws-authorization-details', 'gaad.json', '--out', 'snap.json', '-q'], root);
    expect(err).toMatch(/resources from 1 source/);
    // Read (the BOM is accepted); without the other exports the collection is incomplete.
    expect(err).toMatch(/incomplete: .*aws\.account partial \(input_missing\)/);
    expect(code).toBe(3);
  });
});
