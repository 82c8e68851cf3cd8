// Okta collection against a large fake org: how long a 10,000-user tenant takes when every
// endpoint bucket allows 600 requests per window, compared with the bound the rate limit
// imposes, and how many 429s zt provokes (the target is zero). A measurement, not a test.
//
//   npm run build && node bench/okta-collect.js
//   OKTA_BENCH_USERS=10000 OKTA_BENCH_LIMIT=600 OKTA_BENCH_WINDOW_MS=60000 node bench/okta-collect.js
//
// Okta's windows are one minute. The default here compresses them to 6 s (same 600-request
// buckets, same X-Rate-Limit-* protocol with whole-second reset times) so a run takes about
// two minutes instead of twenty; OKTA_BENCH_WINDOW_MS=60000 runs at real speed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { collectOkta } from '../dist/collectors/okta/collector.js';
import { defaultConfig } from '../dist/config/config.js';
import { Redactor } from '../dist/text/redact.js';
import { directNetwork } from '../dist/collectors/read-network.js';
import { startFakeOkta } from '../test/support/fake-okta.mjs';

const users = Number(process.env.OKTA_BENCH_USERS ?? 10_000);
const limit = Number(process.env.OKTA_BENCH_LIMIT ?? 600);
const windowMs = Number(process.env.OKTA_BENCH_WINDOW_MS ?? 6000);
const latencyMs = Number(process.env.OKTA_BENCH_LATENCY_MS ?? 20);

function cert() {
  const dir = mkdtempSync(join(tmpdir(), 'zt-bench-okta-'));
  execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
}

function tenant(n) {
  const id = (prefix, i) => `${prefix}${String(i).padStart(17 - prefix.length, '0')}x1`;
  const list = [];
  const factors = {};
  for (let i = 0; i < n; i++) {
    const uid = id('00u', i);
    list.push({ id: uid, status: i % 50 === 0 ? 'SUSPENDED' : 'ACTIVE', created: '2024-01-01T00:00:00.000Z', lastLogin: '2026-10-01T00:00:00.000Z', profile: { login: `user${i}@big.example`, email: `user${i}@big.example` } });
    factors[uid] = i % 3 === 0 ? [{ id: id('fwf', i), factorType: 'webauthn', provider: 'FIDO', status: 'ACTIVE' }] : [{ id: id('opf', i), factorType: 'push', provider: 'OKTA', status: 'ACTIVE' }, { id: id('sms', i), factorType: 'sms', provider: 'OKTA', status: 'ACTIVE' }];
  }
  const admins = list.slice(0, 25).map((u) => u.id);
  const everyone = id('00g', 0);
  return {
    users: list,
    factors,
    groups: [{ id: everyone, type: 'BUILT_IN', profile: { name: 'Everyone' } }, { id: id('00g', 1), type: 'OKTA_GROUP', profile: { name: 'Admins' } }],
    groupMembers: { [everyone]: list.map((u) => u.id), [id('00g', 1)]: admins },
    groupRoles: { [id('00g', 1)]: [{ type: 'ORG_ADMIN', status: 'ACTIVE', assignmentType: 'GROUP' }] },
    admins,
    userRoles: Object.fromEntries(admins.map((a, i) => [a, [{ type: i < 3 ? 'SUPER_ADMIN' : 'ORG_ADMIN', status: 'ACTIVE', assignmentType: i < 3 ? 'USER' : 'GROUP' }]])),
    policies: {
      OKTA_SIGN_ON: [{ id: id('00p', 1), type: 'OKTA_SIGN_ON', name: 'Default Policy', status: 'ACTIVE', system: true, rules: [{ id: id('0pr', 1), name: 'Default', status: 'ACTIVE', actions: { signon: { access: 'ALLOW', requireFactor: true, session: { maxSessionIdleMinutes: 15, maxSessionLifetimeMinutes: 720, usePersistentCookie: false } } } }] }],
      ACCESS_POLICY: [{ id: id('rst', 1), type: 'ACCESS_POLICY', name: 'Default Policy', status: 'ACTIVE', system: true, rules: [{ id: id('0pr', 2), name: 'Catch-all', status: 'ACTIVE', actions: { appSignOn: { access: 'ALLOW', verificationMethod: { type: 'ASSURANCE', factorMode: '2FA', constraints: [] } } } }] }],
      MFA_ENROLL: [],
      PASSWORD: [],
    },
    apps: Array.from({ length: 300 }, (_, i) => ({ id: id('0oa', i), name: `app${i}`, label: `App ${i}`, status: 'ACTIVE', signOnMode: 'SAML_2_0', _links: { accessPolicy: { href: `https://x/api/v1/policies/${id('rst', 1)}` } } })),
    deviceAssurances: [],
    authenticators: [{ key: 'okta_password', status: 'ACTIVE' }, { key: 'okta_verify', status: 'ACTIVE' }],
    threats: { action: 'block' },
    logStreams: [{ status: 'ACTIVE' }],
  };
}

