import type { RuleResult, RuleStatus } from '../../src/model/finding.js';
import type { GateStage, PillarId, Quantifier } from '../../src/model/ztmm.js';
import type { RuleDefinition } from '../../src/ruleset/rule.js';

/** A rule definition for roll-up tests; only the fields scoring reads matter. */
export function ruleDef(
  id: string,
  row: string,
  gates: readonly { stage: GateStage; quantifier?: Quantifier }[],
  extra: Partial<RuleDefinition> = {},
): RuleDefinition {
  return {
    id,
    slug: id.toLowerCase(),
    title: `rule ${id}`,
    kind: 'idp.user',
    severity: 'high',
    pillar: row.split('.')[0] as PillarId,
    row,
    gates: gates.map((g) => ({ stage: g.stage, quantifier: g.quantifier ?? 'all' })),
    supporting: false,
    when: undefined,
    assert: 'true',
    message: 'm',
    evidence: undefined,
    whenEmpty: 'not_applicable',
    remediation: 'fix it',
    references: ['ref'],
    tags: [],
    source: { file: `rules/${id}.yaml`, path: `/rules/${id}.yaml`, lines: { assert: 3 } },
    ...extra,
  };
}

/** A rule result whose every gate has the given status. */
export function result(
  rule: RuleDefinition,
  status: RuleStatus,
  options: { coverage?: RuleResult['coverage']; pass?: number; fail?: number } = {},
): RuleResult {
  const pass = options.pass ?? (status === 'pass' ? 1 : 0);
  const fail = options.fail ?? (status === 'fail' ? 1 : 0);
  return {
    ruleId: rule.id,
    counts: { pass, fail, error: status === 'error' ? 1 : 0, skip: 0, waived: 0 },
    passRate: pass + fail === 0 ? null : pass / (pass + fail),
    coverage: options.coverage ?? (status === 'not_evaluated' ? 'missing' : 'complete'),
    ...(status === 'not_evaluated' ? { notEvaluatedReason: 'permission_denied' as const } : {}),
    gates: rule.gates.map((g) => ({ stage: g.stage, quantifier: g.quantifier, threshold: 1, status })),
    status,
  };
}
