import { z } from 'zod';
import { coverageReasons, coverageStates, type CollectionIssue, type KindCoverage, type SnapshotSource } from '../model/coverage.js';
import { isoDateTime } from './kinds/common.js';
import type { Kind, KindAttributes } from './kinds/index.js';

export const SNAPSHOT_SCHEMA_VERSION = 1;

export const provenanceSchema = z.strictObject({
  /** Collector id, e.g. `aws-iam`, `kubernetes`, `okta`. */
  collector: z.string(),
  /** The system the resource came from, e.g. `aws:111122223333`, `k8s:prod`, `okta:acme.okta.com`. */
  source: z.string(),
  /** For resources read from files (manifests, exports): where, so reports can point at it. */
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  /** Lines of named elements within the resource's document (a workload's containers by name, their env vars as `container/var`), so findings can point at them. */
  elementLines: z.record(z.string(), z.number().int().positive()).optional(),
  /** The same elements' columns (1-based), where they are known. */
  elementColumns: z.record(z.string(), z.number().int().positive()).optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export const resourceEnvelopeSchema = z.strictObject({
  kind: z.string(),
  id: z.string().min(1),
  name: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  provenance: provenanceSchema,
});

export interface Resource {
  readonly kind: Kind;
  /** Globally unique: an ARN, `k8s://<cluster>/<namespace>/<kind>/<name>`, or `<provider>://<tenant>/<type>/<id>`. */
  readonly id: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly provenance: Provenance;
}

/** A resource of kind K, its attributes typed by K's schema (see TypedResource). */
export interface ResourceOf<K extends Kind> extends Resource {
  readonly kind: K;
  readonly attributes: Readonly<KindAttributes<K>>;
}

/**
 * A resource whose attributes are typed by its kind's schema: for a union of kinds, a
 * union that `resource.kind === '…'` narrows. True of every resource an InventoryIndex
 * hands out, because snapshots, collector output and rule cases are validated against
 * those schemas before they are indexed (rule error cases that opt out of validation are
 * the exception: analysers stay defensive where such data could crash them).
 */
export type TypedResource<K extends Kind = Kind> = K extends Kind ? ResourceOf<K> : never;

export const kindCoverageSchema = z.strictObject({
  state: z.enum(coverageStates),
  reason: z.enum(coverageReasons).optional(),
  detail: z.string().optional(),
  unknownFields: z.array(z.string()).optional(),
});

export const collectionIssueSchema = z.strictObject({
  collector: z.string(),
  source: z.string().optional(),
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string(),
  message: z.string(),
  kinds: z.array(z.string()),
});

export const sourceSchema = z.strictObject({
  collector: z.string(),
  source: z.string(),
  mode: z.enum(['live', 'offline']),
  /** The plugin whose source this is; absent for built-in sources. */
  plugin: z.strictObject({ name: z.string(), version: z.string() }).optional(),
  /** The time the source's facts hold at; null: unknown; absent (older snapshots): the snapshot's collectedAt. */
  asOf: isoDateTime.nullable().optional(),
});

export const snapshotEnvelopeSchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  /**
   * The time of the snapshot: the latest of its sources' as-of times (null when no source
   * says when it was taken). Each resource's ages are measured from its own source's
   * as-of (sources[].asOf, falling back to this); rules never see the wall clock.
   */
  collectedAt: isoDateTime.nullable(),
  sources: z.array(sourceSchema),
  /** Per kind: was it read completely? Kinds not listed were not collected at all. */
  coverage: z.record(z.string(), kindCoverageSchema),
  /**
   * Per source (`sources[].source`), what it read, per kind; `coverage` is the worst over
   * them. Lets merging drop a source (--prefer-latest) without losing what the others read.
   * Absent in snapshots written before zt recorded it.
   */
  coverageBySource: z.record(z.string(), z.record(z.string(), kindCoverageSchema)).optional(),
  issues: z.array(collectionIssueSchema),
  resources: z.array(z.unknown()),
});

export interface Snapshot {
  readonly schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  /** The latest of the sources' as-of times; null when none is known (see snapshotEnvelopeSchema). */
  readonly collectedAt: string | null;
  readonly sources: readonly SnapshotSource[];
  readonly coverage: Readonly<Partial<Record<Kind, KindCoverage>>>;
  /** Per source, what it read (see snapshotEnvelopeSchema); absent in older snapshots. */
  readonly coverageBySource?: Readonly<Record<string, Readonly<Partial<Record<Kind, KindCoverage>>>>>;
  readonly issues: readonly CollectionIssue[];
  readonly resources: readonly Resource[];
}

