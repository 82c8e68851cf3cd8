import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { AgentOptions } from 'node:https';
import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext, type Cluster, type User } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import { clusterNameOf } from './cluster-names.js';
import { ZtError } from '../../errors/zt-error.js';
import { scalarText } from '../../text/scalar-text.js';
import { FetchTransport, proxyFailure, type ServerTls } from '../shared/fetch-transport.js';
import type { ProxyRoute } from '../shared/proxy.js';
import { continueTokenInHead, KubeHttpError, type ConnectOptions, type GetOptions, type KubeClient, type KubeCredential, type KubeTarget } from './kube-api.js';

/** Node's codes for a server certificate that does not verify against the CA in use. */
const certificateErrors = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * The only file that imports @kubernetes/client-node. It uses the library for what it
 * is good at — kubeconfig parsing, contexts, every auth method (client certificates,
 * tokens, token files, exec plugins, OIDC) and its TLS/proxy transport — and sends
 * plain GETs through that transport, so list responses arrive as the wire JSON that
 * manifests also have (the typed APIs would turn dates into Date objects and rename
 * fields such as ipBlock.except to `_except`).
 */

const DEFAULT_SA_ROOT = '/var/run/secrets/kubernetes.io/serviceaccount';

const seconds = (ms: number): string => (ms < 10_000 ? `${Number((ms / 1000).toFixed(1))}s` : `${Math.round(ms / 1000)}s`);

function configError(message: string, hint?: string): ZtError {
  return new ZtError('ZT_COLLECT_CONFIG', message, hint ? { hint } : {});
}

/** kubeconfig files to load: --kubeconfig, else $KUBECONFIG (merged), else ~/.kube/config. */
function kubeconfigFiles(options: ConnectOptions): string[] {
  if (options.kubeconfig) return [resolve(options.cwd, options.kubeconfig)];
  const env = options.env.KUBECONFIG;
  if (env) return env.split(delimiter).filter((f) => f !== '').map((f) => resolve(options.cwd, f));
  const home = options.env.HOME ?? options.env.USERPROFILE ?? homedir();
  const file = join(home, '.kube', 'config');
  return existsSync(file) ? [file] : [];
}

function loadConfig(options: ConnectOptions): { kc: KubeConfig; inCluster: boolean } {
  const kc = new KubeConfig();
  const files = kubeconfigFiles(options);
  if (files.length > 0) {
    for (const [i, file] of files.entries()) {
      if (!existsSync(file)) {
        throw configError(`kubeconfig ${file} does not exist`, 'Pass an existing file with --kubeconfig, or fix $KUBECONFIG.');
      }
      try {
        if (i === 0) kc.loadFromFile(file);
        else {
          const more = new KubeConfig();
          more.loadFromFile(file);
          kc.mergeConfig(more);
        }
      } catch (error) {
        // Two files of $KUBECONFIG defining one name: the client refuses to merge them.
        const duplicate = /^Duplicate (cluster|user|context): (.{1,200})$/.exec((error as Error).message);
        if (duplicate) {
          throw configError(
            `kubeconfig ${file} defines the ${duplicate[1]} ${duplicate[2]} again (an earlier file of $KUBECONFIG has one of that name)`,
            'Give each cluster, user and context a name of its own across the merged kubeconfig files, or pass one file with --kubeconfig.',
          );
        }
        // The parser's message can quote file content (a token): name the file only.
        throw configError(`kubeconfig ${file} cannot be read as a kubeconfig (${(error as Error).name})`);
      }
    }
    return { kc, inCluster: false };
  }
  const root = options.serviceAccountRoot ?? DEFAULT_SA_ROOT;
  const host = options.env.KUBERNETES_SERVICE_HOST;
  const port = options.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (host && existsSync(join(root, 'token'))) {
    const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    kc.loadFromOptions({
      clusters: [{ name: 'in-cluster', server, caFile: join(root, 'ca.crt'), skipTLSVerify: false }],
      users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: join(root, 'token') } } }],
      contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
      currentContext: 'in-cluster',
    });
    return { kc, inCluster: true };
  }
  throw configError(
    'no kubeconfig found: $KUBECONFIG is not set, ~/.kube/config does not exist and zt is not running in a pod',
    'Pass --kubeconfig <file> or --context <name>, set KUBECONFIG, or use --manifests to audit files instead.',
  );
}

/**
 * Kills a hung exec credential plugin (an interactive login waiting for input, a stuck SSO
 * refresh). The timer is zt's own, cleared however the child ends: spawn's `timeout` option
 * clears its timer only on 'exit', which a plugin that never started (ENOENT, EACCES) never
 * emits, so a missing binary kept the process alive for the whole timeout after zt was done.
 */
