import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removePendingFiles, writeFileAtomically } from '../../../src/files/atomic-write.js';
import { tempTree } from '../../support/temp.js';

describe('files are written whole or not at all', () => {
  it('replaces the previous content and keeps its permissions', async () => {
    const dir = tempTree({ 'r.json': 'previous' });
    const file = join(dir, 'r.json');
    chmodSync(file, 0o600);
    await writeFileAtomically(file, ['{"a":', '1}\n']);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('a write that fails half-way leaves the previous file as it was, and no temporary file', async () => {
    const dir = tempTree({ 'r.json': 'previous' });
    const file = join(dir, 'r.json');
    function* failing(): Generator<string> {
      yield '{"half":';
      throw new Error('disk full');
    }
    await expect(writeFileAtomically(file, failing())).rejects.toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('an interrupt removes the files still being written; the target is untouched', async () => {
    const dir = tempTree({ 'r.json': 'previous' });
    const file = join(dir, 'r.json');
    let release: () => void = () => {};
    async function* slow(): AsyncGenerator<string> {
      yield 'partial';
      await new Promise<void>((resolve) => (release = resolve));
      yield 'rest';
    }
    const writing = writeFileAtomically(file, slow());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(true);
    removePendingFiles();
    expect(readdirSync(dir)).toEqual(['r.json']);
    release();
    await writing.catch(() => undefined);
    expect(readFileSync(file, 'utf8')).toBe('previous');
  });

  it('writes in place where the target is not a regular file (a FIFO or /dev/stdout is not replaced)', async () => {
    const dir = tempTree({});
    const file = join(dir, 'new.json');
    await writeFileAtomically(file, ['x']);
    expect(readFileSync(file, 'utf8')).toBe('x');
    writeFileSync(file, 'y');
    await writeFileAtomically('/dev/null', ['ignored']);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
