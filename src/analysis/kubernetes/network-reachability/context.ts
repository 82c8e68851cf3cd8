import type { NetCluster } from '../network-policy.js';
import type { ClassSpace } from './class-sets.js';
import type { ReachabilityIndex } from './reachability-index.js';

/**
 * What the steps of one cluster's reachability analysis share. Each step is a function
 * of this context (plus the named results of earlier steps) and returns its own result;
 * indexes and caches live in `index` only.
 */
export interface ReachabilityContext {
  readonly cluster: NetCluster;
  /** Step 1's classes, indexed by namespace and label, with memoised selector matching. */
  readonly index: ReachabilityIndex;
  /** Set algebra over the classes. */
  readonly sets: ClassSpace;
  /** Workloads named in the *Examples fields. */
  readonly maxExamples: number;
}