function boundExecPlugins(kc: KubeConfig, timeoutMs: number): void {
  const authenticators = (kc as unknown as { authenticators?: { execFn?: unknown }[] }).authenticators ?? [];
  for (const auth of authenticators) {
    if (typeof auth.execFn !== 'function') continue;
    auth.execFn = (command: string, args: readonly string[], opts: SpawnOptions) => {
      const child = spawn(command, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const done = (): void => clearTimeout(timer);
      child.once('exit', done);
      child.once('error', done);
      child.once('close', done);
      return child;
    };
  }
}

/** A plugin's message: its first line, redacted (a failing plugin may print the token it holds). */
function pluginMessage(text: string, redactor: ConnectOptions['redactor']): string {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return redactor.redact(first).slice(0, 200);
}

/** The credential part of an Authorization header (`Bearer <token>`, `Basic <base64>`), or the whole value. */
function credentialOf(header: string): string {
  return header.replace(/^\s*[A-Za-z-]+\s+/, '');
}

/**
 * The kubeconfig's `proxy-url` for the current cluster, checked: http(s) is zt's to use
 * (exit 2 for anything else but socks), socks is left to client-node, which supports it.
 * kubectl uses proxy-url instead of the proxy variables, NO_PROXY included; so does zt.
 */
function kubeconfigProxy(cluster: Cluster, contextName: string): { route: ProxyRoute | undefined; socks: boolean } {
  const value = cluster.proxyUrl;
  if (value === undefined || value === '') return { route: undefined, socks: false };
  const refuse = (what: string): never => {
    throw new ZtError('ZT_PROXY_INVALID', `context ${contextName}: the kubeconfig's proxy-url for cluster ${cluster.name} ${what}`, {
      hint: 'Set proxy-url to http://host:port, https://host:port or socks5://host:port (with user:password@ if the proxy asks), or remove it.',
    });
  };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('is not a URL');
  }
  if (/^socks[45]?h?:$/.test(url.protocol)) return { route: undefined, socks: true };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse(`uses ${url.protocol.slice(0, -1)}://, which is not a proxy scheme zt or client-node supports`);
  if (url.hostname === '') refuse('names no proxy host');
  return { route: { url, variable: "the kubeconfig's proxy-url" }, socks: false };
}

/** client-node's TLS settings for a request (the kubeconfig's CA, client certificate, SNI, skip-verify), as the transport takes them. */
function serverTls(options: AgentOptions): ServerTls {
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
  const tls = { ca, cert, key, pfx, passphrase: passphrase ?? undefined, rejectUnauthorized, servername };
  return Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined && value !== null));
}

/**
 * Routes client-node's requests through the run's transport (the proxy, --ca-file). Its
 * KubeConfig builds each request's undici dispatcher in `createDispatcher` (private in its
 * types, the one hook into its transport): replaced here, on this instance, by one that
 * builds the dispatcher once for the run — through the kubeconfig's http(s) proxy-url,
 * else the proxy variables' route — and keeps client-node's own checks and its SOCKS
 * support. If client-node stops having the hook, this fails loudly, not silently direct.
 */
function routeThroughTransport(kc: KubeConfig, transport: FetchTransport, kubeRoute: ProxyRoute | undefined, socks: boolean): void {
  const hooked = kc as unknown as { createDispatcher?: (cluster: Cluster | null, agentOptions: AgentOptions) => Dispatcher | undefined };
  const original = hooked.createDispatcher?.bind(kc);
  if (typeof original !== 'function') throw new Error('@kubernetes/client-node no longer builds its dispatcher in KubeConfig.createDispatcher: zt cannot apply the proxy settings');
  let built: { dispatcher: Dispatcher | undefined } | undefined;
  hooked.createDispatcher = (cluster, agentOptions) => {
    if (built) return built.dispatcher;
    if (!cluster || socks) {
      built = { dispatcher: original(cluster, agentOptions) };
      return built.dispatcher;
    }
    // client-node's own checks (http:// only with insecure-skip-tls-verify) stay in force.
    kc.createDispatcherOptions(cluster, agentOptions);
    built = { dispatcher: transport.dispatcherFor(new URL(cluster.server), serverTls(agentOptions), kubeRoute) };
    return built.dispatcher;
  };
}

/**
 * The contexts of the kubeconfig (--all-contexts), in the file's order. A name defined
 * twice in one file is refused: which of the two kubectl would use is not obvious.
 */
export function listContexts(options: Pick<ConnectOptions, 'kubeconfig' | 'env' | 'cwd' | 'serviceAccountRoot'>): string[] {
  const { kc, inCluster } = loadConfig(options as ConnectOptions);
  if (inCluster) return [];
  const names = kc.getContexts().map((c) => c.name);
  const twice = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (twice.length > 0) {
    throw configError(`the kubeconfig defines the context${twice.length === 1 ? '' : 's'} ${twice.join(', ')} more than once`, 'Rename the duplicates (`kubectl config rename-context`), so each context names one cluster.');
  }
  if (names.length === 0) throw configError('--all-contexts: the kubeconfig has no contexts', 'Add a context (`kubectl config set-context`), or pass --context <name>.');
  return names;
}

