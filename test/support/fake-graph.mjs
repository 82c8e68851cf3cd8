// A local Microsoft Graph + Entra token endpoint over HTTPS on 127.0.0.1, for the Entra
// collector's tests and benchmark. It speaks the real protocol: client-credentials
// tokens (secret or certificate-signed assertion), Bearer auth, @odata.nextLink paging
// with an opaque $skiptoken, 429 + Retry-After, and Graph's error bodies (the
// non-premium 403, Authorization_RequestDenied, AadPremiumLicenseRequired).
//
//   const graph = await startFakeGraph({ tenant, clientId, clientSecret, data });
//   graph.graphUrl, graph.authority, graph.ca (PEM to trust), graph.requests, graph.close()
//
// `data` maps a collection name (the export file name without .json, e.g. "users") to
// an array, or to { count, at(i) } for generated tenants (nothing is held in memory).
// Run directly (`node test/support/fake-graph.mjs --users 50000`) it prints one JSON
// line { graphUrl, authority, caFile } and serves a generated tenant until killed.

import { execFileSync } from 'node:child_process';
import { constants, createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway self-signed certificate for 127.0.0.1 (made with openssl, never committed). */
export function makeCertificate(cn = '127.0.0.1') {
  const dir = mkdtempSync(join(tmpdir(), 'zt-fake-graph-'));
  try {
    execFileSync('/usr/bin/openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '1', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${/^[\d.]+$/.test(cn) ? 'IP' : 'DNS'}:${cn}`,
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads an export-layout folder into the `data` shape (collections as arrays, policies as objects). */
export function loadFixtureTenant(dir) {
  const data = {};
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const body = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    data[name.slice(0, -5)] = Array.isArray(body.value) ? body.value : body;
  }
  return data;
}

const routes = {
  '/reports/authenticationMethods/userRegistrationDetails': 'userRegistrationDetails',
  '/users': 'users',
  '/identity/conditionalAccess/policies': 'conditionalAccessPolicies',
  '/policies/authenticationStrengthPolicies': 'authenticationStrengthPolicies',
  '/roleManagement/directory/roleDefinitions': 'roleDefinitions',
  '/roleManagement/directory/roleAssignmentScheduleInstances': 'roleAssignmentScheduleInstances',
  '/roleManagement/directory/roleAssignments': 'roleAssignments',
  '/roleManagement/directory/roleEligibilitySchedules': 'roleEligibilitySchedules',
  '/policies/authorizationPolicy': 'authorizationPolicy',
  '/policies/authenticationMethodsPolicy': 'authenticationMethodsPolicy',
  '/policies/identitySecurityDefaultsEnforcementPolicy': 'identitySecurityDefaultsEnforcementPolicy',
  '/organization': 'organization',
  '/domains': 'domains',
};

/** A JWT-shaped token the fake quotes with echoCredentials: zt does not know it, its shape must give it away. */
export const ECHOED_FOREIGN_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.Zm9yZWlnbg';

export const graphErrors = {
  nonPremium: { status: 403, code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: "Neither tenant is B2C or tenant doesn't have premium license" },
  denied: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  pimLicence: { status: 400, code: 'AadPremiumLicenseRequired', message: 'The tenant needs an AAD Premium 2 license.' },
  serverError: { status: 500, code: 'UnknownError', message: 'An internal server error occurred.' },
};

/**
 * options: tenant, clientId, clientSecret?, clientCertificate? (PEM, to verify assertions),
 * data, pageSize (default 100; Graph's $top is honoured when smaller), latencyMs,
 * faults: { [collection]: error object (see graphErrors) }, signInActivityFault (error
 * for /users when signInActivity is selected), throttle: { [collection]: { times, retryAfter } },
 * where /users?$expand=manager(…) is the collection `userManagers` (data.userManagers: rows
 * of id and manager as Graph expands it; without it, users without managers),
 * where a collection is also `group` (GET /groups/{id}), `groupMembers` (its
 * transitiveMembers) or `groupOwners` (its owners, data.groups[].owners; `faults.groups`
 * fails all three, as before),
 * wire: { [collection]: answers given in turn before serving it normally: 'html' (a 200
 * captive-portal page), 'hang' (no answer at all), 'reset' (the connection dropped),
 * 'truncated' (half the body, then the connection closes), 'no-value' (a 200 JSON object
 * without the page's value list), 'empty' (a 200 `{}`), '500' },
 * echoCredentials: every error answer quotes the request's credentials, as a careless
 * proxy might: Graph errors carry the Authorization header and the bare token in their
 * code, message and HTTP status text, token errors the client secret or assertion in
 * `error` and `error_description`; both also a bearer token zt never sent
 * (ECHOED_FOREIGN_TOKEN).
 */
export async function startFakeGraph(options) {
  const { key, cert } = options.tls ?? makeCertificate();
  const tokens = new Set();
  const requests = [];
  const throttled = {};
  const wire = new Map(Object.entries(options.wire ?? {}).map(([name, list]) => [name, [...list]]));
  const pageSize = options.pageSize ?? 100;
  let base = '';

  // With echoCredentials, `res.echo` is what this request's error answers quote.
  const sendJson = (res, status, body, headers = {}) => {
    const text = JSON.stringify(body);
    const head = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers };
    if (res.echo !== undefined && status >= 400) res.writeHead(status, `Refused ${res.echo.slice(0, 200)}`, head);
    else res.writeHead(status, head);
    res.end(text);
  };
  const quoted = (res, text) =>
    res.echo === undefined ? text : `${text} (the request said ${res.echo}, credential ${res.echo.split(' ').pop()}; upstream sent Bearer ${ECHOED_FOREIGN_TOKEN})`;
  const graphError = (res, error, headers) =>
    sendJson(
      res,
      error.status,
      { error: { code: res.echo === undefined ? error.code : `${error.code} ${res.echo}`, message: quoted(res, error.message), innerError: { date: '2026-11-23T10:00:00', 'request-id': '0e0e0000-0000-4000-8000-000000000000' } } },
      headers,
    );

  // `origin`: the authority as the client addressed it (a real authority names itself in its metadata and assertions' audience).
  const verifyAssertion = (assertion, origin) => {
    if (!options.clientCertificate) return false;
    const [h, p, s] = String(assertion).split('.');
    if (!h || !p || !s) return false;
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const publicKey = createPublicKey(new X509Certificate(options.clientCertificate).publicKey.export({ type: 'spki', format: 'pem' }));
    // Entra accepts RS256 and PS256 (what MSAL signs with when it has the certificate's SHA-256 thumbprint).
    const key = header.alg === 'PS256' ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO } : publicKey;
    const signed = ['RS256', 'PS256'].includes(header.alg) && verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
    return signed && claims.iss === options.clientId && claims.aud === `${origin}/${options.tenant}/oauth2/v2.0/token`;
  };

  const token = (req, res, tenant, body) => {
    const form = new URLSearchParams(body);
    if (tenant !== options.tenant) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`, error_codes: [90002] });
    }
    const okClient = form.get('client_id') === options.clientId;
    const okSecret = options.clientSecret !== undefined && form.get('client_secret') === options.clientSecret;
    const okAssertion = form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && verifyAssertion(form.get('client_assertion'), `https://${req.headers.host ?? new URL(base).host}`);
    if (res.echo !== undefined) res.echo = form.get('client_secret') ?? form.get('client_assertion') ?? '';
    if (!okClient || !(okSecret || okAssertion)) {
      // Real Entra never echoes the secret; the description names the app only (echoCredentials quotes it).
      if (res.echo !== undefined) return sendJson(res, 401, { error: `invalid_client ${res.echo}`, error_description: quoted(res, 'AADSTS7000215: Invalid client secret provided.'), error_codes: [7000215] });
      return sendJson(res, 401, { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.get('client_id')}'.`, error_codes: [7000215] });
    }
    // With `roles`, an app token as Entra issues it: a JWT whose `roles` claim lists the
    // consented application permissions (signed with nothing: Graph here only looks it up).
    const claims = { aud: 'https://graph.microsoft.com', tid: options.tenant, appid: options.clientId, app_displayname: 'zt reader', idtyp: 'app', roles: options.roles, jti: randomBytes(8).toString('hex') };
    const access = options.roles ? `${Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${randomBytes(16).toString('base64url')}` : `fake.${randomBytes(24).toString('hex')}`;
    tokens.add(access);
    return sendJson(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: access });
  };

  const collection = (res, url, name, given) => {
    const source = given ?? options.data[name];
    if (source === undefined) return graphError(res, { status: 404, code: 'Request_ResourceNotFound', message: `Resource '${name}' does not exist.` });
    if (!Array.isArray(source) && typeof source.at !== 'function') return sendJson(res, 200, source); // a single policy object
    const count = Array.isArray(source) ? source.length : source.count;
    const at = Array.isArray(source) ? (i) => source[i] : source.at;
    const top = Number(url.searchParams.get('$top') ?? pageSize);
    const size = Math.max(1, Math.min(top, pageSize));
    const skip = url.searchParams.has('$skiptoken') ? JSON.parse(Buffer.from(url.searchParams.get('$skiptoken'), 'base64url').toString()).o : 0;
    const select = url.searchParams.get('$select');
    const fields = select ? new Set(select.split(',')) : null;
    const value = [];
    for (let i = skip; i < Math.min(count, skip + size); i++) {
      let item = at(i);
      if (name === 'users' && fields && !fields.has('signInActivity')) {
        const { signInActivity: _, ...rest } = item;
        item = rest;
      }
      value.push(item);
    }
    const body = { '@odata.context': `${base}/v1.0/$metadata#${name}`, value };
    if (skip + size < count) {
      const next = new URL(url);
      next.searchParams.delete('$top'); // Graph's nextLink carries its own paging state
      next.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ o: skip + size })).toString('base64url'));
      body['@odata.nextLink'] = `${base}${next.pathname}${next.search}`;
    }
    return sendJson(res, 200, body);
  };

  const server = createServer({ key, cert }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url, base);
      requests.push({ method: req.method, path: url.pathname, url: `${base}${req.url}`, authorization: req.headers.authorization ?? null });
      if (options.echoCredentials) res.echo = `Authorization: ${req.headers.authorization ?? '(none)'}`;
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const origin = `https://${req.headers.host ?? new URL(base).host}`;
      const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
      if (oidc) {
        const t = decodeURIComponent(oidc[1]);
        if (t !== options.tenant) return sendJson(res, 400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${t}' not found.` });
        return sendJson(res, 200, {
          token_endpoint: `${origin}/${t}/oauth2/v2.0/token`, authorization_endpoint: `${origin}/${t}/oauth2/v2.0/authorize`, end_session_endpoint: `${origin}/${t}/oauth2/v2.0/logout`,
          issuer: `${origin}/${t}/v2.0`, jwks_uri: `${origin}/${t}/discovery/v2.0/keys`, response_types_supported: ['code', 'id_token', 'token'], token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
        });
      }
      const tokenMatch = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (tokenMatch && req.method === 'POST') return token(req, res, decodeURIComponent(tokenMatch[1]), Buffer.concat(chunks).toString());
      if (!url.pathname.startsWith('/v1.0/')) return sendJson(res, 404, { error: 'not_found' });
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !tokens.has(bearer)) return graphError(res, { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' });
      // One group (`group`) and its transitive user members (`groupMembers`): named like the
      // collections below, so throttle, faults and wire apply to them as well.
      const groupMatch = /^\/v1\.0\/groups\/([^/]+)(\/transitiveMembers\/microsoft\.graph\.user|\/owners)?$/.exec(url.pathname);
      if (groupMatch && options.faults?.groups) return graphError(res, options.faults.groups);
      const route = routes[url.pathname.slice('/v1.0'.length)];
      // GET /users?$expand=manager(…): its own collection (faults, throttle and wire name it
      // userManagers); without data of its own, every user without a manager.
      const expandsManager = route === 'users' && /^manager\b/.test(url.searchParams.get('$expand') ?? '');
      const name = groupMatch ? (groupMatch[2] === '/owners' ? 'groupOwners' : groupMatch[2] ? 'groupMembers' : 'group') : expandsManager ? 'userManagers' : route;
      if (!name) return graphError(res, { status: 400, code: 'BadRequest', message: `Resource not found for the segment '${url.pathname}'.` });
      const serve = () => {
        if (expandsManager && options.data.userManagers === undefined) {
          const users = options.data.users ?? [];
          const rows = Array.isArray(users) ? users.map((u) => ({ id: u.id })) : { count: users.count, at: (i) => ({ id: users.at(i).id }) };
          return collection(res, url, name, rows);
        }
        if (!groupMatch) return collection(res, url, name);
        const group = (options.data.groups ?? []).find((g) => g.id === decodeURIComponent(groupMatch[1]));
        if (!group) return graphError(res, { status: 404, code: 'Request_ResourceNotFound', message: `Resource '${groupMatch[1]}' does not exist.` });
        if (!groupMatch[2]) return sendJson(res, 200, { id: group.id, displayName: group.displayName });
        // Its owners (users, service principals) as directory objects, with the fields asked for.
        if (groupMatch[2] === '/owners') return collection(res, url, null, (group.owners ?? []).map((o) => ({ '@odata.type': o['@odata.type'], id: o.id, userPrincipalName: o.userPrincipalName ?? null, displayName: o.displayName ?? null })));
        // Transitive user members: nested groups are flattened, non-users dropped.
        return collection(res, url, null, (group.members ?? []).filter((m) => m['@odata.type'] === '#microsoft.graph.user').map((m) => ({ '@odata.type': m['@odata.type'], id: m.id })));
      };
      const throttle = options.throttle?.[name];
      if (throttle && (throttled[name] ?? 0) < throttle.times && (throttle.onPage === undefined || url.searchParams.has('$skiptoken') === (throttle.onPage > 1))) {
        throttled[name] = (throttled[name] ?? 0) + 1;
        return graphError(res, { status: 429, code: 'TooManyRequests', message: 'Too many requests' }, { 'retry-after': String(throttle.retryAfter ?? 1) });
      }
      if (name === 'users' && options.signInActivityFault && (url.searchParams.get('$select') ?? '').includes('signInActivity')) {
        return graphError(res, options.signInActivityFault);
      }
      const fault = options.faults?.[name];
      if (fault) return graphError(res, fault);
      const broken = wire.get(name)?.shift();
      if (broken === 'hang') return; // closeAllConnections() ends it
      if (broken === 'reset') return req.socket.destroy();
      if (broken === 'html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><p>Please sign in.</p></body></html>');
      }
      if (broken === 'no-value') return sendJson(res, 200, { '@odata.context': `${base}/v1.0/$metadata#${name}` });
      if (broken === 'empty') return sendJson(res, 200, {});
      if (broken === '500') return graphError(res, graphErrors.serverError);
      if (broken === 'truncated') {
        const original = res.end.bind(res);
        res.end = (text) => {
          res.write(String(text).slice(0, Math.floor(String(text).length / 2)));
          setTimeout(() => req.socket.destroy(), 10);
          return res;
        };
        serve();
        res.end = original;
        return;
      }
      return serve();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${server.address().port}`;
  return {
    graphUrl: `${base}/v1.0`,
    authority: base,
    ca: cert,
    requests,
    tokens,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

/** A generated tenant of n users (for the benchmark): users and registration details on demand. */
export function generatedTenant(n, tenant = 'b3ac0000-0000-4000-8000-00000000be01') {
  const id = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const methodSets = [['microsoftAuthenticatorPush'], ['fido2SecurityKey', 'microsoftAuthenticatorPush'], ['mobilePhone'], ['windowsHelloForBusiness'], [], ['softwareOneTimePasscode', 'email']];
  const upn = (i) => `user${i}@bench.example`;
  return {
    organization: [{ id: tenant, displayName: 'Bench' }],
    users: {
      count: n,
      at: (i) => ({
        id: id(i), userPrincipalName: upn(i), displayName: `User ${i}`, mail: upn(i), accountEnabled: i % 50 !== 0, userType: i % 20 === 0 ? 'Guest' : 'Member',
        createdDateTime: '2024-01-01T00:00:00Z', onPremisesSyncEnabled: null,
        signInActivity: { lastSignInDateTime: i % 7 === 0 ? '2025-01-01T00:00:00Z' : '2026-11-01T00:00:00Z', lastNonInteractiveSignInDateTime: null, lastSuccessfulSignInDateTime: null },
      }),
    },
    userRegistrationDetails: {
      count: n,
      at: (i) => ({ id: id(i), userPrincipalName: upn(i), userType: 'member', isAdmin: i < 5, isMfaCapable: i % 6 !== 2 && i % 6 !== 4, isPasswordlessCapable: false, methodsRegistered: methodSets[i % 6], lastUpdatedDateTime: '2026-11-22T03:00:00Z' }),
    },
    roleDefinitions: [{ id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', templateId: '62e90394-69f5-4237-9190-012177145e10', isBuiltIn: true }],
    roleAssignmentScheduleInstances: [0, 1, 2].map((i) => ({ id: `ra${i}`, principalId: id(i), roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/', startDateTime: '2024-01-01T00:00:00Z', endDateTime: null, assignmentType: 'Assigned', memberType: 'Direct', principal: { '@odata.type': '#microsoft.graph.user', id: id(i), userPrincipalName: upn(i) } })),
    roleEligibilitySchedules: [],
    conditionalAccessPolicies: [],
    authenticationStrengthPolicies: [],
    authorizationPolicy: { allowInvitesFrom: 'adminsAndGuestInviters', guestUserRoleId: '2af84b1e-32c8-42b7-82bc-daa82404023b', defaultUserRolePermissions: { allowedToCreateApps: false, allowedToCreateTenants: false, permissionGrantPoliciesAssigned: [] } },
    authenticationMethodsPolicy: { authenticationMethodConfigurations: [{ id: 'Fido2', state: 'enabled' }] },
    identitySecurityDefaultsEnforcementPolicy: { isEnabled: false },
    domains: [{ id: 'bench.example', authenticationType: 'Managed', isVerified: true, isDefault: true, isRoot: true, passwordValidityPeriodInDays: 2147483647, passwordNotificationWindowInDays: 14, supportedServices: ['Email'] }],
  };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const n = Number(process.argv[process.argv.indexOf('--users') + 1] ?? 1000);
  const pageSize = Number(process.argv.includes('--page-size') ? process.argv[process.argv.indexOf('--page-size') + 1] : 120);
  const latencyMs = Number(process.argv.includes('--latency') ? process.argv[process.argv.indexOf('--latency') + 1] : 0);
  const tenant = 'b3ac0000-0000-4000-8000-00000000be01';
  const graph = await startFakeGraph({ tenant, clientId: 'bench-client', clientSecret: 'bench-secret', data: generatedTenant(n, tenant), pageSize, latencyMs });
  const caFile = join(mkdtempSync(join(tmpdir(), 'zt-fake-graph-ca-')), 'ca.pem');
  writeFileSync(caFile, graph.ca);
  process.stdout.write(`${JSON.stringify({ graphUrl: graph.graphUrl, authority: graph.authority, caFile, tenant })}\n`);
  process.on('SIGTERM', () => graph.close().then(() => process.exit(0)));
}
