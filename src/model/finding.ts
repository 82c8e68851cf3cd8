import type { CoverageReason } from './coverage.js';
import type { WaiverRef } from './waiver.js';
import type { GateStage, Quantifier } from './ztmm.js';

/** What one rule said about one resource. `waived`: a fail covered by an active waiver. */
export const findingStatuses = ['pass', 'fail', 'error', 'skip', 'waived'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

export interface FindingResource {
  /** The resource's kind (see `zt rules kinds`). */
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly source: string;
  /** For resources read from files (manifests, exports). */
  readonly file?: string;
  readonly line?: number;
}

/**
 * A named element of a list the rule judges element by element that the finding fails on:
 * a container of a workload (field `allContainers`), with the env vars (`env`) it fails on.
 */
export interface FindingElement {
  /** The list field the element belongs to (`allContainers`, `env`). */
  readonly field: string;
  readonly name: string;
  /** The element's line in the resource's manifest, when it was read from a file. */
  readonly line?: number;
  /** Its column on that line (1-based), when known. */
  readonly column?: number;
  /** The failing elements within this one (the env vars of a container). */
  readonly elements?: readonly FindingElement[];
}

export interface Finding {
  readonly ruleId: string;
  readonly status: FindingStatus;
  readonly resource: FindingResource;
  /** The rule's rendered message (status fail only). */
  readonly message?: string;
  /** The rule's `evidence` field, structured, as `{ <field>: value }` (fail and waived, when the rule names one and the value is not null). */
  readonly evidence?: Readonly<Record<string, unknown>>;
  /** The elements the rule fails on (the containers, and their env vars), in the resource's order (fail and waived, when the rule judges a list). */
  readonly elements?: readonly FindingElement[];
  /** Why the expression could not be evaluated (status error only). */
  readonly error?: { readonly code: string; readonly message: string };
  /** Who accepted the risk, why, and until when (status waived only). */
  readonly waiver?: WaiverRef;
  /** sha256 of rule id, kind and resource id: stable across runs, independent of wording. */
  readonly fingerprint: string;
}

/** What one rule said overall. */
export const ruleStatuses = ['pass', 'fail', 'error', 'not_applicable', 'not_evaluated'] as const;
export type RuleStatus = (typeof ruleStatuses)[number];

export interface GateResult {
  readonly stage: GateStage;
  readonly quantifier: Quantifier;
  readonly threshold: number;
  readonly status: RuleStatus;
}

export interface RuleResult {
  readonly ruleId: string;
  readonly counts: {
    readonly pass: number;
    readonly fail: number;
    readonly error: number;
    readonly skip: number;
    readonly waived: number;
    /** Of `error`: resources whose rule read a derived fact that is unknown (ZT_FACT_UNKNOWN); present only when some did. */
    readonly unknown?: number;
  };
  /** pass / (pass + fail + error) over in-scope resources (waived ones leave the denominator); null when none. */
  readonly passRate: number | null;
  /** complete: every resource of the kind was read; partial: some could not be; missing: none. */
  readonly coverage: 'complete' | 'partial' | 'missing';
  readonly notEvaluatedReason?: CoverageReason;
  readonly gates: readonly GateResult[];
  /** The verdict at the rule's highest gate (what a person reads first). */
  readonly status: RuleStatus;
}
