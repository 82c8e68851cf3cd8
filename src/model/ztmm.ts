/** The CISA ZTMM v2.0 vocabulary: stages, pillars and rule quantifiers. */
export const stageOrder = ['traditional', 'initial', 'advanced', 'optimal'] as const;
export type Stage = (typeof stageOrder)[number];
/** Stages a rule can gate: Traditional is the floor, never a gate. */
export type GateStage = Exclude<Stage, 'traditional'>;
export const gateStages: readonly GateStage[] = ['initial', 'advanced', 'optimal'];

/** A stage, or "not assessed" when no evidence at all was evaluated. Never defaulted to traditional. */
export type AssessedStage = Stage | 'not_assessed';
/** Assessed stages from lowest to highest: not assessed is below every stage. */
export const assessedStageOrder: readonly AssessedStage[] = ['not_assessed', ...stageOrder];

export const pillarIds = ['identity', 'devices', 'networks', 'applications', 'data'] as const;
export type PillarId = (typeof pillarIds)[number];

export const quantifiers = ['some', 'most', 'all'] as const;
export type Quantifier = (typeof quantifiers)[number];

export function stageOrdinal(stage: Stage): number {
  return stageOrder.indexOf(stage);
}

/** How every report names a stage. */
export const stageWords: Readonly<Record<AssessedStage, string>> = {
  traditional: 'Traditional',
  initial: 'Initial',
  advanced: 'Advanced',
  optimal: 'Optimal',
  not_assessed: 'Not assessed',
};
