import { ZtError } from '../../errors/zt-error.js';
import type { Kind } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import type { CollectionIssue, CoverageReason, KindCoverage } from '../../model/coverage.js';
import { scalarText } from '../../text/scalar-text.js';
import { sleep } from '../shared/sleep.js';
import type { Collector, CollectorContext, CollectorOutput } from '../types.js';
import { KubeHttpError, type ConnectOptions, type KubeClient } from './kube-api.js';
import { apiTypes, listedKinds, type KindApiType } from './kinds.js';
import { clusterResource, finishMapping, mapObject, unmappedIssues, type K8sObject, type MappedObject, type MapSettings } from './map.js';
import { pagesOf, type FetchPage, type ListPage } from './page-chain.js';

/**
 * Live collection from the API server: discovery, then every type listed with
 * limit+continue paging, a few types at a time. Expected trouble becomes coverage and
 * issues per kind (403 → permission_denied, absent CRD → not_installed, throttling or
 * server errors after bounded retries → partial/api_error); only "cannot read anything"
 * (no kubeconfig, 401, unreachable) is thrown, as a ZtError naming the context.
 */

export const LIVE_COLLECTOR_ID = 'kubernetes';

export interface LiveOptions {
  readonly context?: string;
  /** The cluster name in ids and source, when several contexts are audited together. */
  readonly clusterName?: string;
  readonly kubeconfig?: string;
  /** List Secrets (metadata only). Off by default: `list secrets` also grants reading values. */
  readonly secrets?: boolean;
  readonly pageSize?: number;
  readonly concurrency?: number;
  readonly requestTimeoutMs?: number;
  readonly execTimeoutMs?: number;
  /** Attempts per request for 429, 5xx, timeouts and dropped connections. */
  readonly maxAttempts?: number;
  /** First back-off for 5xx/network errors; doubles per attempt. */
  readonly backoffMs?: number;
  /** Ceiling on a Retry-After wait. */
  readonly maxRetryAfterMs?: number;
  readonly serviceAccountRoot?: string;
  /** Replaces client.ts (tests). */
  readonly connect?: (options: ConnectOptions) => Promise<KubeClient>;
}

/** An API type of kinds.ts as listed: in `version`, then in `fallbackVersions` where the server does not serve it. */
export interface ListType extends KindApiType {
  readonly version: string;
  /** Older versions to list when the server does not serve `version` (CronJob: batch/v1 from Kubernetes 1.21, v1beta1 before). */
  readonly fallbackVersions: readonly string[];
}

const PARTIAL_METADATA = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/** A built-in type lists in its first version (the others are fallbacks), a custom resource in the version discovery chose. */
function listTypeOf(type: KindApiType, crdVersion?: string): ListType {
  const [first, ...older] = type.versions;
  return crdVersion === undefined ? { ...type, version: first, fallbackVersions: older } : { ...type, version: crdVersion, fallbackVersions: [] };
}

const crdKinds: Kind[] = [...new Set(apiTypes.filter((t) => t.crd).map((t) => t.ztKind))];

/** The list path: only the one namespace for a type of which one object is audited. */
export function listPath(type: Pick<ListType, 'group' | 'version' | 'plural' | 'only'>): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  return type.only ? `${base}/namespaces/${type.only.namespace}/${type.plural}` : `${base}/${type.plural}`;
}

interface TypeResult {
  readonly type: ListType;
  /** Mapped as the pages arrived: raw objects (with managedFields, status, …) are not kept. */
  readonly items: MappedObject[];
  /** undefined: read completely. */
  readonly failure?: { readonly state: 'partial' | 'missing'; readonly reason: CoverageReason; readonly detail?: string; readonly issue?: CollectionIssue };
}

