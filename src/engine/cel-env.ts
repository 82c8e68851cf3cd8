import { Environment, EvaluationError, type EnvironmentOptions } from '@marcbachmann/cel-js';
import { re2Pattern } from './re2.js';

/**
 * The CEL environments rules compile and run in. Variables:
 * - `resource`: the resource's attributes plus the facts analysis derived for it;
 * - `meta`: `{kind, id, name, source}` of the resource;
 * - `now`: the snapshot's collectedAt as a timestamp (never the wall clock).
 * Undeclared variables are compile errors, so a typo fails at load, not at run time.
 *
 * Two of them, one language:
 * - `celEnvironment()` parses and type-checks rules as their authors write them;
 * - `celRunEnvironment()` runs them: `resource` and `meta` plain maps, and `matches` by
 *   RE2 (re2.ts). cel-js's own `string.matches` is a JavaScript RegExp, which backtracks,
 *   and cel-js does not let it be replaced, so every `x.matches(p)` is run as
 *   `x.zt_re2_matches(p)` (matches-re2.ts rewrites the expression, and checks that no
 *   `matches` is left). The checking environment does not know that name, so rules
 *   cannot call it.
 */
const OPTIONS: EnvironmentOptions = {
  unlistedVariablesAreDyn: false,
  // Attribute lists mix types (e.g. strings and nulls); rules should not need dyn() casts.
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 5000, maxDepth: 100, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 },
};

const TIMESTAMP = 'google.protobuf.Timestamp';

/** The method `matches` runs as (matches-re2.ts); known to the run environment only. */
export const RE2_MATCHES = 'zt_re2_matches';

let checking: Environment | undefined;
let running: Environment | undefined;

/** For parsing and type checks. */
export function celEnvironment(): Environment {
  checking ??= new Environment(OPTIONS).registerVariable('resource', 'map').registerVariable('meta', 'map').registerVariable('now', TIMESTAMP);
  return checking;
}

/** Longest message for a pattern that is not RE2 syntax (the pattern may come from data). */
const MAX_MESSAGE = 300;

/** `text.matches(pattern)` by RE2; a pattern that is not RE2 syntax is an evaluation error. */
function matchesByRe2(text: string, pattern: string): boolean {
  const compiled = re2Pattern(pattern);
  if (compiled.ok) return compiled.test(text);
  const message = `matches: invalid RE2 pattern: ${compiled.problem}`;
  throw new EvaluationError({
    code: 'invalid_regular_expression',
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
  });
}

/** For running rules (only with expressions matches-re2.ts has rewritten). */
export function celRunEnvironment(): Environment {
  running ??= new Environment(OPTIONS)
    .registerVariable('resource', 'map')
    .registerVariable('meta', 'map')
    .registerVariable('now', TIMESTAMP)
    .registerFunction(`string.${RE2_MATCHES}(string): bool`, matchesByRe2);
  return running;
}
