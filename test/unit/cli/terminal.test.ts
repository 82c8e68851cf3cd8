import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { terminalIo } from '../../../src/cli/terminal.js';
import { writeOutput } from '../../../src/cli/write-output.js';
import { tempTree } from '../../support/temp.js';

// The CLI's terminal guard (src/cli/terminal.ts): every command's stdout and stderr pass
// terminalSafe; JSON and SARIF, which escape control characters themselves, are written as rendered.

const hostile = 'name\u001b]52;c;aGk=\u0007\u009b2J';

describe('terminalIo and writeOutput', () => {
  it('guards stdout and stderr of the Io every command gets, keeping SGR colour', () => {
    const io = memoryIo();
    const guarded = terminalIo(io);
    guarded.stdout(`\u001b[31m${hostile}\u001b[39m\n`);
    guarded.stderr(`warning: ${hostile}\n`);
    expect(io.out()).toBe('\u001b[31mname\ufffd]52;c;aGk=\ufffd\ufffd2J\u001b[39m\n');
    expect(io.err()).toBe('warning: name\ufffd]52;c;aGk=\ufffd\ufffd2J\n');
  });

  it('writes JSON and SARIF as rendered, every other format through the guard, to stdout and files alike', async () => {
    const io = memoryIo();
    const guarded = terminalIo(io);
    // JSON never holds a raw C0 control, but it may hold C1 and bidi characters: they are its data.
    await writeOutput(guarded, 'json', undefined, ['{"name":"a\\u001b\u009bb"}\n']);
    expect(io.out()).toBe('{"name":"a\\u001b\u009bb"}\n');
    for (const format of ['table', 'markdown', 'csv', 'html', 'junit']) {
      const out = memoryIo();
      await writeOutput(terminalIo(out), format, undefined, [hostile, '\n']);
      expect(out.out(), format).toBe('name\ufffd]52;c;aGk=\ufffd\ufffd2J\n');
    }
    const dir = tempTree({});
    await writeOutput(guarded, 'markdown', join(dir, 'r.md'), [hostile]);
    await writeOutput(guarded, 'sarif', join(dir, 'r.sarif'), [hostile]);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toBe('name\ufffd]52;c;aGk=\ufffd\ufffd2J');
    expect(readFileSync(join(dir, 'r.sarif'), 'utf8')).toBe(hostile);
  });
});
