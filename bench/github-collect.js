// The GitHub source (packages/zt-source-github) over an organisation of 2,000 repositories
// and 5,000 members under GitHub's primary rate limit of 5,000 requests an hour: the client,
// the walk and the mapping as the plugin runs them, against an in-process fake API on a
// virtual clock (an hour of waiting takes no time). Says how many requests the collection
// made, how many the fake refused for a spent limit (must be 0: the client paces), and the
// virtual time against the bound the limit sets (the start of the last window the requests
// need): within 1.2× of it. Not a test: figures for docs/benchmarks.md.
import { createClient } from '../packages/zt-source-github/src/client.js';
import { mapOrganization } from '../packages/zt-source-github/src/map.js';
import { readOrganization } from '../packages/zt-source-github/src/read.js';

const REPOS = Number(process.env.REPOS ?? 2000);
const MEMBERS = Number(process.env.MEMBERS ?? 5000);
const LIMIT = 5000;
const WINDOW_MS = 3_600_000;

let now = Date.UTC(2026, 11, 1);
const clock = () => now;
// Sleepers started together wake at the same virtual instant.
const sleep = async (ms) => {
  const until = now + ms;
  await Promise.resolve();
  now = Math.max(now, until);
};

const members = Array.from({ length: MEMBERS }, (_, i) => ({ login: `user${i}`, id: i + 1 }));
const repos = Array.from({ length: REPOS }, (_, i) => ({ name: `repo${i}`, full_name: `acme/repo${i}`, private: true, visibility: 'private', archived: false, default_branch: 'main' }));
let windowEnd = now + WINDOW_MS;
let remaining = LIMIT;
let requests = 0;
let refused = 0;

function respond(status, body, extra = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(Math.ceil(windowEnd / 1000)), ...extra },
  });
}

function page(url, items, wrap) {
  const perPage = Number(url.searchParams.get('per_page') ?? 30);
  const n = Number(url.searchParams.get('page') ?? 1);
  const slice = items.slice((n - 1) * perPage, n * perPage);
  const headers = {};
  if (n * perPage < items.length) {
    const next = new URL(url);
    next.searchParams.set('page', String(n + 1));
    headers.link = `<${next.href}>; rel="next"`;
  }
  return respond(200, wrap ? wrap(slice) : slice, headers);
}

async function fakeFetch(href) {
  requests++;
  if (now >= windowEnd) {
    windowEnd = now + WINDOW_MS;
    remaining = LIMIT;
  }
  if (remaining <= 0) {
    refused++;
    return respond(403, { message: 'API rate limit exceeded' });
  }
  remaining--;
  const url = new URL(href);
  const path = url.pathname;
  if (path === '/orgs/acme') return respond(200, { login: 'acme', two_factor_requirement_enabled: true, default_repository_permission: 'read', members_can_create_public_repositories: false });
  if (path === '/orgs/acme/members') return page(url, url.searchParams.get('role') === 'admin' ? members.slice(0, 5) : url.searchParams.get('filter') ? [] : members);
  if (path === '/orgs/acme/outside_collaborators') return page(url, []);
  if (path === '/orgs/acme/installations') return page(url, [], (items) => ({ total_count: 0, installations: items }));
  if (path === '/orgs/acme/actions/permissions') return respond(200, { enabled_repositories: 'all', allowed_actions: 'selected' });
  if (path === '/orgs/acme/actions/permissions/workflow') return respond(200, { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false });
  if (path === '/orgs/acme/actions/oidc/customization/sub') return respond(200, { include_claim_keys: ['repo', 'context'] });
  if (path === '/graphql') return respond(200, { data: { organization: { samlIdentityProvider: null } } });
  if (path === '/orgs/acme/repos') return page(url, repos);
  if (path.endsWith('/protection')) return respond(404, { message: 'Branch not protected' });
  if (path.includes('/rules/branches/')) return page(url, [{ type: 'pull_request', parameters: { required_approving_review_count: 1 } }]);
  return page(url, []);
}

const errors = { usage: (m) => new Error(m), auth: (m) => new Error(m), unreachable: (m) => new Error(m), accessDenied: (m) => new Error(m) };
const started = now;
const wall = performance.now();
const client = createClient({ baseUrl: 'https://api.github.example', token: 'x', signal: new AbortController().signal, fetch: fakeFetch, sleep, clock, errors });
const reader = { get: (_n, p, h) => client.get(p, h), list: (_n, p, o) => client.list(p, o), graphql: (_n, q, v) => client.graphql(q, v) };
const read = await readOrganization(reader, 'acme', () => {}, errors);
const { resources, coverage } = mapOrganization(read);
const elapsedMs = now - started;
// The limit allows LIMIT requests a window: the last of N requests cannot start before the
// window ceil(N / LIMIT) opens.
const boundMs = (Math.ceil(requests / LIMIT) - 1) * WINDOW_MS;
const ratio = boundMs === 0 ? 1 : elapsedMs / boundMs;
console.log(JSON.stringify({
  repositories: REPOS,
  members: MEMBERS,
  resources: resources.length,
  coverage: Object.fromEntries(Object.entries(coverage).map(([k, v]) => [k, v.state])),
  requests,
  refusedForSpentLimit: refused,
  virtualMinutes: +(elapsedMs / 60_000).toFixed(1),
  boundMinutes: +(boundMs / 60_000).toFixed(1),
  ratioToBound: +ratio.toFixed(4),
  wallSeconds: +((performance.now() - wall) / 1000).toFixed(2),
}, null, 1));
if (refused > 0 || ratio > 1.2) {
  console.error(`✖ ${refused} request(s) refused for a spent limit, ${ratio.toFixed(3)}× the bound (want 0 and ≤ 1.2×)`);
  process.exitCode = 1;
}
