import type { Kind } from '../inventory/kinds/index.js';
import type { Severity } from '../model/severity.js';
import type { GateStage, PillarId, Quantifier } from '../model/ztmm.js';

export interface RuleGate {
  readonly stage: GateStage;
  readonly quantifier: Quantifier;
}

/** Where a rule came from, for error messages and SARIF locations. */
export interface RuleSource {
  /** Path as given (relative to the working directory when inside it). */
  readonly file: string;
  /** Where the file is on this machine (for finding its cases); never in a report, whose paths must not depend on the machine. */
  readonly path: string;
  /** 1-based lines of the top-level keys, for pointing at `assert`, `when`, … */
  readonly lines: Readonly<Record<string, number>>;
}

/** A validated rule definition (before its expressions are compiled). */
export interface RuleDefinition {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly kind: Kind;
  readonly severity: Severity;
  readonly pillar: PillarId;
  readonly row: string;
  readonly gates: readonly RuleGate[];
  readonly supporting: boolean;
  readonly when: string | undefined;
  readonly assert: string;
  readonly message: string;
  /** The field each failing finding carries as structured evidence (`evidence` in JSON, a SARIF result property). */
  readonly evidence: string | undefined;
  readonly whenEmpty: 'not_applicable' | 'fail';
  readonly remediation: string;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly source: RuleSource;
}
