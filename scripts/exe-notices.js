// THIRD-PARTY-NOTICES.txt for the executable (scripts/build-exe.js): the packages esbuild
// put in its bundle, each with its license text, since the executable carries their code
// where an npm install would carry their folders (and their license files) instead.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b` */
function packageDirOf(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? match[1] : undefined;
}

/**
 * @param {string} root the clone
 * @param {{ inputs: Record<string, unknown> }} metafile esbuild's record of the bundled files
 */
export function thirdPartyNotices(root, metafile) {
  const dirs = [...new Set(Object.keys(metafile.inputs).map(packageDirOf).filter((dir) => dir !== undefined))];
  const packages = dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const files = readdirSync(join(root, dir))
      .filter((name) => /^(licen[cs]e|copying|notice)/i.test(name))
      .sort();
    const license = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'see the package');
    return { id: `${manifest.name}@${manifest.version}`, license, texts: files.map((name) => readFileSync(join(root, dir, name), 'utf8').trim()) };
  });
  const unique = [...new Map(packages.map((p) => [p.id, p])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const runtime = existsSync(join(root, 'node_modules/node/package.json')) ? JSON.parse(readFileSync(join(root, 'node_modules/node/package.json'), 'utf8')).version : process.versions.node;
  const sections = [
    'zt (zt-audit) is licensed under the Apache License 2.0 (LICENSE). This executable also contains:',
    '',
    `- Node.js ${runtime} (the runtime; MIT, with the licenses of the libraries Node.js bundles in its own LICENSE file of that release)`,
    ...unique.map((p) => `- ${p.id} (${p.license})`),
  ];
  for (const p of unique) {
    sections.push('', '='.repeat(78), `${p.id} — ${p.license}`, '='.repeat(78));
    sections.push(p.texts.length > 0 ? p.texts.join('\n\n') : `(the package ships no license file; its package.json says ${p.license})`);
  }
  return `${sections.join('\n')}\n`;
}
