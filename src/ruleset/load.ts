import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { ZtError, type SourceLocation } from '../errors/zt-error.js';
import { isKind, knownKinds, pluginKind, type Kind } from '../inventory/kinds/index.js';
import { allRowIds, findRow } from '../model/ztmm-rows.js';
import type { GateStage, Quantifier } from '../model/ztmm.js';
import { didYouMean } from '../text/did-you-mean.js';
import { keyLines, lineForPath } from '../text/source-lines.js';
import { ztYamlSchema } from '../text/yaml-schema.js';
import { formatZodPath } from '../text/zod-problems.js';
import { ruleFileSchema } from './rule-schema.js';
import type { RuleDefinition, RuleGate } from './rule.js';

/** The rules that ship with zt. */
export const bundledRulesDir = fileURLToPath(new URL('../../rules', import.meta.url));

const isRuleFile = (name: string): boolean =>
  (name.endsWith('.yaml') || name.endsWith('.yml')) && !/\.cases\.ya?ml$/.test(name);

/** Rule files under the given files or folders, recursively, in a stable order. */
export async function listRuleFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new ZtError('ZT_FILE_UNREADABLE', `rules path ${path} does not exist or cannot be read`, {
        location: { file: path },
        cause: error,
      });
    }
    if (info.isFile()) {
      found.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && isRuleFile(entry.name)) found.push(join(entry.parentPath, entry.name));
    }
  }
  return [...new Set(found)].sort();
}

const packageRoot = dirname(bundledRulesDir);

/**
 * A path for messages and reports. Bundled rules are named relative to zt's own package
 * (`rules/identity/x.yaml`), the same wherever zt is installed, so SARIF locations and
 * baselines do not depend on the machine. Other files are relative to the working
 * directory when inside it (absolute when no working directory is given).
 */
export function displayPath(file: string, cwd?: string): string {
  const inside = (root: string): string | undefined => {
    const rel = relative(root, file);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
  };
  if (inside(bundledRulesDir) !== undefined) return inside(packageRoot) as string;
  return (cwd === undefined ? undefined : inside(cwd)) ?? file;
}

function gatesOf(ztmm: { stage?: GateStage | undefined; quantifier?: Quantifier | undefined; stages?: Partial<Record<GateStage, Quantifier>> | undefined }): RuleGate[] {
  if (ztmm.stage) return [{ stage: ztmm.stage, quantifier: ztmm.quantifier ?? 'all' }];
  const order: GateStage[] = ['initial', 'advanced', 'optimal'];
  return order.flatMap((stage) => {
    const q = ztmm.stages?.[stage];
    return q ? [{ stage, quantifier: q }] : [];
  });
}

/** The value at a zod issue's path in what the YAML held. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const part of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  return value;
}

/** The keys a rule file may have at a path: the top level, or inside `ztmm`. */
function keysAt(path: readonly PropertyKey[]): string[] {
  const top = ruleFileSchema.shape;
  if (path.length === 0) return Object.keys(top);
  if (path.length === 1 && path[0] === 'ztmm') return ['row', 'stage', 'quantifier', 'stages', 'supporting'];
  return [];
}

type At = (path: string) => SourceLocation;

/** A schema problem in the rule's own words: the value given, and the closest accepted one when it is close. */
function schemaErrors(issue: z.core.$ZodIssue, raw: unknown, at: At): ZtError[] {
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(issue.path);
    return issue.keys.map((key) => {
      const path = formatZodPath([...issue.path, key]);
      return new ZtError('ZT_RULE_SCHEMA', `${path}: not a field of a rule${didYouMean(key, known)}`, { location: at(path) });
    });
  }
  const path = formatZodPath(issue.path);
  const given = valueAt(raw, issue.path);
  if (issue.code === 'invalid_value' && typeof given === 'string') {
    const values = issue.values.map(String);
    return [new ZtError('ZT_RULE_SCHEMA', `${path}: "${given}" is not one of ${values.join(', ')}${didYouMean(given, values)}`, { location: at(path) })];
  }
  return [new ZtError('ZT_RULE_SCHEMA', `${path || '(document)'}: ${issue.message}`, { location: at(path) })];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * What can still be checked in a rule whose file breaks its schema: its kind, its ZTMM row,
 * and (the kind known) its expressions, message placeholders and evidence field, so every
 * mistake in a file is reported in one run, not the schema's first and the rest after a fix.
 * The rule is never loaded: `gates` and the like are placeholders nothing reads.
 */
function checkableParts(raw: unknown, file: string, path: string, lines: Readonly<Record<string, number>>, kind: Kind): RuleDefinition | undefined {
  const assert = text(valueAt(raw, ['assert']));
  if (assert === undefined || assert === '') return undefined;
  const evidence = text(valueAt(raw, ['evidence']));
  return {
    id: text(valueAt(raw, ['id'])) ?? '(unnamed)',
    slug: basename(file).replace(/\.ya?ml$/, ''),
    title: '',
    kind,
    severity: 'info',
    pillar: 'identity',
    row: '',
    gates: [],
    supporting: true,
    when: text(valueAt(raw, ['when'])) || undefined,
    assert,
    message: text(valueAt(raw, ['message'])) ?? '',
    evidence: evidence !== undefined && /^[A-Za-z_]\w*$/.test(evidence) ? evidence : undefined,
    whenEmpty: 'not_applicable',
    remediation: '',
    references: [],
    tags: [],
    source: { file, path, lines },
  };
}

