import { isZtError, ZtError } from '../../errors/zt-error.js';
import { elapsed, withoutCredential, type Diagnosis, type DoctorCheck, type Probe, type ProbeContext } from '../doctor.js';
import { FetchTransport } from '../shared/fetch-transport.js';
import { TransportError } from '../shared/http.js';
import type { SourceSite } from '../source.js';
import { OktaClient, OktaDenied, OktaHttpError, type OktaCredentials } from './client.js';
import { credentialsFor } from './collector.js';
import { parseOrgUrl } from './org-url.js';
import { oktaReadingRoles, oktaReads, oktaScopes } from './reads.js';
import type { OktaRole } from './types.js';

/**
 * `zt doctor --okta`: the credential zt would use (an API token from OKTA_API_TOKEN, or an
 * OAuth service app signing with its key), one call timed (GET /api/v1/users/me for a
 * token, the token request for a service app), then what Okta granted: a service app's
 * scopes as the token response lists them (each of reads.ts's scopes; when Okta refuses
 * the request as a whole with invalid_scope, each scope is asked for alone to find the
 * missing ones) and its admin role; an API token's admin role, which is its creator's.
 */

export interface OktaProbeSettings {
  readonly org: string | undefined;
  readonly exportDir: string | undefined;
  readonly clientId: string | undefined;
  readonly privateKeyFile: string | undefined;
  readonly keyId: string | undefined;
}

const ROLE_GRANT = 'assign the Read-Only Administrator role (READ_ONLY_ADMIN)';
const scopeGrant = (scope: string): string => `grant the scope ${scope} to the service app (Okta API Scopes tab)`;

export function oktaProbes(settings: OktaProbeSettings, _site: SourceSite): Probe[] {
  if (settings.org === undefined || settings.exportDir !== undefined) return [];
  const url = parseOrgUrl(settings.org.trim());
  if (typeof url === 'string') throw new ZtError('ZT_USAGE', `--okta ${settings.org} ${url}`);
  const target = `okta:${url.host}`;
  return [{ source: 'okta', target, diagnose: (context) => diagnose(settings, url.origin, target, context) }];
}

function plannedChecks(credentials: 'ssws' | 'oauth'): DoctorCheck[] {
  const role: DoctorCheck = { check: credentials === 'ssws' ? "admin role of the token's creator" : "service app's admin role", status: 'unknown', grant: ROLE_GRANT };
  return credentials === 'ssws' ? [role] : [...oktaScopes.map((scope): DoctorCheck => ({ check: `scope ${scope}`, status: 'unknown', grant: scopeGrant(scope) })), role];
}

async function diagnose(settings: OktaProbeSettings, orgUrl: string, target: string, context: ProbeContext): Promise<Diagnosis> {
  const kind = settings.clientId ? 'oauth' : 'ssws';
  let credentials: OktaCredentials;
  try {
    credentials = await credentialsFor({ orgUrl, clientId: settings.clientId, privateKeyFile: settings.privateKeyFile, keyId: settings.keyId, scopes: oktaScopes }, context);
  } catch (error) {
    if (!isZtError(error)) throw error;
    return withoutCredential('okta', target, kind === 'oauth' ? `OAuth service app ${settings.clientId}: no private key` : 'no API token (OKTA_API_TOKEN is not set)', error.message, error.hint, plannedChecks(kind));
  }
  const found =
    credentials.type === 'ssws'
      ? `API token (SSWS) from ${credentials.name}`
      : `OAuth service app ${credentials.clientId} (private_key_jwt, key from ${settings.privateKeyFile ? `--okta-private-key ${settings.privateKeyFile}` : 'OKTA_PRIVATE_KEY'})`;
  const transport = new FetchTransport(context.network);
  const clientFor = (c: OktaCredentials): OktaClient => new OktaClient({ orgUrl, credentials: c, signal: context.signal, fetch: transport.fetch, redactor: context.redactor, maxRetries: 1, timeoutMs: 20_000 });
  try {
    return credentials.type === 'ssws' ? await diagnoseToken(clientFor(credentials), target, found) : await diagnoseApp(credentials, clientFor, target, found);
  } finally {
    await transport.close();
  }
}

/** A ZtError for what stopped a call (the client's own, or a transport failure as unreachable); undefined for Okta's per-read answers. */
function stopOf(error: unknown, orgUrl: string): ZtError | undefined {
  if (isZtError(error)) return error;
  if (error instanceof TransportError) return new ZtError('ZT_COLLECT_UNREACHABLE', `cannot reach the Okta org ${orgUrl}: ${error.failure === 'tls' ? error.message : (error.code ?? error.message)}`);
  return undefined;
}

function stopped(error: ZtError, target: string, found: string, call: string, latencyMs: number, checks: DoctorCheck[]): Diagnosis {
  if (error.code === 'ZT_COLLECT_UNREACHABLE') {
    return { source: 'okta', target, credential: { status: 'ok', found }, api: { status: 'unreachable', call, detail: error.message }, checks: checks.map((c) => ({ ...c, detail: 'not checked: Okta did not answer' })) };
  }
  return {
    source: 'okta',
    target,
    credential: { status: 'missing', found, detail: error.message, ...(error.hint ? { fix: error.hint } : {}) },
    api: { status: 'ok', call, latencyMs },
    checks: checks.map((c) => ({ ...c, detail: 'not checked: the credential was refused' })),
  };
}

