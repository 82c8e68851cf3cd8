// A fake Kubernetes API server for collector tests and the benchmark: HTTPS on
// 127.0.0.1 with a throwaway self-signed certificate made by openssl at start-up,
// speaking the list API (limit + continue, Status errors), /apis discovery and
// /version, with injectable faults. Only node built-ins, erasable TypeScript, so
// `node bench/k8s-collect.js` can import it directly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KubeObject = Record<string, unknown>;

export interface Fault {
  /** Answer with this status and a Status body (403, 404, 429, 500, 401, …). */
  readonly status?: number;
  readonly retryAfter?: number;
  /** Close the connection without answering. */
  readonly drop?: boolean;
  /** Wait this long before answering (a hung server). */
  readonly delayMs?: number;
  /** Answer 200 with this body as JSON (a proxy page, `{}`, a Status sent with 200, …). */
  readonly body?: string;
  /** Only on requests that carry a continue token (410 Expired is usually injected this way). */
  readonly onContinue?: boolean;
  /** How many times (default: always). */
  times?: number;
}

export interface RecordedRequest {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly accept: string | undefined;
  readonly authorization: string | undefined;
  readonly method?: string;
}

export interface FakeKubeOptions {
  /** List path (`/api/v1/pods`, `/apis/apps/v1/deployments`, …) → items in wire form. */
  readonly lists: Record<string, KubeObject[]>;
  /** API groups served (`/apis`); default: the groups of `lists`. */
  readonly groups?: { name: string; versions: string[]; preferred?: string }[];
  readonly version?: { major: string; minor: string; gitVersion: string };
  /** Path (or `*`) → faults, applied in order. */
  readonly faults?: Record<string, Fault[]>;
  /** Added to every response. */
  readonly latencyMs?: number;
  /** Accepted bearer token; others get 401. Undefined: accept anything. */
  readonly token?: string;
  /** Serve with this key and certificate instead of the throwaway self-signed one (kubeconfig() then carries no CA). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Largest page the server returns whatever limit is asked (default 500). */
  readonly maxPage?: number;
  /** A list body is sent as its first 200 bytes, then the rest this much later (a slow transfer). */
  readonly bodyPauseMs?: number;
  /**
   * Every error answer quotes the request's credentials, as a careless proxy or API server
   * might: the Status message and reason and the HTTP status text carry the Authorization
   * header, the message also the bare credential and a bearer token zt never sent
   * (ECHOED_FOREIGN_TOKEN).
   */
  readonly echoCredentials?: boolean;
  /**
   * SelfSubjectAccessReview (POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews):
   * whether the request's user may do what the review asks (default: everything). `false`
   * forbids creating reviews at all (403), as a user without `system:basic-user` would see.
   */
  readonly access?: ((review: AccessAttributes) => boolean) | false;
}

/** What a SelfSubjectAccessReview asks about: resource attributes, or a non-resource path. */
export interface AccessAttributes {
  readonly verb: string;
  readonly group?: string;
  readonly version?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly path?: string;
}

/** A JWT-shaped token the fake quotes with echoCredentials: zt does not know it, its shape must give it away. */
export const ECHOED_FOREIGN_TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2UifQ.eyJzdWIiOiJzeXN0ZW06YWRtaW4ifQ.Zm9yZWlnbi1zaWduYXR1cmU';

export interface FakeKube {
  readonly url: string;
  readonly port: number;
  /** PEM of the self-signed certificate (use as certificate-authority-data). */
  readonly caPem: string;
  readonly requests: RecordedRequest[];
  /** In order: `request <path> <continue token or ->` on arrival, `sent <path> <continue token or ->` once a list body is complete. */
  readonly events: string[];
  readonly options: FakeKubeOptions;
  /** kubeconfig YAML for this server. */
  kubeconfig(opts?: { context?: string; token?: string; extraUsers?: string; user?: Record<string, unknown> }): string;
  close(): Promise<void>;
}

