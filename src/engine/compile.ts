import type { Environment } from '@marcbachmann/cel-js';
import type { z } from 'zod';
import { ZtError } from '../errors/zt-error.js';
import { attributeNames, schemaOf, type Kind } from '../inventory/kinds/index.js';
import type { RuleDefinition } from '../ruleset/rule.js';
import { celAst, type CelNode } from './cel-ast.js';
import { culpritPath, type CulpritPath } from './culprits.js';
import { celEnvironment, celKindEnvironment } from './cel-env.js';
import { mentionsVariable, resourceFieldsRead } from './expression-reads.js';
import { didYouMeanOrList } from '../text/did-you-mean.js';
import { findUnknownFields } from './field-check.js';
import { matchesCalls, runnableByCel } from './matches-re2.js';
import { placeholderNames } from './message.js';
import { programFor, type EngineMode, type ParsedExpression, type Program } from './program.js';
import { re2SyntaxProblem } from './re2.js';
import { resourceTypes } from './resource-types.js';

/** A rule ready to run: its expressions parsed and type-checked once, its strategy chosen. */
export interface CompiledRule {
  readonly definition: RuleDefinition;
  /** Top-level `resource` fields the expressions read; null when they need all of them. */
  readonly reads: ReadonlySet<string> | null;
  /** Those the `when` reads (empty without one; null: all): an unknown one leaves even the scope undecided. */
  readonly whenReads: ReadonlySet<string> | null;
  /** The fields analysis derives for the rule's kind: a view looks for these among derived facts first. */
  readonly derivedFields: ReadonlySet<string>;
  /**
   * Where the rule reads `now`: in its `when` (whether a resource is in scope depends on
   * the time), only in its assert, or not at all. A resource whose source's time is
   * unknown leaves such a rule not evaluated (engine/unknown-reads.ts).
   */
  readonly readsNow: 'when' | 'assert' | 'no';
  readonly program: Program;
  /** The list the rule judges element by element, whose failing elements its findings name (culprits.ts); absent when it judges none. */
  readonly culprits?: CulpritPath;
}

/**
 * The fields analysis derives for a kind, by name, with their schemas. Given by the caller
 * (the app knows the analysers; the engine does not): rules may read them, the type
 * checker types them, and views look them up.
 */
export type DerivedFieldCatalog = (kind: Kind) => Readonly<Record<string, z.ZodType>>;

export interface CompileOptions {
  readonly derivedFields: DerivedFieldCatalog;
  /** How the rules run (program.ts); default: the fast path in front of cel-js. */
  readonly engine?: EngineMode;
}

function fieldsRead(when: ParsedExpression | undefined, assert: ParsedExpression): ReadonlySet<string> | null {
  const fromAssert = resourceFieldsRead(assert.ast);
  const fromWhen = when ? resourceFieldsRead(when.ast) : new Set<string>();
  return fromAssert && fromWhen ? new Set([...fromWhen, ...fromAssert]) : null;
}

interface CelError {
  readonly code?: string;
  readonly message: string;
  readonly range?: { start: number; end: number };
}

/** cel-js messages carry a caret snippet after the first line; keep it for the user. */
function splitCelMessage(message: string): { summary: string; snippet?: string } {
  const [first, ...rest] = message.split('\n');
  const snippet = rest.filter((l) => l.trim() !== '' && !/^\s+at /.test(l)).join('\n');
  return snippet ? { summary: first ?? message, snippet } : { summary: first ?? message };
}

function expressionError(
  rule: RuleDefinition,
  field: 'when' | 'assert',
  error: CelError,
  code: 'ZT_RULE_CEL_SYNTAX' | 'ZT_RULE_CEL_TYPE' | 'ZT_RULE_REGEX',
): ZtError {
  const { summary, snippet } = splitCelMessage(error.message);
  const line = rule.source.lines[field];
  return new ZtError(code, `${field}: ${summary}`, {
    location: {
      file: rule.source.file,
      path: field,
      ...(line !== undefined ? { line } : {}),
      ...(snippet ? { snippet } : {}),
    },
  });
}

/** The expression's line holding `start`, numbered as cel-js numbers its own, with carets under start…end (to the line's end at most). */
function caret(expression: string, start: number, end: number): string {
  const lineStart = expression.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = expression.indexOf('\n', start) === -1 ? expression.length : expression.indexOf('\n', start);
  const lineNumber = expression.slice(0, lineStart).split('\n').length;
  const width = Math.max(1, Math.min(end, lineEnd) - start);
  return `> ${String(lineNumber).padStart(4, ' ')} | ${expression.slice(lineStart, lineEnd)}\n${' '.repeat(9 + start - lineStart)}${'^'.repeat(width)}`;
}

/** The environments of a rule: cel-js's parser, and the type checker with `resource` typed as the rule's kind (made when first needed). */
interface Environments {
  readonly parser: Environment;
  readonly ofKind: () => Environment;
}

/** What is wrong with a checked expression's result type: it must be bool (or dyn, checked when it runs). */
function notBool(type: string | undefined): CelError | undefined {
  return type === 'bool' || type === 'dyn' ? undefined : { message: `must be a bool expression, but it is ${type}` };
}

