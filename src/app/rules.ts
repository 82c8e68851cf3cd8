import { derivedFieldSchemas } from '../analysis/derived-fields.js';
import { ZtAggregateError, ZtError } from '../errors/zt-error.js';
import { compileRules, type CompiledRule } from '../engine/compile.js';
import type { EngineMode } from '../engine/program.js';
import { bundledRulesDir, readRuleDefinitions } from '../ruleset/load.js';
import { pluginRuleFolders } from '../ruleset/plugin-rules.js';
import type { RuleDefinition } from '../ruleset/rule.js';

export interface RuleSelection {
  /** Extra rule folders or files (--rules). */
  readonly extraPaths: readonly string[];
  /** Leave out the bundled rules (only --rules). */
  readonly withoutBundled?: boolean;
  /** Rule files are named relative to this folder in messages and reports. */
  readonly cwd?: string;
  /** How the rules run (engineMode below); default: the fast path in front of cel-js. */
  readonly engine?: EngineMode;
}

export interface LoadedRules {
  readonly definitions: readonly RuleDefinition[];
  readonly compiled: readonly CompiledRule[];
}

/**
 * ZT_ENGINE from the environment the CLI was given: `cel` runs every rule by cel-js
 * alone, no fast path and nothing remembered (the reference to compare the default
 * with); unset or empty is the default.
 */
export function engineMode(env: Readonly<Record<string, string | undefined>>): EngineMode {
  const value = env.ZT_ENGINE;
  if (value === undefined || value === '' || value === 'default') return 'default';
  if (value === 'cel') return 'cel';
  throw new ZtError('ZT_USAGE', `ZT_ENGINE=${value}: expected cel, default, or unset`);
}

/** Problems by file, then line (those without a line first, in the order found): each file's problems together. */
function byPlace(a: ZtError, b: ZtError): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.location?.line ?? 0) - (b.location?.line ?? 0);
}

/**
 * Loads and compiles all rules. Every problem in every rule file, from YAML syntax to
 * CEL type errors, is reported together (exit 2) before anything is collected.
 */
export async function loadRules(selection: RuleSelection, cwd = selection.cwd): Promise<LoadedRules> {
  // The configured plugins' rules load with the bundled ones (and are left out with them).
  const paths = [...(selection.withoutBundled ? [] : [bundledRulesDir, ...pluginRuleFolders()]), ...selection.extraPaths];
  const { rules: definitions, unloaded, errors } = await readRuleDefinitions(paths, cwd);
  // Rules may read the fields analysis derives: the analysers' declarations name and type them.
  const { compiled, errors: compileErrors } = compileRules(definitions, { derivedFields: derivedFieldSchemas, engine: selection.engine });
  // The expressions of rules whose files have other mistakes too: all of a file's problems in one run.
  const { errors: unloadedErrors } = compileRules(unloaded, { derivedFields: derivedFieldSchemas, engine: selection.engine });
  errors.push(...compileErrors, ...unloadedErrors);
  errors.sort(byPlace);
  if (errors.length > 0) {
    throw new ZtAggregateError('ZT_RULES_INVALID', errors, `${errors.length} rule error${errors.length === 1 ? '' : 's'}`);
  }
  return { definitions, compiled };
}
