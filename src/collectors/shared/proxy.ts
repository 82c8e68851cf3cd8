import { isIP } from 'node:net';
import { ZtError } from '../../errors/zt-error.js';
import { parseNoProxy, type NoProxy } from './no-proxy.js';

/**
 * The proxy settings of a run, read once from the environment the way curl reads them:
 * `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/`HTTP_PROXY` for http URLs,
 * `no_proxy`/`NO_PROXY` for the hosts reached directly (no-proxy.ts); the lowercase name
 * wins when both are set. There is no fallback from one scheme's variable to the other's
 * (curl, Go and Node do not fall back either), and ALL_PROXY is not read.
 *
 * A proxy is an http:// or https:// URL, optionally with `user:password@` (sent as
 * Basic proxy authorization); a value without a scheme is taken as http://, as curl
 * does. Anything else is the user's setting to fix: exit 2 naming the variable, before
 * anything is collected. Proxy URLs never appear in messages with their credentials
 * (`describe`), and the credentials are registered with the run's Redactor.
 */

export interface ProxyRoute {
  /** The proxy, credentials included (what the transport uses). */
  readonly url: URL;
  /** The variable it came from, for messages (`HTTPS_PROXY`, `https_proxy`). */
  readonly variable: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The set value of a variable, lowercase name first; undefined when unset or empty. */
function variable(env: Env, name: string): { name: string; value: string } | undefined {
  for (const candidate of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[candidate]?.trim();
    if (value !== undefined && value !== '') return { name: candidate, value };
  }
  return undefined;
}

function proxyUrl(name: string, value: string): URL {
  const refuse = (what: string): never => {
    throw new ZtError('ZT_PROXY_INVALID', `${name} ${what}`, {
      hint: `Set ${name} to the proxy as http://host:port (or http://user:password@host:port), or unset it; NO_PROXY lists the hosts reached directly (README, "Behind a proxy").`,
    });
  };
  // No scheme: http://, as curl assumes. (`host:3128` would otherwise parse as scheme `host:`.)
  const text = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The value may hold a password: it is not quoted.
    return refuse('is not a proxy URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse(`uses ${url.protocol.slice(0, -1)}://, which zt does not support as a proxy (http:// and https:// are)`);
  if (url.hostname === '') refuse('names no proxy host');
  return url;
}

/** A proxy URL as messages show it: scheme, host and port, never the credentials. */
export function describeProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * A request that failed on the way to or through the proxy: the proxy refused the tunnel
 * (407, 403, 502 to CONNECT), could not be connected to, or presented a certificate that
 * is not trusted. The collectors report it as unreachable (exit 3) — never as the API's
 * own refusal, which a proxy's 403 is not. The message names the proxy and the variable
 * it came from, never its credentials.
 */
export class ProxyFailure extends Error {
  /** `tls`: the proxy's own certificate (an https:// proxy) was not accepted. */
  readonly kind: 'refused' | 'unreachable' | 'tls';

  private constructor(kind: ProxyFailure['kind'], message: string) {
    super(message);
    this.name = 'ProxyFailure';
    this.kind = kind;
  }

  static refused(route: ProxyRoute, target: string, status: number): ProxyFailure {
    const why = status === 407 ? ': proxy authentication required (check the user and password in the proxy URL)' : '';
    return new ProxyFailure('refused', `the proxy ${named(route)} refused the tunnel to ${target} with HTTP ${status}${why}`);
  }

  static unreachable(route: ProxyRoute, code: string): ProxyFailure {
    return new ProxyFailure('unreachable', `cannot connect to the proxy ${named(route)} (${code})`);
  }

  static closed(route: ProxyRoute, target: string): ProxyFailure {
    return new ProxyFailure('unreachable', `the proxy ${named(route)} closed the connection before the tunnel to ${target} was open`);
  }

  static untrusted(route: ProxyRoute, code: string): ProxyFailure {
    return new ProxyFailure('tls', `the proxy ${named(route)} presented a TLS certificate that is not trusted (${code}; give its CA with --ca-file)`);
  }
}

const named = (route: ProxyRoute): string => `${describeProxy(route.url)} (${route.variable})`;

export class ProxyEnvironment {
  private readonly https: ProxyRoute | undefined;
  private readonly http: ProxyRoute | undefined;
  private readonly noProxy: NoProxy;

  private constructor(https: ProxyRoute | undefined, http: ProxyRoute | undefined, noProxy: NoProxy) {
    this.https = https;
    this.http = http;
    this.noProxy = noProxy;
  }

  /** No proxy at all (offline runs, and tests that do not set one). */
  static readonly none = new ProxyEnvironment(undefined, undefined, parseNoProxy(undefined));

  /** Reads and checks the proxy variables (ZT_PROXY_INVALID, exit 2, for a value that is not a usable proxy). */
  static read(env: Env): ProxyEnvironment {
    const route = (name: string): ProxyRoute | undefined => {
      const found = variable(env, name);
      return found ? { url: proxyUrl(found.name, found.value), variable: found.name } : undefined;
    };
    return new ProxyEnvironment(route('HTTPS_PROXY'), route('HTTP_PROXY'), parseNoProxy(variable(env, 'NO_PROXY')?.value));
  }

  /** Whether any proxy is set. */
  get enabled(): boolean {
    return this.https !== undefined || this.http !== undefined;
  }

  /**
   * The proxy for a request to `target`, or undefined to connect directly: no proxy set
   * for its scheme, NO_PROXY names it, or it is a link-local address (the cloud metadata
   * endpoints, 169.254.169.254, answer only on the local link: no proxy can reach them).
   */
  routeFor(target: URL | string): ProxyRoute | undefined {
    const url = typeof target === 'string' ? new URL(target) : target;
    const route = url.protocol === 'https:' ? this.https : url.protocol === 'http:' ? this.http : undefined;
    if (!route) return undefined;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isLinkLocal(host)) return undefined;
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return this.noProxy.bypasses(host, port) ? undefined : route;
  }

  /** The proxy credentials (user, password, and the Basic value sent), for the run's Redactor. */
  secrets(): string[] {
    const out: string[] = [];
    for (const route of [this.https, this.http]) {
      if (!route || (route.url.username === '' && route.url.password === '')) continue;
      const user = decodeURIComponent(route.url.username);
      const password = decodeURIComponent(route.url.password);
      out.push(password, `${user}:${password}`, Buffer.from(`${user}:${password}`).toString('base64'));
    }
    return out;
  }
}

function isLinkLocal(host: string): boolean {
  const family = isIP(host);
  if (family === 4) return host.startsWith('169.254.');
  return family === 6 && /^fe[89ab][0-9a-f]?:/i.test(host);
}
