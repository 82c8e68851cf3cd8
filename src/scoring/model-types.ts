/** Types of the ZTMM model data (src/scoring/ztmm-v2.ts). */
export const stageOrder = ['traditional', 'initial', 'advanced', 'optimal'] as const;
export type Stage = (typeof stageOrder)[number];
/** Stages a rule can gate: Traditional is the floor, never a gate. */
export type GateStage = Exclude<Stage, 'traditional'>;
export const gateStages: readonly GateStage[] = ['initial', 'advanced', 'optimal'];

export const pillarIds = ['identity', 'devices', 'networks', 'applications', 'data'] as const;
export type PillarId = (typeof pillarIds)[number];

export type Quantifier = 'some' | 'most' | 'all';

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

export function stageOrdinal(stage: Stage): number {
  return stageOrder.indexOf(stage);
}