function compileExpression(
  envs: Environments,
  rule: RuleDefinition,
  field: 'when' | 'assert',
  expression: string,
  derived: readonly string[],
  errors: ZtError[],
): ParsedExpression | undefined {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = envs.parser.parse(expression);
  } catch (error) {
    errors.push(expressionError(rule, field, error as CelError, 'ZT_RULE_CEL_SYNTAX'));
    return undefined;
  }
  const ast = celAst(parsed);
  // Fields first: the kind's field names come with the message.
  const unknown = findUnknownFields(ast, schemaOf(rule.kind), derived);
  for (const problem of unknown) {
    errors.push(
      expressionError(
        rule,
        field,
        {
          // The closest field when one is close, the list only when it is short: `zt rules kinds <kind>` has them all.
          message: `resource.${problem.path} is not a field of ${rule.kind}${didYouMeanOrList(problem.path.split('.').pop() ?? problem.path, problem.known, 16)}\n${caret(expression, problem.start, problem.end)}`,
        },
        'ZT_RULE_CEL_TYPE',
      ),
    );
  }
  if (unknown.length > 0) return undefined;
  // With `resource` typed as the kind: fields and operand types everywhere, comprehension
  // variables included; the result must be bool (or dyn, checked when it runs).
  const checked = envs.ofKind().check(expression) as { valid: boolean; type?: string; error?: CelError };
  const typeProblem = checked.valid ? notBool(checked.type) : checked.error;
  if (typeProblem) {
    errors.push(expressionError(rule, field, typeProblem, 'ZT_RULE_CEL_TYPE'));
    return undefined;
  }
  const before = errors.length;
  for (const problem of invalidPatterns(ast)) {
    errors.push(
      expressionError(
        rule,
        field,
        { message: `matches: ${JSON.stringify(problem.pattern)} is not an RE2 pattern: ${problem.problem}\n${caret(expression, problem.start, problem.end)}` },
        'ZT_RULE_REGEX',
      ),
    );
  }
  return errors.length === before ? { run: runnableByCel(expression, parsed, ast), ast } : undefined;
}

/** The literal patterns of `x.matches("…")` that are not RE2 syntax (patterns computed at run time are checked then). */
function invalidPatterns(ast: CelNode): { pattern: string; problem: string; start: number; end: number }[] {
  const found: { pattern: string; problem: string; start: number; end: number }[] = [];
  for (const call of matchesCalls(ast)) {
    const [pattern] = call.args;
    if (pattern?.type !== 'literal' || typeof pattern.value !== 'string') continue;
    const problem = re2SyntaxProblem(pattern.value);
    if (problem !== undefined) found.push({ pattern: pattern.value, problem, start: pattern.start, end: pattern.end });
  }
  return found;
}

/** Compiles every rule; all problems in all rules are returned together. */
export function compileRules(rules: readonly RuleDefinition[], options: CompileOptions): { compiled: CompiledRule[]; errors: ZtError[] } {
  const parser = celEnvironment();
  const compiled: CompiledRule[] = [];
  const errors: ZtError[] = [];
  const derivedOfKind = new Map<Kind, ReadonlySet<string>>();
  const kindEnvironments = new Map<Kind, Environment>();
  for (const rule of rules) {
    const before = errors.length;
    const derivedSchemas = options.derivedFields(rule.kind);
    const derived = Object.keys(derivedSchemas).sort();
    const ofKind = (): Environment => {
      let kindEnv = kindEnvironments.get(rule.kind);
      if (!kindEnv) kindEnvironments.set(rule.kind, (kindEnv = celKindEnvironment(resourceTypes(rule.kind, schemaOf(rule.kind), derivedSchemas))));
      return kindEnv;
    };
    const envs = { parser, ofKind };
    const when = rule.when === undefined ? undefined : compileExpression(envs, rule, 'when', rule.when, derived, errors);
    const assert = compileExpression(envs, rule, 'assert', rule.assert, derived, errors);
    const allowed = new Set(['name', 'id', 'kind', 'source', ...attributeNames(rule.kind), ...derived]);
    if (rule.evidence !== undefined && !allowed.has(rule.evidence)) {
      const line = rule.source.lines.evidence;
      errors.push(
        new ZtError('ZT_RULE_PLACEHOLDER', `evidence: unknown field ${rule.evidence} (a top-level field of ${rule.kind} or a derived fact)${didYouMeanOrList(rule.evidence, [...allowed].sort(), 0)}`, {
          location: { file: rule.source.file, path: 'evidence', ...(line !== undefined ? { line } : {}) },
        }),
      );
    }
    for (const name of placeholderNames(rule.message)) {
      if (!allowed.has(name)) {
        const line = rule.source.lines.message;
        errors.push(
          new ZtError('ZT_RULE_PLACEHOLDER', `message: unknown placeholder {{${name}}}${didYouMeanOrList(name, [...allowed].sort(), 0)}`, {
            location: { file: rule.source.file, path: 'message', ...(line !== undefined ? { line } : {}) },
          }),
        );
      }
    }
    if (errors.length === before && assert) {
      const reads = fieldsRead(when, assert);
      let derivedFields = derivedOfKind.get(rule.kind);
      if (!derivedFields) derivedOfKind.set(rule.kind, (derivedFields = new Set(derived)));
      const whenReads = when ? resourceFieldsRead(when.ast) : new Set<string>();
      const readsNow = when && mentionsVariable(when.ast, 'now') ? 'when' : mentionsVariable(assert.ast, 'now') ? 'assert' : 'no';
      const program = programFor(when, assert, reads, options.engine ?? 'default');
      const culprits = culpritPath(when?.ast, assert.ast);
      compiled.push({ definition: rule, reads, whenReads, derivedFields, readsNow, program, ...(culprits ? { culprits } : {}) });
    }
  }
  return { compiled, errors };
}
