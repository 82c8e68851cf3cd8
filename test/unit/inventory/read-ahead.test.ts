import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAhead, readWholeFile } from '../../../src/inventory/read-ahead.js';

describe('readWholeFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zt-read-'));

  it('reads a file whole, as fs.readFileSync does', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024 + 17, 'x'));
    expect((await readWholeFile(file)).equals(readFileSync(file))).toBe(true);
    // Large files are read as four ranges at once: every byte in its place.
    const large = join(dir, 'large.json');
    writeFileSync(large, Buffer.from(Array.from({ length: 9 * 1024 * 1024 + 3 }, (_, i) => i % 251)));
    expect((await readWholeFile(large)).equals(readFileSync(large))).toBe(true);
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    expect((await readWholeFile(empty)).length).toBe(0);
  });

  it('reads files whose size stat does not know (proc files report 0)', async () => {
    const text = (await readWholeFile('/proc/self/status')).toString('utf8');
    expect(text).toContain('Name:');
  });

  it('fails as fs does for missing files and directories; readAhead keeps the failure for its reader', async () => {
    await expect(readWholeFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readWholeFile(dir)).rejects.toMatchObject({ code: 'EISDIR' });
    const started = readAhead([join(dir, 'missing.json')]);
    await expect(started.get(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('inputs zt refuses to read', () => {
  it('a device or FIFO is refused at once, never read into memory (exit 2 naming the file)', async () => {
    const { memoryIo } = await import('../../../src/cli/io.js');
    const { run } = await import('../../../src/cli/run.js');
    const io = memoryIo();
    expect(await run(['audit', '--snapshot', '/dev/zero', '-q'], io)).toBe(2);
    expect(io.err()).toMatch(/cannot read snapshot \/dev\/zero: not a regular file/);
  });

  it('a file larger than the limit is refused', async () => {
    const { readWholeFile } = await import('../../../src/inventory/read-ahead.js');
    const { tempTree } = await import('../../support/temp.js');
    const { join } = await import('node:path');
    const file = join(tempTree({ 'big.json': 'x'.repeat(2000) }), 'big.json');
    await expect(readWholeFile(file, 1000)).rejects.toThrow(/larger than/);
    expect((await readWholeFile(file, 5000)).length).toBe(2000);
  });
});
