import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { ZtError } from '../../errors/zt-error.js';
import type { SecretSink } from '../../text/redact.js';
import { fetchWithin, mediaType, NETWORK_ATTEMPTS, TransportError, type Exchange, type Fetch } from '../shared/http.js';
import { sleep } from '../shared/sleep.js';

/**
 * The only file that talks HTTP to Okta: plain fetch, `Link`-header and `_links.next`
 * paging, pacing per rate-limit bucket on X-Rate-Limit-*, bounded retries on 429, 5xx,
 * timeouts and dropped connections, and SSWS or OAuth (private-key JWT) authentication.
 * Every answer has a deadline (headers and body) and must be the JSON shape asked for;
 * anything else is an OktaHttpError for that read, never an empty list. Credentials
 * never appear in errors.
 */

export type OktaCredentials =
  | { readonly type: 'ssws'; readonly token: string; readonly name: string }
  | {
      readonly type: 'oauth';
      readonly clientId: string;
      /** PEM (PKCS#8 or PKCS#1) or a JWK as JSON, as Okta's admin console downloads it. */
      readonly privateKey: string;
      readonly keyId?: string;
      readonly scopes: readonly string[];
    };

export interface OktaClientOptions {
  readonly orgUrl: string;
  readonly credentials: OktaCredentials;
  readonly signal: AbortSignal;
  /** How requests go out: the run's transport (proxy, extra CAs; shared/fetch-transport.ts). */
  readonly fetch: Fetch;
  /** Requests in flight at once (Okta also enforces a per-org concurrency limit). */
  readonly concurrency?: number;
  /** Retries of one request after a 429 or a 5xx (default 4). Timeouts and dropped connections: NETWORK_ATTEMPTS attempts. */
  readonly maxRetries?: number;
  /** Per attempt: the whole answer within this (default 30 s). */
  readonly timeoutMs?: number;
  /** Share of each bucket left unused for other integrations (Okta warns at 90 % use). */
  readonly reserve?: number;
  readonly onWait?: (bucket: string, ms: number) => void;
  /** Where every credential the client sends is registered (the run's redaction step). */
  readonly redactor: SecretSink;
}

/** A request Okta refused with 403 (a missing scope or role). */
export class OktaDenied extends Error {
  readonly endpoint: string;
  readonly errorCode: string | undefined;
  constructor(endpoint: string, errorCode: string | undefined) {
    super(`403${errorCode ? ` ${errorCode}` : ''} on GET ${endpoint}`);
    this.endpoint = endpoint;
    this.errorCode = errorCode;
  }
}

/** Any other non-success answer after retries (404, 400, 5xx, 429 that kept coming). */
export class OktaHttpError extends Error {
  readonly endpoint: string;
  readonly status: number;
  readonly errorCode: string | undefined;
  constructor(endpoint: string, status: number, errorCode: string | undefined, summary: string) {
    super(`${status}${errorCode ? ` ${errorCode}` : ''} on GET ${endpoint}${summary ? `: ${summary}` : ''}`);
    this.endpoint = endpoint;
    this.status = status;
    this.errorCode = errorCode;
  }
}

/** The rate-limit bucket of a request: its path with ids replaced, e.g. /api/v1/users/{id}/factors. */
export function bucketOf(path: string): string {
  return path
    .split('?')[0]!
    .split('/')
    .map((part) => (/^[A-Za-z0-9]{12,}$/.test(part) && /\d/.test(part) ? '{id}' : part))
    .join('/');
}

/** The rel="next" target of one or several (joined) Link headers. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^<([^>]*)>(.*)$/.exec(part.trim());
    if (match && /;\s*rel="?next"?/.test(match[2] ?? '')) return match[1] ?? null;
  }
  return null;
}

interface Bucket {
  limit: number | undefined;
  /** Local estimate of requests left in the current window. */
  remaining: number | undefined;
  /** Local clock (ms) when the window resets. */
  resetAt: number;
  inflight: number;
  /** The endpoint sends no rate-limit headers: nothing to pace on. */
  unmetered: boolean;
}

