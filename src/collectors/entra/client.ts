import { readFile } from 'node:fs/promises';
import { AuthenticationError, ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { ZtError } from '../../errors/zt-error.js';
import type { Redactor } from '../../text/redact.js';
import type { Network } from '../network.js';
import { FetchTransport } from '../shared/fetch-transport.js';
import { fetchWithin, mediaType, NETWORK_ATTEMPTS, TransportError, type Exchange } from '../shared/http.js';
import { sleep } from '../shared/sleep.js';
import { IdentityHttpClient } from './identity-http-client.js';

// The only file that talks HTTP to Microsoft: tokens through @azure/identity (a client
// secret, a certificate, or the standard Azure credential chain), sent over zt's own
// transport (identity-http-client.ts: the proxy, --ca-file, deadlines), and Graph GETs
// with @odata.nextLink paging and Retry-After. Every request has a deadline for the whole answer; timeouts, dropped
// connections, cut-short bodies and 500/502 are retried a few times; a 200 that is not a
// JSON object (a page must hold a `value` list) is a GraphError, never an empty page.
// Secrets and tokens never leave this file: each one is registered with the run's
// Redactor as it is used, and every message built here from server or library text
// passes through it (as everything a collector lets out does again at the boundary).
// The endpoints' defaults and overrides are endpoint-settings.ts (checked when the
// collector is built).

export type CredentialMode = 'auto' | 'secret' | 'certificate' | 'default';

export interface EntraConnection {
  readonly tenant: string;
  readonly graphUrl: string;
  readonly authority: string;
  readonly credential: CredentialMode;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** The run's proxy and extra CAs: the token endpoint and Graph are reached through them. */
  readonly network: Network;
  /** Retries of one request on 429/503/504 before giving up (default 6). */
  readonly maxRetries?: number;
  /** Longest single Retry-After zt will sleep, in seconds (default 300). */
  readonly maxRetryAfterSeconds?: number;
  /** Per attempt: the whole answer (headers and body) within this, in milliseconds (default 60 s). */
  readonly timeoutMs?: number;
  /** The run's redaction step (CollectorContext.redactor): the secret, assertions and tokens used are registered. */
  readonly redactor: Redactor;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Graph answer that is not a success, after retries. Carries no secret. */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly path: string;
  constructor(status: number, code: string, message: string, path: string) {
    super(message);
    this.name = 'GraphError';
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

interface Token {
  readonly value: string;
  readonly expiresAt: number;
}

/** A token, from a credential built afresh when `fresh` (after Graph refused the cached one). */
type TokenSource = (fresh: boolean) => Promise<Token>;

/** AADSTS codes zt names in its messages. */
const KNOWN_AADSTS: Record<string, string> = {
  AADSTS90002: 'tenant not found',
  AADSTS900023: 'the tenant id is not valid',
  AADSTS7000215: 'invalid client secret',
  AADSTS7000222: 'the client secret has expired',
  AADSTS700016: 'application not found in the tenant',
  AADSTS700027: 'the certificate assertion was not accepted',
};

export class GraphClient {
  private token: Token | undefined;
  private readonly origin: string;
  private readonly tokenSource: TokenSource;
  /** Requests sent and 429/503/504 answers seen (for progress and the benchmark). */
  readonly stats = { requests: 0, throttled: 0 };

  private readonly connection: EntraConnection;
  private readonly transport: FetchTransport;
  private readonly identityHttp: IdentityHttpClient;

  constructor(connection: EntraConnection) {
    this.connection = connection;
    this.transport = new FetchTransport(connection.network);
    this.identityHttp = new IdentityHttpClient(this.transport.fetch, connection.signal, connection.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.origin = new URL(connection.graphUrl).origin;
    this.tokenSource = this.chooseTokenSource();
  }

  /** Server or library text with every secret and token of the run (and anything shaped like one) taken out. */
  redact(text: string): string {
    return this.connection.redactor.redact(text);
  }

  private get tokenUrl(): string {
    return `${this.connection.authority.replace(/\/+$/, '')}/${encodeURIComponent(this.connection.tenant)}/oauth2/v2.0/token`;
  }

  private get scope(): string {
    return `${this.origin}/.default`;
  }

  /** What every credential is built with: the authority, zt's transport, and no retries of the SDK's own (the transport retries). */
  private get credentialOptions() {
    const authority = this.connection.authority;
    const knownHost = /(^|\.)login\.(microsoftonline\.(com|us)|chinacloudapi\.cn|partner\.microsoftonline\.cn)$/.test(new URL(authority).hostname);
    return {
      authorityHost: authority,
      // A private authority (tests, proxies) has no Microsoft instance metadata to discover.
      ...(knownHost ? {} : { disableInstanceDiscovery: true }),
      httpClient: this.identityHttp,
      retryOptions: { maxRetries: 0 },
    };
  }

  /** Which credential the client signs in with, for `zt doctor` (never its value); throws the ZtError of a missing setting like the constructor. */
  get credentialKind(): string {
    const { env, credential } = this.connection;
    const mode = credential === 'auto' ? (env.AZURE_CLIENT_SECRET ? 'secret' : env.AZURE_CLIENT_CERTIFICATE_PATH ? 'certificate' : 'default') : credential;
    if (mode === 'default') return 'the Azure credential chain (DefaultAzureCredential: environment, workload identity, managed identity, Azure CLI, …)';
    const app = `app registration ${env.AZURE_CLIENT_ID ?? '?'}`;
    return mode === 'secret' ? `client secret (AZURE_CLIENT_SECRET) of ${app}` : `client certificate (AZURE_CLIENT_CERTIFICATE_PATH ${env.AZURE_CLIENT_CERTIFICATE_PATH ?? '?'}) of ${app}`;
  }

  /**
   * The claims of the access token in use (its payload, not verified: Graph verifies it; zt
   * only reads what was granted, for `zt doctor`), or undefined when the token is not a JWT.
   */
  async tokenClaims(): Promise<Record<string, unknown> | undefined> {
    const token = await this.accessToken();
    const payload = token.split('.')[1];
    if (token.split('.').length !== 3 || !payload) return undefined;
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return isRecord(claims) ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private chooseTokenSource(): TokenSource {
    const { env, credential, tenant } = this.connection;
    const clientId = env.AZURE_CLIENT_ID;
    const secret = env.AZURE_CLIENT_SECRET;
    const certificate = env.AZURE_CLIENT_CERTIFICATE_PATH;
    const password = env.AZURE_CLIENT_CERTIFICATE_PASSWORD;
    this.connection.redactor.add(secret, password);
    const mode = credential === 'auto' ? (secret ? 'secret' : certificate ? 'certificate' : 'default') : credential;
    if (mode === 'default') return this.tokensFrom(() => new DefaultAzureCredential({ tenantId: tenant, ...this.credentialOptions }), 'the Azure credential chain');
    if (!clientId) {
      throw new ZtError('ZT_COLLECT_CONFIG', `Entra ${mode} credential needs AZURE_CLIENT_ID (the app registration's client id)`, {
        hint: 'Set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or use --entra-credential default for the Azure credential chain; see docs/entra.md.',
      });
    }
    if (mode === 'secret') {
      if (!secret) throw new ZtError('ZT_COLLECT_CONFIG', 'Entra secret credential needs AZURE_CLIENT_SECRET', { hint: 'Set AZURE_CLIENT_SECRET, or use a certificate (AZURE_CLIENT_CERTIFICATE_PATH); see docs/entra.md.' });
      return this.tokensFrom(() => new ClientSecretCredential(tenant, clientId, secret, this.credentialOptions), `client ${clientId}`);
    }
    if (!certificate) throw new ZtError('ZT_COLLECT_CONFIG', 'Entra certificate credential needs AZURE_CLIENT_CERTIFICATE_PATH', { hint: 'Point AZURE_CLIENT_CERTIFICATE_PATH at a PEM file holding the certificate and its private key; see docs/entra.md.' });
    let pem: Promise<string> | undefined;
    return this.tokensFrom(async () => {
      pem ??= this.certificatePem(certificate);
      return new ClientCertificateCredential(tenant, clientId, { certificate: await pem, ...(password ? { certificatePassword: password } : {}) }, this.credentialOptions);
    }, `client ${clientId}`);
  }

  /** The certificate file, checked to hold a PEM certificate and its private key (the SDK's own errors name neither). */
  private async certificatePem(path: string): Promise<string> {
    let pem: string;
    try {
      pem = await readFile(path, 'utf8');
    } catch (error) {
      throw new ZtError('ZT_COLLECT_CONFIG', `cannot read the Entra client certificate ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
    }
    const hasCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(pem);
    const hasKey = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem);
    if (!hasCertificate || !hasKey) {
      throw new ZtError('ZT_COLLECT_CONFIG', `the Entra client certificate ${path} must hold a PEM certificate and its private key (encrypted: AZURE_CLIENT_CERTIFICATE_PASSWORD)`);
    }
    return pem;
  }

  /** Tokens of one credential (built once; again when `fresh`), each registered with the Redactor; failures as ZtErrors. */
  private tokensFrom(build: () => TokenCredential | Promise<TokenCredential>, who: string): TokenSource {
    let credential: Promise<TokenCredential> | undefined;
    return async (fresh) => {
      if (fresh || !credential) credential = Promise.resolve(build());
      this.identityHttp.reset();
      try {
        const token = await (await credential).getToken(this.scope, { abortSignal: this.connection.signal, tenantId: this.connection.tenant });
        if (!token) throw new ZtError('ZT_COLLECT_AUTH', `${who} returned no token for tenant ${this.connection.tenant}`);
        this.connection.redactor.add(token.token);
        return { value: token.token, expiresAt: token.expiresOnTimestamp };
      } catch (error) {
        credential = undefined;
        throw this.tokenError(error, who);
      }
    };
  }

  /**
   * A token request that failed, as the user should read it: the network or the proxy
   * (what the transport saw: MSAL reports only "network error"), the endpoint's refusal
   * (the OAuth error name and the AADSTS number only: descriptions can quote input), or
   * no usable credential in the chain.
   */
  private tokenError(error: unknown, who: string): unknown {
    if (this.connection.signal.aborted || error instanceof ZtError) return error;
    const failure = this.identityHttp.failure;
    if (failure) return this.unreachable(this.tokenUrl, failure);
    const tenant = this.connection.tenant;
    const chain = who === 'the Azure credential chain';
    const refusal = this.identityHttp.refusal ?? (error instanceof AuthenticationError ? { status: error.statusCode, error: error.errorResponse.error, aadsts: /AADSTS\d+/.exec(error.errorResponse.errorDescription ?? '')?.[0] } : undefined);
    if (refusal && !chain) {
      const detail = [refusal.error ?? `HTTP ${refusal.status}`, refusal.aadsts, refusal.aadsts ? KNOWN_AADSTS[refusal.aadsts] : undefined].filter(Boolean).join(' ');
      return new ZtError(refusal.status >= 500 ? 'ZT_COLLECT_UNREACHABLE' : 'ZT_COLLECT_AUTH', this.redact(`Entra token request for tenant ${tenant} (${who}) was refused: ${detail}`), {
        hint: 'Check the tenant id, AZURE_CLIENT_ID and the client secret or certificate of the app registration (docs/entra.md).',
      });
    }
    const first = String((error as Error).message ?? error).split('\n')[0] ?? '';
    if (chain) {
      return new ZtError('ZT_COLLECT_AUTH', this.redact(`the Azure credential chain found no usable credential for tenant ${tenant}: ${(error as Error).name}: ${first}`), {
        hint: 'Sign in with `az login --tenant <id>`, set AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or a certificate, or use a managed identity (docs/entra.md).',
        cause: error,
      });
    }
    return new ZtError('ZT_COLLECT_AUTH', this.redact(`Entra token request for tenant ${tenant} (${who}) failed: ${(error as Error).name}: ${first}`), {
      hint: 'Check the tenant id, AZURE_CLIENT_ID and the client secret or certificate of the app registration (docs/entra.md).',
      cause: error,
    });
  }

  private async accessToken(force = false): Promise<string> {
    if (force || !this.token || this.token.expiresAt - Date.now() < 5 * 60_000) this.token = await this.tokenSource(force);
    return this.token.value;
  }

  /** Releases the pooled connections (through a proxy, or with --ca-file's CAs). */
  async close(): Promise<void> {
    await this.transport.close();
  }

  /** Fails early with ZT_COLLECT_AUTH / ZT_COLLECT_UNREACHABLE before any Graph call. */
  async authenticate(): Promise<void> {
    await this.accessToken();
  }

  /**
   * One exchange within the deadline, retried (NETWORK_ATTEMPTS in all, 0.5 s then 1 s
   * apart) when the answer timed out, was dropped or was cut short. Throws the last
   * TransportError, or the run's abort reason.
   */
  private async exchange(url: string, init: RequestInit): Promise<Exchange> {
    const timeoutMs = this.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetchWithin(this.transport.fetch, url, init, this.connection.signal, timeoutMs);
      } catch (error) {
        if (this.connection.signal.aborted || !(error instanceof TransportError)) throw error;
        if (!error.retryable || attempt >= NETWORK_ATTEMPTS) {
          throw attempt > 1 ? new TransportError(error.failure, `${error.message} (${attempt} attempts)`, error.code) : error;
        }
        await sleep(500 * 2 ** (attempt - 1), this.connection.signal);
      }
    }
  }

  private unreachable(url: string, error: unknown): ZtError {
    if (this.connection.signal.aborted) return error as ZtError;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = error instanceof TransportError ? (error.failure === 'tls' ? error.message : (error.code ?? error.message)) : (cause?.code ?? cause?.message ?? (error as Error).name ?? 'network error');
    return new ZtError('ZT_COLLECT_UNREACHABLE', `cannot reach ${new URL(url).origin} for Entra tenant ${this.connection.tenant}: ${this.redact(String(reason))}`, {
      hint: 'Check the network path and proxy; ZT_GRAPH_URL and ZT_ENTRA_AUTHORITY override the endpoints (sovereign clouds, tests).',
      cause: error,
    });
  }

  /** One GET with Retry-After handling; returns the parsed JSON body, which must be an object. */
  async get(pathOrUrl: string): Promise<Record<string, unknown>> {
    const url = pathOrUrl.startsWith('https://') || pathOrUrl.startsWith('http://') ? pathOrUrl : `${this.connection.graphUrl.replace(/\/+$/, '')}${pathOrUrl}`;
    // Never send the token anywhere but the Graph endpoint, even if a nextLink says so.
    if (new URL(url).origin !== this.origin) throw new GraphError(0, 'UnexpectedNextLink', `Graph returned a link to another host (${new URL(url).origin})`, pathOrUrl);
    const path = new URL(url).pathname;
    const maxRetries = this.connection.maxRetries ?? 6;
    let refreshed = false;
    let serverErrors = 0;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      let exchange: Exchange;
      this.stats.requests++;
      try {
        exchange = await this.exchange(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json', prefer: 'include-unknown-enum-members' } });
      } catch (error) {
        if (!(error instanceof TransportError) || !error.retryable) throw this.unreachable(url, error);
        // Graph answered before (the token did): this read failed, not the tenant.
        throw new GraphError(0, error.failure === 'timeout' ? 'Timeout' : 'NetworkError', error.message, path);
      }
      const { response, text } = exchange;
      if (response.ok) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new GraphError(response.status, 'InvalidJson', `a body that is not JSON (${mediaType(response)}: a proxy or captive portal?)`, path);
        }
        if (!isRecord(body)) throw new GraphError(response.status, 'UnexpectedResponse', 'JSON that is not an object', path);
        return body;
      }
      let code = `HTTP${response.status}`;
      let message = response.statusText;
      try {
        const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
        code = error?.code ?? code;
        message = error?.message ?? message;
      } catch {
        // keep the status
      }
      if ([429, 503, 504].includes(response.status) && attempt < maxRetries) {
        this.stats.throttled++;
        const header = Number(response.headers.get('retry-after'));
        const seconds = Number.isFinite(header) && header >= 0 ? Math.min(header, this.connection.maxRetryAfterSeconds ?? 300) : Math.min(60, 2 ** attempt);
        await sleep(seconds * 1000, this.connection.signal);
        continue;
      }
      if ((response.status === 500 || response.status === 502) && serverErrors < NETWORK_ATTEMPTS - 1) {
        serverErrors++;
        await sleep(500 * 2 ** (serverErrors - 1), this.connection.signal);
        continue;
      }
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        await this.accessToken(true);
        continue;
      }
      throw new GraphError(response.status, code, this.redact(message), path);
    }
  }

  /** Every page of a collection, following @odata.nextLink verbatim; one page in memory at a time. */
  async *pages(path: string): AsyncGenerator<unknown[]> {
    const seen = new Set<string>();
    let next: string | undefined = path;
    while (next) {
      const body = await this.get(next);
      const where = new URL(next, this.connection.graphUrl).pathname;
      // A page without its `value` list is not an empty page.
      if (!Array.isArray(body.value)) throw new GraphError(200, 'UnexpectedResponse', 'JSON that is not a collection page (no value list)', where);
      yield body.value as unknown[];
      const link: unknown = body['@odata.nextLink'];
      if (link !== undefined && link !== null && typeof link !== 'string') throw new GraphError(200, 'UnexpectedResponse', 'an @odata.nextLink that is not a URL', where);
      next = typeof link === 'string' && link.length > 0 ? link : undefined;
      if (next !== undefined) {
        if (seen.has(next)) throw new GraphError(200, 'UnexpectedResponse', 'an @odata.nextLink it gave before (the pages would loop)', where);
        seen.add(next);
      }
    }
  }
}
