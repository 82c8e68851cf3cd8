/**
 * One HTTP exchange with a deadline for the whole answer — headers and body — for the
 * collectors that speak HTTP through fetch (Okta, Entra). A server that accepts the
 * connection and then says nothing, or sends half a body and stalls, costs at most
 * `timeoutMs`; a dropped connection or a cut-short body is a TransportError the caller
 * can retry, never a half-read answer.
 */

/**
 * - `timeout`: no complete answer within the deadline;
 * - `reset`: the connection was dropped before an answer;
 * - `truncated`: the answer began, then the connection closed mid-body;
 * - `unreachable`: no connection at all (refused, no such host, no route);
 * - `tls`: the server's certificate was not accepted (not worth retrying).
 */
export type TransportFailure = 'timeout' | 'reset' | 'truncated' | 'unreachable' | 'tls';

/** What went wrong below HTTP. The message names the failure and a code, never a body or a header value. */
export class TransportError extends Error {
  readonly failure: TransportFailure;
  /** The system or library code (ECONNREFUSED, UND_ERR_SOCKET, DEPTH_ZERO_SELF_SIGNED_CERT), when there is one. */
  readonly code: string | undefined;
  constructor(failure: TransportFailure, message: string, code?: string) {
    super(message);
    this.name = 'TransportError';
    this.failure = failure;
    this.code = code;
  }

  /** Timeouts and dropped or cut-short answers may succeed on another attempt. */
  get retryable(): boolean {
    return this.failure === 'timeout' || this.failure === 'reset' || this.failure === 'truncated';
  }
}

/** Attempts of one request whose answer times out, is dropped or is cut short. */
export const NETWORK_ATTEMPTS = 3;

export const seconds = (ms: number): string => (ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** Codes of a connection that could not be made at all. */
export const UNREACHABLE: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL/;

/** fetch's failure (a TypeError with the socket error as its cause) as a TransportError. */
export function transportError(error: unknown, answered: boolean): TransportError {
  if (error instanceof TransportError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  if (code && TLS.test(code)) return new TransportError('tls', `the server's TLS certificate was not accepted (${code}; behind a TLS-inspecting proxy, give its CA with --ca-file)`, code);
  if (code && UNREACHABLE.has(code)) return new TransportError('unreachable', `cannot connect (${code})`, code);
  if (answered) return new TransportError('truncated', `the answer was cut short (the connection closed mid-body${code ? `, ${code}` : ''})`, code);
  return new TransportError('reset', `the connection was dropped before an answer (${code ?? cause?.message ?? (error as Error).message ?? 'network error'})`, code);
}

export interface Exchange {
  readonly response: Response;
  /** The whole body, read within the deadline. */
  readonly text: string;
}

/** fetch as a client is given it: the run's transport (fetch-transport.ts), which knows the proxy and extra CAs. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * fetch(url, init) and its whole body within `timeoutMs`. Throws a TransportError for
 * network failures and timeouts; when the run's `signal` aborts, its reason. One
 * AbortController per request, tied to the run's signal by a listener removed after:
 * fetch's own listeners on a long-lived signal are released only by garbage collection.
 */
export async function fetchWithin(fetch: Fetch, url: string, init: RequestInit, signal: AbortSignal, timeoutMs: number): Promise<Exchange> {
  if (signal.aborted) throw signal.reason;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new TransportError('timeout', `no complete answer within ${seconds(timeoutMs)}`)), timeoutMs);
  let answered = false;
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    answered = true;
    return { response, text: await response.text() };
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    if (controller.signal.aborted && controller.signal.reason instanceof TransportError) throw controller.signal.reason;
    throw transportError(error, answered);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** The Content-Type's media type, for messages (no parameters, at most 40 characters). */
export function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? 'no content type').split(';')[0]!.trim().slice(0, 40);
}
