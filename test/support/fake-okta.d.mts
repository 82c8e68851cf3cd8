export interface FakeOktaStats {
  requests: number;
  throttled: number;
  byBucket: Record<string, number>;
  maxPerWindow: number;
  authHeaders: string[];
  /** client_assertion of every token request, in order. */
  assertions: string[];
  /** Access tokens the token endpoint issued, in order. */
  issuedTokens: string[];
  tokenRequests?: number;
  grantedScopes?: string[];
}
export interface FakeOkta {
  readonly url: string;
  readonly stats: FakeOktaStats;
  close(): Promise<void>;
}
export function bucketOf(path: string): string;
export const ECHOED_FOREIGN_TOKEN: string;
export function startFakeOkta(options: {
  tenant: Record<string, unknown>;
  tls: { key: string; cert: string };
  token?: string;
  /** Scopes granted to the service app (default: any asked for with okta.users.read); roles: its admin roles (/oauth2/v1/clients/{id}/roles). */
  oauth?: { clientId: string; publicKeyPem: string; grantedScopes?: string[]; roles?: Record<string, unknown>[] };
  /** The API token's user (GET /api/v1/users/me): a user id; default the first admin. */
  me?: string;
  limit?: number;
  windowMs?: number;
  pageSize?: number;
  latencyMs?: number;
  echoCredentials?: boolean;
  faults?: { deny?: string[]; throttleOnce?: string[]; revoked?: boolean; status?: Record<string, number>; wire?: Record<string, ('html' | 'hang' | 'reset' | 'truncated' | 'object' | '500')[]>; vanished?: string[] };
}): Promise<FakeOkta>;
export function tenantFromExport(dir: string): Record<string, unknown>;
