import { Environment, EvaluationError, type EnvironmentOptions } from '@marcbachmann/cel-js';
import { re2Pattern } from './re2.js';

/**
 * The CEL environments rules compile and run in. Variables:
 * - `resource`: the resource's attributes plus the facts analysis derived for it;
 * - `meta`: `{kind, id, name, source}` of the resource, all strings;
 * - `now`: the as-of time of the resource's source as a timestamp (inventory/as-of.ts:
 *   when its evidence was taken, never the wall clock).
 * Undeclared variables are compile errors, so a typo fails at load, not at run time.
 *
 * Two kinds of them, one language:
 * - `celKindEnvironment()` type-checks a rule with `resource` typed as its kind
 *   (resource-types.ts) and `meta` typed, so a wrong field or operand type anywhere is a
 *   load error;
 * - `celEnvironment()` parses and runs rules: `resource` and `meta` plain maps, and
 *   `matches` by RE2 (re2.ts). cel-js's own `string.matches` is a JavaScript RegExp, which
 *   backtracks, and cel-js does not let it be replaced, so every `x.matches(p)` is run as
 *   `x.zt_re2_matches(p)` (matches-re2.ts rewrites the expression, and checks that no
 *   `matches` is left). The checking environments do not know that name, so rules cannot
 *   call it.
 */
const OPTIONS: EnvironmentOptions = {
  unlistedVariablesAreDyn: false,
  // Attribute lists mix types (e.g. strings and nulls); rules should not need dyn() casts.
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 5000, maxDepth: 100, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 },
};

const TIMESTAMP = 'google.protobuf.Timestamp';
const META_FIELDS = { kind: 'string', id: 'string', name: 'string', source: 'string' } as const;

/** The method `matches` runs as (matches-re2.ts); known to the run environment only. */
export const RE2_MATCHES = 'zt_re2_matches';

/** A message type for the checker: its name and its fields' CEL types (`list<…>`, `map<string, …>`, another type's name). */
export interface CelTypeDeclaration {
  readonly name: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** `resource` as the checker sees it: the type of `resource` and the types it needs, each after the types it names. */
export interface ResourceTypes {
  readonly root: string;
  readonly types: readonly CelTypeDeclaration[];
}

/** Never called: the kind environment only checks. */
const checkOnly = (): never => {
  throw new Error('the kind environment only type-checks');
};

/**
 * For type checks with `resource` typed as one kind (made once per kind by the compiler).
 * Nullable fields are declared with their value's type, and any value may be compared
 * with null (`x == null`, `x != null`), as CEL allows at run time; any other use of a
 * field must suit its type.
 */
export function celKindEnvironment(resource: ResourceTypes): Environment {
  const env = new Environment(OPTIONS);
  for (const type of resource.types) env.registerType(type.name, { fields: type.fields });
  return env
    .registerOperator('dyn == null', checkOnly)
    .registerVariable('resource', resource.root)
    .registerVariable('meta', { schema: META_FIELDS })
    .registerVariable('now', TIMESTAMP);
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

let running: Environment | undefined;

/** For parsing and running rules (run only what matches-re2.ts made runnable). */
export function celEnvironment(): Environment {
  running ??= new Environment(OPTIONS)
    .registerVariable('resource', 'map')
    .registerVariable('meta', 'map')
    .registerVariable('now', TIMESTAMP)
    .registerFunction(`string.${RE2_MATCHES}(string): bool`, matchesByRe2);
  return running;
}
