import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every package zt's code imports is a declared runtime dependency in package.json. A
// package that is only there because another one depends on it (the SDKs' own
// dependencies, undici under client-node) can move or vanish with that one's next release,
// and `npm install zt` would then fail at run time, not at install time. bin/ and src/
// run in production; tests and scripts may use devDependencies.

const root = join(import.meta.dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Every bare module specifier of a file: static imports and re-exports, `import type` included, and dynamic import(). */
function specifiers(text: string): string[] {
  const statements = /^\s*(?:import|export)\s[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]/gm;
  const found = [...text.matchAll(statements), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g), ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
  return found.filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s));
}

describe('imported packages', () => {
  const sources = [...files(join(root, 'src')), ...files(join(root, 'bin'))];

  it('finds the imports it checks (the scan is not empty)', () => {
    const all = sources.flatMap((file) => specifiers(readFileSync(file, 'utf8')).map(packageOf));
    for (const known of ['@aws-sdk/client-iam', '@aws-sdk/client-sts', '@azure/identity', '@kubernetes/client-node', 'undici', 'zod']) expect(all).toContain(known);
  });

  it('are all declared in package.json dependencies', () => {
    const undeclared: string[] = [];
    for (const file of sources) {
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        if (!Object.hasOwn(manifest.dependencies, packageOf(specifier))) undeclared.push(`${relative(root, file)}: ${specifier}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
