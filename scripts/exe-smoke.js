// `npm run test:exe`: the self-contained executable (npm run build:exe → dist-exe/, copied out
// of the clone) run as on a machine without Node.js. Every run is `env -i` with PATH set to an
// empty folder (this machine's own Node is in /usr/bin, so PATH=/usr/bin:/bin would not prove
// anything; the script checks `command -v node` fails there), HOME and TMPDIR empty folders
// that must still be empty at the end, from an empty working folder. It runs --version,
// --help, the demo (byte-identical to `node bin/zt.js`), an -o file, `zt rules test`, a
// bad-input exit 2, and each live collector against the fake servers the tests use (started
// here, by the clone's Node, before the executable runs): Kubernetes, AWS IAM, Okta, Entra ID
// with a client secret and through @azure/identity's credential chain. Exit codes as README
// "Exit codes" says.
//
// `npm run test:image` (--image <name>): the same runs in the container image (Dockerfile),
// with podman: `--read-only` with no tmpfs either (/tmp and HOME are not writable), as the
// image's non-root user, on the host's network to reach the fakes; the image must hold no node.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listsOf, objects, standardGroups } from '../test/collectors/kubernetes/fixtures.ts';
import { loadFixtureTenant, startFakeGraph } from '../test/support/fake-graph.mjs';
import { startFakeIam } from '../test/support/fake-iam.ts';
import { startFakeKube } from '../test/support/fake-kube-api.ts';
import { startFakeOkta, tenantFromExport } from '../test/support/fake-okta.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist-exe');
const image = process.argv[2] === '--image' ? process.argv[3] : undefined;
if (process.argv[2] === '--image' && !image) throw new Error('--image needs the image name');
if (!image && !existsSync(join(built, 'zt'))) {
  console.error(`${join(built, 'zt')} is missing: run npm run build:exe first`);
  process.exit(1);
}
// podman as this project's machines allow it: runc (crun refuses their hybrid cgroup v1
// hierarchy) and open-file and process limits below the machine's hard limits (podman's
// defaults are above them, and raising a limit needs CAP_SYS_RESOURCE, which they lack).
const podman = ['podman', '--runtime', 'runc'];
const limits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

const work = mkdtempSync(join(tmpdir(), 'zt-exe-smoke-'));
const dirs = Object.fromEntries(['bin', 'home', 'tmp', 'cwd'].map((name) => [name, join(work, name)]));
for (const dir of Object.values(dirs)) mkdirSync(dir);
// The image's user (65532) reads the kubeconfig and certificate and writes -o files in cwd.
chmodSync(work, 0o755);
chmodSync(dirs.cwd, 0o777);
// Run from a copy outside the clone: from dist-exe/, a file the executable lacks could still be
// found in the clone's node_modules above it.
const exe = join(work, 'zt', 'zt');
if (!image) cpSync(built, dirname(exe), { recursive: true });
const servers = [];
let failures = 0;

function check(ok, what) {
  console.log(`${ok ? '✔' : '✖'} ${what}`);
  if (!ok) failures++;
}

