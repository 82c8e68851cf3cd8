// The GitHub REST client: paging by the Link header, pacing by X-RateLimit-Remaining/Reset,
// secondary rate limits (403/429 with Retry-After) waited out and retried, server errors
// retried. Every answer a read cannot use becomes an outcome the walk turns into coverage:
// 404 on a feature the plan lacks → license_missing; SAML SSO refusing the token
// (X-GitHub-SSO) or any other 403 → permission_denied. Only this file speaks HTTP.

const API_VERSION = '2022-11-28';
const MAX_ATTEMPTS = 4;

/** @typedef {{ ok: true, value: any } | { ok: false, status: number, reason: 'permission_denied'|'license_missing'|'not_found'|'api_error', detail: string }} Outcome */

function nextLink(header) {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * @param {{ baseUrl: string, token: string, signal: AbortSignal, fetch?: typeof fetch, sleep?: (ms: number, signal: AbortSignal) => Promise<void>, clock?: () => number, progress?: (m: string) => void, errors: import('zt-audit/plugin').PluginErrors }} options
 */
export function createClient(options) {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const doFetch = options.fetch ?? fetch;
  const fetchUrl = (url, init) => doFetch(url.href, init);
  const clock = options.clock ?? Date.now;
  const sleep =
    options.sleep ??
    ((ms, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
      }));
  const stats = { requests: 0, rateLimited: 0, waitedMs: 0 };
  /**
   * The primary limit as last reported, counted down locally by every request sent (several
   * are in flight at once), so no request is sent once it is spent: it waits for the reset.
   */
  let budget;
  const RESET_MARGIN_MS = 1000;

  async function wait(ms) {
    if (ms <= 0) return;
    stats.waitedMs += ms;
    options.progress?.(`GitHub: rate limit, waiting ${Math.ceil(ms / 1000)} s`);
    await sleep(ms, options.signal);
  }

  async function pace() {
    for (;;) {
      if (budget === undefined) return;
      if (clock() >= budget.resetMs) {
        budget = undefined;
        return;
      }
      if (budget.remaining > 0) {
        budget.remaining--;
        return;
      }
      await wait(budget.resetMs - clock());
    }
  }

  function notePrimary(headers) {
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (!headers.has('x-ratelimit-remaining') || !Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const resetMs = reset * 1000 + RESET_MARGIN_MS;
    // Answers of the same window arrive out of order: the lowest count is the truth.
    const same = budget !== undefined && budget.resetMs === resetMs;
    budget = { remaining: same ? Math.min(budget.remaining, remaining) : remaining, resetMs };
  }

  /** One GET (or POST for GraphQL) with the waits and retries; returns the final response. */
  async function send(url, init = {}) {
    if (url.origin !== base.origin) throw options.errors.unreachable(`GitHub sent zt to ${url.origin}, not ${base.origin}; refused (the token goes only to the API it was given for)`);
    let lastError;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await pace();
      let response;
      try {
        stats.requests++;
        response = await fetchUrl(url, {
          method: init.method ?? 'GET',
          body: init.body,
          signal: options.signal,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${options.token}`,
            'x-github-api-version': API_VERSION,
            'user-agent': 'zt-source-github',
            ...(init.body ? { 'content-type': 'application/json' } : {}),
          },
        });
      } catch (error) {
        if (options.signal.aborted) throw error;
        lastError = error;
        await wait(500 * attempt);
        continue;
      }
      notePrimary(response.headers);
      const retryAfter = Number(response.headers.get('retry-after'));
      const limitedStatus = response.status === 403 || response.status === 429;
      const primarySpent = response.headers.get('x-ratelimit-remaining') === '0';
      const secondary = limitedStatus && (response.headers.has('retry-after') || (!primarySpent && /secondary rate limit/i.test(await peek(response))));
      if (limitedStatus && (secondary || primarySpent) && attempt < MAX_ATTEMPTS) {
        stats.rateLimited++;
        await response.arrayBuffer().catch(() => undefined);
        // Secondary limit: Retry-After seconds, else at least a minute (GitHub's advice);
        // primary: until the reset (pace() waits for it, the budget being spent).
        if (secondary) await wait(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000);
        continue;
      }
      if (response.status >= 500 && attempt < MAX_ATTEMPTS) {
        await response.arrayBuffer().catch(() => undefined);
        await wait(500 * attempt);
        continue;
      }
      return response;
    }
    throw options.errors.unreachable(`GitHub API ${base.origin} could not be reached: ${lastError?.message ?? 'no answer'}`);
  }

  /** The body's text without consuming it for the caller. */
  async function peek(response) {
    try {
      return await response.clone().text();
    } catch {
      return '';
    }
  }

  async function body(response) {
    const text = await response.text();
    try {
      return text === '' ? null : JSON.parse(text);
    } catch {
      return { message: text.slice(0, 200) };
    }
  }

  /** @returns {Promise<Outcome>} */
  async function outcomeOf(response, path, { notFoundMeans = 'not_found' } = {}) {
    const value = await body(response);
    if (response.ok) return { ok: true, value };
    if (response.status === 401) throw options.errors.auth(`GitHub refused the token (401) for ${path}: ${value?.message ?? ''}`, 'Set GITHUB_TOKEN to a token that can read the organisation (docs/plugins.md: GitHub).');
    const message = typeof value?.message === 'string' ? value.message : `HTTP ${response.status}`;
    if (response.status === 403) {
      const sso = response.headers.get('x-github-sso');
      if (sso) return { ok: false, status: 403, reason: 'permission_denied', detail: `${path}: SAML SSO has not authorised the token for this organisation (${message})` };
      if (/upgrade to github|feature is not available|not available for this/i.test(message)) return { ok: false, status: 403, reason: 'license_missing', detail: `${path}: ${message}` };
      return { ok: false, status: 403, reason: 'permission_denied', detail: `${path}: ${message}` };
    }
    if (response.status === 404) return { ok: false, status: 404, reason: notFoundMeans, detail: `${path}: ${message}` };
    return { ok: false, status: response.status, reason: 'api_error', detail: `${path}: HTTP ${response.status} ${message}` };
  }

  return {
    stats,
    /** One object. */
    async get(path, how) {
      const response = await send(new URL(path.replace(/^\//, ''), base));
      return outcomeOf(response, path, how);
    },
    /** Every page of a list (Link rel="next"); `field` names the list inside an object page (installations). */
    async list(path, { field, notFoundMeans } = {}) {
      const items = [];
      let url = new URL(path.replace(/^\//, ''), base);
      if (!url.searchParams.has('per_page')) url.searchParams.set('per_page', '100');
      for (;;) {
        const response = await send(url);
        const outcome = await outcomeOf(response, path, { notFoundMeans });
        if (!outcome.ok) return outcome;
        const page = field ? outcome.value?.[field] : outcome.value;
        if (!Array.isArray(page)) return { ok: false, status: response.status, reason: 'api_error', detail: `${path}: the answer is not a list${field ? ` under "${field}"` : ''}` };
        items.push(...page);
        const next = nextLink(response.headers.get('link'));
        if (!next) return { ok: true, value: items };
        url = new URL(next);
      }
    },
    /** A GraphQL query (SAML identity provider): its `data`, or the outcome of the failure. */
    async graphql(query, variables) {
      const graphqlUrl = base.pathname.endsWith('/api/v3/') ? new URL('../graphql', base) : new URL('graphql', base);
      const response = await send(graphqlUrl, { method: 'POST', body: JSON.stringify({ query, variables }) });
      const outcome = await outcomeOf(response, '/graphql');
      if (!outcome.ok) return outcome;
      if (Array.isArray(outcome.value?.errors) && outcome.value.errors.length > 0) {
        const first = outcome.value.errors[0];
        const reason = first?.type === 'FORBIDDEN' || first?.type === 'INSUFFICIENT_SCOPES' ? 'permission_denied' : 'api_error';
        return { ok: false, status: 200, reason, detail: `/graphql: ${first?.message ?? 'error'}` };
      }
      return { ok: true, value: outcome.value?.data };
    },
  };
}
