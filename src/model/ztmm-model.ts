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
  readonly stages: readonly { readonly id: Stage; readonly ordinal: number; readonly summary: string }[];
  readonly crossCutting: readonly { readonly id: string; readonly name: string; readonly summary: string }[];
  readonly pillars: readonly ZtmmPillar[];
}
