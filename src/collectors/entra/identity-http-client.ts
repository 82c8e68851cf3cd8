import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { fetchWithin, NETWORK_ATTEMPTS, TransportError, type Fetch } from '../shared/http.js';
import { sleep } from '../shared/sleep.js';

/** The SDK's AbortSignalLike as a DOM AbortSignal (it may be one already). */
function asSignal(like: NonNullable<PipelineRequest['abortSignal']>): AbortSignal {
  if (like instanceof AbortSignal) return like;
  const controller = new AbortController();
  if (like.aborted) controller.abort();
  else like.addEventListener('abort', () => controller.abort(), { once: true });
  return controller.signal;
}

/** An OAuth error body's name and AADSTS number (Entra: `{"error": "invalid_client", "error_description": "AADSTS7000215: …"}`). */
function refusalOf(status: number, text: string): NonNullable<IdentityHttpClient['refusal']> {
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the status alone
  }
  // The name as sent (a careless server may put input in it too: the caller redacts the message it builds).
  const error = typeof body.error === 'string' && body.error !== '' ? body.error.slice(0, 200) : undefined;
  const aadsts = typeof body.error_description === 'string' ? /AADSTS\d+/.exec(body.error_description)?.[0] : undefined;
  return { status, error, aadsts };
}

/**
 * The HttpClient @azure/identity sends its requests with (the token endpoint, the
 * authority's metadata, a managed identity endpoint): zt's transport, so the proxy
 * settings, --ca-file and the deadline of every other Entra request apply to them too —
 * the SDK's own client would read the proxy from process.env with its own NO_PROXY rules.
 * Timeouts, dropped connections and cut-short answers are retried like Graph's
 * (NETWORK_ATTEMPTS in all); the SDK's own retries are turned off by the caller.
 *
 * MSAL reports a failed request as a bare "network error", and an authority that refuses
 * the tenant as "endpoints_resolution_error", dropping what went wrong: the last
 * TransportError (`failure`) and the last OAuth error answer (`refusal`) are kept here for
 * the caller to report instead.
 */
export class IdentityHttpClient implements HttpClient {
  private readonly fetch: Fetch;
  private readonly signal: AbortSignal;
  private readonly timeoutMs: number;
  /** The last request that failed below HTTP, if any (cleared by `reset`). */
  failure: TransportError | undefined;
  /** The last OAuth error answer (4xx/5xx): its status, error name and AADSTS number — never its description, which can quote input. */
  refusal: { readonly status: number; readonly error: string | undefined; readonly aadsts: string | undefined } | undefined;

  constructor(fetch: Fetch, signal: AbortSignal, timeoutMs: number) {
    this.fetch = fetch;
    this.signal = signal;
    this.timeoutMs = timeoutMs;
  }

  reset(): void {
    this.failure = undefined;
    this.refusal = undefined;
  }

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const body = request.body;
    if (body !== undefined && body !== null && typeof body !== 'string') throw new Error(`zt's identity transport sends text bodies only (got ${typeof body})`);
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const signal = request.abortSignal ? AbortSignal.any([this.signal, asSignal(request.abortSignal)]) : this.signal;
    const timeoutMs = request.timeout > 0 ? Math.min(request.timeout, this.timeoutMs) : this.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const { response, text } = await fetchWithin(this.fetch, request.url, { method: request.method, headers, ...(typeof body === 'string' ? { body } : {}) }, signal, timeoutMs);
        const answered: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          answered[name] = value;
        });
        if (response.status >= 400) this.refusal = refusalOf(response.status, text);
        return { request, status: response.status, headers: createHttpHeaders(answered), bodyAsText: text };
      } catch (error) {
        if (!(error instanceof TransportError) || signal.aborted) throw error;
        if (!error.retryable || attempt >= NETWORK_ATTEMPTS) {
          this.failure = attempt > 1 ? new TransportError(error.failure, `${error.message} (${attempt} attempts)`, error.code) : error;
          throw this.failure;
        }
        await sleep(500 * 2 ** (attempt - 1), signal);
      }
    }
  }
}
