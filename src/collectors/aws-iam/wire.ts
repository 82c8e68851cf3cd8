import type { DeserializeMiddleware, RetryStrategyV2, RetryToken } from '@aws-sdk/types';
import { redactPatterns } from '../../text/redact.js';
import type { Network } from '../network.js';
import { nodeAgents } from '../shared/node-agents.js';
import { ProxyFailure } from '../shared/proxy.js';

// How zt's AWS SDK clients (IAM, STS for --role-arn, Organizations for --org) talk on the wire: the request
// handler (deadlines, and the run's proxy and extra CAs through shared/node-agents.ts),
// the retry settings, and a check innermost on every attempt that the whole answer
// arrived in time and is the action's own XML, or a JSON object for JSON 1.1 (wireCheck).
// The clients themselves are client.ts (IAM), sts-client.ts (STS) and
// organizations-client.ts (Organizations).

/** Per attempt of one call: no complete answer (headers and body) within this is a timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Attempts of a call whose answer times out, is dropped or is cut short (throttling and 5xx get `maxAttempts`). */
export const NETWORK_ATTEMPTS = 3;

/** An SDK or server message, short and without anything shaped like a key, token or secret (text/redact.ts). */
export function scrub(text: string): string {
  return redactPatterns(text).slice(0, 400);
}

type WireFailure = 'timeout' | 'reset' | 'truncated' | 'unexpected' | 'unreachable';

/**
 * The answer never arrived, arrived incomplete, or is not an IAM answer at all. Carries
 * the SDK's retryable trait while the call has network attempts left, so the SDK's own
 * retry loop (and back-off) retries it; messages never quote the body.
 */
export class WireError extends Error {
  readonly failure: WireFailure;
  constructor(failure: WireFailure, message: string, retryable: boolean) {
    super(message);
    this.name = 'WireError';
    this.failure = failure;
    if (retryable) Object.assign(this, { $retryable: {} });
  }
}

export const seconds = (ms: number): string => (ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The SDK's (Node's) failure of one attempt, as a WireError; other errors unchanged. */
function asWireError(error: unknown, timeoutMs: number, retryable: boolean, inBody: boolean): unknown {
  if (error instanceof WireError) return error;
  // The proxy refused the tunnel or could not be reached: asking again will not change its mind.
  if (error instanceof ProxyFailure) return new WireError('unreachable', error.message, false);
  const e = error as { name?: string; code?: string; message?: string };
  if (e?.name === 'AbortError') return error;
  const code = e?.code ?? '';
  const message = String(e?.message ?? '');
  // A certificate the trusted CAs do not vouch for: a setting to fix (a TLS-inspecting proxy's CA), not a fault to retry.
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/.test(code)) {
    return new WireError('unreachable', `the server's TLS certificate was not accepted (${code}; behind a TLS-inspecting proxy, give its CA with --ca-file)`, false);
  }
  if (UNREACHABLE_CODES.has(code) || /did not establish a connection/.test(message)) {
    return new WireError('unreachable', `cannot connect (${code || `no connection within ${seconds(Math.min(timeoutMs, 10_000))}`})`, retryable);
  }
  if (code === 'ETIMEDOUT' || /requestTimeout|timed out/.test(message)) return new WireError('timeout', `no answer within ${seconds(timeoutMs)}`, retryable);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || /socket hang up|aborted|premature close/i.test(message)) {
    return inBody
      ? new WireError('truncated', 'the answer was cut short (the connection closed mid-body)', retryable)
      : new WireError('reset', `the connection was dropped before an answer (${code || 'reset'})`, retryable);
  }
  return error;
}