/**
 * Parses and checks one rule file. Returns every problem found in it, not just the first:
 * schema, kind and ZTMM row together, and with `unloaded` a rule whose schema failed but whose
 * expressions can still be compiled for their own errors.
 */
export function parseRuleText(text: string, file: string, path: string = file): { rule?: RuleDefinition; unloaded?: RuleDefinition; errors: ZtError[] } {
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: ztYamlSchema });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    return {
      errors: [
        new ZtError('ZT_RULE_YAML', `${reason}`, {
          location: mark ? { file, line: mark.line + 1, column: mark.column + 1 } : { file },
          cause: error,
        }),
      ],
    };
  }
  const lines = keyLines(text);
  const at = (path: string) => {
    const line = lineForPath(lines, path);
    return line === undefined ? { file, path } : { file, path, line };
  };
  const parsed = ruleFileSchema.safeParse(raw);
  const errors: ZtError[] = parsed.success ? [] : parsed.error.issues.flatMap((issue) => schemaErrors(issue, raw, at));
  const given = valueAt(raw, ['kind']);
  const kind = typeof given === 'string' && isKind(given) ? given : undefined;
  if (typeof given === 'string' && !kind) {
    errors.push(
      new ZtError('ZT_RULE_UNKNOWN_KIND', `kind: "${given}" is not a resource kind zt knows${didYouMean(given, knownKinds())}`, {
        location: at('kind'),
        hint: 'Run `zt rules kinds` for the kinds.',
      }),
    );
  }
  const rowId = valueAt(raw, ['ztmm', 'row']);
  const row = typeof rowId === 'string' ? findRow(rowId) : undefined;
  if (typeof rowId === 'string' && !row) {
    errors.push(
      new ZtError('ZT_RULE_UNKNOWN_ZTMM', `ztmm.row: "${rowId}" is not a CISA ZTMM v2.0 row${didYouMean(rowId, allRowIds())}`, {
        location: at('ztmm.row'),
        hint: 'docs/ztmm.md lists the rows (<pillar>.<function>, e.g. identity.authentication).',
      }),
    );
  }
  // A plugin kind names the ZTMM rows it can evidence; its rules score within them.
  const fromPlugin = kind ? pluginKind(kind) : undefined;
  if (row && typeof rowId === 'string' && fromPlugin && !fromPlugin.ztmmRows.includes(rowId)) {
    errors.push(
      new ZtError('ZT_RULE_UNKNOWN_ZTMM', `ztmm.row: "${rowId}" is not a row kind ${kind} can evidence (plugin ${fromPlugin.plugin.name})`, {
        location: at('ztmm.row'),
        hint: `Rows of ${kind}: ${fromPlugin.ztmmRows.join(', ')}.`,
      }),
    );
  }
  if (!parsed.success || errors.length > 0 || !row || !kind) {
    const unloaded = kind ? checkableParts(raw, file, path, lines, kind) : undefined;
    return unloaded ? { errors, unloaded } : { errors };
  }
  const data = parsed.data;
  const rule: RuleDefinition = {
    id: data.id,
    slug: basename(file).replace(/\.ya?ml$/, ''),
    title: data.title,
    kind,
    severity: data.severity,
    pillar: row.pillar,
    row: data.ztmm.row,
    gates: gatesOf(data.ztmm),
    supporting: data.ztmm.supporting ?? false,
    when: data.when,
    assert: data.assert,
    message: data.message,
    evidence: data.evidence,
    whenEmpty: data.whenEmpty ?? 'not_applicable',
    remediation: data.remediation,
    references: data.references,
    tags: data.tags ?? [],
    source: { file, path, lines },
  };
  return { rule, errors };
}

/**
 * Reads and checks every rule under the given paths. Problems in one file do not stop
 * the others from being read, so a rule author sees every error in one run.
 */
export async function readRuleDefinitions(
  paths: readonly string[],
  cwd?: string,
): Promise<{ rules: RuleDefinition[]; unloaded: RuleDefinition[]; errors: ZtError[] }> {
  const rules: RuleDefinition[] = [];
  const unloaded: RuleDefinition[] = [];
  const errors: ZtError[] = [];
  let files: string[];
  try {
    files = await listRuleFiles(paths);
  } catch (error) {
    return { rules, unloaded, errors: [error as ZtError] };
  }
  const firstFileOfId = new Map<string, string>();
  for (const file of files) {
    const shown = displayPath(file, cwd);
    // Read synchronously: rule files are small and many, and each asynchronous read is
    // several trips through the thread pool (where a snapshot is being read meanwhile):
    // the bundled rules took ~100 ms that way, ~5 ms like this.
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      errors.push(new ZtError('ZT_FILE_UNREADABLE', `cannot read rule file`, { location: { file: shown }, cause: error }));
      continue;
    }
    const result = parseRuleText(text, shown, file);
    errors.push(...result.errors);
    if (result.unloaded) unloaded.push(result.unloaded);
    if (!result.rule) continue;
    const earlier = firstFileOfId.get(result.rule.id);
    if (earlier) {
      errors.push(
        new ZtError('ZT_RULE_DUPLICATE_ID', `id ${result.rule.id} is already used by ${earlier}`, {
          location: { file: shown, path: 'id', ...(result.rule.source.lines.id ? { line: result.rule.source.lines.id } : {}) },
        }),
      );
      continue;
    }
    firstFileOfId.set(result.rule.id, shown);
    rules.push(result.rule);
  }
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rules, unloaded, errors };
}
