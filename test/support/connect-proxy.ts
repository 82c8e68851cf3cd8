import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

// A forward proxy on 127.0.0.1 for the collectors' proxy tests: it opens CONNECT tunnels
// and counts them per target (host:port), so a test can tell which requests went through
// it and which went direct. It can demand Basic credentials (407), or answer every
// CONNECT with a fixed status (a proxy that refuses a host: 403, a dead upstream: 502).
// A request that is not a CONNECT (an absolute-form `GET http://…`) is answered 405 and
// counted: zt tunnels everything, so any such request is a bug the test should see.

export interface ConnectProxyOptions {
  /** `user:password` the proxy demands (407 with Proxy-Authenticate otherwise). */
  readonly credentials?: string;
  /** Answer every CONNECT with this status instead of opening the tunnel. */
  readonly refuseWith?: number;
}

export interface ConnectProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Tunnels opened, per target `host:port`. */
  readonly tunnels: Map<string, number>;
  /** CONNECTs answered with an error status, per target. */
  readonly refused: Map<string, number>;
  /** Proxy-Authorization headers received, in order. */
  readonly authorizations: string[];
  /** Requests that were not CONNECT (absolute-form forwarding), e.g. `GET http://127.0.0.1:1234/`. */
  readonly forwarded: string[];
  /** Tunnels opened to `target` (`host:port`). */
  tunnelsTo(target: string): number;
  /** Every tunnel opened, to any target. */
  totalTunnels(): number;
  close(): Promise<void>;
}

const reasons: Record<number, string> = { 403: 'Forbidden', 407: 'Proxy Authentication Required', 502: 'Bad Gateway' };

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const tunnels = new Map<string, number>();
  const refused = new Map<string, number>();
  const authorizations: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<Socket>();
  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`;

  const server: Server = createServer((req, res) => {
    forwarded.push(`${req.method} ${req.url}`);
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this proxy only tunnels (CONNECT)');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    if (authorization !== undefined) authorizations.push(authorization);
    const status = options.refuseWith ?? (expected !== undefined && authorization !== expected ? 407 : undefined);
    client.on('error', () => undefined);
    if (status !== undefined) {
      bump(refused, target);
      const challenge = status === 407 ? 'Proxy-Authenticate: Basic realm="zt-test"\r\n' : '';
      client.end(`HTTP/1.1 ${status} ${reasons[status] ?? 'Refused'}\r\n${challenge}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const colon = target.lastIndexOf(':');
    const upstream = connect(Number(target.slice(colon + 1)), target.slice(0, colon).replace(/^\[|\]$/g, ''), () => {
      bump(tunnels, target);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (!client.writableEnded) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    refused,
    authorizations,
    forwarded,
    tunnelsTo: (target) => tunnels.get(target) ?? 0,
    totalTunnels: () => [...tunnels.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The `host:port` a CONNECT names for a URL (the port spelled out, as clients send it). */
export function targetOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}
