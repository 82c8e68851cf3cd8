import type { CelNode } from './cel-ast.js';
import { scalarKey, type CelOutcomes } from './cel-outcomes.js';
import { celOutcome, type CelProgram } from './cel-run.js';
import { mentionsVariable } from './expression-reads.js';
import { compileFast, NOT_HANDLED, type FastProgram } from './fast-path.js';
import { FAIL, PASS, SKIP, type Outcome } from './outcome.js';
import type { ResourceView } from './resource-view.js';

/**
 * How rules run. `default`: the fast path, then outcomes remembered in this evaluation,
 * then cel-js; `cel`: cel-js alone, the reference the others must agree with (ZT_ENGINE=cel).
 */
export type EngineMode = 'default' | 'cel';

/** The steps a program takes, in order, for `--debug` and tests. */
export type Strategy = 'fast → cel' | 'fast → remembered → cel' | 'remembered → cel' | 'cel';

/** A compiled rule's evaluation, its strategy chosen once when it was compiled. */
export interface Program {
  readonly strategy: Strategy;
  /**
   * The rule on one resource. Never throws: what cannot be evaluated is an `error`
   * outcome. `remembered`: the evaluation's remembered outcomes (none: nothing is remembered).
   */
  evaluate(view: ResourceView, remembered?: CelOutcomes): Outcome;
}

/** An expression parsed by cel-js, with its typed AST (cel-ast.ts). */
export interface ParsedExpression {
  readonly run: CelProgram;
  readonly ast: CelNode;
}

/** What a program ends with: cel-js's outcome (`whenHolds`: the `when` is known true, run the assert only). */
interface LastStep {
  outcome(view: ResourceView, whenHolds: boolean, remembered: CelOutcomes | undefined): Outcome;
}

class Cel implements LastStep {
  readonly #when: CelProgram | undefined;
  readonly #assert: CelProgram;
  constructor(when: CelProgram | undefined, assert: CelProgram) {
    this.#when = when;
    this.#assert = assert;
  }
  outcome(view: ResourceView, whenHolds: boolean): Outcome {
    return celOutcome(this.#when, this.#assert, view.bindings(), whenHolds);
  }
}

/** cel-js, with its outcomes remembered by the read fields' values (only for rules that read nothing else). */
class Remembered implements LastStep {
  readonly #cel: Cel;
  readonly #reads: ReadonlySet<string>;
  constructor(cel: Cel, reads: ReadonlySet<string>) {
    this.#cel = cel;
    this.#reads = reads;
  }
  outcome(view: ResourceView, whenHolds: boolean, remembered: CelOutcomes | undefined): Outcome {
    const key = remembered ? scalarKey(this.#reads, view.raw.resource) : undefined;
    if (key === undefined) return this.#cel.outcome(view, whenHolds);
    const known = (remembered as CelOutcomes).get(this, key);
    if (known) return known;
    const outcome = this.#cel.outcome(view, whenHolds);
    (remembered as CelOutcomes).remember(this, key, outcome);
    return outcome;
  }
}

/** No fast path: the last step alone. */
class LastStepOnly implements Program {
  readonly strategy: Strategy;
  readonly #last: LastStep;
  readonly #hasWhen: boolean;
  constructor(last: LastStep, hasWhen: boolean, strategy: Strategy) {
    this.#last = last;
    this.#hasWhen = hasWhen;
    this.strategy = strategy;
  }
  evaluate(view: ResourceView, remembered?: CelOutcomes): Outcome {
    return this.#last.outcome(view, !this.#hasWhen, remembered);
  }
}

/** The fast path first; what it does not answer goes to the last step. */
class FastFirst implements Program {
  readonly strategy: Strategy;
  readonly #when: FastProgram;
  readonly #assert: FastProgram;
  readonly #last: LastStep;
  constructor(when: FastProgram, assert: FastProgram, last: LastStep, strategy: Strategy) {
    this.#when = when;
    this.#assert = assert;
    this.#last = last;
    this.strategy = strategy;
  }
  evaluate(view: ResourceView, remembered?: CelOutcomes): Outcome {
    const raw = view.raw;
    const applies = this.#when(raw);
    if (applies === false) return SKIP;
    if (applies === true) {
      const value = this.#assert(raw);
      if (value === true) return PASS;
      if (value === false) return FAIL;
    }
    // Unanswered (or answered with a non-bool, which cel-js reports as not_bool): cel-js decides.
    return this.#last.outcome(view, applies === true, remembered);
  }
}

const ALWAYS: FastProgram = () => true;
const NEVER: FastProgram = () => NOT_HANDLED;

/**
 * Chooses a rule's strategy. Each step answers only where its answer is cel-js's, so
 * every strategy gives the same outcomes (test/unit/engine/differential.test.ts).
 * `reads`: the `resource` fields the expressions read (null: the whole resource).
 */
export function programFor(when: ParsedExpression | undefined, assert: ParsedExpression, reads: ReadonlySet<string> | null, mode: EngineMode): Program {
  const cel = new Cel(when?.run, assert.run);
  if (mode === 'cel') return new LastStepOnly(cel, when !== undefined, 'cel');
  // Outcomes can be remembered by the read fields' values only if they depend on nothing
  // else (no `meta`, no whole `resource`; `now` is fixed for an evaluation).
  const remembers = reads !== null && !mentionsVariable(assert.ast, 'meta') && !(when && mentionsVariable(when.ast, 'meta'));
  const last = remembers ? new Remembered(cel, reads) : cel;
  const fastWhen = when ? compileFast(when.ast) : ALWAYS;
  const fastAssert = compileFast(assert.ast);
  // The fast path can answer something if it runs the `when` (a false one skips), or, with
  // no `when`, the assert.
  if (fastWhen === null || (when === undefined && fastAssert === null)) {
    return new LastStepOnly(last, when !== undefined, remembers ? 'remembered → cel' : 'cel');
  }
  return new FastFirst(fastWhen, fastAssert ?? NEVER, last, remembers ? 'fast → remembered → cel' : 'fast → cel');
}