/** Fatal for the whole collection: nothing can be read with these credentials or this server. */
function fatal(error: KubeHttpError, target: KubeClient['target']): ZtError | undefined {
  const where = `context ${target.context} (${target.server})`;
  if (error.status === 401) {
    return new ZtError('ZT_COLLECT_AUTH', `Kubernetes ${where} refused the credentials of user ${target.user} (401 Unauthorized): the token or certificate is expired or invalid`, {
      hint: 'Sign in again (e.g. `aws sso login`, `gcloud auth login`, `kubelogin`), or refresh the token in the kubeconfig; `kubectl get ns` should work with the same context.',
    });
  }
  if (error.status === 0 && error.reason === 'Certificate') {
    return new ZtError('ZT_COLLECT_CONFIG', `Kubernetes ${where}: ${error.message}`, {
      hint: "The cluster entry's certificate-authority (or certificate-authority-data) in the kubeconfig must be the CA that signed the API server's certificate; `kubectl get ns` with the same context should work. Behind a TLS-inspecting proxy, give the proxy's CA with --ca-file.",
    });
  }
  if (error.status === 0 && error.reason === 'Credentials') {
    return new ZtError('ZT_COLLECT_AUTH', `Kubernetes ${where}: ${error.message}`, {
      hint: 'Run the credential plugin by hand (`kubectl get ns` with the same context) and fix its login; zt cannot answer interactive prompts.',
    });
  }
  return undefined;
}

export function liveCollector(options: LiveOptions): Collector {
  const label = options.context ? `Kubernetes context ${options.context}` : options.kubeconfig ? `Kubernetes (kubeconfig ${options.kubeconfig})` : 'Kubernetes (current context)';
  return { id: LIVE_COLLECTOR_ID, description: label, collect: (context) => collectLive(options, context) };
}

export async function collectLive(options: LiveOptions, context: CollectorContext): Promise<CollectorOutput> {
  const connect = options.connect ?? (await import('./client.js')).connect;
  const client = await connect({
    context: options.context,
    ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}),
    kubeconfig: options.kubeconfig,
    env: context.env,
    cwd: context.cwd,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    execTimeoutMs: options.execTimeoutMs ?? 60_000,
    serviceAccountRoot: options.serviceAccountRoot,
    redactor: context.redactor,
    network: context.network,
  });
  // Stops requests still in flight (other types, retries) once the collection ends or fails.
  const stop = new AbortController();
  try {
    return await collectWith(client, options, context, AbortSignal.any([context.signal, stop.signal]));
  } finally {
    stop.abort(new Error('collection finished'));
    await client.close();
  }
}

