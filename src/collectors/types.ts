import type { ZtConfig } from '../config/config.js';
import type { Kind } from '../inventory/kinds/index.js';
import type { Resource } from '../inventory/snapshot.js';
import type { CollectionIssue, KindCoverage, SnapshotSource } from '../model/coverage.js';
import type { Redactor } from '../text/redact.js';
import type { Network } from './network.js';

export interface CollectorContext {
  /** Aborted on Ctrl-C or timeout; pass it to every request. */
  readonly signal: AbortSignal;
  /** Short progress messages ("Listing pods (3/12)"); shown on stderr on a TTY. */
  readonly progress: (message: string) => void;
  /**
   * The moment collection started: the as-of time of every live source (what their
   * facts' ages are measured from). Offline input is never dated by it (design §10).
   */
  readonly now: Date;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The run's proxy and extra CA settings (network.ts): every request a live collector makes honours them. */
  readonly network: Network;
  /** Working directory for relative paths (manifests, exports). */
  readonly cwd: string;
  /** The project's config (.zt/config.yaml): break-glass and service accounts, factor policy. */
  readonly config: ZtConfig;
  /** Standard input, for `--manifests -`. */
  readonly stdin?: AsyncIterable<unknown>;
  /**
   * The run's credentials and the one redaction step for server-supplied text
   * (`text/redact.ts`). A collector registers every credential value it sends (`add`);
   * the collector boundary (`app/collect.ts`) redacts every issue, coverage detail,
   * progress line and error the collector lets out.
   */
  readonly redactor: Redactor;
  /** Under --debug: where a collector's unexpected crash shows its stack (stderr, redacted). */
  readonly debug?: (text: string) => void;
}

/**
 * What a collector returns. Expected trouble (a 403 on one type, a missing licence, an
 * unreadable file in a folder) is an issue plus coverage, never a throw. A collector
 * throws a ZtError only when it cannot read anything at all (bad credentials,
 * unreachable server, wrong org URL); the run then records it and exits 3.
 */
export interface CollectorOutput {
  /**
   * What was read. An offline collector whose input records when it was taken (an AWS
   * credential report's GeneratedTime, an Okta or Entra export's exportedAt) sets `asOf` to
   * that time; otherwise the collector boundary (app/collect.ts) dates the source: a live
   * one at `now`, an offline one null (unknown) until --as-of dates it (app/inputs.ts).
   */
  readonly source: SnapshotSource;
  readonly resources: readonly Resource[];
  /** Every kind the collector tried to read, including kinds with zero objects. */
  readonly coverage: Readonly<Partial<Record<Kind, KindCoverage>>>;
  readonly issues: readonly CollectionIssue[];
  /**
   * Targets this collector found and leaves to the run (an AWS organisation's member
   * accounts): collected in the same pool, within the same `--parallel`, each its own
   * target whose failure is its own. Their outputs follow this one's, in this order.
   */
  readonly members?: readonly Collector[];
}

export interface Collector {
  /** Collector id recorded in provenance and sources, e.g. `kubernetes`, `aws-iam`, `okta`, `entra`. */
  readonly id: string;
  /** What it reads, for progress and errors, e.g. "Kubernetes context prod" or "manifests in ./deploy". */
  readonly description: string;
  /** Whether it reads a live system or files (exports, manifests); live when absent. Dates a source that failed outright. */
  readonly mode?: 'live' | 'offline';
  /** The target it reads, when known before collecting (`aws:111122223333` for an organisation's member): a failure is recorded as that target's. */
  readonly target?: string;
  collect(context: CollectorContext): Promise<CollectorOutput>;
}
