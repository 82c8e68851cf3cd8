import { Agent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from 'undici';
import type { ConnectionOptions } from 'node:tls';
import type { Network } from '../network.js';
import { trustedCertificates } from './extra-ca.js';
import { TransportError, UNREACHABLE } from './http.js';
import { ProxyFailure, type ProxyRoute } from './proxy.js';

/**
 * The run's network settings (network.ts) as undici dispatchers, for the clients that
 * speak HTTP through fetch: Okta and Entra (fetchWithin) and Kubernetes (its client-node
 * transport is undici too). One dispatcher per way out — direct, or through one proxy —
 * so connections are pooled across requests. Requests through a proxy always tunnel with
 * CONNECT, plain http ones too (one behaviour to reason about; a proxy that refuses
 * CONNECT to a port says so and is reported, not bypassed). Loaded only by the clients,
 * when a live collection starts.
 */

/** TLS settings of the caller's own server (Kubernetes: the kubeconfig's CA, client certificate, SNI, skip-verify). */
export type ServerTls = Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'>;

/** undici's failure on the way to or through `route`, as a ProxyFailure; undefined for any other failure. */
export function proxyFailure(route: ProxyRoute, target: URL, error: unknown): ProxyFailure | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const status = typeof message === 'string' ? /Proxy response \((\d{3})\)/.exec(message)?.[1] : undefined;
    if (status) return ProxyFailure.refused(route, target.host, Number(status));
    if (code === 'UND_ERR_PRX_TLS') return ProxyFailure.untrusted(route, 'UND_ERR_PRX_TLS');
    if (code === 'UND_ERR_PRX_CONN') return ProxyFailure.closed(route, target.host);
    // Only the connection to the proxy is ours to fail: a target the proxy cannot reach answers the CONNECT with an HTTP error.
    if (typeof code === 'string' && UNREACHABLE.has(code)) return ProxyFailure.unreachable(route, code);
  }
  return undefined;
}

export class FetchTransport {
  private readonly network: Network;
  private readonly dispatchers = new Map<string, Dispatcher>();

  constructor(network: Network) {
    this.network = network;
  }

  /** The proxy `url` goes through, or undefined (direct). */
  routeFor(url: URL): ProxyRoute | undefined {
    return this.network.proxy.routeFor(url);
  }

  /**
   * The dispatcher for requests to `url`: through `route` (default: the environment's proxy
   * for it), trusting the default CAs plus --ca-file's, with the server's own TLS settings
   * when given. Undefined: undici's default is exactly right (no proxy, nothing to add).
   */
  dispatcherFor(url: URL, tls?: ServerTls, route: ProxyRoute | undefined = this.routeFor(url)): Dispatcher | undefined {
    const extra = this.network.extraCa;
    // The server's own CA (a kubeconfig's) is what it is vouched by; --ca-file adds the inspecting proxy's.
    const ownCa = tls?.ca === undefined ? [] : Array.isArray(tls.ca) ? tls.ca : [tls.ca];
    const ca = extra ? (ownCa.length > 0 ? [...ownCa, ...extra.certificates] : trustedCertificates(extra)) : tls?.ca;
    const requestTls = { ...tls, ...(ca === undefined ? {} : { ca }) };
    const hasTls = Object.values(requestTls).some((v) => v !== undefined);
    if (!route && !hasTls) return undefined;
    const key = tls ? undefined : (route?.url.href ?? 'direct');
    const cached = key === undefined ? undefined : this.dispatchers.get(key);
    if (cached) return cached;
    const dispatcher = route
      ? new ProxyAgent({
          uri: route.url.href,
          proxyTunnel: true,
          ...(hasTls ? { requestTls } : {}),
          ...(extra ? { proxyTls: { ca: trustedCertificates(extra) } } : {}),
        })
      : new Agent({ connect: requestTls });
    if (key !== undefined) this.dispatchers.set(key, dispatcher);
    return dispatcher;
  }

  /**
   * fetch through the dispatcher for `url`. A failure on the way to or through the proxy
   * is a TransportError naming it (`unreachable`: never retried, never an API answer);
   * anything else is fetch's own error, for the caller to classify.
   */
  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const target = new URL(url);
    const route = this.routeFor(target);
    const dispatcher = this.dispatcherFor(target, undefined, route);
    try {
      // undici's Response is the one Node's fetch returns (Node bundles undici); only the declared types differ.
      return (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), ...(dispatcher ? { dispatcher } : {}) })) as unknown as Response;
    } catch (error) {
      const failure = route ? proxyFailure(route, target, error) : undefined;
      if (failure) throw new TransportError(failure.kind === 'tls' ? 'tls' : 'unreachable', failure.message);
      throw error;
    }
  };

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await Promise.all([...this.dispatchers.values()].map((d) => d.close().catch(() => undefined)));
    this.dispatchers.clear();
  }
}
