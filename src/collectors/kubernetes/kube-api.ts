import type { Redactor } from '../../text/redact.js';
import type { Network } from '../network.js';

/**
 * The narrow interface the live collector needs from a Kubernetes API client, so the
 * collection logic (paging, retries, coverage) does not import client-node: only
 * client.ts does, and it is loaded when a live collection starts.
 */

export interface KubeTarget {
  /** kubeconfig context name (`in-cluster` for a service-account token). */
  readonly context: string;
  /** Cluster name used in ids and sources. */
  readonly cluster: string;
  /** API server URL (never carries credentials). */
  readonly server: string;
  /** kubeconfig user entry name (never a token). */
  readonly user: string;
}

export interface GetOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly accept?: string;
  readonly signal: AbortSignal;
  /**
   * Called with a list's continue token as soon as it has arrived, before the rest of the
   * body: the next page can be requested while this one is still being read. Clients may
   * not call it (the token is then read from the parsed body only); a token passed here is
   * the one the parsed body carries.
   */
  readonly onContinue?: (token: string) => void;
}

/**
 * The continue token of a list response from the start of its body: '' when the list
 * metadata has passed without one, undefined when more of the body is needed. Only the
 * part before `"items"` is searched: the API server writes kind, apiVersion and metadata
 * first, and nothing an object holds can be mistaken for the list's token.
 */
export function continueTokenInHead(head: string): string | undefined {
  const items = head.indexOf('"items"');
  const scope = items < 0 ? head : head.slice(0, items);
  const found = /"continue"\s*:\s*"([^"\\]*)"/.exec(scope);
  if (found) return found[1] ?? '';
  return items < 0 ? undefined : '';
}

/** Where a client's credential comes from (`zt doctor`); never the credential itself. */
export interface KubeCredential {
  /** The kubeconfig file(s) read, or `in-cluster service account`. */
  readonly kubeconfig: string;
  readonly context: string;
  /** The kubeconfig user entry. */
  readonly user: string;
  /** How it authenticates: bearer token, token file, exec plugin `<command>`, client certificate, auth provider, basic, none. */
  readonly auth: string;
}

export interface KubeClient {
  readonly target: KubeTarget;
  /** Where the credential comes from (clients built by client.ts say; test doubles may not). */
  readonly credential?: KubeCredential;
  /** GET a path of the API server and parse the JSON body; throws KubeHttpError for anything else. */
  get(path: string, options: GetOptions): Promise<unknown>;
  /** POST a JSON body (a SelfSubjectAccessReview) and parse the JSON answer; throws KubeHttpError for anything else. Optional for test doubles. */
  post?(path: string, body: unknown, options: GetOptions): Promise<unknown>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly context?: string;
  /** The cluster name in ids, when several contexts are audited together (cluster-names.ts); else from the context. */
  readonly clusterName?: string;
  readonly kubeconfig?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Per request, including reading the body. */
  readonly requestTimeoutMs: number;
  /** Bound on an exec credential plugin (aws, gke-gcloud-auth-plugin, kubelogin). */
  readonly execTimeoutMs: number;
  /** Root of the service-account files for in-cluster use (tests point it at a temp folder). */
  readonly serviceAccountRoot?: string;
  /** The run's redaction step: every credential the client sends is registered here. */
  readonly redactor: Redactor;
  /** The run's proxy and extra CAs (a kubeconfig's proxy-url wins over the proxy variables, as with kubectl). */
  readonly network: Network;
}

/**
 * A failed request. `status` 0 means no HTTP answer: `reason` then says why
 * (`Timeout`, `NetworkError`, `Credentials`, `Certificate`, `Proxy`: the proxy refused
 * the tunnel or could not be reached).
 */
export class KubeHttpError extends Error {
  readonly status: number;
  readonly reason: string;
  /** Seconds from a Retry-After header. */
  readonly retryAfter: number | undefined;
  constructor(status: number, reason: string, message: string, retryAfter?: number) {
    super(message);
    this.name = 'KubeHttpError';
    this.status = status;
    this.reason = reason;
    this.retryAfter = retryAfter;
  }
}