/** How a kubeconfig user authenticates, named as kubectl's docs name it (the values are never read out). */
function authKindOf(user: User | null): string {
  if (!user) return 'none (anonymous)';
  const exec = user.exec as { command?: unknown } | undefined;
  if (exec) return `exec plugin \`${scalarText(exec.command)}\``;
  if (user.authProvider) return `auth provider ${scalarText((user.authProvider as { name?: unknown }).name)}`;
  if (user.token) return 'bearer token';
  if ((user as { tokenFile?: string }).tokenFile) return 'bearer token file';
  if (user.certFile || user.certData) return 'client certificate';
  if (user.username || user.password) return 'basic auth (username and password)';
  return 'none (anonymous)';
}

export async function connect(options: ConnectOptions): Promise<KubeClient> {
  const { kc, inCluster } = loadConfig(options);
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw configError(`kubeconfig has no context named ${options.context}`, known.length > 0 ? `Contexts in the kubeconfig: ${known.join(', ')}.` : undefined);
    }
    kc.setCurrentContext(options.context);
  }
  const contextName = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!contextName || !cluster) {
    throw configError('the kubeconfig has no current context', 'Pass --context <name>, or run `kubectl config use-context <name>`.');
  }
  // client-node's loadFromDefault() silently points at http://localhost:8080 when nothing is configured.
  if (cluster.server === 'http://localhost:8080' && cluster.name === 'cluster') {
    throw configError('no kubeconfig found (the Kubernetes client fell back to http://localhost:8080)');
  }
  if (!/^https?:\/\//.test(cluster.server) || !URL.canParse(cluster.server)) throw configError(`context ${contextName}: cluster ${cluster.name} has no valid server URL`);
  if (user?.exec) boundExecPlugins(kc, options.execTimeoutMs);
  // The kubeconfig's own credentials; tokens from files, exec plugins and auth providers are registered as sent.
  options.redactor.add(user?.token, user?.password);
  // Validate file paths now, so a missing CA or key file is a config error rather than a crash per request.
  for (const file of [cluster.caFile, user?.certFile, user?.keyFile]) {
    if (file && !existsSync(isAbsolute(file) ? file : resolve(options.cwd, file))) {
      throw configError(`context ${contextName}: the kubeconfig names a file that does not exist: ${file}`);
    }
  }

  /** Where the credential comes from, for `zt doctor` (never its value). */
  const credentialOf_ = (): KubeCredential => ({
    kubeconfig: inCluster ? 'in-cluster service account' : kubeconfigFiles(options).join(delimiter),
    context: inCluster ? 'in-cluster' : contextName,
    user: user?.name ?? '(none)',
    auth: inCluster ? 'service account token file' : authKindOf(user),
  });
  const target: KubeTarget = {
    context: inCluster ? 'in-cluster' : contextName,
    // --cluster-name wins, in-cluster too: 30 clusters each collecting themselves must not all be `in-cluster`.
    cluster: options.clusterName ?? (inCluster ? 'in-cluster' : clusterNameOf(contextName)),
    server: cluster.server.replace(/\/+$/, ''),
    user: user?.name ?? '(none)',
  };
  const proxy = kubeconfigProxy(cluster, contextName);
  const transport = new FetchTransport(options.network);
  routeThroughTransport(kc, transport, proxy.route, proxy.socks);
  // The way out of this run's requests (for messages): the kubeconfig's proxy-url, else the proxy variables' route.
  const route = proxy.socks ? undefined : (proxy.route ?? transport.routeFor(new URL(target.server)));
  const http = new IsomorphicFetchHttpLibrary();
  let version = '0';
  try {
    version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    // not fatal: only the User-Agent
  }
  // One connection pool for the whole run: client-node builds a new dispatcher (and TLS
  // connection) per request; reusing the first keeps connections alive across pages.
  let shared: { close(): Promise<void> } | undefined;

  async function send(method: 'GET' | 'POST', path: string, opts: GetOptions, body?: unknown): Promise<unknown> {
    const url = new URL(target.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const request = new RequestContext(url.toString(), method === 'POST' ? HttpMethod.POST : HttpMethod.GET);
    request.setHeaderParam('Accept', opts.accept ?? 'application/json');
    if (body !== undefined) {
      request.setHeaderParam('Content-Type', 'application/json');
      request.setBody(JSON.stringify(body));
    }
    request.setHeaderParam('User-Agent', `zt/${version}`);
    const started = Date.now();
    let authTimer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      opts.signal.throwIfAborted();
      await Promise.race([
        kc.applySecurityAuthentication(request),
        new Promise((_, reject) => {
          authTimer = setTimeout(() => reject(new KubeHttpError(0, 'Credentials', `getting credentials for user ${target.user} took longer than ${seconds(options.execTimeoutMs)}`)), options.execTimeoutMs + 1000);
          onAbort = () => reject(opts.signal.reason);
          opts.signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } catch (error) {
      if (error instanceof KubeHttpError || opts.signal.aborted) throw error;
      const plugin = scalarText((user?.exec as { command?: unknown } | undefined)?.command);
      const timedOut = Date.now() - started >= options.execTimeoutMs;
      const what = plugin ? `the exec credential plugin \`${plugin}\`` : 'the credential provider';
      const said = pluginMessage((error as Error).message ?? '', options.redactor);
      const detail = timedOut ? `did not finish within ${seconds(options.execTimeoutMs)} (is it waiting for an interactive login?)` : `failed${said ? `: ${said}` : ''}`;
      throw new KubeHttpError(0, 'Credentials', `${what} of user ${target.user} ${detail}`);
    } finally {
      clearTimeout(authTimer);
      if (onAbort) opts.signal.removeEventListener('abort', onAbort);
    }
    // Whatever the credential came from (kubeconfig, token file, exec plugin, auth provider), this is what is sent.
    const authorization = request.getHeaders().Authorization ?? request.getHeaders().authorization;
    if (authorization) options.redactor.add(authorization, credentialOf(authorization));
    const dispatcher = request.getDispatcher();
    if (dispatcher) {
      if (!shared) shared = dispatcher;
      else if (dispatcher !== shared) {
        request.setDispatcher(shared as typeof dispatcher);
        void dispatcher.close().catch(() => undefined);
      }
    }
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    request.setSignal(AbortSignal.any([opts.signal, timeout]));
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const response = await http.send(request).toPromise();
      status = response.httpStatusCode;
      headers = response.headers;
      text = status >= 200 && status < 300 && opts.onContinue ? await readListBody(response.body.stream(), opts.onContinue) : await response.body.text();
    } catch (error) {
      if (opts.signal.aborted) throw opts.signal.reason ?? error;
      if (timeout.aborted) throw new KubeHttpError(0, 'Timeout', `no answer from ${target.server} within ${seconds(options.requestTimeoutMs)} (${method} ${path})`);
      const refused = route ? proxyFailure(route, url, error) : undefined;
      if (refused) throw new KubeHttpError(0, refused.kind === 'tls' ? 'Certificate' : 'Proxy', `${refused.message} (${method} ${path})`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const code = cause?.code ?? (error as { code?: string }).code ?? 'network error';
      // A certificate the kubeconfig's CA does not vouch for is a setting to fix, not a network fault to retry.
      if (certificateErrors.has(code) || code.startsWith('ERR_TLS_CERT')) throw new KubeHttpError(0, 'Certificate', `the API server's TLS certificate is not trusted (${code})`);
      throw new KubeHttpError(0, 'NetworkError', `cannot reach ${target.server}: ${code} (${method} ${path})`);
    }
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new KubeHttpError(status, 'BadResponse', `${method} ${path} returned a body that is not JSON`);
      }
    }
    let reason = '';
    let message = '';
    try {
      const body = JSON.parse(text) as { reason?: string; message?: string };
      reason = typeof body.reason === 'string' ? body.reason : '';
      message = typeof body.message === 'string' ? body.message.slice(0, 300) : '';
    } catch {
      // not a Status object
    }
    const retryAfter = headers['retry-after'] !== undefined ? Number(headers['retry-after']) : undefined;
    throw new KubeHttpError(status, reason || `HTTP ${status}`, message || `${method} ${path} returned HTTP ${status}`, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }

  return {
    target,
    credential: credentialOf_(),
    get: (path, opts) => send('GET', path, opts),
    post: (path, body, opts) => send('POST', path, opts, body),
    close: async () => {
      await shared?.close().catch(() => undefined);
    },
  };
}

/** Longest body prefix searched for a continue token (list metadata is a few hundred bytes). */
const HEAD_LIMIT = 64 * 1024;

/**
 * Reads a list body, passing its continue token on as soon as the first bytes hold it,
 * so the next page's round trip overlaps reading and parsing this one (the longest
 * type's page chain is a live collection's critical path).
 */
async function readListBody(stream: ReadableStream<Uint8Array> | null, onContinue: (token: string) => void): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  // latin1 keeps one character per byte; the token is ASCII (base64).
  let head: string | undefined = '';
  for await (const chunk of stream) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(bytes);
    if (head === undefined) continue;
    head += bytes.toString('latin1');
    const token = continueTokenInHead(head);
    if (token !== undefined || head.length > HEAD_LIMIT) {
      head = undefined;
      if (token) onContinue(token);
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
