import { RE2_MATCHES } from './cel-env.js';
import { FAIL, PASS, SKIP, type Outcome } from './outcome.js';

/** An expression as cel-js parsed it: call it with the bindings (resource, meta, now). */
export type CelProgram = (bindings: Record<string, unknown>) => unknown;

interface CelFailure {
  readonly code?: string;
  readonly message?: string;
}

/** cel-js runs `matches` under another name (matches-re2.ts): its messages say `matches`, as the rule does. */
const RUN_NAME = new RegExp(`\\.${RE2_MATCHES}\\(`, 'g');

function describeError(error: unknown): { code: string; message: string } {
  const failure = error as CelFailure;
  const message = (failure.message ?? String(error)).split('\n')[0] ?? '';
  return { code: failure.code ?? 'evaluation_error', message: message.replace(RUN_NAME, '.matches(') };
}

function notBool(field: 'when' | 'assert', value: unknown): Outcome {
  return { status: 'error', error: { code: 'not_bool', message: `${field} returned ${typeof value}, not bool` } };
}

function assertOutcome(assert: CelProgram, bindings: Record<string, unknown>): Outcome {
  const value = assert(bindings);
  if (typeof value !== 'boolean') return notBool('assert', value);
  return value ? PASS : FAIL;
}

/**
 * A rule by cel-js. Never throws: an expression that cannot be evaluated, or that does
 * not return a bool, is an `error` (a non-bool `when` must not become a silent skip).
 * `whenHolds`: the `when` is known to be true already (or there is none), so only the
 * assert runs.
 */
export function celOutcome(when: CelProgram | undefined, assert: CelProgram, bindings: Record<string, unknown>, whenHolds: boolean): Outcome {
  // cel-js throws on expected evaluation errors (and throws and catches inside, e.g. for a
  // missing key on one side of ||); capturing a stack for each is most of their cost, and
  // every one of them ends here as an outcome. Off only for this call, so that stacks of
  // real bugs elsewhere survive.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    if (!whenHolds && when) {
      const applies = when(bindings);
      if (typeof applies !== 'boolean') return notBool('when', applies);
      if (!applies) return SKIP;
    }
    return assertOutcome(assert, bindings);
  } catch (caught) {
    return { status: 'error', error: describeError(caught) };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
