import { isZtError } from '../../errors/zt-error.js';
import type { SecretSink } from '../../text/redact.js';
import type { Network } from '../network.js';
import { FetchTransport } from '../shared/fetch-transport.js';
import { mapLimit, OktaClient, OktaDenied, OktaHttpError, type OktaCredentials } from './client.js';
import {
  policyTypes,
  type OktaApp,
  type OktaAuthenticator,
  type OktaDeviceAssurance,
  type OktaFactor,
  type OktaGroup,
  type OktaGroupOwner,
  type OktaLogStream,
  type OktaNetworkZone,
  type OktaPolicy,
  type OktaPolicyRule,
  type OktaRaw,
  type OktaRole,
  type OktaThreatInsight,
  type OktaUser,
  type PolicyType,
  type Section,
} from './types.js';

export interface LiveOptions {
  readonly orgUrl: string;
  readonly credentials: OktaCredentials;
  readonly includeDeprovisioned: boolean;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
  /** The run's proxy and extra CAs. */
  readonly network: Network;
  /** Per-user calls in flight at once. */
  readonly concurrency?: number;
  /** Per attempt: the whole answer within this (client.ts DEFAULT_TIMEOUT_MS); tests make it small. */
  readonly timeoutMs?: number;
  /** The run's redaction step: the token, key, assertions and access tokens used are registered. */
  readonly redactor: SecretSink;
}

/** Endpoints of features an org may not have: Identity Engine (authenticators, device assurance, app sign-on policies), ThreatInsight, log streaming. */
const featureEndpoints = new Set(['/api/v1/device-assurances', '/api/v1/authenticators', '/api/v1/threats/configuration', '/api/v1/logStreams']);

function isFeatureEndpoint(endpoint: string): boolean {
  const url = new URL(endpoint, 'https://okta.invalid');
  return featureEndpoints.has(url.pathname) || (url.pathname === '/api/v1/policies' && url.searchParams.get('type') === 'ACCESS_POLICY');
}

/** Turns an expected failure of one read into a section; credentials and reachability failures end the run. */
async function attempt<T>(read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (isZtError(error)) throw error;
    if (error instanceof OktaDenied) return { ok: false, reason: 'permission_denied', detail: `Okta denied GET ${error.endpoint} (403${error.errorCode ? ` ${error.errorCode}` : ''})` };
    if (error instanceof OktaHttpError) {
      // 400/404 on a feature endpoint: the org does not have it (Classic Engine, no licence).
      // Only there: every org has users, groups, apps and their policies, so a 400/404 on
      // those (or on one object's roles or factors) is a failed read (api_error), not the
      // org lacking a feature, which is how coverage and reports explained it (fault matrix).
      const unsupported = (error.status === 400 || error.status === 404) && isFeatureEndpoint(error.endpoint);
      return { ok: false, reason: unsupported ? 'unsupported' : 'api_error', detail: `Okta answered ${error.message}` };
    }
    throw error;
  }
}

/**
 * A per-object read (`/api/v1/users/{id}/factors`) that tolerates the object vanishing
 * between the list and the read: a 404 counts as "gone, nothing to read" only when the
 * object itself (`/api/v1/users/{id}`) is 404 too. A 404 on the part of an object that is
 * still there is a failed read: taken as an empty list, every user looked factor-less and
 * role-less, which made administrator rules pass (fault matrix).
 */
async function orEmpty<T>(client: OktaClient, object: string, read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof OktaHttpError && error.status === 404 && (await gone(client, object))) return [];
    throw error;
  }
}

/** Whether GET `object` says it no longer exists (404); any other failure leaves it unknown, so not gone. */
async function gone(client: OktaClient, object: string): Promise<boolean> {
  try {
    await client.get(object, () => true, 'an object');
    return false;
  } catch (error) {
    if (error instanceof OktaHttpError) return error.status === 404;
    if (error instanceof OktaDenied) return false;
    throw error;
  }
}

const factorStatuses = new Set(['ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED']);

/** Reads one Okta org through the Management API into the API's own shapes. */
export async function readLive(options: LiveOptions): Promise<{ raw: OktaRaw; client: OktaClient }> {
  const transport = new FetchTransport(options.network);
  try {
    return await readOrg(options, transport);
  } finally {
    await transport.close();
  }
}

