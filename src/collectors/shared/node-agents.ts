import { Agent as HttpAgent, request as httpRequest, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { isIPv6, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Network } from '../network.js';
import { trustedCertificates } from './extra-ca.js';
import { ProxyFailure, type ProxyRoute } from './proxy.js';

/**
 * The run's network settings (network.ts) as node:http and node:https agents, for the
 * clients built on them: the AWS SDK's (IAM, STS), whose NodeHttpHandler takes an
 * httpAgent and an httpsAgent. Each connection is decided when it is made, from its host
 * and port: direct, or through a CONNECT tunnel opened on the proxy (http targets too, as
 * fetch-transport.ts does), TLS then run inside the tunnel with the server. With
 * --ca-file the https agent trusts Node's default CAs plus the extra ones. A proxy that
 * refuses the tunnel, cannot be connected to, or presents an untrusted certificate fails
 * the connection with a ProxyFailure — never an HTTP answer the SDK would read as the
 * service's (a proxy's 403 to CONNECT is not AWS's AccessDenied).
 */

type Callback = (error: Error | null, socket: Duplex) => void;

export interface NodeAgents {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  /** Closes every pooled connection. */
  destroy(): void;
}

const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT)$/;
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;

/** A raw socket to `host:port` through the proxy of `route`, once it has answered the CONNECT with 200. */
function openTunnel(route: ProxyRoute, host: string, port: number, proxyCa: string[] | undefined, timeoutMs: number): Promise<Socket> {
  const target = `${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const proxy = route.url;
  const headers: Record<string, string> = { host: target };
  if (proxy.username !== '' || proxy.password !== '') {
    headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
  }
  const secure = proxy.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port !== '' ? Number(proxy.port) : secure ? 443 : 80,
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
      timeout: timeoutMs,
      ...(secure && proxyCa ? { ca: proxyCa } : {}),
    });
    request.once('connect', (response, socket: Socket, head: Buffer) => {
      if (response.statusCode === 200) {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(ProxyFailure.refused(route, target, response.statusCode ?? 0));
    });
    // A proxy that answers a CONNECT with anything but a tunnel or an HTTP status.
    request.once('response', (response) => {
      response.resume();
      reject(ProxyFailure.refused(route, target, response.statusCode ?? 0));
    });
    request.once('timeout', () => request.destroy(Object.assign(new Error('no answer to CONNECT'), { code: 'ETIMEDOUT' })));
    request.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'error';
      reject(secure && CERTIFICATE.test(code) ? ProxyFailure.untrusted(route, code) : UNREACHABLE.test(code) ? ProxyFailure.unreachable(route, code) : ProxyFailure.closed(route, target));
    });
    request.end();
  });
}

/** Where a connection to `options` goes: the proxy route for its scheme, host and port, or undefined (direct). */
function routeOf(network: Network, protocol: 'http:' | 'https:', options: ClientRequestArgs): { route: ProxyRoute; host: string; port: number } | undefined {
  const host = String(options.host ?? options.hostname ?? 'localhost');
  const port = Number(options.port ?? (protocol === 'https:' ? 443 : 80));
  const route = network.proxy.routeFor(`${protocol}//${isIPv6(host) ? `[${host}]` : host}:${port}/`);
  return route ? { route, host, port } : undefined;
}

/** The agents for one client. `connectTimeoutMs` bounds the CONNECT exchange with the proxy. */
export function nodeAgents(network: Network, connectTimeoutMs: number): NodeAgents {
  const ca = network.extraCa ? trustedCertificates(network.extraCa) : undefined;

  class TunnellingHttpAgent extends HttpAgent {
    override createConnection(options: ClientRequestArgs, callback: Callback): Duplex | null | undefined {
      const way = routeOf(network, 'http:', options);
      if (!way) return super.createConnection(options, callback);
      openTunnel(way.route, way.host, way.port, ca, connectTimeoutMs).then(
        (socket) => callback(null, socket),
        (error: Error) => callback(error, undefined as unknown as Duplex),
      );
      return undefined;
    }
  }

  class TunnellingHttpsAgent extends HttpsAgent {
    override createConnection(options: RequestOptions, callback: Callback): Duplex | null | undefined {
      const way = routeOf(network, 'https:', options);
      if (!way) return super.createConnection(options, callback);
      openTunnel(way.route, way.host, way.port, ca, connectTimeoutMs).then(
        // TLS with the server, inside the tunnel: the agent's options (ca, servername) apply to it as to a direct connection.
        (socket) => callback(null, tlsConnect({ ...(options as ConnectionOptions), socket })),
        (error: Error) => callback(error, undefined as unknown as Duplex),
      );
      return undefined;
    }
  }

  const httpAgent = new TunnellingHttpAgent({ keepAlive: true, maxSockets: 50 });
  const httpsAgent = new TunnellingHttpsAgent({ keepAlive: true, maxSockets: 50, ...(ca ? { ca } : {}) });
  return {
    httpAgent,
    httpsAgent,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
