import { isZtError, ZtError } from '../../errors/zt-error.js';
import { elapsed, withoutCredential, type Diagnosis, type DoctorCheck, type Probe, type ProbeContext } from '../doctor.js';
import type { SourceSite } from '../source.js';
import { connect, listContexts } from './client.js';
import { KubeHttpError, type KubeClient } from './kube-api.js';
import { listPath } from './live.js';
import { rbacGrant, readName, readsFor, type KubernetesRead } from './reads.js';
import type { KubernetesSettings } from './source.js';

/**
 * `zt doctor --kubernetes`: per context, the kubeconfig user and how it authenticates,
 * GET /version timed, then one SelfSubjectAccessReview per read of reads.ts — what the API
 * server's authorisers (RBAC, webhooks) answer for this user, not a reading of RBAC
 * objects. Where the user may not create SelfSubjectAccessReviews, each read is tried
 * instead (a list of one object). Custom resources of a product the cluster does not
 * serve are skipped: the collector does not list them there.
 */

const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const REQUEST_TIMEOUT_MS = 20_000;

interface ProbeOptions {
  readonly context?: string;
  readonly kubeconfig: string | undefined;
  readonly secrets: boolean;
}

export function kubernetesProbes(settings: KubernetesSettings, site: SourceSite): Probe[] {
  if (!settings.live) return [];
  if (settings.allContexts && settings.contexts.length > 0) {
    throw new ZtError('ZT_USAGE', '--all-contexts and --context together: choose the contexts, or take them all');
  }
  const contexts = settings.allContexts ? listContexts({ kubeconfig: settings.kubeconfig, env: site.env, cwd: site.cwd }) : settings.contexts;
  const options = (context?: string): ProbeOptions => ({ ...(context ? { context } : {}), kubeconfig: settings.kubeconfig, secrets: settings.secrets });
  const all = contexts.length === 0 ? [options()] : contexts.map((c) => options(c));
  return all.map((o) => ({ source: 'kubernetes', target: o.context ? `k8s context ${o.context}` : 'k8s current context', diagnose: (context) => diagnose(o, context) }));
}

async function diagnose(options: ProbeOptions, context: ProbeContext): Promise<Diagnosis> {
  const reads = readsFor({ secrets: options.secrets });
  const unchecked: DoctorCheck[] = reads.map((r) => ({ check: readName(r), status: 'unknown', grant: rbacGrant(r) }));
  const asked = options.context ? `k8s context ${options.context}` : 'k8s current context';
  let client: KubeClient;
  try {
    client = await connect({
      ...(options.context ? { context: options.context } : {}),
      kubeconfig: options.kubeconfig,
      env: context.env,
      cwd: context.cwd,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      execTimeoutMs: 60_000,
      redactor: context.redactor,
      network: context.network,
    });
  } catch (error) {
    if (!isZtError(error)) throw error;
    return withoutCredential('kubernetes', asked, 'no usable kubeconfig', error.message, error.hint, unchecked);
  }
  try {
    return await diagnoseWith(client, reads, context);
  } finally {
    await client.close();
  }
}

async function diagnoseWith(client: KubeClient, reads: readonly KubernetesRead[], context: ProbeContext): Promise<Diagnosis> {
  const { signal } = context;
  const cred = client.credential;
  const target = `k8s context ${client.target.context}`;
  const found = cred ? `kubeconfig ${cred.kubeconfig}, context ${cred.context}, user ${cred.user} (${cred.auth})` : `user ${client.target.user}`;
  const unchecked: DoctorCheck[] = reads.map((r) => ({ check: readName(r), status: 'unknown', grant: rbacGrant(r) }));
  const call = `GET ${client.target.server}/version`;

  const start = performance.now();
  try {
    await client.get('/version', { signal });
  } catch (error) {
    if (!(error instanceof KubeHttpError)) throw error;
    const latencyMs = elapsed(start);
    if (error.status === 401 || (error.status === 0 && error.reason === 'Credentials')) {
      return {
        source: 'kubernetes',
        target,
        credential: {
          status: 'missing',
          found,
          detail: error.status === 401 ? 'the API server refused the credential (401 Unauthorized): expired or invalid' : error.message,
          fix: 'Sign in again (e.g. `aws sso login`, `gcloud auth login`, `kubelogin`) or refresh the kubeconfig credential; `kubectl get ns` with the same context should work.',
        },
        api: error.status === 401 ? { status: 'ok', call, latencyMs } : { status: 'unknown', call },
        checks: unchecked.map((c) => ({ ...c, detail: 'not checked: the credential was refused' })),
      };
    }
    if (error.status === 0) {
      return {
        source: 'kubernetes',
        target,
        credential: { status: 'ok', found },
        api: { status: 'unreachable', call, detail: error.message },
        checks: unchecked.map((c) => ({ ...c, detail: 'not checked: the API server did not answer' })),
      };
    }
    // Any other HTTP answer: the server is there; /version is one of the checks below.
  }
  const latencyMs = elapsed(start);

  const served = await servedGroups(client, signal);
  const checks = await mapPool(reads, 6, (read) => check(client, read, served, signal));
  return { source: 'kubernetes', target, credential: { status: 'ok', found }, api: { status: 'ok', call, latencyMs }, checks };
}

