// A fake Okta org on 127.0.0.1 speaking the Management API's wire protocol: Link-header
// paging (self and next as separate header lines), body paging for /iam/assignees/users,
// X-Rate-Limit-* headers per endpoint bucket with fixed windows, 429 E0000047 when a
// bucket is exhausted, 401/403 faults, and the OAuth token endpoint (private_key_jwt).
// Plain JavaScript so the benchmark can use it without a TypeScript step.
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttps } from 'node:https';
import { join } from 'node:path';

/** Same bucket naming as the client: ids in the path become {id}. */
export function bucketOf(path) {
  return path
    .split('?')[0]
    .split('/')
    .map((part) => (/^[A-Za-z0-9]{12,}$/.test(part) && /\d/.test(part) ? '{id}' : part))
    .join('/');
}

const error = (code, summary) => ({ errorCode: code, errorSummary: summary, errorLink: code, errorId: 'oaefake', errorCauses: [] });

/** An SSWS token the fake quotes with echoCredentials: zt does not know it, its scheme must give it away. */
export const ECHOED_FOREIGN_TOKEN = '00Qx7ForeignOrgToken3Zk9Wp2LmN8vB5cY1dR6tH4';

/**
 * @param {object} options
 * @param {object} options.tenant  data: users, factors{userId}, groups, groupMembers{id}, groupRoles{id}, groupOwners{id},
 *   admins[userId], userRoles{userId}, policies{TYPE: [policy with rules]}, apps, deviceAssurances,
 *   authenticators, threats, logStreams, zones
 * @param {{key: string, cert: string}} options.tls
 * @param {string} [options.token]  the SSWS token accepted
 * @param {{clientId: string, publicKeyPem: string}} [options.oauth]
 * @param {number} [options.limit]  requests per window per bucket (default 600)
 * @param {number} [options.windowMs]  window length, a multiple of 1000 (default 60000)
 * @param {number} [options.pageSize]  items per page for Link-paged lists (default 200)
 * @param {number} [options.latencyMs]
 * @param {{deny?: string[], throttleOnce?: string[], revoked?: boolean, status?: Record<string, number>, wire?: Record<string, string[]>, vanished?: string[]}} [options.faults]
 *   `vanished`: ids of users or groups deleted since they were listed: still in the lists,
 *   but GET of the object and of anything under it (factors, roles, members) is 404.
 *   `status`: per bucket, a status (404, 500, …) answered every time, with Okta's error body
 *   (429: E0000047 with X-Rate-Limit-Remaining 0 and a reset time already reached, every time).
 *   `wire`: per bucket, answers to give in turn before serving it normally: `html` (a 200
 *   captive-portal page), `hang` (no answer at all), `reset` (the connection dropped),
 *   `truncated` (half the body, then the connection closes), `object` (a 200 JSON object
 *   where a list belongs), `500` (a server error).
 * @param {boolean} [options.echoCredentials]  every error answer quotes the request's
 *   credentials, as a careless proxy might: the errorSummary, an errorCause and the HTTP
 *   status text carry the Authorization header and the bare credential (the token
 *   endpoint's error_description the client assertion), and the summary also an SSWS token
 *   zt never sent (ECHOED_FOREIGN_TOKEN)
 */
