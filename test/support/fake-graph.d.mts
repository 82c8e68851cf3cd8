export interface GraphErrorSpec {
  status: number;
  code: string;
  message: string;
}
export interface FakeGraphOptions {
  tenant: string;
  clientId: string;
  clientSecret?: string;
  clientCertificate?: string;
  data: Record<string, unknown>;
  pageSize?: number;
  latencyMs?: number;
  faults?: Record<string, GraphErrorSpec>;
  signInActivityFault?: GraphErrorSpec;
  throttle?: Record<string, { times: number; retryAfter?: number; onPage?: number }>;
  wire?: Record<string, ('html' | 'hang' | 'reset' | 'truncated' | 'no-value' | 'empty' | '500')[]>;
  tls?: { key: string; cert: string };
  echoCredentials?: boolean;
  /** Issue JWT access tokens whose `roles` claim holds these application permissions (default: opaque tokens). */
  roles?: string[];
}
export interface FakeGraph {
  graphUrl: string;
  authority: string;
  ca: string;
  requests: { method: string; path: string; url: string; authorization: string | null }[];
  tokens: Set<string>;
  close(): Promise<void>;
}
export function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph>;
export function makeCertificate(cn?: string): { key: string; cert: string };
export function loadFixtureTenant(dir: string): Record<string, unknown>;
export function generatedTenant(n: number, tenant?: string): Record<string, unknown>;
export const ECHOED_FOREIGN_TOKEN: string;
export const graphErrors: Record<'nonPremium' | 'denied' | 'pimLicence' | 'serverError', GraphErrorSpec>;
