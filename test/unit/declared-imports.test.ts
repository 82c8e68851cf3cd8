import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// An installed zt has only its `dependencies`: a package dist/ imports that is not declared
// there works in the clone (hoisted from another package, or a devDependency) and breaks
// after `npm i -g`. Read from the build, so type-only imports (erased) do not count.
const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

// Statement-level imports and re-exports (one line, or the closing `} from '…'` of a long
// one), side-effect imports, dynamic import() and require() with a literal specifier.
const specifiers = [
  /^\s*(?:import|export)\b[^'"\n]*?\bfrom\s*['"]([^'"\s]+)['"]/gm,
  /^\s*\}\s*from\s*['"]([^'"\s]+)['"]/gm,
  /^\s*import\s*['"]([^'"\s]+)['"]/gm,
  /\b(?:import|require)\(\s*['"]([^'"\s]+)['"]\s*\)/g,
];
const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

describe('every package the build imports is a declared dependency', () => {
  it('dist/ and bin/ import only node builtins, relative files and packages in "dependencies"', () => {
    const undeclared = new Map<string, string>();
    for (const file of [...files(join(root, 'dist')), ...files(join(root, 'bin'))]) {
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of specifiers.flatMap((pattern) => [...text.matchAll(pattern)])) {
        if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        const name = packageOf(specifier);
        if (!(name in manifest.dependencies)) undeclared.set(name, file.slice(root.length + 1));
      }
    }
    expect(Object.fromEntries(undeclared)).toEqual({});
  });
});
