import type { Kind } from '../inventory/kinds/index.js';
import type { CoverageReason } from '../inventory/snapshot.js';
import type { GateStage, Quantifier } from '../scoring/model-types.js';
import type { WaiverSummary } from '../waivers/apply.js';
import type { WaiverRef } from '../waivers/waiver.js';

/** What one rule said about one resource. `waived`: a fail covered by an active waiver. */
export type FindingStatus = 'pass' | 'fail' | 'error' | 'skip' | 'waived';

export interface FindingResource {
  readonly kind: Kind;
  readonly id: string;
  readonly name: string;
  readonly source: string;
  /** For resources read from files (manifests, exports). */
  readonly file?: string;
  readonly line?: number;
}

export interface Finding {
  readonly ruleId: string;
  readonly status: FindingStatus;
  readonly resource: FindingResource;
  /** The rule's rendered message (status fail only). */
  readonly message?: string;
  /** Why the expression could not be evaluated (status error only). */
  readonly error?: { readonly code: string; readonly message: string };
  /** Who accepted the risk, why, and until when (status waived only). */
  readonly waiver?: WaiverRef;
  /** sha256 of rule id, kind and resource id: stable across runs, independent of wording. */
  readonly fingerprint: string;
}

/** What one rule said overall. */
export type RuleStatus = 'pass' | 'fail' | 'error' | 'not_applicable' | 'not_evaluated';

export interface GateResult {
  readonly stage: GateStage;
  readonly quantifier: Quantifier;
  readonly threshold: number;
  readonly status: RuleStatus;
}

export interface RuleResult {
  readonly ruleId: string;
  readonly counts: { readonly pass: number; readonly fail: number; readonly error: number; readonly skip: number; readonly waived: number };
  /** pass / (pass + fail + error) over in-scope resources (waived ones leave the denominator); null when none. */
  readonly passRate: number | null;
  /** complete: every resource of the kind was read; partial: some could not be; missing: none. */
  readonly coverage: 'complete' | 'partial' | 'missing';
  readonly notEvaluatedReason?: CoverageReason;
  readonly gates: readonly GateResult[];
  /** The verdict at the rule's highest gate (what a person reads first). */
  readonly status: RuleStatus;
}

export interface EvaluationResult {
  /** In report order: by rule id, then resource id. */
  readonly findings: readonly Finding[];
  readonly ruleResults: readonly RuleResult[];
  readonly waivers: WaiverSummary;
}
