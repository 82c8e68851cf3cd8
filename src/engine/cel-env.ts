import { Environment } from '@marcbachmann/cel-js';

/**
 * The one CEL environment every rule compiles against. Variables:
 * - `resource`: the resource's attributes plus the facts analysis derived for it;
 * - `meta`: `{kind, id, name, source}` of the resource;
 * - `now`: the snapshot's collectedAt as a timestamp (never the wall clock).
 * Undeclared variables are compile errors, so a typo fails at load, not at run time.
 */
let shared: Environment | undefined;

export function celEnvironment(): Environment {
  shared ??= new Environment({
    unlistedVariablesAreDyn: false,
    // Attribute lists mix types (e.g. strings and nulls); rules should not need dyn() casts.
    homogeneousAggregateLiterals: false,
    limits: { maxAstNodes: 5000, maxDepth: 100, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 },
  })
    .registerVariable('resource', 'map')
    .registerVariable('meta', 'map')
    .registerVariable('now', 'google.protobuf.Timestamp');
  return shared;
}