async function readOrg(options: LiveOptions, transport: FetchTransport): Promise<{ raw: OktaRaw; client: OktaClient }> {
  const client = new OktaClient({
    orgUrl: options.orgUrl,
    credentials: options.credentials,
    signal: options.signal,
    fetch: transport.fetch,
    redactor: options.redactor,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const url = new URL(options.orgUrl);
  const perUser = options.concurrency ?? 8;
  const { progress } = options;

  // Users first: a wrong URL or a revoked token ends the run here, before anything else.
  progress('Okta: listing users');
  const users = await attempt(async () => {
    const list = await client.list<OktaUser>('/api/v1/users?limit=200');
    if (options.includeDeprovisioned) {
      list.push(...(await client.list<OktaUser>(`/api/v1/users?limit=200&search=${encodeURIComponent('status eq "DEPROVISIONED"')}`)));
    }
    return list;
  });

  progress('Okta: reading policies, apps, groups and org settings');
  const [policyList, apps, groups, deviceAssurances, authenticators, threatInsight, zones, logStreams, assignees] = await Promise.all([
    Promise.all(
      policyTypes.map(async (type) =>
        attempt(async () => {
          const list = await client.list<OktaPolicy>(`/api/v1/policies?type=${type}&limit=200`);
          for (const policy of list) policy.rules = await client.list<OktaPolicyRule>(`/api/v1/policies/${policy.id}/rules?limit=200`);
          return list;
        }),
      ),
    ),
    attempt(() => client.list<OktaApp>('/api/v1/apps?limit=200')),
    attempt(() => client.list<OktaGroup>('/api/v1/groups?limit=200')),
    attempt(() => client.list<OktaDeviceAssurance>('/api/v1/device-assurances')),
    attempt(() => client.list<OktaAuthenticator>('/api/v1/authenticators')),
    attempt(() => client.get<OktaThreatInsight>('/api/v1/threats/configuration', (body) => typeof body.action === 'string', '{action: "none" | "audit" | "block"}')),
    attempt(() => client.list<OktaNetworkZone>('/api/v1/zones?limit=200')),
    attempt(() => client.list<OktaLogStream>('/api/v1/logStreams?limit=200')),
    attempt(() => client.listBodyPaged<{ id: string }>('/api/v1/iam/assignees/users?limit=100')),
  ]);
  const policies = Object.fromEntries(policyTypes.map((type, i) => [type, policyList[i]!])) as Record<PolicyType, Section<OktaPolicy[]>>;

  // Per-user and per-group reads: the dominant cost, paced per rate-limit bucket.
  const withFactors = users.ok ? users.value.filter((u) => factorStatuses.has(u.status)) : [];
  let done = 0;
  const factors = users.ok
    ? await attempt(async () => {
        const map = new Map<string, { kind: 'factor'; items: OktaFactor[] }>();
        await mapLimit(withFactors, perUser, async (user) => {
          map.set(user.id, { kind: 'factor', items: await orEmpty(client, `/api/v1/users/${user.id}`, () => client.list<OktaFactor>(`/api/v1/users/${user.id}/factors`)) });
          if (++done % 100 === 0 || done === withFactors.length) progress(`Okta: reading authenticators (${done}/${withFactors.length} users)`);
        });
        return map;
      })
    : users;

  const userRoles: Section<Map<string, OktaRole[]>> = assignees.ok
    ? await attempt(async () => {
        const map = new Map<string, OktaRole[]>();
        progress(`Okta: reading admin roles (${assignees.value.length} holders)`);
        await mapLimit(assignees.value, perUser, async (a) => {
          map.set(a.id, await orEmpty(client, `/api/v1/users/${a.id}`, () => client.list<OktaRole>(`/api/v1/users/${a.id}/roles`)));
        });
        return map;
      })
    : assignees;

  const groupMembers: Section<Map<string, string[]>> = groups.ok
    ? await attempt(async () => {
        const map = new Map<string, string[]>();
        progress(`Okta: reading group members (${groups.value.length} groups)`);
        await mapLimit(groups.value, perUser, async (g) => {
          map.set(g.id, (await orEmpty(client, `/api/v1/groups/${g.id}`, () => client.list<{ id: string }>(`/api/v1/groups/${g.id}/users?limit=200`))).map((u) => u.id));
        });
        return map;
      })
    : groups;
  const groupRoles: Section<Map<string, OktaRole[]>> = groups.ok
    ? await attempt(async () => {
        const map = new Map<string, OktaRole[]>();
        await mapLimit(groups.value, perUser, async (g) => {
          map.set(g.id, await orEmpty(client, `/api/v1/groups/${g.id}`, () => client.list<OktaRole>(`/api/v1/groups/${g.id}/roles`)));
        });
        return map;
      })
    : groups;

  // Owners (optional): the access review's reviewers of grants held through a group.
  const groupOwners: Section<Map<string, OktaGroupOwner[]>> = groups.ok
    ? await attempt(async () => {
        const map = new Map<string, OktaGroupOwner[]>();
        await mapLimit(groups.value, perUser, async (g) => {
          map.set(g.id, await orEmpty(client, `/api/v1/groups/${g.id}`, () => client.list<OktaGroupOwner>(`/api/v1/groups/${g.id}/owners?limit=1000`)));
        });
        return map;
      })
    : groups;

  const raw: OktaRaw = {
    orgUrl: url.origin,
    host: url.host,
    mode: 'live',
    users,
    factors,
    groups,
    groupMembers,
    groupRoles,
    groupOwners,
    userRoles,
    policies,
    apps,
    deviceAssurances,
    authenticators,
    threatInsight,
    zones,
    logStreams,
  };
  return { raw, client };
}
