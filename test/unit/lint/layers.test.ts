import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain-JS ESLint plugin without type declarations
import zt, { layers } from '../../../scripts/eslint-plugin-zt.js';

const root = join(import.meta.dirname, '..', '..', '..');

function lint(file: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { zt }, rules: { 'zt/layers': 'error' } }],
    join(root, file),
  );
  return messages.map((m) => m.message);
}

describe('zt/layers', () => {
  it('lets a folder import the folders below it', () => {
    expect(lint('src/engine/x.ts', "import type { Finding } from '../model/finding.js';\nimport { compareStrings } from '../text/order.js';")).toEqual([]);
    expect(lint('src/cli/x.ts', "const m = await import('../app/audit.js');")).toEqual([]);
  });

  it('refuses an import against the direction, static or dynamic, naming both folders', () => {
    expect(lint('src/model/x.ts', "import { evaluate } from '../engine/evaluate.js';")).toEqual([
      expect.stringContaining('src/model/ may not import src/engine/'),
    ]);
    expect(lint('src/inventory/x.ts', "export { run } from '../cli/run.js';")).toHaveLength(1);
    expect(lint('src/analysis/x.ts', "const m = await import('../app/audit.js');")).toHaveLength(1);
  });

  it('requires every folder of src/ to be in the table', () => {
    expect(lint('src/newthing/x.ts', 'export const a = 1;')).toEqual([expect.stringContaining('not in the layer table')]);
  });

  it('keeps the table acyclic and the model at the bottom', () => {
    expect((layers as Record<string, string[]>).model).toEqual(['errors']);
    expect((layers as Record<string, string[]>).errors).toEqual([]);
  });
});