export interface ClientStats {
  requests: number;
  throttled: number;
  waits: number;
  waitedMs: number;
}


const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

function loadKey(text: string): { key: KeyObject; kid?: string } {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as { kid?: string };
      return { key: createPrivateKey({ key: jwk, format: 'jwk' }), ...(jwk.kid ? { kid: jwk.kid } : {}) };
    }
    return { key: createPrivateKey(trimmed) };
  } catch {
    // Never echo the key material.
    throw new ZtError('ZT_COLLECT_CONFIG', 'the Okta private key is not a PEM RSA private key or a JWK', {
      hint: 'Set OKTA_PRIVATE_KEY (or --okta-private-key <file>) to the service app\'s private key, PEM or JWK JSON.',
    });
  }
}

/** A signed RS256 client assertion for private_key_jwt (iss = sub = client id, aud = token URL). */
export function clientAssertion(clientId: string, audience: string, privateKey: string, keyId?: string, now = Date.now()): string {
  const { key, kid } = loadKey(privateKey);
  const header = { alg: 'RS256', typ: 'JWT', ...((keyId ?? kid) ? { kid: keyId ?? kid } : {}) };
  const iat = Math.floor(now / 1000);
  const payload = { iss: clientId, sub: clientId, aud: audience, iat, exp: iat + 300, jti: randomUUID() };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`;
}

/** Per attempt: the whole answer (headers and body) within this. */
export const DEFAULT_TIMEOUT_MS = 30_000;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export class OktaClient {
  readonly origin: string;
  readonly stats: ClientStats = { requests: 0, throttled: 0, waits: 0, waitedMs: 0 };
  private readonly buckets = new Map<string, Bucket>();
  private readonly concurrency: number;
  private readonly maxRetries: number;
  private readonly reserve: number;
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private accessToken: { value: string; expiresAt: number } | undefined;
  /** The scopes the last token was granted (the token response's `scope`), for `zt doctor`. */
  grantedScopes: readonly string[] | undefined;
  /** The OAuth error of the last refused token request (`invalid_scope`, `invalid_client`, …). */
  tokenRefusal: string | undefined;
  private tokenPromise: Promise<string> | undefined;
  /**
   * Server clock minus ours, learnt from Date headers. A Date is rounded down to the second
   * and the response took time to arrive, so Date − our clock never exceeds the true offset:
   * the largest value seen is a safe estimate that tightens as responses come in.
   */
  private serverOffset: number | undefined;

  private readonly options: OktaClientOptions;
  private readonly timeoutMs: number;
  /** Some answer parsed as JSON: the org URL is an Okta org (what a first non-JSON answer says otherwise). */
  private understood = false;

  constructor(options: OktaClientOptions) {
    this.options = options;
    this.origin = new URL(options.orgUrl).origin;
    this.concurrency = options.concurrency ?? 8;
    this.maxRetries = options.maxRetries ?? 4;
    this.reserve = options.reserve ?? 0.1;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const c = options.credentials;
    options.redactor.add(...(c.type === 'ssws' ? [c.token] : [c.privateKey]));
  }

  /** Who the requests act as, for messages (never the secret itself). */
  get principal(): string {
    const c = this.options.credentials;
    return c.type === 'ssws' ? `API token from ${c.name}` : `OAuth service app ${c.clientId}`;
  }

  /** Gets the OAuth access token now (nothing for an API token): ZT_COLLECT_AUTH when refused, ZT_COLLECT_UNREACHABLE when not answered. */
  async signIn(): Promise<void> {
    await this.authorization();
  }

  /** All items of a list endpoint, following Link rel="next": every page a JSON array of objects. */
  async list<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let url: string | null = path;
    while (url) {
      const page: { body: unknown; link: string | null } = await this.request(url);
      if (!Array.isArray(page.body)) throw new OktaHttpError(this.endpointOf(url), 200, undefined, 'expected a JSON array');
      if (!page.body.every(isRecord)) throw new OktaHttpError(this.endpointOf(url), 200, undefined, 'expected a JSON array of objects');
      items.push(...(page.body as T[]));
      url = this.next(url, page.link, seen);
    }
    return items;
  }

  /** All `value` items of an endpoint paged in the body (`_links.next.href`), e.g. /api/v1/iam/assignees/users. */
  async listBodyPaged<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let url: string | null = path;
    while (url) {
      const page: { body: unknown; link: string | null } = await this.request(url);
      const body = page.body as { value?: unknown; _links?: { next?: { href?: unknown } } } | null;
      if (!isRecord(body) || !Array.isArray(body.value) || !body.value.every(isRecord)) throw new OktaHttpError(this.endpointOf(url), 200, undefined, 'expected {value: [objects]}');
      items.push(...(body.value as T[]));
      const href = body._links?.next?.href;
      url = this.next(url, typeof href === 'string' && href !== '' ? href : page.link, seen);
    }
    return items;
  }

  /** One JSON object that passes `check` (named `expected` in the error otherwise). */
  async get<T>(path: string, check: (body: Record<string, unknown>) => boolean, expected: string): Promise<T> {
    const { body } = await this.request(path);
    if (!isRecord(body) || !check(body)) throw new OktaHttpError(this.endpointOf(path), 200, undefined, `expected ${expected}`);
    return body as T;
  }

  /** The next page's URL; one seen before means the pages would loop. */
  private next(current: string, link: string | null, seen: Set<string>): string | null {
    if (!link) return null;
    const key = new URL(link, this.origin).href;
    if (seen.has(key)) throw new OktaHttpError(this.endpointOf(current), 200, undefined, 'the next page link repeats an earlier one (the pages would loop)');
    seen.add(key);
    return link;
  }

  private endpointOf(url: string): string {
    const u = new URL(url, this.origin);
    return `${u.pathname}${u.search}`;
  }

  private async slot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }

  /** Waits until the bucket has room in its window, then books one request. */
  private async acquire(name: string): Promise<Bucket> {
    let bucket = this.buckets.get(name);
    if (!bucket) this.buckets.set(name, (bucket = { limit: undefined, remaining: undefined, resetAt: 0, inflight: 0, unmetered: false }));
    for (;;) {
      const now = Date.now();
      if (bucket.resetAt !== 0 && now >= bucket.resetAt) {
        // A new window: Okta refills the bucket at the reset time.
        bucket.remaining = bucket.limit;
        bucket.resetAt = 0;
      }
      const keep = bucket.limit === undefined ? 0 : Math.max(1, Math.ceil(bucket.limit * this.reserve));
      // An unknown bucket (first request, or a window whose size we have not seen yet) gets one probe
      // request; the others wait for its X-Rate-Limit-* headers instead of guessing.
      const unknown = bucket.remaining === undefined && !bucket.unmetered;
      if (bucket.unmetered || (unknown && bucket.inflight === 0) || (!unknown && (bucket.remaining as number) - bucket.inflight > keep)) {
        bucket.inflight++;
        return bucket;
      }
      if (unknown) {
        await sleep(20, this.options.signal);
        continue;
      }
      const wait = bucket.resetAt === 0 ? 1000 : bucket.resetAt - now;
      this.stats.waits++;
      this.stats.waitedMs += wait;
      this.options.onWait?.(name, wait);
      await sleep(wait, this.options.signal);
    }
  }

  private observe(bucket: Bucket, response: Response): void {
    const limit = Number(response.headers.get('x-rate-limit-limit'));
    const remaining = Number(response.headers.get('x-rate-limit-remaining'));
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    if (!response.headers.has('x-rate-limit-remaining') || !Number.isFinite(remaining) || !Number.isFinite(reset) || reset === 0) {
      if (response.status !== 429 && bucket.remaining === undefined) bucket.unmetered = true;
      return;
    }
    bucket.unmetered = false;
    // The reset time is on the server's clock. Without a Date header, assume the clocks agree
    // and wait a second more; with one, use the learnt offset (a whole second of padding per
    // window cost a sixth of the time when windows are short).
    const date = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(date)) this.serverOffset = Math.max(this.serverOffset ?? Number.NEGATIVE_INFINITY, date - Date.now());
    const resetAt = reset * 1000 - (this.serverOffset ?? -1000);
    if (Number.isFinite(limit) && limit > 0) bucket.limit = limit;
    if (bucket.resetAt === 0 || resetAt > bucket.resetAt + 500) {
      bucket.resetAt = resetAt;
      bucket.remaining = remaining;
    } else {
      bucket.remaining = Math.min(bucket.remaining ?? remaining, remaining);
    }
  }

  private async authorization(): Promise<string> {
    const c = this.options.credentials;
    if (c.type === 'ssws') return `SSWS ${c.token}`;
    if (this.accessToken && this.accessToken.expiresAt > Date.now() + 60_000) return `Bearer ${this.accessToken.value}`;
    this.tokenPromise ??= this.fetchToken(c).finally(() => {
      this.tokenPromise = undefined;
    });
    return `Bearer ${await this.tokenPromise}`;
  }

  private async fetchToken(c: Extract<OktaCredentials, { type: 'oauth' }>): Promise<string> {
    const tokenUrl = `${this.origin}/oauth2/v1/token`;
    const assertion = clientAssertion(c.clientId, tokenUrl, c.privateKey, c.keyId);
    this.options.redactor.add(assertion);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: c.scopes.join(' '),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    const { response, text } = await this.send(tokenUrl, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = parseJson(text) as {
      access_token?: string;
      token_type?: string;
      expires_in?: number;
      scope?: string;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || !json.access_token) {
      this.tokenRefusal = typeof json.error === 'string' ? json.error : `HTTP ${response.status}`;
      throw new ZtError(
        'ZT_COLLECT_AUTH',
        `Okta refused the ${this.principal} at ${tokenUrl} (${response.status} ${json.error ?? ''}${json.error_description ? `: ${json.error_description}` : ''})`,
        {
          hint: 'Check the client id, that its public key is registered (private_key_jwt), that the scopes listed in docs/okta.md are granted and that the app holds the Read-Only Administrator role.',
        },
      );
    }
    if (json.token_type && json.token_type !== 'Bearer') {
      throw new ZtError('ZT_COLLECT_AUTH', `Okta issued a ${json.token_type} token to the ${this.principal}; zt supports Bearer tokens only`, {
        hint: 'Turn off "Require Demonstrating Proof of Possession (DPoP)" on the service app, or use an API token (OKTA_API_TOKEN).',
      });
    }
    this.options.redactor.add(json.access_token);
    this.grantedScopes = typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : undefined;
    this.accessToken = { value: json.access_token, expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000 };
    return json.access_token;
  }

  /** One exchange within the deadline; no connection at all (or an untrusted certificate) ends the run. */
  private async send(url: string, init: RequestInit): Promise<Exchange> {
    try {
      return await fetchWithin(this.options.fetch, url, { ...init, redirect: 'manual' }, this.options.signal, this.timeoutMs);
    } catch (error) {
      if (this.options.signal.aborted || !(error instanceof TransportError) || error.retryable) throw error;
      throw new ZtError('ZT_COLLECT_UNREACHABLE', `cannot reach the Okta org ${this.origin}: ${error.failure === 'tls' ? error.message : (error.code ?? error.message)}`, {
        hint: 'Check --okta (e.g. https://acme.okta.com), DNS, the network path, any proxy and TLS interception.',
        cause: error,
      });
    }
  }

  private async request(pathOrUrl: string): Promise<{ body: unknown; link: string | null }> {
    const url = new URL(pathOrUrl, this.origin);
    // Paging links must stay on the org: the credentials are never sent anywhere else.
    if (url.origin !== this.origin) throw new OktaHttpError(this.endpointOf(pathOrUrl), 0, undefined, `link points outside ${this.origin}`);
    const endpoint = `${url.pathname}${url.search}`;
    const name = bucketOf(url.pathname);
    let networkAttempts = 0;
    for (let attempt = 0; ; attempt++) {
      await this.slot();
      const bucket = await this.acquire(name).catch((error: unknown) => {
        this.release();
        throw error;
      });
      let exchange: Exchange | TransportError;
      try {
        const authorization = await this.authorization();
        this.stats.requests++;
        exchange = await this.send(url.href, { headers: { accept: 'application/json', authorization } });
        this.observe(bucket, exchange.response);
      } catch (error) {
        // A timeout or a dropped connection: retried below, after the slot is released.
        if (!(error instanceof TransportError) || !error.retryable) throw error;
        exchange = error;
      } finally {
        bucket.inflight--;
        this.release();
      }
      if (exchange instanceof TransportError) {
        networkAttempts++;
        if (networkAttempts >= NETWORK_ATTEMPTS) throw new OktaHttpError(endpoint, 0, undefined, `${exchange.message} (${networkAttempts} attempts)`);
        const wait = 500 * 2 ** (networkAttempts - 1);
        this.stats.waits++;
        this.stats.waitedMs += wait;
        this.options.onWait?.(name, wait);
        await sleep(wait, this.options.signal);
        continue;
      }
      const { response, text } = exchange;
      if (response.ok) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          if (!this.understood) {
            // The first answer is an HTML page where the API should be: not an Okta org (or a captive portal).
            throw new ZtError('ZT_COLLECT_UNREACHABLE', `${this.origin} did not answer like an Okta org (GET ${url.pathname} returned no JSON)`, {
              hint: 'Check --okta: it is the org URL, e.g. https://acme.okta.com (not the admin URL acme-admin.okta.com).',
            });
          }
          // Okta answered before: this one read failed (a proxy's page mid-run), not the org.
          throw new OktaHttpError(endpoint, response.status, undefined, `the answer is not JSON (${mediaType(response)}: a proxy or captive portal?)`);
        }
        this.understood = true;
        return { body, link: nextLink(response.headers.get('link')) };
      }
      const error = parseJson(text) as { errorCode?: string; errorSummary?: string };
      if (response.status === 401) {
        throw new ZtError('ZT_COLLECT_AUTH', `Okta ${this.origin} refused the ${this.principal} (401 ${error.errorCode ?? ''} ${error.errorSummary ?? ''})`.trim(), {
          hint: 'The token is invalid, revoked or expired (tokens expire after 30 days unused): create a new one as a Read-Only Administrator.',
        });
      }
      if (response.status === 403) throw new OktaDenied(endpoint, error.errorCode);
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= this.maxRetries) {
        if (response.status === 404 && attempt === 0 && url.pathname === '/api/v1/users') {
          throw new ZtError('ZT_COLLECT_UNREACHABLE', `${this.origin} has no Okta Management API (404 on GET /api/v1/users)`, {
            hint: 'Check --okta: it is the org URL, e.g. https://acme.okta.com.',
          });
        }
        throw new OktaHttpError(endpoint, response.status, error.errorCode, error.errorSummary ?? '');
      }
      let wait: number;
      if (response.status === 429) {
        this.stats.throttled++;
        const reset = Number(response.headers.get('x-rate-limit-reset'));
        const serverNow = Date.parse(response.headers.get('date') ?? '') || Date.now();
        // A concurrency 429 reports 0/0 and no useful reset: back off instead.
        wait = Number.isFinite(reset) && reset > 0 ? reset * 1000 - serverNow + 1000 : 1000 * 2 ** attempt;
        wait = Math.min(Math.max(wait, 250), 65_000);
      } else {
        wait = 500 * 2 ** attempt;
      }
      this.stats.waits++;
      this.stats.waitedMs += wait;
      this.options.onWait?.(name, wait);
      await sleep(wait, this.options.signal);
    }
  }
}

/** A JSON object from an error body, or {} (error bodies are read for their codes only). */
function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

/** Runs fn over items with at most `limit` at once, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // After the first failure no worker starts another item: the read as a whole has failed.
    while (!failed && next < items.length) {
      const index = next++;
      try {
        out[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