/** The API groups discovery names; undefined when /apis could not be read (custom resources are then checked anyway). */
async function servedGroups(client: KubeClient, signal: AbortSignal): Promise<Set<string> | undefined> {
  try {
    const list = (await client.get('/apis', { signal })) as { groups?: { name?: unknown }[] };
    if (!Array.isArray(list?.groups)) return undefined;
    return new Set(list.groups.map((g) => g.name).filter((n): n is string => typeof n === 'string'));
  } catch (error) {
    if (error instanceof KubeHttpError) return undefined;
    throw error;
  }
}

async function check(client: KubeClient, read: KubernetesRead, served: Set<string> | undefined, signal: AbortSignal): Promise<DoctorCheck> {
  const base = { check: readName(read), grant: rbacGrant(read) };
  if (read.type === 'resource' && read.crd && served && !served.has(read.group)) {
    return { check: base.check, status: 'skipped', detail: `${read.crd} is not installed (${read.group} is not served): zt does not list it here` };
  }
  let review: Awaited<ReturnType<typeof accessReview>>;
  try {
    review = await accessReview(client, read, signal);
  } catch (error) {
    if (!(error instanceof KubeHttpError)) throw error;
    return { ...base, status: 'unknown', detail: `SelfSubjectAccessReview failed: ${error.message}` };
  }
  if (review !== undefined) {
    if (review.allowed) return { check: base.check, status: 'ok' };
    return { ...base, status: 'missing', detail: review.reason ? `denied: ${review.reason}` : 'denied' };
  }
  // No SelfSubjectAccessReview: make the read itself, as small as it can be.
  try {
    if (read.type === 'nonResource') await client.get(read.path, { signal });
    else await client.get(listPath({ group: read.group, version: read.versions[0] ?? 'v1', plural: read.resource, ...(read.namespace ? { only: { namespace: read.namespace, name: '' } } : {}) }), { query: { limit: '1' }, signal });
    return { check: base.check, status: 'ok', detail: 'tried the read itself (SelfSubjectAccessReview not allowed)' };
  } catch (error) {
    if (!(error instanceof KubeHttpError)) throw error;
    if (error.status === 403) return { ...base, status: 'missing', detail: 'the read was refused (403); SelfSubjectAccessReview not allowed' };
    return { ...base, status: 'unknown', detail: `SelfSubjectAccessReview not allowed and the read failed: ${error.status ? `HTTP ${error.status} ${error.reason}` : error.reason}` };
  }
}

/** The API server's answer for this user, or undefined when it will not review (no `create selfsubjectaccessreviews`, an old server). */
async function accessReview(client: KubeClient, read: KubernetesRead, signal: AbortSignal): Promise<{ allowed: boolean; reason: string | undefined } | undefined> {
  if (!client.post) return undefined;
  const spec =
    read.type === 'nonResource'
      ? { nonResourceAttributes: { path: read.path, verb: read.verb } }
      : { resourceAttributes: { verb: read.verb, group: read.group, version: read.versions[0], resource: read.resource, ...(read.namespace ? { namespace: read.namespace } : {}) } };
  try {
    const answer = (await client.post(SSAR_PATH, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec }, { signal })) as {
      status?: { allowed?: unknown; reason?: unknown; evaluationError?: unknown };
    };
    if (typeof answer?.status?.allowed !== 'boolean') return undefined;
    const reason = [answer.status.reason, answer.status.evaluationError].filter((t): t is string => typeof t === 'string' && t !== '').join('; ');
    return { allowed: answer.status.allowed, reason: reason || undefined };
  } catch (error) {
    if (error instanceof KubeHttpError && error.status !== 0 && error.status !== 401) return undefined;
    throw error;
  }
}

async function mapPool<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