function roleCheck(name: string, roles: readonly OktaRole[], holder: string): DoctorCheck {
  const types = [...new Set(roles.map((r) => r.type))].sort();
  if (types.some((t) => (oktaReadingRoles as readonly string[]).includes(t))) return { check: name, status: 'ok', detail: types.join(', ') };
  // A custom role reads what its permissions say, which zt does not read: neither in place nor a gap.
  if (types.includes('CUSTOM')) return { check: name, status: 'unknown', detail: `${holder} holds a custom role (${types.join(', ')}): check it grants read access to everything listed in docs/permissions.md`, grant: `${ROLE_GRANT} to ${holder}` };
  return { check: name, status: 'missing', detail: types.length > 0 ? `${holder} holds ${types.join(', ')}, which do not read everything zt reads` : `${holder} holds no admin role`, grant: `${ROLE_GRANT} to ${holder}` };
}

async function rolesOf(client: OktaClient, path: string, name: string, holder: string): Promise<DoctorCheck> {
  try {
    return roleCheck(name, await client.list<OktaRole>(path), holder);
  } catch (error) {
    if (error instanceof OktaDenied) return { check: name, status: 'unknown', detail: `Okta refused GET ${path} (403): the role cannot be read without okta.roles.read`, grant: ROLE_GRANT };
    if (error instanceof OktaHttpError) return { check: name, status: 'unknown', detail: `GET ${path}: ${error.message}`, grant: ROLE_GRANT };
    const stop = stopOf(error, client.origin);
    if (stop) return { check: name, status: 'unknown', detail: stop.message, grant: ROLE_GRANT };
    throw error;
  }
}

async function diagnoseToken(client: OktaClient, target: string, found: string): Promise<Diagnosis> {
  const call = 'GET /api/v1/users/me';
  const start = performance.now();
  let me: { id: string; profile?: { login?: unknown } };
  try {
    me = await client.get<{ id: string; profile?: { login?: unknown } }>('/api/v1/users/me', (body) => typeof body.id === 'string', '{id, profile}');
  } catch (error) {
    const stop = stopOf(error, client.origin);
    if (stop) return stopped(stop, target, found, call, elapsed(start), plannedChecks('ssws'));
    const detail = error instanceof OktaDenied || error instanceof OktaHttpError ? error.message : String(error);
    return { source: 'okta', target, credential: { status: 'ok', found }, api: { status: 'ok', call, latencyMs: elapsed(start) }, checks: plannedChecks('ssws').map((c) => ({ ...c, detail: `the token's user could not be read: ${detail}` })) };
  }
  const latencyMs = elapsed(start);
  const login = typeof me.profile?.login === 'string' ? me.profile.login : me.id;
  const role = await rolesOf(client, `/api/v1/users/${me.id}/roles`, "admin role of the token's creator", login);
  return { source: 'okta', target, credential: { status: 'ok', found: `${found}, created by ${login}` }, api: { status: 'ok', call, latencyMs }, checks: [role] };
}

async function diagnoseApp(credentials: Extract<OktaCredentials, { type: 'oauth' }>, clientFor: (c: OktaCredentials) => OktaClient, target: string, found: string): Promise<Diagnosis> {
  const call = 'POST /oauth2/v1/token';
  const client = clientFor(credentials);
  const start = performance.now();
  let granted: ReadonlySet<string> | undefined;
  let roleClient: OktaClient | undefined = client;
  let scopeNote: string | undefined;
  let latencyMs = 0;
  try {
    await client.signIn().finally(() => {
      latencyMs = elapsed(start);
    });
    granted = client.grantedScopes ? new Set(client.grantedScopes) : undefined;
    if (!granted) scopeNote = 'the token response lists no scopes';
  } catch (error) {
    const stop = stopOf(error, client.origin);
    if (!stop) throw error;
    if (client.tokenRefusal !== 'invalid_scope') return stopped(stop, target, found, call, latencyMs, plannedChecks('oauth'));
    // Okta refuses the whole request when one scope is not granted: ask for each alone.
    const alone = new Set<string>();
    for (const scope of oktaScopes) {
      const one = clientFor({ ...credentials, scopes: [scope] });
      try {
        await one.signIn();
        alone.add(scope);
      } catch (failure) {
        if (!stopOf(failure, client.origin) || one.tokenRefusal === undefined) throw failure;
      }
    }
    granted = alone;
    scopeNote = 'Okta refused the scopes asked for together (invalid_scope): each was asked for alone';
    roleClient = alone.has('okta.roles.read') ? clientFor({ ...credentials, scopes: ['okta.roles.read'] }) : undefined;
  }
  const checks: DoctorCheck[] = oktaScopes.map((scope): DoctorCheck => {
    const name = `scope ${scope}`;
    const uses = oktaReads.filter((r) => r.scope === scope).map((r) => r.path).join(', ');
    if (!granted) return { check: name, status: 'unknown', detail: scopeNote ?? 'unknown', grant: scopeGrant(scope) };
    return granted.has(scope) ? { check: name, status: 'ok' } : { check: name, status: 'missing', detail: `not granted (${uses})${scopeNote ? `; ${scopeNote}` : ''}`, grant: scopeGrant(scope) };
  });
  const roleName = "service app's admin role";
  checks.push(
    roleClient
      ? await rolesOf(roleClient, `/oauth2/v1/clients/${encodeURIComponent(credentials.clientId)}/roles`, roleName, `the service app ${credentials.clientId}`)
      : { check: roleName, status: 'unknown', detail: 'not checked: reading it needs okta.roles.read', grant: ROLE_GRANT },
  );
  return { source: 'okta', target, credential: { status: 'ok', found }, api: { status: 'ok', call, latencyMs }, checks };
}
