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
  oauth?: { clientId: string; publicKeyPem: string };
  limit?: number;
  windowMs?: number;
  pageSize?: number;
  latencyMs?: number;
  echoCredentials?: boolean;
  faults?: { deny?: string[]; throttleOnce?: string[]; revoked?: boolean; status?: Record<string, number>; wire?: Record<string, ('html' | 'hang' | 'reset' | 'truncated' | 'object' | '500')[]>; vanished?: string[] };
}): Promise<FakeOkta>;
export function tenantFromExport(dir: string): Record<string, unknown>;