async function collectWith(client: KubeClient, options: LiveOptions, context: CollectorContext, signal: AbortSignal): Promise<CollectorOutput> {
  const { target } = client;
  const maxAttempts = options.maxAttempts ?? 4;
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const pageSize = options.pageSize ?? 500;
  const issues: CollectionIssue[] = [];
  const source = `k8s:${target.cluster}`;
  const issue = (severity: CollectionIssue['severity'], code: string, message: string, kinds: Kind[]): CollectionIssue => ({ collector: LIVE_COLLECTOR_ID, severity, code, message, kinds });

  /** One GET with bounded retries for 429 (Retry-After), 5xx, timeouts and dropped connections. */
  async function getWithRetry(
    path: string,
    query: Record<string, string>,
    accept?: string,
    attempts = maxAttempts,
    onContinue?: (token: string) => void,
    requestSignal: AbortSignal = signal,
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.get(path, { query, accept, signal: requestSignal, ...(onContinue ? { onContinue } : {}) });
      } catch (error) {
        if (!(error instanceof KubeHttpError) || requestSignal.aborted) throw error;
        const retryable = error.status === 429 || error.status >= 500 || (error.status === 0 && !['Credentials', 'Certificate', 'Proxy'].includes(error.reason));
        if (!retryable || attempt >= attempts) throw error;
        const wait = error.status === 429 ? Math.min((error.retryAfter ?? 1) * 1000, maxRetryAfterMs) : backoffMs * 2 ** (attempt - 1);
        context.progress(`Kubernetes: ${error.status === 429 ? 'throttled' : 'retrying'} GET ${path} (attempt ${attempt + 1} of ${attempts})`);
        await sleep(wait, requestSignal);
      }
    }
  }

  // 1. Is anyone there, and do they accept us? /version is readable by every authenticated user.
  // /version and /apis go out together (two round trips would be on every run's critical path).
  // Fewer attempts here: an unreachable server (a black-holed address waits for the connect
  // timeout each time) should be reported within about a minute, not after every retry.
  const firstAttempts = Math.min(2, maxAttempts);
  const versionRequest = getWithRetry('/version', {}, undefined, firstAttempts);
  const discoveryRequest = getWithRetry('/apis', {}, undefined, firstAttempts);
  discoveryRequest.catch(() => undefined); // handled below, after /version decided whether to go on
  let serverVersion: { major: string; minor: string; gitVersion: string } | null = null;
  try {
    const v = (await versionRequest) as Record<string, unknown>;
    // A version.Info names the release in gitVersion ("v1.31.2"); any other 200 (a proxy page, {}) is not one.
    if (typeof v !== 'object' || v === null || typeof v.gitVersion !== 'string' || !/^v?\d+\.\d+/.test(v.gitVersion)) {
      issues.push(issue('warning', 'ZT_COLLECT_API_ERROR', 'the server answered /version with something that is not a version; version rules are not evaluated', ['k8s.cluster']));
    } else serverVersion = { major: scalarText(v.major), minor: scalarText(v.minor), gitVersion: v.gitVersion };
  } catch (error) {
    if (!(error instanceof KubeHttpError)) throw error;
    const stop = fatal(error, target);
    if (stop) throw stop;
    if (error.status === 0 || error.status >= 500) {
      throw new ZtError('ZT_COLLECT_UNREACHABLE', `Kubernetes context ${target.context}: the API server ${target.server} could not be reached (${error.message})`);
    }
    issues.push(issue('warning', 'ZT_COLLECT_ACCESS_DENIED', `cannot read the server version (${error.status} ${error.reason}); version rules are not evaluated`, ['k8s.cluster']));
  }

  // 2. Discovery: which API groups (CRDs) exist, and which Istio version is served.
  let apiGroups: string[] = [];
  let discoveryFailed = false;
  const groupVersions = new Map<string, { preferred: string | undefined; versions: string[] }>();
  try {
    const list = (await discoveryRequest) as { groups?: { name?: string; versions?: { version?: string }[]; preferredVersion?: { version?: string } }[] };
    // An APIGroupList always holds `groups`; a 200 without it (a proxy page, {}) is not "no API groups".
    if (typeof list !== 'object' || list === null || !Array.isArray(list.groups)) throw new KubeHttpError(200, 'not an APIGroupList', 'the server answered /apis with something that is not an APIGroupList');
    for (const g of list.groups) {
      if (typeof g.name !== 'string') continue;
      groupVersions.set(g.name, { preferred: g.preferredVersion?.version, versions: (g.versions ?? []).map((v) => String(v.version)) });
    }
    apiGroups = [...groupVersions.keys()].sort();
  } catch (error) {
    if (!(error instanceof KubeHttpError)) throw error;
    const stop = fatal(error, target);
    if (stop) throw stop;
    discoveryFailed = true;
    issues.push(issue('warning', 'ZT_COLLECT_API_ERROR', `API discovery (/apis) failed (${error.status === 200 ? error.reason : error.status || error.reason}): Istio, Linkerd and Cilium objects are not collected`, crdKinds));
  }

  // Built-in types first, then the custom resources discovery found, each in the table's order.
  const optedIn: Readonly<Record<NonNullable<KindApiType['optIn']>['option'], boolean>> = { secrets: options.secrets === true };
  const types: ListType[] = apiTypes.filter((t) => !t.crd && (!t.optIn || optedIn[t.optIn.option])).map((t) => listTypeOf(t));
  // Coverage of CRD kinds no type is listed for; kinds fed by listed types get theirs from the results.
  const unlisted = new Map<Kind, KindCoverage>();
  for (const t of apiTypes) {
    if (!t.crd) continue;
    const { group } = t;
    const served = groupVersions.get(group);
    const version = served ? [served.preferred, ...served.versions].find((v) => v !== undefined && t.versions.includes(v)) : undefined;
    if (version) types.push(listTypeOf(t, version));
    else if (discoveryFailed) unlisted.set(t.ztKind, { state: 'missing', reason: 'api_error', detail: 'API discovery failed' });
    else if (served) unlisted.set(t.ztKind, { state: 'missing', reason: 'unsupported', detail: `${group} is served in versions zt does not read for ${t.plural} (${served.versions.join(', ')})` });
    else unlisted.set(t.ztKind, { state: 'missing', reason: 'not_installed', detail: `${group} is not served by this cluster (${t.crd.product} is not installed)` });
  }
  const coverage: Partial<Record<Kind, KindCoverage>> = {};
  for (const [kind, c] of unlisted) if (!types.some((t) => t.ztKind === kind)) coverage[kind] = c;

  const settings: MapSettings = { cluster: target.cluster, source, collector: LIVE_COLLECTOR_ID, defaultNamespace: 'default' };

  // 3. List every type, a few at a time; each type pages sequentially (continue tokens are a chain).
  let done = 0;
  /**
   * Lists a type in the first of its versions the server serves: those /apis names for
   * the group, in zt's order. A 404 on one (batch/v1 has Jobs but no CronJobs before 1.21)
   * moves on to the next instead of becoming an issue.
   */
  async function listServed(type: ListType): Promise<TypeResult> {
    const served = groupVersions.get(type.group)?.versions;
    const candidates = [type.version, ...type.fallbackVersions].filter((v) => !served || served.includes(v));
    const versions = candidates.length > 0 ? candidates : [type.version];
    for (const [i, version] of versions.entries()) {
      const more = i < versions.length - 1;
      const result = await listType(version === type.version ? type : { ...type, version }, more);
      if (!(more && result.failure?.reason === 'unsupported')) return { ...result, type };
    }
    throw new Error('unreachable: the last version always returns');
  }

  async function listType(type: ListType, moreVersions = false): Promise<TypeResult> {
    const path = listPath(type);
    const what = `${type.plural}${type.group ? `.${type.group}` : ''}`;
    let restarts = 0;
    for (;;) {
      const items: MappedObject[] = [];
      const fetchPage: FetchPage<ListPage> = (continueToken, onContinue, requestSignal) =>
        getWithRetry(
          path,
          { limit: String(pageSize), ...(type.only ? { fieldSelector: `metadata.name=${type.only.name}` } : {}), ...(continueToken ? { continue: continueToken } : {}) },
          type.metadataOnly ? PARTIAL_METADATA : undefined,
          maxAttempts,
          onContinue,
          requestSignal,
        ) as Promise<ListPage>;
      try {
        for await (const page of pagesOf(fetchPage, signal)) {
          const problem = listPageProblem(page);
          if (problem) {
            context.progress(`Kubernetes: ${what} failed (${++done}/${types.length})`);
            const message = `cannot list ${what}: the server answered 200 with ${problem}, not a ${type.kind}List — rules on ${type.ztKind} are not evaluated`;
            return { type, items: [], failure: { state: 'missing', reason: 'api_error', issue: issue('error', 'ZT_COLLECT_API_ERROR', message, [type.ztKind]) } };
          }
          for (const item of page.items ?? []) {
            if (typeof item === 'object' && item !== null) {
              // List items carry no kind/apiVersion (metadata-only items say PartialObjectMetadata): the list type does.
              const object: K8sObject = { ...(item as K8sObject), apiVersion: type.group ? `${type.group}/${type.version}` : type.version, kind: type.kind };
              items.push(mapObject({ object }, settings));
            }
          }
        }
        context.progress(`Kubernetes: listed ${what} (${++done}/${types.length})`);
        return { type, items };
      } catch (error) {
        if (!(error instanceof KubeHttpError)) throw error;
        const stop = fatal(error, target);
        if (stop) throw stop;
        if (error.status === 410 && restarts < 2) {
          restarts += 1;
          context.progress(`Kubernetes: continue token for ${what} expired, listing again`);
          continue;
        }
        if (error.status === 404 && moreVersions) return { type, items: [], failure: { state: 'missing', reason: 'unsupported' } };
        context.progress(`Kubernetes: ${what} failed (${++done}/${types.length})`);
        const kinds = [type.ztKind];
        if (error.status === 403) {
          return {
            type,
            items: [],
            failure: {
              state: 'missing',
              reason: 'permission_denied',
              issue: issue('warning', 'ZT_COLLECT_ACCESS_DENIED', `cannot list ${what}: ${error.message || 'forbidden'} — rules on ${type.ztKind} are not evaluated`, kinds),
            },
          };
        }
        if (error.status === 404) {
          return type.crd
            ? { type, items: [], failure: { state: 'missing', reason: 'not_installed', detail: `${type.group}/${type.version} ${type.plural} is not served (CRD not installed)` } }
            : { type, items: [], failure: { state: 'missing', reason: 'unsupported', issue: issue('warning', 'ZT_COLLECT_API_ERROR', `the server does not serve ${what} (${type.group || 'core'}/${type.version})`, kinds) } };
        }
        const code = error.status === 429 ? 'ZT_COLLECT_THROTTLED' : 'ZT_COLLECT_API_ERROR';
        const after = error.status === 410 ? 'the continue token kept expiring' : `${error.status ? `HTTP ${error.status} ${error.reason}` : error.reason}: ${error.message}`;
        return {
          type,
          items: [],
          failure: { state: 'missing', reason: 'api_error', issue: issue('error', code, `cannot list ${what} after ${maxAttempts} attempts (${after})`, kinds) },
        };
      }
    }
  }

  const results: TypeResult[] = [];
  // The longest page chains first (pods, replica sets, secrets are usually the biggest lists).
  const first = ['pods', 'replicasets', 'secrets'];
  const queue = [...types].sort((a, b) => (first.includes(b.plural) ? 1 : 0) - (first.includes(a.plural) ? 1 : 0));
  const concurrency = Math.max(1, options.concurrency ?? 6);
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let type = queue.shift(); type; type = queue.shift()) {
      signal.throwIfAborted();
      results.push(await listServed(type));
    }
  });
  await Promise.all(workers);
  results.sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type));

  // 4. Coverage per zt kind: complete when every type feeding it was read.
  const byKind = new Map<Kind, TypeResult[]>();
  for (const r of results) byKind.set(r.type.ztKind, [...(byKind.get(r.type.ztKind) ?? []), r]);
  for (const [kind, list] of byKind) {
    const failed = list.filter((r) => r.failure);
    for (const r of failed) if (r.failure?.issue) issues.push(r.failure.issue);
    if (failed.length === 0) coverage[kind] = { state: 'complete' };
    else {
      const first = failed[0]?.failure;
      if (!first) continue;
      const state = failed.length === list.length ? first.state : 'partial';
      const detail = failed.length === 1 && first.detail ? first.detail : `not read: ${failed.map((r) => r.type.plural).join(', ')}`;
      coverage[kind] = { state, reason: first.reason, detail };
    }
  }
  for (const t of apiTypes) {
    if (t.optIn && !optedIn[t.optIn.option]) coverage[t.ztKind] = { state: 'missing', reason: 'collector_disabled', detail: t.optIn.detail };
  }
  // The cluster object is read only as far as /version and /apis answered.
  coverage['k8s.cluster'] = serverVersion
    ? discoveryFailed
      ? { state: 'partial', reason: 'api_error', detail: 'API discovery (/apis) failed: the served API groups are unknown' }
      : { state: 'complete' }
    : { state: 'partial', reason: 'permission_denied', detail: 'the server version (/version) could not be read' };

  const mapped = finishMapping(results.flatMap((r) => r.items));
  issues.push(...unmappedIssues(mapped.unmapped, LIVE_COLLECTOR_ID));
  const resources: Resource[] = [clusterResource(settings, serverVersion, apiGroups), ...mapped.resources];
  // Guard the documented invariant: every kind read is listed.
  for (const kind of listedKinds) coverage[kind] ??= { state: 'missing', reason: 'api_error' };
  return { source: { collector: LIVE_COLLECTOR_ID, source, mode: 'live' }, resources, coverage, issues };
}

/**
 * What is wrong with a 200 answer to a list request, or undefined. The API server always
 * sends a list's `items` as an array (`[]` when empty); anything else — `{}`, `items: null`,
 * a Status sent with 200, a proxy's page — is not "zero objects" but an API error, so the
 * kind is missing, never complete.
 */
function listPageProblem(page: unknown): string | undefined {
  if (typeof page !== 'object' || page === null || Array.isArray(page)) return 'a body that is not a JSON object';
  const body = page as { kind?: unknown; status?: unknown; items?: unknown; metadata?: { continue?: unknown } };
  if (body.kind === 'Status') return `a Status${typeof body.status === 'string' ? ` (${body.status})` : ''}`;
  if (!Array.isArray(body.items)) return body.items === undefined ? 'no items' : 'items that are not a list';
  const next = body.metadata?.continue;
  if (next !== undefined && typeof next !== 'string') return 'a continue token that is not a string';
  return undefined;
}