/** Runs a command, asynchronously: the fake servers answer from this process's event loop meanwhile. */
function run(command, args) {
  const child = spawn(command, args, { cwd: dirs.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  child.stdout.on('data', (b) => out.push(b));
  child.stderr.on('data', (b) => err.push(b));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

/** A command with nothing of this process's environment: `env -i PATH=<empty folder> … command`. */
function bare(command, args, env = {}) {
  const assignments = Object.entries({ PATH: dirs.bin, HOME: dirs.home, TMPDIR: dirs.tmp, ...env }).map(([k, v]) => `${k}=${v}`);
  return run('/usr/bin/env', ['-i', ...assignments, command, ...args]);
}

/** zt in the image: the temporary folder at the same path inside, so every path in the arguments holds. */
function inImage(args, env = {}) {
  const variables = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const options = ['--rm', '--read-only', '--read-only-tmpfs=false', '--network', 'host', ...limits, '--volume', `${work}:${work}`, '--workdir', dirs.cwd];
  return run(podman[0], [...podman.slice(1), 'run', ...options, ...variables, image, ...args]);
}

const zt = (args, env) => (image ? inImage(args, env) : bare(exe, args, env));

function parsed(json) {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** A live audit as JSON: exit 0 (complete collection, --fail-on none), resources from a live source. */
async function liveAudit(name, args, env, expected) {
  const result = await zt(['audit', ...args, '-f', 'json', '--fail-on', 'none', '--quiet'], env);
  const report = parsed(result.stdout);
  const live = report?.inventory?.sources?.filter((s) => s.mode === 'live').length ?? 0;
  const counts = report?.inventory?.resourcesByKind ?? {};
  const missing = Object.entries(expected).filter(([kind, n]) => (counts[kind] ?? 0) < n);
  check(
    result.code === 0 && live === 1 && missing.length === 0 && report.findings.length > 0,
    `${name}: exit ${result.code}, ${report?.inventory?.resourceCount ?? 0} resources, ${report?.findings?.length ?? 0} findings${missing.length ? `, too few ${missing.map(([k]) => k).join(', ')}` : ''}`,
  );
  if (result.code !== 0) console.log(result.stderr);
}

try {
  if (image) {
    const container = execFileSync(podman[0], [...podman.slice(1), 'create', image], { encoding: 'utf8' }).trim();
    const files = execFileSync('/bin/sh', ['-c', `${podman.join(' ')} export ${container} | tar -t`], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n');
    execFileSync(podman[0], [...podman.slice(1), 'rm', container], { stdio: 'ignore' });
    const nodes = files.filter((file) => /(^|\/)node(js)?$/.test(file));
    check(files.includes('opt/zt/zt') && nodes.length === 0, `${image}: /opt/zt/zt and no node in ${files.length} files${nodes.length ? ` (found ${nodes.join(', ')})` : ''}`);
  } else {
    const node = await bare('/bin/sh', ['-c', 'command -v node']);
    check(node.code !== 0, `no node on the PATH the executable runs with (command -v node: exit ${node.code})`);
  }

  const version = await zt(['--version']);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  check(version.code === 0 && version.stdout === `${manifest.version}\n`, `zt --version: ${version.stdout.trim()}`);

  const help = await zt(['audit', '--help']);
  check(help.code === 0 && help.stdout.startsWith('Usage: zt audit'), 'zt audit --help');

  const demo = await zt(['audit', '--demo', '-f', 'json']);
  // A format -o sends to a file is not also written to stdout (stdout then gets the table).
  const demoFile = await zt(['audit', '--demo', '-o', 'json=demo.json']);
  const viaNode = execFileSync(process.execPath, [join(root, 'bin/zt.js'), 'audit', '--demo', '-f', 'json', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const findings = parsed(demo.stdout)?.findings?.length ?? 0;
  // Exit 1: the demo has failing findings at the default --fail-on high.
  check(demo.code === 1 && findings > 0, `zt audit --demo -f json: exit ${demo.code}, ${findings} findings`);
  check(demo.stdout === viaNode, 'the demo report is byte-identical to node bin/zt.js audit --demo -f json');
  check(demoFile.code === 1 && existsSync(join(dirs.cwd, 'demo.json')) && readFileSync(join(dirs.cwd, 'demo.json'), 'utf8') === demo.stdout, '-o json=demo.json holds the same report');
  if (image) {
    const owner = statSync(join(dirs.cwd, 'demo.json')).uid;
    check(owner === 65532, `the image runs zt as its non-root user (demo.json written by uid ${owner})`);
  }

  const rules = await zt(['rules', 'test']);
  check(rules.code === 0 && / 0 failed$/m.test(rules.stdout), `zt rules test: ${rules.stdout.trim().split('\n').pop()}`);

  if (!image) {
    // A plugin loaded from disk by the executable (plugins/load.ts: a require made for its path).
    const withPlugin = await zt(['audit', '--demo', '--plugin', join(root, 'packages/zt-source-github'), '-f', 'json', '--fail-on', 'none']);
    const github = parsed(withPlugin.stdout)?.findings?.filter((f) => f.ruleId?.startsWith('GH-') && f.status === 'fail').length ?? 0;
    check(withPlugin.code === 0 && github > 0, `zt audit --demo --plugin packages/zt-source-github: exit ${withPlugin.code}, ${github} GitHub findings`);
  }

  const bad = await zt(['audit', '--snapshot', 'missing.json']);
  check(bad.code === 2 && bad.stderr.includes('ZT_FILE_UNREADABLE'), `a snapshot that does not exist: exit ${bad.code}`);

  // Kubernetes: the kubeconfig carries the fake's CA.
  const kube = await startFakeKube({ lists: listsOf(objects, false), groups: standardGroups, token: 'smoke-kube-token' });
  servers.push(kube);
  writeFileSync(join(work, 'kubeconfig'), kube.kubeconfig({ context: 'smoke', token: 'smoke-kube-token' }));
  await liveAudit('zt audit --kubernetes', ['--kubernetes', '--kubeconfig', join(work, 'kubeconfig')], {}, { 'k8s.workload': 3, 'k8s.namespace': 2 });

  // AWS IAM: the fake speaks IAM's query protocol over HTTP; static keys, as a user's environment carries them.
  const aws = (name) => readFileSync(join(root, 'fixtures/collectors/aws-iam', name), 'utf8');
  const providers = JSON.parse(aws('providers.json'));
  const iam = await startFakeIam({
    gaad: JSON.parse(aws('gaad-sdk.json')),
    credentialReportCsv: aws('credential-report.csv'),
    summary: JSON.parse(aws('account-summary.json')).SummaryMap,
    passwordPolicy: JSON.parse(aws('password-policy.json')).PasswordPolicy,
    virtualMfa: JSON.parse(aws('virtual-mfa.json')).VirtualMFADevices,
    mfaDevices: JSON.parse(aws('mfa-devices.json')),
    oidc: providers.oidc,
    saml: providers.saml,
    aliases: providers.aliases,
  });
  servers.push(iam);
  await liveAudit('zt audit --aws', ['--aws'], { AWS_ACCESS_KEY_ID: 'AKIAFAKEFORSMOKE0001', AWS_SECRET_ACCESS_KEY: 'fakeSecretKeyForTheSmokeTest/000000000000', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_IAM: iam.url, AWS_ENDPOINT_URL_STS: iam.url }, { 'aws.account': 1, 'aws.iam.user': 2, 'aws.iam.role': 1 });

  // Okta and Entra are HTTPS: the executable trusts their throwaway certificates through NODE_EXTRA_CA_CERTS.
  const certDir = join(work, 'tls');
  mkdirSync(certDir);
  execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const tls = { key: readFileSync(join(certDir, 'key.pem'), 'utf8'), cert: readFileSync(join(certDir, 'cert.pem'), 'utf8') };
  const okta = await startFakeOkta({ tenant: tenantFromExport(join(root, 'fixtures/collectors/okta/export')), tls, token: 'smoke-okta-token' });
  servers.push(okta);
  const tenant = 'c0ffee00-0000-4000-8000-00000000c001';
  const clientId = '11111111-2222-4000-8000-333333333333';
  const secret = 'smoke-entra-client-secret';
  const graph = await startFakeGraph({ tenant, clientId, clientSecret: secret, data: loadFixtureTenant(join(root, 'fixtures/collectors/entra/contoso')), tls });
  servers.push(graph);
  const ca = { NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem') };
  await liveAudit('zt audit --okta', ['--okta', okta.url], { ...ca, OKTA_API_TOKEN: 'smoke-okta-token' }, { 'idp.user': 3 });
  const entra = { ...ca, ZT_GRAPH_URL: graph.graphUrl, ZT_ENTRA_AUTHORITY: graph.authority };
  await liveAudit('zt audit --entra (client secret)', ['--entra', tenant], { ...entra, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: secret }, { 'idp.user': 8 });
  // The Azure credential chain, limited to its environment credential (no managed identity endpoint is probed).
  await liveAudit(
    'zt audit --entra --entra-credential default (@azure/identity)',
    ['--entra', tenant, '--entra-credential', 'default'],
    { ...entra, AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential', AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: secret, AZURE_AUTHORITY_HOST: graph.authority },
    { 'idp.user': 8 },
  );

  // zt writes only where -o says: nothing in HOME or TMPDIR (the image has neither writable).
  if (!image) {
    const left = ['home', 'tmp'].flatMap((name) => readdirSync(dirs[name]).map((file) => `${name}/${file}`));
    check(left.length === 0, `nothing written to HOME or TMPDIR${left.length ? ` (found ${left.join(', ')})` : ''}`);
  }
} finally {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(work, { recursive: true, force: true });
}

if (failures > 0) {
  console.error(`${image ? 'image' : 'executable'} smoke test failed: ${failures} check(s)`);
  process.exit(1);
}
console.log(`${image ? 'image' : 'executable'} smoke test passed`);
