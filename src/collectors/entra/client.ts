import { createHash, createPrivateKey, createSign, randomUUID, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ZtError } from '../../errors/zt-error.js';
import type { Redactor } from '../../text/redact.js';
import type { Network } from '../network.js';
import { FetchTransport } from '../shared/fetch-transport.js';
import { fetchWithin, mediaType, NETWORK_ATTEMPTS, TransportError, type Exchange } from '../shared/http.js';
import { sleep } from '../shared/sleep.js';

// The only file that talks HTTP to Microsoft: the token endpoint (client credentials
// with a secret or a certificate-signed assertion), the standard Azure credential chain
// (@azure/identity, imported lazily), and Graph GETs with @odata.nextLink paging and
// Retry-After. Every request has a deadline for the whole answer; timeouts, dropped
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

type TokenSource = () => Promise<Token>;


const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export class GraphClient {
  private token: Token | undefined;
  private readonly origin: string;
  private readonly tokenSource: TokenSource;
  /** Requests sent and 429/503/504 answers seen (for progress and the benchmark). */
  readonly stats = { requests: 0, throttled: 0 };

  private readonly connection: EntraConnection;
  private readonly transport: FetchTransport;

  constructor(connection: EntraConnection) {
    this.connection = connection;
    this.transport = new FetchTransport(connection.network);
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

  private chooseTokenSource(): TokenSource {
    const { env, credential } = this.connection;
    const clientId = env.AZURE_CLIENT_ID;
    const secret = env.AZURE_CLIENT_SECRET;
    const certificate = env.AZURE_CLIENT_CERTIFICATE_PATH;
    this.connection.redactor.add(secret, env.AZURE_CLIENT_CERTIFICATE_PASSWORD);
    const mode = credential === 'auto' ? (secret ? 'secret' : certificate ? 'certificate' : 'default') : credential;
    if (mode === 'default') return () => this.defaultChainToken();
    if (!clientId) {
      throw new ZtError('ZT_COLLECT_CONFIG', `Entra ${mode} credential needs AZURE_CLIENT_ID (the app registration's client id)`, {
        hint: 'Set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or use --entra-credential default for the Azure credential chain; see docs/entra.md.',
      });
    }
    if (mode === 'secret') {
      if (!secret) throw new ZtError('ZT_COLLECT_CONFIG', 'Entra secret credential needs AZURE_CLIENT_SECRET', { hint: 'Set AZURE_CLIENT_SECRET, or use a certificate (AZURE_CLIENT_CERTIFICATE_PATH); see docs/entra.md.' });
      return () => this.clientCredentialsToken(clientId, { client_secret: secret });
    }
    if (!certificate) throw new ZtError('ZT_COLLECT_CONFIG', 'Entra certificate credential needs AZURE_CLIENT_CERTIFICATE_PATH', { hint: 'Point AZURE_CLIENT_CERTIFICATE_PATH at a PEM file holding the certificate and its private key; see docs/entra.md.' });
    return async () => this.clientCredentialsToken(clientId, await this.certificateAssertion(clientId, certificate));
  }

  private async certificateAssertion(clientId: string, path: string): Promise<Record<string, string>> {
    let pem: string;
    try {
      pem = await readFile(path, 'utf8');
    } catch (error) {
      throw new ZtError('ZT_COLLECT_CONFIG', `cannot read the Entra client certificate ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
    }
    const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    const keyBlock = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(pem)?.[0];
    if (!certBlock || !keyBlock) {
      throw new ZtError('ZT_COLLECT_CONFIG', `the Entra client certificate ${path} must hold a PEM certificate and its unencrypted private key`);
    }
    const key = createPrivateKey({ key: keyBlock, passphrase: this.connection.env.AZURE_CLIENT_CERTIFICATE_PASSWORD ?? '' });
    const der = new X509Certificate(certBlock).raw;
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5t: base64url(createHash('sha1').update(der).digest()) };
    const claims = { aud: this.tokenUrl, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now - 60, iat: now, exp: now + 600 };
    const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url');
    const assertion = `${unsigned}.${signature}`;
    this.connection.redactor.add(assertion);
    return { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion };
  }

  private async clientCredentialsToken(clientId: string, proof: Record<string, string>): Promise<Token> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, scope: this.scope, ...proof });
    let exchange: Exchange;
    try {
      exchange = await this.exchange(this.tokenUrl, { method: 'POST', body, headers: { accept: 'application/json' } });
    } catch (error) {
      throw this.unreachable(this.tokenUrl, error);
    }
    const { response, text } = exchange;
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: reported by status below
    }
    if (!response.ok || typeof json.access_token !== 'string') {
      // Only the OAuth error name and the AADSTS number: descriptions can quote input.
      const error = typeof json.error === 'string' ? json.error : `HTTP ${response.status}`;
      const aadsts = typeof json.error_description === 'string' ? /AADSTS\d+/.exec(json.error_description)?.[0] : undefined;
      const known: Record<string, string> = {
        AADSTS90002: 'tenant not found',
        AADSTS900023: 'the tenant id is not valid',
        AADSTS7000215: 'invalid client secret',
        AADSTS7000222: 'the client secret has expired',
        AADSTS700016: 'application not found in the tenant',
        AADSTS700027: 'the certificate assertion was not accepted',
      };
      const detail = [error, aadsts, aadsts ? known[aadsts] : undefined].filter(Boolean).join(' ');
      throw new ZtError(response.status >= 500 ? 'ZT_COLLECT_UNREACHABLE' : 'ZT_COLLECT_AUTH', this.redact(`Entra token request for tenant ${this.connection.tenant} (client ${clientId}) was refused: ${detail}`), {
        hint: 'Check the tenant id, AZURE_CLIENT_ID and the client secret or certificate of the app registration (docs/entra.md).',
      });
    }
    this.connection.redactor.add(json.access_token);
    const seconds = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3599);
    return { value: json.access_token, expiresAt: Date.now() + (Number.isFinite(seconds) ? seconds : 3599) * 1000 };
  }

  private async defaultChainToken(): Promise<Token> {
    // Loaded only when chosen: the SDK is heavy and nothing else needs it.
    const { DefaultAzureCredential } = await import('@azure/identity');
    const knownHost = /(^|\.)login\.(microsoftonline\.(com|us)|chinacloudapi\.cn|partner\.microsoftonline\.cn)$/.test(new URL(this.connection.authority).hostname);
    const credential = new DefaultAzureCredential({
      tenantId: this.connection.tenant,
      authorityHost: this.connection.authority,
      // A private authority (tests, proxies) has no Microsoft instance metadata to discover.
      ...(knownHost ? {} : { disableInstanceDiscovery: true }),
    });
    try {
      const token = await credential.getToken(this.scope, { abortSignal: this.connection.signal, tenantId: this.connection.tenant });
      this.connection.redactor.add(token.token);
      return { value: token.token, expiresAt: token.expiresOnTimestamp };
    } catch (error) {
      const first = String((error as Error).message ?? error).split('\n')[0] ?? '';
      throw new ZtError('ZT_COLLECT_AUTH', this.redact(`the Azure credential chain found no usable credential for tenant ${this.connection.tenant}: ${(error as Error).name}: ${first}`), {
        hint: 'Sign in with `az login --tenant <id>`, set AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or a certificate, or use a managed identity (docs/entra.md).',
        cause: error,
      });
    }
  }

  private async accessToken(force = false): Promise<string> {
    if (force || !this.token || this.token.expiresAt - Date.now() < 5 * 60_000) this.token = await this.tokenSource();
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