export async function startFakeOkta(options) {
  const tenant = options.tenant;
  const limit = options.limit ?? 600;
  const windowMs = options.windowMs ?? 60_000;
  const pageSize = options.pageSize ?? 200;
  const faults = options.faults ?? {};
  const throttleOnce = new Set(faults.throttleOnce ?? []);
  const deny = new Set(faults.deny ?? []);
  const vanished = new Set(faults.vanished ?? []);
  const statusOf = new Map(Object.entries(faults.status ?? {}));
  const wire = new Map(Object.entries(faults.wire ?? {}).map(([bucket, list]) => [bucket, [...list]]));
  const windows = new Map();
  const issuedTokens = new Set();
  const stats = { requests: 0, throttled: 0, byBucket: {}, maxPerWindow: 0, authHeaders: [], assertions: [], issuedTokens: [] };

  function rateLimit(bucket, now) {
    const start = Math.floor(now / windowMs) * windowMs;
    let w = windows.get(bucket);
    if (!w || w.start !== start) windows.set(bucket, (w = { start, count: 0 }));
    w.count++;
    stats.maxPerWindow = Math.max(stats.maxPerWindow, w.count);
    return { remaining: Math.max(0, limit - w.count), reset: Math.ceil((start + windowMs) / 1000), over: w.count > limit };
  }

  function page(req, res, items, base) {
    const url = new URL(req.url, base);
    const size = Math.min(Number(url.searchParams.get('limit') ?? pageSize), pageSize);
    const after = url.searchParams.get('after');
    let start = 0;
    if (after) start = items.findIndex((i) => i.id === after) + 1;
    const slice = items.slice(start, start + size);
    const links = [`<${url.href}>; rel="self"`];
    if (start + size < items.length) {
      const next = new URL(url.href);
      next.searchParams.set('after', slice[slice.length - 1].id);
      links.push(`<${next.href}>; rel="next"`);
    }
    res.setHeader('Link', links); // two header lines, as Okta sends them
    return slice;
  }

  function bodyPage(req, items, base) {
    const url = new URL(req.url, base);
    const size = Math.min(Number(url.searchParams.get('limit') ?? 100), pageSize);
    const after = url.searchParams.get('after');
    const start = after ? items.findIndex((i) => i.id === after) + 1 : 0;
    const value = items.slice(start, start + size);
    const body = { value, _links: {} };
    if (start + size < items.length) {
      const next = new URL(url.href);
      next.searchParams.set('after', value[value.length - 1].id);
      body._links.next = { href: next.href };
    }
    return body;
  }

  function route(req, res, base) {
    const url = new URL(req.url, base);
    const p = url.pathname;
    let m;
    // The API token's own user (its creator): `options.me`, else the first admin.
    if (p === '/api/v1/users/me') {
      const id = options.me ?? (tenant.admins ?? [])[0];
      return tenant.users.find((u) => u.id === id) ?? { status: 404, body: error('E0000007', 'Not found: Resource not found: me (User)') };
    }
    if ((m = /^\/oauth2\/v1\/clients\/([^/]+)\/roles$/.exec(p))) return m[1] === options.oauth?.clientId ? (options.oauth?.roles ?? []) : { status: 404, body: error('E0000007', 'Not found') };
    if (p === '/api/v1/users') {
      const search = url.searchParams.get('search') ?? '';
      const deprovisioned = search.includes('DEPROVISIONED');
      return page(req, res, tenant.users.filter((u) => (u.status === 'DEPROVISIONED') === deprovisioned), base);
    }
    // An object deleted since it was listed: it and everything under it are 404.
    if ((m = /^\/api\/v1\/(users|groups)\/([^/]+)(\/.*)?$/.exec(p)) && vanished.has(m[2])) return { status: 404, body: error('E0000007', `Not found: Resource not found: ${m[2]} (${m[1] === 'users' ? 'User' : 'UserGroup'})`) };
    if ((m = /^\/api\/v1\/users\/([^/]+)$/.exec(p))) {
      const user = tenant.users.find((u) => u.id === m[1]);
      return user ?? { status: 404, body: error('E0000007', `Not found: Resource not found: ${m[1]} (User)`) };
    }
    if ((m = /^\/api\/v1\/groups\/([^/]+)$/.exec(p))) {
      const group = (tenant.groups ?? []).find((g) => g.id === m[1]);
      return group ?? { status: 404, body: error('E0000007', `Not found: Resource not found: ${m[1]} (UserGroup)`) };
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)\/factors$/.exec(p))) return tenant.factors?.[m[1]] ?? [];
    if ((m = /^\/api\/v1\/users\/([^/]+)\/roles$/.exec(p))) return tenant.userRoles?.[m[1]] ?? [];
    if (p === '/api/v1/iam/assignees/users') {
      const admins = (tenant.admins ?? []).map((id) => ({ id, orn: `orn:okta:directory:fake:users:${id}`, _links: { roles: { href: `${base}/api/v1/users/${id}/roles` } } }));
      return bodyPage(req, admins, base);
    }
    if (p === '/api/v1/groups') return page(req, res, tenant.groups ?? [], base);
    if ((m = /^\/api\/v1\/groups\/([^/]+)\/users$/.exec(p))) {
      const ids = tenant.groupMembers?.[m[1]] ?? [];
      return page(req, res, ids.map((id) => ({ id })), base);
    }
    if ((m = /^\/api\/v1\/groups\/([^/]+)\/roles$/.exec(p))) return tenant.groupRoles?.[m[1]] ?? [];
    if ((m = /^\/api\/v1\/groups\/([^/]+)\/owners$/.exec(p))) {
      // Okta lists resolved owners unless a filter asks for others.
      const owners = tenant.groupOwners?.[m[1]] ?? [];
      return page(req, res, url.searchParams.has('filter') ? owners : owners.filter((o) => o.resolved !== false), base);
    }
    if (p === '/api/v1/policies') {
      const type = url.searchParams.get('type');
      if (!type) return { status: 400, body: error('E0000001', 'Api validation failed: type') };
      return page(req, res, (tenant.policies?.[type] ?? []).map(({ rules: _rules, ...policy }) => policy), base);
    }
    if ((m = /^\/api\/v1\/policies\/([^/]+)\/rules$/.exec(p))) {
      for (const list of Object.values(tenant.policies ?? {})) {
        const found = list.find((x) => x.id === m[1]);
        if (found) return found.rules ?? [];
      }
      return { status: 404, body: error('E0000007', 'Not found') };
    }
    if (p === '/api/v1/apps') return page(req, res, tenant.apps ?? [], base);
    if (p === '/api/v1/device-assurances') return tenant.deviceAssurances ?? [];
    if (p === '/api/v1/authenticators') return tenant.authenticators ?? [];
    if (p === '/api/v1/threats/configuration') return tenant.threats ?? { action: 'none' };
    if (p === '/api/v1/logStreams') return page(req, res, tenant.logStreams ?? [], base);
    if (p === '/api/v1/zones') return page(req, res, tenant.zones ?? [], base);
    return { status: 404, body: error('E0000007', `Not found: Resource not found: ${p}`) };
  }

  function tokenEndpoint(req, res, body) {
    const form = new URLSearchParams(body);
    const assertion = form.get('client_assertion') ?? '';
    stats.assertions.push(assertion);
    const send = (status, json) => {
      if (options.echoCredentials && status >= 400) {
        res.writeHead(status, `Refused ${assertion.slice(0, 60)}`, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ ...json, error_description: `${json.error_description} (client_assertion=${assertion}; credential ${assertion})` }));
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const [h, p, s] = assertion.split('.');
    if (!options.oauth || !h || !p || !s) return send(401, { error: 'invalid_client', error_description: 'no client assertion' });
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const ok =
      header.alg === 'RS256' &&
      verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(options.oauth.publicKeyPem), Buffer.from(s, 'base64url')) &&
      payload.iss === options.oauth.clientId &&
      payload.sub === options.oauth.clientId &&
      payload.aud === `${baseUrl}/oauth2/v1/token` &&
      payload.exp > Date.now() / 1000;
    if (!ok) return send(401, { error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' });
    const scopes = (form.get('scope') ?? '').split(' ');
    if (!scopes.includes('okta.users.read') && !options.oauth.grantedScopes) return send(400, { error: 'invalid_scope', error_description: 'The requested scope is invalid' });
    // Okta refuses the whole request when one scope asked for is not granted to the app.
    if (options.oauth.grantedScopes && !scopes.every((x) => options.oauth.grantedScopes.includes(x))) {
      return send(400, { error: 'invalid_scope', error_description: 'One or more scopes are not configured for the authorization server resource.' });
    }
    const token = `fake-access-${Math.random().toString(36).slice(2)}`;
    issuedTokens.add(token);
    stats.issuedTokens.push(token);
    stats.tokenRequests = (stats.tokenRequests ?? 0) + 1;
    stats.grantedScopes = scopes;
    send(200, { token_type: 'Bearer', expires_in: 3600, access_token: token, scope: scopes.join(' ') });
  }

  let baseUrl = '';
  const server = createHttps({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const handle = () => {
        if (req.method === 'POST' && req.url === '/oauth2/v1/token') return tokenEndpoint(req, res, Buffer.concat(chunks).toString());
        stats.requests++;
        const bucket = bucketOf(new URL(req.url, baseUrl).pathname);
        stats.byBucket[bucket] = (stats.byBucket[bucket] ?? 0) + 1;
        const auth = req.headers.authorization ?? '';
        stats.authHeaders.push(auth.split(' ')[0]);
        const send = (status, body, extra = {}) => {
          if (options.echoCredentials && status >= 400) {
            const quoted = {
              ...body,
              errorSummary: `${body.errorSummary} (Authorization: ${auth}, credential ${auth.replace(/^\S+\s+/, '')}; upstream used SSWS ${ECHOED_FOREIGN_TOKEN})`,
              errorCauses: [{ errorSummary: `credential ${auth.replace(/^\S+\s+/, '')}` }],
            };
            res.writeHead(status, `Refused ${auth}`, { 'content-type': 'application/json', ...extra });
            return res.end(JSON.stringify(quoted));
          }
          res.writeHead(status, { 'content-type': 'application/json', ...extra });
          res.end(JSON.stringify(body));
        };
        const authorised =
          !faults.revoked && ((options.token && auth === `SSWS ${options.token}`) || (auth.startsWith('Bearer ') && issuedTokens.has(auth.slice(7))));
        if (!authorised) return send(401, error('E0000011', 'Invalid token provided'));
        const rl = rateLimit(bucket, Date.now());
        const headers = { 'X-Rate-Limit-Limit': String(limit), 'X-Rate-Limit-Remaining': String(rl.remaining), 'X-Rate-Limit-Reset': String(rl.reset) };
        if (throttleOnce.has(bucket)) {
          throttleOnce.delete(bucket);
          stats.throttled++;
          return send(429, error('E0000047', 'API call exceeded rate limit due to too many requests.'), {
            ...headers,
            'X-Rate-Limit-Remaining': '0',
            'X-Rate-Limit-Reset': String(Math.ceil(Date.now() / 1000) + 1),
          });
        }
        if (rl.over) {
          stats.throttled++;
          return send(429, error('E0000047', 'API call exceeded rate limit due to too many requests.'), headers);
        }
        if (deny.has(bucket)) return send(403, error('E0000006', 'You do not have permission to perform the requested action'), headers);
        if (statusOf.has(bucket)) {
          const code = statusOf.get(bucket);
          if (code === 429) {
            // Throttled for good: Okta's rate-limit answer, every time, whenever the bucket resets.
            stats.throttled++;
            return send(429, error('E0000047', 'API call exceeded rate limit due to too many requests.'), {
              ...headers,
              'X-Rate-Limit-Remaining': '0',
              'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000)),
            });
          }
          return send(code, code === 404 ? error('E0000007', `Not found: Resource not found: ${bucket}`) : error('E0000009', 'Internal Server Error'), headers);
        }
        const fault = wire.get(bucket)?.shift();
        if (fault === 'hang') return; // closeAllConnections() ends it
        if (fault === 'reset') return req.socket.destroy();
        if (fault === 'html') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
          return res.end('<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><p>Please sign in.</p></body></html>');
        }
        if (fault === 'object') return send(200, { status: 'ok' }, headers);
        if (fault === '500') return send(500, error('E0000009', 'Internal Server Error'), headers);
        if (fault === 'truncated') {
          const text = JSON.stringify(route(req, res, baseUrl));
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
          res.write(text.slice(0, Math.floor(text.length / 2)));
          return setTimeout(() => req.socket.destroy(), 10);
        }
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        const result = route(req, res, baseUrl);
        if (result && typeof result === 'object' && 'status' in result && 'body' in result && !Array.isArray(result)) return send(result.status, result.body, headers);
        send(200, result);
      };
      if (options.latencyMs) setTimeout(handle, options.latencyMs);
      else handle();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${server.address().port}`;
  return {
    url: baseUrl,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Builds the fake's tenant from an export folder (the layout of docs/okta.md). */
export function tenantFromExport(dir) {
  const read = (name, fallback) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : fallback);
  const folder = (name) => {
    const out = {};
    if (!existsSync(join(dir, name))) return out;
    for (const file of readdirSync(join(dir, name))) if (file.endsWith('.json')) out[file.slice(0, -5)] = read(`${name}/${file}`);
    return out;
  };
  const userRoles = folder('admin-roles');
  const members = folder('group-members');
  return {
    users: read('users.json', []),
    factors: folder('factors'),
    groups: read('groups.json', []),
    groupMembers: Object.fromEntries(Object.entries(members).map(([id, list]) => [id, list.map((u) => u.id)])),
    groupRoles: folder('group-roles'),
    groupOwners: folder('group-owners'),
    admins: Object.keys(userRoles).sort(),
    userRoles,
    policies: Object.fromEntries(['OKTA_SIGN_ON', 'ACCESS_POLICY', 'MFA_ENROLL', 'PASSWORD'].map((t) => [t, read(`policies-${t}.json`, [])])),
    apps: read('apps.json', []),
    deviceAssurances: read('device-assurances.json', []),
    authenticators: read('authenticators.json', []),
    threats: read('threats-configuration.json', { action: 'none' }),
    logStreams: read('log-streams.json', []),
    zones: read('zones.json', []),
  };
}