/** The whole body, or a WireError('timeout') once `ms` have passed. */
async function readBody(body: unknown, ms: number, timeout: () => WireError): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body === undefined || body === null) return new Uint8Array();
  const stream = body as AsyncIterable<Uint8Array | string> & { destroy(error: Error): void };
  const chunks: Uint8Array[] = [];
  let length = 0;
  const timer = setTimeout(() => stream.destroy(timeout()), Math.max(0, ms));
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      chunks.push(bytes);
      length += bytes.length;
    }
  } finally {
    clearTimeout(timer);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The wire protocol of a client: IAM and STS speak the query protocol (XML), Organizations JSON 1.1. */
export type AwsProtocol = 'query' | 'json';

/** A 2xx JSON 1.1 body must be one JSON object (Organizations answers `{}` at least). */
function checkJsonBody(status: number, body: Uint8Array, contentType: string | undefined, retryable: boolean): void {
  const text = new TextDecoder().decode(body).replace(/^\uFEFF/, '').trim();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return;
  const type = contentType ? ` (${scrub(contentType).slice(0, 60)})` : '';
  const what =
    text === ''
      ? 'an empty body'
      : /^(<!doctype html|<html)/i.test(text)
        ? `an HTML page${type}, not the service's JSON (a proxy or captive portal?)`
        : `a body that is not a JSON object${type}`;
  if (text.startsWith('{')) throw new WireError('truncated', 'the answer was cut short (its JSON does not close)', retryable);
  throw new WireError('unexpected', `HTTP ${status} with ${what}`, false);
}

/** A 2xx body must be `<{Action}Response …><{Action}Result…>…</{Action}Response>`. */
function checkEnvelope(action: string, status: number, body: Uint8Array, contentType: string | undefined, retryable: boolean): void {
  const text = new TextDecoder().decode(body).replace(/^\uFEFF/, '').trim().replace(/^<\?xml[^>]*\?>\s*/, '');
  const opens = new RegExp(`^<${action}Response[\\s>]`).test(text);
  const closes = text.endsWith(`</${action}Response>`);
  if (opens && closes && text.includes(`<${action}Result`)) return;
  if (opens && !closes) throw new WireError('truncated', 'the answer was cut short (its XML does not close)', retryable);
  const type = contentType ? ` (${scrub(contentType).slice(0, 60)})` : '';
  const what =
    text === ''
      ? 'an empty body'
      : /^(<!doctype html|<html)/i.test(text)
        ? `an HTML page${type}, not IAM's XML (a proxy or captive portal?)`
        : opens
          ? `no ${action}Result in the answer`
          : text.startsWith('<')
            ? `XML that is not a ${action} answer${type}`
            : `a body that is not XML${type}`;
  throw new WireError('unexpected', `HTTP ${status} with ${what}`, false);
}

/**
 * Innermost on every attempt (below the SDK's deserializer, inside its retry loop): reads
 * the whole body within the attempt's deadline and checks a 2xx body is the action's
 * XML envelope before the SDK parses it. The request phase is bounded by the HTTP
 * handler's requestTimeout; this bounds the body by what is left of it.
 */
export function wireCheck<Input extends object, Output extends object>(timeoutMs: number, protocol: AwsProtocol = 'query'): DeserializeMiddleware<Input, Output> {
  return (next, context) => async (args) => {
    const action = (context.commandName ?? '').replace(/Command$/, '');
    const header = (args.request as { headers?: Record<string, string> }).headers?.['amz-sdk-request'] ?? '';
    const retryable = Number(/attempt=(\d+)/.exec(header)?.[1] ?? 1) < NETWORK_ATTEMPTS;
    const started = Date.now();
    let result: Awaited<ReturnType<typeof next>>;
    try {
      result = await next(args);
    } catch (error) {
      throw asWireError(error, timeoutMs, retryable, false);
    }
    const response = result.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown };
    try {
      response.body = await readBody(response.body, timeoutMs - (Date.now() - started), () => new WireError('timeout', `no complete answer within ${seconds(timeoutMs)}`, retryable));
    } catch (error) {
      throw asWireError(error, timeoutMs, retryable, true);
    }
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      if (protocol === 'json') checkJsonBody(status, response.body as Uint8Array, response.headers?.['content-type'], retryable);
      else checkEnvelope(action, status, response.body as Uint8Array, response.headers?.['content-type'], retryable);
    }
    return result;
  };
}

/** Tests: the SDK's retry decisions (throttling and transient errors) with a fixed back-off. */
function fixedDelayRetries(maxAttempts: number, delayMs: number): RetryStrategyV2 {
  const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delayMs });
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous, info) => {
      const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
      if (!retryable || previous.getRetryCount() + 1 >= maxAttempts) throw new Error('no retry');
      return token(previous.getRetryCount() + 1);
    },
    recordSuccess: () => {},
  };
}


/** What a client's wire settings are read from (LiveSettings, client.ts). */
export interface WireSettings {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly network: Network;
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
  readonly retryDelayMs?: number;
}

/** The region zt's calls are signed for: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1 (IAM is global). */
export function regionOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/**
 * The configuration every zt AWS client shares: region, retries (adaptive, or a fixed
 * back-off in tests), the deadlines, the proxy-aware agents, and the endpoint override
 * when one is set. `destroy` on the client closes the agents' connections.
 */
export function wireConfig(settings: WireSettings, endpoint: string | undefined, maxAttempts: number) {
  return {
    region: regionOf(settings.env),
    maxAttempts,
    ...(settings.retryDelayMs === undefined ? { retryMode: 'adaptive' } : { retryStrategy: fixedDelayRetries(maxAttempts, settings.retryDelayMs) }),
    requestHandler: requestHandlerOf(settings),
    ...(endpoint ? { endpoint } : {}),
  };
}

/**
 * The request handler's settings: the deadlines and the proxy-aware agents. Also what the
 * SDK's credential chain is given for the clients it builds itself (SSO, STS for a
 * profile's `role_arn` or web identity), so their requests take the same way out.
 */
export function requestHandlerOf(settings: WireSettings) {
  const timeoutMs = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const connectionTimeout = Math.min(timeoutMs, 10_000);
  const { httpAgent, httpsAgent } = nodeAgents(settings.network, connectionTimeout);
  // Until the answer's headers; wireCheck bounds the body by what is left of it.
  return { requestTimeout: timeoutMs, throwOnRequestTimeout: true, connectionTimeout, httpAgent, httpsAgent };
}
