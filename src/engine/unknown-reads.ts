import type { UnknownFact } from '../model/unknown-fact.js';
import type { CompiledRule } from './compile.js';
import type { Outcome } from './outcome.js';

/** What a rule reads that is unknown for a resource: in its `when` (scope undecided) or only in its assert. */
export interface UnknownReads {
  readonly inWhen?: Outcome;
  readonly inAssert?: Outcome;
  readonly because?: UnknownFact;
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
  if (inWhen) return { inWhen: unknownOutcome(...inWhen), because: inWhen[1] };
  const inAssert = firstUnknown(rule.reads, unknowns);
  if (inAssert) return { inAssert: unknownOutcome(...inAssert), because: inAssert[1] };
  return NONE;
}

/** An outcome for a resource whose unknown reads are `unknown`. */
export function judged(outcome: () => Outcome, unknown: UnknownReads): Outcome {
  if (unknown.inWhen) return unknown.inWhen;
  const result = outcome();
  return unknown.inAssert && result.status !== 'skip' ? unknown.inAssert : result;
}
