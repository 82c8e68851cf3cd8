import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The engine's seams: it is given the derived-field names and the engine mode, applies no
// waivers, reads no environment, and only cel-ast.ts reads cel-js's AST.
const dir = fileURLToPath(new URL('../../../src/engine/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
const source = (f: string) => readFileSync(`${dir}${f}`, 'utf8');
const imports = (f: string) => [...source(f).matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1] as string);

describe('src/engine boundaries', () => {
  it('has the files this test reads', () => {
    expect(files).toEqual(expect.arrayContaining(['cel-ast.ts', 'compile.ts', 'evaluate.ts', 'program.ts']));
    expect(imports('evaluate.ts').length).toBeGreaterThan(5);
  });

  it.each(files)('%s imports nothing from analysis, waivers, app or cli', (file) => {
    expect(imports(file).filter((i) => /^\.\.\/(analysis|waivers|app|cli)\//.test(i))).toEqual([]);
  });

  it.each(files)('%s reads no process state', (file) => {
    expect(source(file)).not.toMatch(/\bprocess\./);
  });

  it('leaves cel-js ASTs to cel-ast.ts (its operator names appear nowhere else), and zod schemas to schema-shape.ts', () => {
    expect(files.filter((f) => /'(rcall|!_|-_|\?:|\[\]|\.\?)'/.test(source(f)))).toEqual(['cel-ast.ts']);
    expect(files.filter((f) => /^import (?!type ).* from 'zod';$/m.test(source(f)))).toEqual(['schema-shape.ts']);
    expect(files.filter((f) => source(f).includes('_zod'))).toEqual([]);
  });
});
