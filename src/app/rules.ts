import { derivedFieldNames } from '../analysis/derived-fields.js';
import { ZtAggregateError } from '../errors/zt-error.js';
import { compileRules, type CompiledRule } from '../engine/compile.js';
import { bundledRulesDir, readRuleDefinitions } from '../ruleset/load.js';
import type { RuleDefinition } from '../ruleset/rule.js';

export interface RuleSelection {
  /** Extra rule folders or files (--rules). */
  readonly extraPaths: readonly string[];
  /** Leave out the bundled rules (only --rules). */
  readonly withoutBundled?: boolean;
  /** Rule files are named relative to this folder in messages and reports. */
  readonly cwd?: string;
}

export interface LoadedRules {
  readonly definitions: readonly RuleDefinition[];
  readonly compiled: readonly CompiledRule[];
}

/**
 * Loads and compiles all rules. Every problem in every rule file, from YAML syntax to
 * CEL type errors, is reported together (exit 2) before anything is collected.
 */
export async function loadRules(selection: RuleSelection, cwd = selection.cwd): Promise<LoadedRules> {
  const paths = [...(selection.withoutBundled ? [] : [bundledRulesDir]), ...selection.extraPaths];
  const { rules: definitions, errors } = await readRuleDefinitions(paths, cwd);
  // Rules may read the fields analysis derives: the analysers' declarations name them.
  const { compiled, errors: compileErrors } = compileRules(definitions, { derivedFields: derivedFieldNames });
  errors.push(...compileErrors);
  if (errors.length > 0) {
    throw new ZtAggregateError('ZT_RULES_INVALID', errors, `${errors.length} rule error${errors.length === 1 ? '' : 's'}`);
  }
  return { definitions, compiled };
}
