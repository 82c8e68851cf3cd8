/** Types of the ZTMM model data (src/model/ztmm-v2.ts). */
import type { PillarId, Quantifier, Stage } from './ztmm.js';

export interface ZtmmRow {
  /** `<pillar>.<function>`, e.g. identity.authentication. */
  readonly id: string;
  readonly name: string;
  /** True for the pillar's Visibility & Analytics, Automation & Orchestration and Governance rows. */
  readonly crossCutting: boolean;
  readonly stages: Readonly<Record<Stage, string>>;
  readonly evidence: {
    readonly level: string;
    readonly sources: readonly string[];
    readonly missingInputs: readonly string[];
  };
}

export interface ZtmmPillar {
  readonly id: PillarId;
  readonly name: string;
  readonly summary: string;
  readonly rows: readonly ZtmmRow[];
}

export interface ZtmmModel {
  readonly id: 'cisa-ztmm';
  readonly version: '2.0';
  readonly title: string;
  readonly url: string;
  readonly quantifiers: Readonly<Record<Quantifier, number>>;
  /**
   * Minimum evidence (docs/scoring.md §3): the share of a roll-up's parts — a pillar's
   * rows, a cross-cutting capability's rows, the overall's pillars — that must have a
   * stage before the roll-up claims one above Traditional. Below it the roll-up reads
   * "insufficient evidence" (stage `not_assessed`), unless its weakest assessed part is
   * already at Traditional, which parts not assessed cannot lower.
   */
  readonly minimumEvidence: number;
  readonly stages: readonly { readonly id: Stage; readonly ordinal: number; readonly summary: string }[];
  readonly crossCutting: readonly { readonly id: string; readonly name: string; readonly summary: string }[];
  readonly pillars: readonly ZtmmPillar[];
}
