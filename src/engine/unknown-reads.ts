import type { CoverageReason } from '../model/coverage.js';
import type { UnknownFact } from '../model/unknown-fact.js';
import type { CompiledRule } from './compile.js';
import type { Outcome } from './outcome.js';

/** What a rule reads that is unknown for a resource: in its `when` (scope undecided) or only in its assert. */
export interface UnknownReads {
  readonly inWhen?: Outcome;
  readonly inAssert?: Outcome;
  /** Why (the rule result's notEvaluatedReason when nothing else decides it); set whenever one of the two is. */
  readonly reason?: CoverageReason;
}

const NONE: UnknownReads = Object.freeze({});

function firstUnknown(reads: ReadonlySet<string> | null, unknowns: Readonly<Record<string, UnknownFact>>): [string, UnknownFact] | undefined {
  if (reads === null) {
    const first = Object.entries(unknowns).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[0];
    return first;
  }
  // In field-name order, so the message does not depend on how the expression is written.
  for (const name of [...reads].sort()) {
    const fact = unknowns[name];
    if (fact) return [name, fact];
  }
  return undefined;
}

/** The not-evaluated outcome of a rule that read an unknown fact: an error finding with its own code, counted apart. */
function unknownOutcome(field: string, fact: UnknownFact): Outcome {
  return Object.freeze({
    status: 'error' as const,
    error: Object.freeze({ code: 'ZT_FACT_UNKNOWN', message: `resource.${field} is unknown: ${fact.explain()}, so this rule was not evaluated` }),
  });
}

/**
 * Which unknown facts a rule reads (three-valued facts, design §10): a rule that reads an
 * unknown is neither passed nor failed. If its `when` reads one, even whether the resource
 * is in scope is unknown; if only its assert does, the `when` still decides the scope.
 */
export function unknownReads(rule: CompiledRule, unknowns: Readonly<Record<string, UnknownFact>>): UnknownReads {
  const inWhen = firstUnknown(rule.whenReads, unknowns);
  if (inWhen) return { inWhen: unknownOutcome(...inWhen), reason: inWhen[1].because.reason };
  const inAssert = firstUnknown(rule.reads, unknowns);
  if (inAssert) return { inAssert: unknownOutcome(...inAssert), reason: inAssert[1].because.reason };
  return NONE;
}

/**
 * What a rule that reads `now` cannot decide on a resource whose source's time is unknown
 * (design §10, time comes from evidence): ages need the time the evidence was taken, and
 * the wall clock is not it. Like an unknown fact, the rule is not evaluated there.
 */
export function unknownTime(rule: CompiledRule, source: string): UnknownReads {
  if (rule.readsNow === 'no') return NONE;
  const outcome: Outcome = Object.freeze({
    status: 'error' as const,
    error: Object.freeze({
      code: 'ZT_FACT_UNKNOWN',
      message: `now is unknown: ${source} does not say when its data was taken (give --as-of), so this rule, which measures time, was not evaluated`,
    }),
  });
  return rule.readsNow === 'when' ? { inWhen: outcome, reason: 'as_of_unknown' } : { inAssert: outcome, reason: 'as_of_unknown' };
}

/** Both kinds of unknown reads of one rule on one resource: an unknown in the `when` first, fact before time. */
export function bothUnknown(facts: UnknownReads, time: UnknownReads): UnknownReads {
  if (time.reason === undefined || facts.inWhen) return facts;
  if (facts.reason === undefined || time.inWhen) return time;
  return facts;
}

/** An outcome for a resource whose unknown reads are `unknown`. */
export function judged(outcome: () => Outcome, unknown: UnknownReads): Outcome {
  if (unknown.inWhen) return unknown.inWhen;
  const result = outcome();
  return unknown.inAssert && result.status !== 'skip' ? unknown.inAssert : result;
}
