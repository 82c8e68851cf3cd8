import { EndpointError, endpoints, type Endpoint, type EndpointFailure, type GraphReader } from './endpoints.js';
import { type GraphClient, GraphError } from './client.js';

const licenceCodes = new Set(['Authentication_RequestFromNonPremiumTenantOrB2CTenant', 'AadPremiumLicenseRequired']);

/** Turns a Graph error into the reason zt reports (licence, permission, throttling, other). */
export function classifyGraphError(endpoint: Endpoint, error: GraphError, retries: number): EndpointFailure {
  const where = endpoint.path.split('?')[0] as string;
  if (licenceCodes.has(error.code) || ((error.status === 400 || error.status === 403) && /licen[cs]e|premium/i.test(error.code))) {
    return { reason: 'license_missing', detail: `Graph refused ${where} (${error.code}): the tenant lacks ${endpoint.licence ?? 'the required Microsoft Entra ID licence'}` };
  }
  if (error.status === 403) {
    return { reason: 'permission_denied', detail: `Graph denied ${where} (${error.code}): grant the application permission ${endpoint.permissions.join(' and ')} with admin consent` };
  }
  if ([429, 503, 504].includes(error.status)) {
    return { reason: 'throttled', detail: `Graph kept throttling ${where} (HTTP ${error.status}) after ${retries} retries` };
  }
  // No answer in time, or a dropped one: the message says which and after how many attempts.
  if (error.status === 0) return { reason: 'api_error', detail: `Graph did not answer ${where}: ${error.message}` };
  // A success status with a body that is not what was asked for (a proxy's page, an empty object).
  if (error.status >= 200 && error.status < 300) return { reason: 'api_error', detail: `Graph answered ${where} with ${error.message}` };
  return { reason: 'api_error', detail: `Graph answered ${where} with HTTP ${error.status} ${error.code}` };
}

/** Live Graph through the client; every Graph failure becomes an EndpointError. */
export function liveReader(client: GraphClient, retries: number): GraphReader {
  const wrap = (endpoint: Endpoint, error: unknown): never => {
    if (error instanceof GraphError) throw new EndpointError(classifyGraphError(endpoint, error, retries));
    throw error;
  };
  return {
    mode: 'live',
    async *pages(endpoint) {
      try {
        for await (const page of client.pages(endpoint.path)) yield page;
      } catch (error) {
        wrap(endpoint, error);
      }
    },
    async group(id, required) {
      const endpoint = endpoints.groups;
      let group: Record<string, unknown>;
      try {
        group = await client.get(`/groups/${encodeURIComponent(id)}?$select=id,displayName`);
      } catch (error) {
        // Gone: conditional access policies go on naming groups that were deleted.
        if (error instanceof GraphError && error.status === 404 && !required) return null;
        return wrap(endpoint, error);
      }
      try {
        if (typeof group.id !== 'string') throw new GraphError(200, 'UnexpectedResponse', 'a group without an id', `/groups/${id}`);
        const memberIds: string[] = [];
        for await (const page of client.pages(`/groups/${encodeURIComponent(id)}/transitiveMembers/microsoft.graph.user?$select=id`)) {
          for (const m of page) if (m && typeof (m as { id?: unknown }).id === 'string') memberIds.push((m as { id: string }).id);
        }
        return { id, displayName: typeof group.displayName === 'string' ? group.displayName : null, memberIds };
      } catch (error) {
        // The group was just read: a 404 on its members is a failed read, not a group that is
        // gone (which dropped its members' administrator roles while coverage said complete).
        return wrap(endpoint, error);
      }
    },
    async groupOwners(id) {
      const owners: unknown[] = [];
      try {
        for await (const page of client.pages(endpoints.groupOwners.path.replace('{id}', encodeURIComponent(id)))) owners.push(...page);
      } catch (error) {
        return wrap(endpoints.groupOwners, error);
      }
      return owners;
    },
    async single(endpoint) {
      try {
        const body = await client.get(endpoint.path);
        // A policy object holds settings; `{}` (or only OData annotations) would read as "all unknown, all default".
        if (!Object.keys(body).some((key) => !key.startsWith('@odata.'))) throw new GraphError(200, 'UnexpectedResponse', 'an empty object', endpoint.path.split('?')[0]!);
        return body;
      } catch (error) {
        return wrap(endpoint, error);
      }
    },
  };
}
