import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake GitHub REST API on 127.0.0.1 that speaks the parts of the protocol the GitHub
 * source relies on: Link-header paging (per_page), the primary rate limit
 * (X-RateLimit-Remaining/Reset, a 403 when spent), a secondary rate limit (403 with
 * Retry-After), 404 for features a plan lacks, and SAML SSO refusing the token (403 with
 * X-GitHub-SSO). Error answers quote the request's Authorization header, as servers that
 * echo requests do, so tests can check the token never reaches an output.
 */
export interface FakeGithubOptions {
  readonly token: string;
  readonly members: number;
  /** Requests per rate-limit window (the window is `windowMs` long). */
  readonly budget: number;
  readonly windowMs: number;
}

export interface FakeGithub {
  readonly url: string;
  /** Requests answered with the primary limit spent: a client that paces never gets one. */
  readonly primaryLimitErrors: () => number;
  readonly secondaryLimitErrors: () => number;
  readonly requests: () => string[];
  close(): Promise<void>;
}

const repos = [
  { name: 'api', full_name: 'acme/api', private: true, visibility: 'private', archived: false, default_branch: 'main' },
  { name: 'web', full_name: 'acme/web', private: false, visibility: 'public', archived: false, default_branch: 'main' },
  { name: 'infra', full_name: 'acme/infra', private: true, visibility: 'private', archived: false, default_branch: 'trunk' },
];

export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  let remaining = options.budget;
  let resetAt = Date.now() + options.windowMs;
  let primaryErrors = 0;
  let secondaryErrors = 0;
  let installationsAsked = 0;
  const seen: string[] = [];
  const members = Array.from({ length: options.members }, (_, i) => ({ login: `user${String(i).padStart(4, '0')}`, id: i + 1, type: 'User' }));

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  function page(req: IncomingMessage, res: ServerResponse, url: URL, items: readonly unknown[], headers: Record<string, string>, wrap?: (items: unknown[]) => unknown): void {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const pageNo = Number(url.searchParams.get('page') ?? 1);
    const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
    const links: string[] = [];
    if (pageNo * perPage < items.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(pageNo + 1));
      links.push(`<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`);
      const last = new URL(url);
      last.searchParams.set('page', String(Math.ceil(items.length / perPage)));
      links.push(`<http://${req.headers.host}${last.pathname}${last.search}>; rel="last"`);
    }
    send(res, 200, wrap ? wrap(slice) : slice, { ...headers, ...(links.length ? { link: links.join(', ') } : {}) });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(`${req.method} ${url.pathname}${url.search}`);
    const auth = req.headers.authorization ?? '';
    const echo = (message: string) => ({ message: `${message} (request had Authorization: ${auth})`, documentation_url: 'https://docs.github.com/rest' });
    if (auth !== `Bearer ${options.token}`) return send(res, 401, echo('Bad credentials'));
    const now = Date.now();
    if (now >= resetAt) {
      remaining = options.budget;
      resetAt = now + options.windowMs;
    }
    const rate = { 'x-ratelimit-limit': String(options.budget), 'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)) };
    if (remaining <= 0) {
      primaryErrors++;
      return send(res, 403, echo('API rate limit exceeded'), { ...rate, 'x-ratelimit-remaining': '0' });
    }
    remaining--;
    const headers = { ...rate, 'x-ratelimit-remaining': String(remaining) };
    const path = url.pathname;
    if (path === '/orgs/acme') return send(res, 200, { login: 'acme', id: 1, two_factor_requirement_enabled: true, default_repository_permission: 'read', members_can_create_public_repositories: false }, headers);
    if (path === '/orgs/acme/members') {
      const filter = url.searchParams.get('filter');
      const role = url.searchParams.get('role');
      const list = role === 'admin' ? members.slice(0, 2) : filter === '2fa_disabled' ? members.slice(5, 6) : members;
      return page(req, res, url, list, headers);
    }
    if (path === '/orgs/acme/outside_collaborators') {
      return send(res, 403, echo('Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.'), { ...headers, 'x-github-sso': 'required; url=https://github.com/orgs/acme/sso?authorization_request=x' });
    }
    if (path === '/orgs/acme/installations') {
      if (installationsAsked++ === 0) {
        secondaryErrors++;
        return send(res, 403, echo('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'), { ...headers, 'retry-after': '1' });
      }
      const installations = [
        { id: 501, app_slug: 'renovate', repository_selection: 'all', permissions: { contents: 'write', metadata: 'read' }, suspended_at: null },
        { id: 502, app_slug: 'codecov', repository_selection: 'selected', permissions: { checks: 'write' }, suspended_at: null },
      ];
      return page(req, res, url, installations, headers, (items) => ({ total_count: installations.length, installations: items }));
    }
    if (path === '/orgs/acme/actions/permissions') return send(res, 200, { enabled_repositories: 'all', allowed_actions: 'selected' }, headers);
    if (path === '/orgs/acme/actions/permissions/workflow') return send(res, 200, { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false }, headers);
    if (path === '/orgs/acme/actions/oidc/customization/sub') return send(res, 200, { include_claim_keys: ['repo', 'context', 'job_workflow_ref'] }, headers);
    if (path === '/graphql' && req.method === 'POST') return send(res, 200, { data: { organization: { samlIdentityProvider: { id: 'IdP_1' } } } }, headers);
    if (path === '/orgs/acme/repos') return page(req, res, url, repos, headers);
    const repo = /^\/repos\/acme\/([^/]+)\/(.+)$/.exec(path);
    if (repo) {
      const [, name, rest] = repo;
      if (rest === 'branches/main/protection' && name === 'api') {
        return send(res, 200, { required_pull_request_reviews: { required_approving_review_count: 2, dismiss_stale_reviews: true, require_code_owner_reviews: true }, required_status_checks: { contexts: ['ci/test'] }, required_signatures: { enabled: true }, allow_force_pushes: { enabled: false }, allow_deletions: { enabled: false }, enforce_admins: { enabled: true } }, headers);
      }
      if (rest?.startsWith('branches/') && rest.endsWith('/protection')) return send(res, 404, { message: 'Branch not protected', status: '404' }, headers);
      // Rulesets are not in this repository's plan.
      if (rest?.startsWith('rules/branches/')) return name === 'infra' ? send(res, 404, echo('Not Found'), headers) : page(req, res, url, [], headers);
      if (rest === 'keys') return page(req, res, url, name === 'web' ? [{ id: 72, title: 'ci-push', read_only: false }] : [], headers);
      if (rest === 'collaborators') return page(req, res, url, [], headers);
    }
    return send(res, 404, echo('Not Found'), headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    primaryLimitErrors: () => primaryErrors,
    secondaryLimitErrors: () => secondaryErrors,
    requests: () => [...seen],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
