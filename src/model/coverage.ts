/** How completely a kind was read, and why not. Missing data is never counted as a pass. */
export const coverageStates = ['complete', 'partial', 'missing'] as const;
export type CoverageState = (typeof coverageStates)[number];

/** Why a kind's data is incomplete. */
export const coverageReasons = [
  'permission_denied',
  'license_missing',
  'not_installed',
  'api_error',
  'input_missing',
  'collector_disabled',
  'unsupported',
  /** Not about a kind: the rule measures time, and the resource's source does not say when it was taken (no --as-of). */
  'as_of_unknown',
  /** Not about a kind: the run was scoped (--rule, --skip-rule) and left the rule out. */
  'out_of_scope',
] as const;
export type CoverageReason = (typeof coverageReasons)[number];

export interface KindCoverage {
  readonly state: CoverageState;
  readonly reason?: CoverageReason;
  readonly detail?: string;
  /**
   * Attributes the collector could not fill for the kind's resources because another input
   * failed (Entra users' admin roles without the role assignments): their values are
   * placeholders, and rules reading them are not evaluated. Sorted; absent when none.
   */
  readonly unknownFields?: readonly string[];
}

/** 0 complete, 1 partial, 2 missing: when two readings of a kind meet, the higher rank wins. */
export function coverageRank(state: CoverageState): number {
  return coverageStates.indexOf(state);
}

/** The less complete of two coverages (the first when they tie), with the unknown fields of both. */
export function worseCoverage<C extends KindCoverage>(current: C | undefined, next: C): C {
  const worse = !current || coverageRank(next.state) > coverageRank(current.state) ? next : current;
  const fields = [...new Set([...(current?.unknownFields ?? []), ...(next.unknownFields ?? [])])].sort();
  if (fields.length === (worse.unknownFields?.length ?? 0)) return worse;
  return { ...worse, unknownFields: fields };
}

export interface CollectionIssue {
  readonly collector: string;
  /** The target it concerns (`aws:111122223333`, `k8s:prod`), stamped at the collector boundary; absent in snapshots written before. */
  readonly source?: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly message: string;
  readonly kinds: readonly string[];
}

export interface SnapshotSource {
  readonly collector: string;
  readonly source: string;
  readonly mode: 'live' | 'offline';
  /** The plugin whose source this is (docs/plugins.md): a reader without it says which plugin to configure. */
  readonly plugin?: { readonly name: string; readonly version: string };
  /**
   * The time the source's facts hold at, and against which their ages are measured
   * (design §10, time comes from evidence): for a live source the moment collection
   * started; for offline input the time the input itself records (an AWS credential
   * report's GeneratedTime) or the `--as-of` the user gave; null when neither says
   * (rules that measure time are then not evaluated on its resources). Absent in
   * snapshots written before zt recorded it: the snapshot's collectedAt.
   */
  readonly asOf?: string | null;
}
