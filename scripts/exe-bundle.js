// Bundles zt for the Node single executable application (scripts/build-exe.js) as CommonJS,
// which is all such an executable runs, in two parts: main.cjs, bin/zt.js alone (the SEA's
// main script), and app.cjs, the CLI with every dependency (an SEA asset main.cjs compiles
// only when a command needs it). Both may require only Node's built-ins, so every dependency
// is bundled; dynamic import()s become lazy requires inside the app, so the cloud SDKs are
// still evaluated only when their collector runs.
//
// zt's modules find their files relative to themselves (`new URL('../../rules', import.meta.url)`).
// In the bundle each module's import.meta.url is the path it has in the npm package, under
// the folder holding the executable (the resource folder), so every such path keeps working
// unchanged: <folder>/package.json, rules/, fixtures/demo, fixtures/rules, dist/cli/help.txt.
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

// `const require = createRequire(import.meta.url)` hides a package from the bundler (zt uses it
// to load CommonJS packages without Node's ESM wrapper); without it, require() is bundled.
const createRequireLine = 'const require = createRequire(import.meta.url);\n';

/**
 * Source changes the bundle needs, by file: [text, replacement], each required to match
 * exactly once so that a change in the sources fails the build instead of the executable.
 */
const rewrites = {
  // The executable loads no module from disk: a compile cache would only leave a folder in TMPDIR.
  'bin/zt.js': [['  module.enableCompileCache?.();\n', '']],
  'dist/cli/commander.js': [[createRequireLine, '']],
  'dist/inventory/kind-validators.js': [
    [createRequireLine, ''],
    // A top-level await has no CommonJS form; the bundle has the generated validators anyway.
    [
      /const precompiled = await import\(new URL\('\.\/kind-validators\.generated\.js', import\.meta\.url\)\.href\)\.then\([^;]*\);\n/,
      "import { validators as generatedValidators } from './kind-validators.generated.js';\nconst precompiled = generatedValidators;\n",
    ],
  ],
};

/** The module URL helper every rewritten import.meta.url calls (defined once, at the top of the bundle). */
const banner = `const __ztModuleUrl = (file) => require('node:url').pathToFileURL(require('node:path').join(require('node:path').dirname(process.execPath), file)).href;`;

function rewrite(file, text) {
  let out = text;
  for (const [from, to] of rewrites[file] ?? []) {
    const count = typeof from === 'string' ? out.split(from).length - 1 : (out.match(new RegExp(from.source, 'g')) ?? []).length;
    if (count !== 1) throw new Error(`${file}: expected one match of ${String(from)} for the executable's bundle, found ${count}; update scripts/exe-bundle.js`);
    out = out.replace(from, to);
  }
  return out.replaceAll('import.meta.url', `__ztModuleUrl(${JSON.stringify(file)})`);
}

const ztSources = {
  name: 'zt-sources',
  setup(builder) {
    builder.onLoad({ filter: /\.js$/ }, async (args) => {
      const file = relative(root, args.path).split(sep).join('/');
      if (!/^(bin|dist)\//.test(file)) return undefined;
      return { contents: rewrite(file, await readFile(args.path, 'utf8')), loader: 'js' };
    });
  },
};

// bin/zt.js loads the CLI with import('../dist/cli/run.js') and import('../dist/files/atomic-write.js');
// in the main script both load the app bundle, an SEA asset compiled only then (with the V8
// code cache the build made for it), so `zt --version` and `zt --help` never create it.
const appLoader = `
const { getAsset } = require('node:sea');
const { Script } = require('node:vm');
const script = new Script(getAsset('app.cjs', 'utf8'), { filename: 'zt-app.cjs', cachedData: Buffer.from(getAsset('app.cache')) });
const app = { exports: {} };
script.runInThisContext()(app.exports, require, app);
module.exports = app.exports;
`;

const appImports = {
  name: 'zt-app',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/dist\/(cli\/run|files\/atomic-write)\.js$/ }, () => ({ path: 'app', namespace: 'zt-app' }));
    builder.onLoad({ filter: /.*/, namespace: 'zt-app' }, () => ({ contents: appLoader, loader: 'js' }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // import() of a built-in (the AWS SDK's node:http, node:async_hooks) as a require: the
  // executable has no ES module loader behind import().
  supported: { 'dynamic-import': false },
  banner: { js: banner },
  metafile: true,
  legalComments: 'none',
  // Less to parse and hold at start-up; names stay, so --debug stacks still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'silent',
};

/**
 * Writes the main script (bin/zt.js) and the app (the CLI and every dependency) into `dir` as
 * main.cjs and app.cjs; returns esbuild's record of the bundled inputs, for the notices.
 */
export async function bundle(dir) {
  const main = await build({ ...common, entryPoints: ['bin/zt.js'], outfile: join(dir, 'main.cjs'), plugins: [ztSources, appImports] });
  const app = await build({
    ...common,
    stdin: { contents: "export { run } from './dist/cli/run.js';\nexport { removePendingFiles } from './dist/files/atomic-write.js';\n", resolveDir: root, sourcefile: 'zt-app.js' },
    outfile: join(dir, 'app.cjs'),
    plugins: [ztSources],
  });
  // A warning here (an import.meta left empty, a require esbuild could not follow) would be a
  // broken path in the executable: refuse it.
  const warnings = [...main.warnings, ...app.warnings];
  if (warnings.length > 0) {
    throw new Error(`the executable's bundle has warnings:\n${warnings.map((w) => `  ${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`).join('\n')}`);
  }
  // The app's script evaluates to a function of what a CommonJS module gets (the loader calls it).
  const appFile = join(dir, 'app.cjs');
  await writeFile(appFile, `(function (exports, require, module) {${await readFile(appFile, 'utf8')}\n})`);
  return { inputs: { ...main.metafile.inputs, ...app.metafile.inputs } };
}