const tls = cert();
setDefaultCACertificates([...getCACertificates('default'), tls.cert]);
const data = tenant(users);
const server = await startFakeOkta({ tenant: data, tls, token: 'bench-token', limit, windowMs, latencyMs });
const perUserCalls = data.users.filter((u) => u.status !== 'DEPROVISIONED').length;
const started = performance.now();
// The busiest bucket (one factors call per user) sets the floor: its calls need
// ceil(calls / limit) windows, and the fake's windows are fixed (aligned to multiples of the
// window length), so the first one is already partly over when the run starts.
const boundMs = Math.max(0, (Math.ceil(perUserCalls / limit) - 1) * windowMs - (Date.now() % windowMs));
// zt uses 90 % of each bucket (Okta's default rate-limit warning goes to the org's admins at 90 %),
// so the bound at the share it may use is the fairer yardstick of its pacing.
const usable = Math.floor(limit * 0.9);
const usableBoundMs = Math.max(0, (Math.ceil(perUserCalls / usable) - 1) * windowMs - (Date.now() % windowMs));
let lastProgress = '';
const output = await collectOkta(
  { kind: 'live', orgUrl: server.url, clientId: undefined, privateKeyFile: undefined, keyId: undefined, scopes: [], includeDeprovisioned: false },
  {
    signal: new AbortController().signal,
    progress: (m) => {
      if (m !== lastProgress && process.stderr.isTTY) process.stderr.write(`\r${m.padEnd(70)}`);
      lastProgress = m;
    },
    now: new Date(),
    env: { OKTA_API_TOKEN: 'bench-token' },
    cwd: process.cwd(),
    config: defaultConfig,
    network: directNetwork,
    redactor: new Redactor(),
  },
);
const wallMs = performance.now() - started;
await server.close();
if (process.stderr.isTTY) process.stderr.write('\n');

const result = {
  users,
  limitPerWindow: limit,
  windowMs,
  latencyMs,
  requests: server.stats.requests,
  perUserFactorCalls: server.stats.byBucket['/api/v1/users/{id}/factors'] ?? 0,
  throttled429: server.stats.throttled,
  maxRequestsInOneWindow: server.stats.maxPerWindow,
  wallSeconds: Number((wallMs / 1000).toFixed(1)),
  rateLimitBoundSeconds: Number((boundMs / 1000).toFixed(1)),
  ratioToBound: Number((wallMs / Math.max(boundMs, 1)).toFixed(2)),
  boundAt90PercentSeconds: Number((usableBoundMs / 1000).toFixed(1)),
  ratioToBoundAt90Percent: Number((wallMs / Math.max(usableBoundMs, 1)).toFixed(2)),
  // zt leaves 10 % of each bucket unused, so the factors bucket takes this many windows; at Okta's
  // 60-second windows that is roughly the run time in minutes.
  windowsUsed: Math.ceil(perUserCalls / usable),
  resources: output.resources.length,
  issues: output.issues.filter((i) => i.severity !== 'info').map((i) => i.message),
};
console.log(`Okta collection, ${users} users, ${limit} requests per ${windowMs / 1000} s window per endpoint bucket`);
console.log(`  requests          ${result.requests} (${result.perUserFactorCalls} per-user factor reads)`);
console.log(`  wall time         ${result.wallSeconds} s; rate-limit bound ${result.rateLimitBoundSeconds} s (× ${result.ratioToBound}); at the 90 % zt uses ${result.boundAt90PercentSeconds} s (× ${result.ratioToBoundAt90Percent})`);
console.log(`  windows used      ${result.windowsUsed} for the factors bucket (at Okta's 60 s windows ≈ ${result.windowsUsed} min)`);
console.log(`  429s provoked     ${result.throttled429} (busiest window: ${result.maxRequestsInOneWindow} of ${limit})`);
console.log(`  resources         ${result.resources}; issues: ${result.issues.length ? result.issues.join('; ') : 'none'}`);
const out = new URL('./out/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'okta-collect.json'), `${JSON.stringify(result, null, 2)}\n`);
