import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree, validRule } from '../support/temp.js';

// #15 item 16: these passed `zt rules validate` and then failed on every resource.
describe('zt rules validate type-checks expressions against the kind', () => {
  it('refuses each with exit 2, naming file:line, and accepts the bundled rules', async () => {
    const rules: Record<string, string> = {
      'string-assert.yaml': 'meta.name',
      'string-plus-int.yaml': 'meta.name + 1 == 2',
      'string-eq-int.yaml': 'meta.name == 1',
      'no-such-field.yaml': 'resource.namespace == "x"',
      'element-field.yaml': 'resource.factors.exists(f, f.namespace == "x")',
      'bool-eq-string.yaml': 'resource.privileged == "true"',
    };
    const files = Object.fromEntries(
      Object.entries(rules).map(([file, assert], i) => [file, validRule(`ACME-IDN-${i + 1}`).replace('assert: size(resource.factors) > 0', `assert: '${assert}'`)]),
    );
    const root = tempTree(files);
    const io = memoryIo({ cwd: root });
    expect(await run(['rules', 'validate', root], io)).toBe(ExitCode.INVALID_INPUT);
    for (const file of Object.keys(rules)) expect(io.err()).toMatch(new RegExp(`${file.replace('.', '\\.')}:9: assert: `));
    expect(io.err().match(/\[ZT_RULE_CEL_TYPE\]/g)).toHaveLength(Object.keys(rules).length);

    const bundled = memoryIo();
    expect(await run(['rules', 'validate'], bundled)).toBe(ExitCode.OK);
  });
});