let certCache: { key: string; cert: string } | undefined;

/** A throwaway key + self-signed certificate for 127.0.0.1 (generated once per process). */
export function throwawayCertificate(): { key: string; cert: string } {
  if (certCache) return certCache;
  const dir = mkdtempSync(join(tmpdir(), 'zt-fake-kube-'));
  try {
    execFileSync(
      '/usr/bin/openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
    certCache = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return certCache;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How an error answer quotes the request's credentials (FakeKubeOptions.echoCredentials), or undefined. */
type Echo = string | undefined;

function status(res: ServerResponse, code: number, reason: string, message: string, headers: Record<string, string> = {}, echo?: Echo): void {
  if (echo !== undefined) {
    res.writeHead(code, `Refused ${echo}`, { 'content-type': 'application/json', ...headers });
    const quoted = `${message} (the request said "Authorization: ${echo}", credential ${echo.replace(/^\S+\s+/, '')}; upstream sent Bearer ${ECHOED_FOREIGN_TOKEN})`;
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: quoted, reason: `${reason} for ${echo}`, code }));
    return;
  }
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 410: 'Expired', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable' };

function listKindOf(path: string): { apiVersion: string; kind: string } {
  const parts = path.split('/').filter(Boolean);
  const apiVersion = parts[0] === 'api' ? (parts[1] ?? 'v1') : `${parts[1]}/${parts[2]}`;
  const plural = parts[parts.length - 1] ?? '';
  return { apiVersion, kind: `${plural.slice(0, 1).toUpperCase()}${plural.slice(1)}List` };
}

export async function startFakeKube(options: FakeKubeOptions): Promise<FakeKube> {
  const { key, cert } = options.tls ?? throwawayCertificate();
  const requests: RecordedRequest[] = [];
  const events: string[] = [];
  const sockets = new Set<Socket>();
  const maxPage = options.maxPage ?? 500;
  const groups: { name: string; versions: string[]; preferred?: string }[] =
    options.groups ??
    [...new Set(Object.keys(options.lists).filter((p) => p.startsWith('/apis/')).map((p) => p.split('/').slice(2, 4).join('/')))].map((gv) => {
      const [name, version] = gv.split('/') as [string, string];
      return { name, versions: [version] };
    });

  const takeFault = (path: string, hasContinue: boolean): Fault | undefined => {
    for (const list of [options.faults?.[path], options.faults?.['*']]) {
      for (const fault of list ?? []) {
        if (fault.onContinue && !hasContinue) continue;
        if (fault.times === undefined) return fault;
        if (fault.times > 0) {
          fault.times -= 1;
          return fault;
        }
      }
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const path = url.pathname;
    requests.push({ path, query, accept: req.headers.accept, authorization: req.headers.authorization, method: req.method });
    events.push(`request ${path} ${query.continue ?? '-'}`);
    const echo: Echo = options.echoCredentials ? (req.headers.authorization ?? '(none)') : undefined;
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return status(res, 401, 'Unauthorized', 'Unauthorized', {}, echo);
    }
    if (req.method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      if (options.access === false) {
        return status(res, 403, 'Forbidden', 'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "system:serviceaccount:zt:reader" cannot create resource "selfsubjectaccessreviews"', {}, echo);
      }
      const review = JSON.parse(text) as { spec?: { resourceAttributes?: AccessAttributes; nonResourceAttributes?: AccessAttributes } };
      const attributes = review.spec?.resourceAttributes ?? review.spec?.nonResourceAttributes;
      if (!attributes) return status(res, 400, 'BadRequest', 'spec needs resourceAttributes or nonResourceAttributes');
      const allowed = options.access ? options.access(attributes) : true;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...review, status: { allowed, ...(allowed ? { reason: 'RBAC: allowed by ClusterRoleBinding "zt"' } : {}) } }));
      return;
    }
    const fault = takeFault(path, query.continue !== undefined);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.body !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fault.body);
      return;
    }
    if (fault?.status) {
      const code = fault.status;
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      const message =
        code === 403
          ? `${path.split('/').pop()} is forbidden: User "system:serviceaccount:zt:reader" cannot list resource "${path.split('/').pop()}" at the cluster scope`
          : code === 404
            ? 'the server could not find the requested resource'
            : code === 410
              ? 'The provided continue parameter is too old to display a consistent list result.'
              : `fault ${code}`;
      return status(res, code, reasons[code] ?? 'Failure', message, headers, echo);
    }
    if (path === '/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ major: '1', minor: '33', gitVersion: 'v1.33.4', platform: 'linux/amd64', ...options.version }));
      return;
    }
    if (path === '/apis') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: groups.map((g) => ({
            name: g.name,
            versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
            preferredVersion: { groupVersion: `${g.name}/${g.preferred ?? g.versions[0]}`, version: g.preferred ?? g.versions[0] },
          })),
        }),
      );
      return;
    }
    // A namespaced list (/api/v1/namespaces/<ns>/<plural>) is the cluster-wide list filtered,
    // as is a `metadata.name=` field selector; a type with no objects is an empty list.
    const scoped = /^(\/apis?\/.+?)\/namespaces\/([^/]+)\/([^/]+)$/.exec(path);
    const listed = scoped ? (options.lists[`${scoped[1]}/${scoped[3]}`] ?? []).filter((o) => (o.metadata as { namespace?: string } | undefined)?.namespace === scoped[2]) : options.lists[path];
    const byName = typeof query.fieldSelector === 'string' ? /^metadata\.name=(.+)$/.exec(query.fieldSelector)?.[1] : undefined;
    const items = listed && byName !== undefined ? listed.filter((o) => (o.metadata as { name?: string } | undefined)?.name === byName) : listed;
    if (!items) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const limit = Math.min(Number(query.limit ?? maxPage) || maxPage, maxPage);
    const offset = query.continue ? Number(Buffer.from(query.continue, 'base64url').toString('utf8').split(':')[1]) : 0;
    const page = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? Buffer.from(`rv1:${offset + limit}`).toString('base64url') : undefined;
    const partial = (req.headers.accept ?? '').includes('as=PartialObjectMetadataList');
    const body = partial
      ? {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { resourceVersion: '81240', ...(next ? { continue: next, remainingItemCount: items.length - offset - limit } : {}) },
          items: page.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })),
        }
      : {
          ...listKindOf(path),
          metadata: { resourceVersion: '81234', ...(next ? { continue: next, remainingItemCount: items.length - offset - limit } : {}) },
          // The list API leaves kind/apiVersion off items.
          items: page.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
        };
    res.writeHead(200, { 'content-type': 'application/json' });
    const text = JSON.stringify(body);
    if (options.bodyPauseMs) {
      res.write(text.slice(0, 200));
      await new Promise((r) => setTimeout(r, options.bodyPauseMs));
    }
    res.end(options.bodyPauseMs ? text.slice(200) : text);
    events.push(`sent ${path} ${query.continue ?? '-'}`);
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    port,
    caPem: cert,
    requests,
    events,
    options,
    kubeconfig(opts = {}) {
      const context = opts.context ?? 'fake';
      const user = opts.user ?? { token: opts.token ?? options.token ?? 'fake-token' };
      return JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': context,
        clusters: [{ name: 'fake-cluster', cluster: { server: url, ...(options.tls ? {} : { 'certificate-authority-data': Buffer.from(cert).toString('base64') }) } }],
        users: [{ name: 'fake-user', user }],
        contexts: [{ name: context, context: { cluster: 'fake-cluster', user: 'fake-user' } }],
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes a kubeconfig to a temp file and returns its path. */
export function writeKubeconfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-kubeconfig-'));
  const file = join(dir, 'config');
  writeFileSync(file, text);
  return file;
}
