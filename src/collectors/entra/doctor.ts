import { isZtError, ZtError } from '../../errors/zt-error.js';
import { elapsed, withoutCredential, type Diagnosis, type DoctorCheck, type Probe, type ProbeContext } from '../doctor.js';
import type { SourceSite } from '../source.js';
import { GraphClient, GraphError, type CredentialMode } from './client.js';
import { DEFAULT_AUTHORITY, DEFAULT_GRAPH_URL, endpointSetting } from './endpoint-settings.js';
import { broaderPermissions, graphPermissions } from './endpoints.js';

/**
 * `zt doctor --entra`: the credential zt would sign in with (client secret, certificate or
 * the Azure credential chain), the token request, GET /organization timed, and the
 * application permissions the token carries (its `roles` claim, which Entra fills with the
 * app's consented application permissions) against what endpoints.ts needs. A broader
 * permission (Directory.Read.All, a ReadWrite one) counts for the ones it includes.
 * A delegated token (a user's, from the Azure CLI) carries scopes (`scp`), decided with
 * the user's directory roles: zt cannot judge them from the token, so they are unknown.
 */

export interface EntraProbeSettings {
  readonly tenant: string | undefined;
  readonly exportDir: string | undefined;
  readonly credential: CredentialMode;
}

const grantOf = (permission: string): string => `Microsoft Graph application permission ${permission}, with admin consent`;

export function entraProbes(settings: EntraProbeSettings, site: SourceSite): Probe[] {
  const { tenant } = settings;
  if (tenant === undefined || settings.exportDir !== undefined) return [];
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(tenant)) throw new ZtError('ZT_USAGE', `--entra expects a tenant id (a GUID) or a domain such as contoso.onmicrosoft.com, got "${tenant}"`);
  endpointSetting(site.env, 'ZT_GRAPH_URL', DEFAULT_GRAPH_URL);
  endpointSetting(site.env, 'ZT_ENTRA_AUTHORITY', DEFAULT_AUTHORITY);
  const target = `entra:${tenant}`;
  return [{ source: 'entra', target, diagnose: (context) => diagnose(tenant, settings.credential, target, context) }];
}

function plannedChecks(): DoctorCheck[] {
  return graphPermissions().map(({ permission, optional }) => ({ check: permission, status: 'unknown', grant: grantOf(permission), ...(optional ? { optional: true } : {}) }));
}

async function diagnose(tenant: string, credential: CredentialMode, target: string, context: ProbeContext): Promise<Diagnosis> {
  let client: GraphClient;
  try {
    client = new GraphClient({
      tenant,
      graphUrl: endpointSetting(context.env, 'ZT_GRAPH_URL', DEFAULT_GRAPH_URL),
      authority: endpointSetting(context.env, 'ZT_ENTRA_AUTHORITY', DEFAULT_AUTHORITY),
      credential,
      env: context.env,
      signal: context.signal,
      network: context.network,
      redactor: context.redactor,
      maxRetries: 1,
      timeoutMs: 20_000,
    });
  } catch (error) {
    if (!isZtError(error)) throw error;
    return withoutCredential('entra', target, 'no usable credential', error.message, error.hint, plannedChecks());
  }
  try {
    return await diagnoseWith(client, target);
  } finally {
    await client.close();
  }
}

async function diagnoseWith(client: GraphClient, target: string): Promise<Diagnosis> {
  const found = client.credentialKind;
  const planned = plannedChecks();
  try {
    await client.authenticate();
  } catch (error) {
    if (!isZtError(error)) throw error;
    if (error.code === 'ZT_COLLECT_UNREACHABLE') {
      return { source: 'entra', target, credential: { status: 'ok', found }, api: { status: 'unreachable', call: 'token request', detail: error.message }, checks: planned.map((c) => ({ ...c, detail: 'not checked: the token endpoint did not answer' })) };
    }
    return withoutCredential('entra', target, found, error.message, error.hint, planned);
  }
  const call = 'GET /organization';
  const start = performance.now();
  try {
    await client.get('/organization?$select=id');
  } catch (error) {
    if (isZtError(error) && error.code === 'ZT_COLLECT_UNREACHABLE') {
      return { source: 'entra', target, credential: { status: 'ok', found }, api: { status: 'unreachable', call, detail: error.message }, checks: planned.map((c) => ({ ...c, detail: 'not checked: Graph did not answer' })) };
    }
    if (!(error instanceof GraphError) || error.status === 0) {
      const detail = error instanceof Error ? error.message : String(error);
      return { source: 'entra', target, credential: { status: 'ok', found }, api: { status: 'unreachable', call, detail }, checks: planned.map((c) => ({ ...c, detail: 'not checked: Graph did not answer' })) };
    }
    // Any other answer (403 without Organization.Read.All): Graph is there; the permissions are judged below.
  }
  const api = { status: 'ok' as const, call, latencyMs: elapsed(start) };
  const claims = await client.tokenClaims();
  const who = typeof claims?.app_displayname === 'string' ? ` (app ${claims.app_displayname})` : typeof claims?.upn === 'string' ? ` (user ${claims.upn})` : '';
  const credential = { status: 'ok' as const, found: `${found}${who}` };
  const roles = Array.isArray(claims?.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : undefined;
  if (!roles) {
    const detail = !claims ? 'the access token is not a JWT: its permissions cannot be read' : typeof claims.scp === 'string' ? `a delegated (user) token with scopes ${claims.scp}: what it reads also depends on the user's directory roles` : 'the access token carries no roles claim: no application permission is consented';
    const none = claims !== undefined && typeof claims.scp !== 'string';
    return { source: 'entra', target, credential, api, checks: planned.map((c) => (none ? { ...c, status: 'missing', detail } : { ...c, detail })) };
  }
  const held = new Set(roles);
  const checks = graphPermissions().map(({ permission, reads, optional }): DoctorCheck => {
    const by = [permission, ...(broaderPermissions[permission] ?? [])].find((p) => held.has(p));
    if (by) return { check: permission, status: 'ok', ...(by !== permission ? { detail: `through ${by}` } : {}) };
    return { check: permission, status: 'missing', detail: `not in the token's roles (needed for ${reads.join(', ')})${optional ? '; optional: zt does without it' : ''}`, grant: grantOf(permission), ...(optional ? { optional: true } : {}) };
  });
  return { source: 'entra', target, credential, api, checks };
}
