import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { ZtError } from '../errors/zt-error.js';
import { isKind, knownKinds, pluginKind } from '../inventory/kinds/index.js';
import { allRowIds, findRow } from '../model/ztmm-rows.js';
import type { GateStage, Quantifier } from '../model/ztmm.js';
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

/** Parses and checks one rule file. Returns every problem found in it, not just the first. */
export function parseRuleText(text: string, file: string, path: string = file): { rule?: RuleDefinition; errors: ZtError[] } {
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
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => {
        const path = formatZodPath(issue.path);
        return new ZtError('ZT_RULE_SCHEMA', `${path || '(document)'}: ${issue.message}`, { location: at(path) });
      }),
    };
  }
  const data = parsed.data;
  const errors: ZtError[] = [];
  if (!isKind(data.kind)) {
    errors.push(
      new ZtError('ZT_RULE_UNKNOWN_KIND', `kind "${data.kind}" is not a resource kind zt knows`, {
        location: at('kind'),
        hint: `Known kinds: ${knownKinds().join(', ')}.`,
      }),
    );
  }
  const row = findRow(data.ztmm.row);
  if (!row) {
    errors.push(
      new ZtError('ZT_RULE_UNKNOWN_ZTMM', `ztmm.row "${data.ztmm.row}" is not a CISA ZTMM v2.0 row`, {
        location: at('ztmm.row'),
        hint: `Rows: ${allRowIds().join(', ')}.`,
      }),
    );
  }
  // A plugin kind names the ZTMM rows it can evidence; its rules score within them.
  const fromPlugin = pluginKind(data.kind);
  if (row && fromPlugin && !fromPlugin.ztmmRows.includes(data.ztmm.row)) {
    errors.push(
      new ZtError('ZT_RULE_UNKNOWN_ZTMM', `ztmm.row "${data.ztmm.row}" is not a row kind ${data.kind} can evidence (plugin ${fromPlugin.plugin.name})`, {
        location: at('ztmm.row'),
        hint: `Rows of ${data.kind}: ${fromPlugin.ztmmRows.join(', ')}.`,
      }),
    );
  }
  if (errors.length > 0 || !row || !isKind(data.kind)) return { errors };
  const rule: RuleDefinition = {
    id: data.id,
    slug: basename(file).replace(/\.ya?ml$/, ''),
    title: data.title,
    kind: data.kind,
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
): Promise<{ rules: RuleDefinition[]; errors: ZtError[] }> {
  const rules: RuleDefinition[] = [];
  const errors: ZtError[] = [];
  let files: string[];
  try {
    files = await listRuleFiles(paths);
  } catch (error) {
    return { rules, errors: [error as ZtError] };
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
  return { rules, errors };
}
