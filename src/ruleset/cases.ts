import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { ZtError } from '../errors/zt-error.js';
import { keyLines, lineForPath } from '../text/source-lines.js';
import { ztYamlSchema } from '../text/yaml-schema.js';
import { formatZodPath } from '../text/zod-problems.js';

const caseResource = z.strictObject({
  id: z.string().optional(),
  name: z.string(),
  attributes: z.record(z.string(), z.unknown()),
});

/** Another resource in the case's inventory (for rules over derived facts such as NetworkPolicy isolation). */
const relatedResource = caseResource.extend({ kind: z.string() });

const baseCase = {
  name: z.string().min(1),
  resource: caseResource,
  related: z.array(relatedResource).optional(),
  /** Kinds this case's collection could not read (permission denied); every other kind was read completely. */
  notCollected: z.array(z.string()).optional(),
  /**
   * How the case's resources were read: `offline` (files, the default) or `live` (a cluster
   * or tenant read through its API). Some facts depend on it: a live cluster's DaemonSets
   * are all there is (NetworkPolicy not enforced), manifests bind built-in roles they do
   * not define.
   */
  collection: z.enum(['live', 'offline']).optional(),
};

/**
 * An invalid case's expected message: the exact text, or `/pattern/flags` for a regular
 * expression. Returns the compiled expression, null for exact text, or an error message.
 */
export function messagePattern(expected: string): RegExp | null | { readonly invalid: string } {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(expected);
  if (!regex) return null;
  try {
    return new RegExp(regex[1] as string, regex[2]);
  } catch (error) {
    return { invalid: (error as Error).message };
  }
}

/** Checked when the cases file is read, so a broken pattern is the file's error (exit 2), not zt's. */
const expectedMessage = z.string().superRefine((text, context) => {
  const pattern = messagePattern(text);
  if (pattern !== null && !(pattern instanceof RegExp)) {
    context.addIssue({ code: 'custom', message: `is written as /regex/ but is not a valid regular expression (${pattern.invalid})` });
  }
});

/**
 * The elements an invalid case's finding names (findings[].elements): a container by name,
 * or `{ name, elements: [env var, …] }` for a container and the variables it fails on.
 * `[]` asserts that the finding names none.
 */
const expectedElement = z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), elements: z.array(z.string().min(1)).min(1) })]);
export type ExpectedElement = z.infer<typeof expectedElement>;

/**
 * A rule's cases file (`<slug>.cases.yaml`), in the spirit of ESLint's RuleTester:
 * valid cases must pass (or be skipped when they say so), invalid ones must fail with
 * the stated message, error cases must produce an evaluation error with the CEL code.
 * Unlike RuleTester there is no `only:` (see rejectOnly).
 */
export const ruleCasesSchema = z.strictObject({
  rule: z.string(),
  /** The audit's "now" for every case (default 2026-01-01T00:00:00Z). */
  collectedAt: z.iso.datetime({ offset: true }).optional(),
  valid: z.array(z.strictObject({ ...baseCase, expect: z.enum(['pass', 'skip']).optional() })).min(1),
  invalid: z.array(z.strictObject({ ...baseCase, message: expectedMessage, elements: z.array(expectedElement).optional() })).min(1),
  errors: z
    .array(z.strictObject({ ...baseCase, code: z.string(), validateSchema: z.literal(false).optional() }))
    .optional(),
});
export type RuleCases = z.infer<typeof ruleCasesSchema>;

export async function readRuleCases(file: string): Promise<RuleCases> {
  const text = await readFile(file, 'utf8');
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: ztYamlSchema });
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new ZtError('ZT_CASES_INVALID', (error as { reason?: string }).reason ?? String(error), {
      location: mark ? { file, line: mark.line + 1 } : { file },
    });
  }
  rejectOnly(raw, text, file);
  const parsed = ruleCasesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? formatZodPath(issue.path) : '';
    const line = keyLines(text)[path.split(/[.[]/)[0] ?? ''];
    throw new ZtError('ZT_CASES_INVALID', `${path || '(document)'}: ${issue?.message ?? 'invalid'}`, {
      location: { file, path, ...(line !== undefined ? { line } : {}) },
    });
  }
  return parsed.data;
}

const groups = ['valid', 'invalid', 'errors'] as const;

/**
 * `only: true` (ESLint RuleTester's "run just this case") is refused, not honoured: a
 * focused case that reached CI would quietly stop every other case from running. To
 * work on one rule, `zt rules test <its file>` runs that rule's cases alone.
 */
function rejectOnly(raw: unknown, text: string, file: string): void {
  if (typeof raw !== 'object' || raw === null) return;
  for (const group of groups) {
    const cases = (raw as Record<string, unknown>)[group];
    if (!Array.isArray(cases)) continue;
    const index = (cases as unknown[]).findIndex((c) => typeof c === 'object' && c !== null && Object.hasOwn(c, 'only'));
    if (index < 0) continue;
    const path = `${group}[${index}].only`;
    const line = lineForPath({ ...keyLines(text), ...caseKeyLines(text) }, path);
    throw new ZtError('ZT_CASES_INVALID', `${path}: "only" is not supported: zt rules test always runs every case, so a focused case cannot silently skip the others in CI`, {
      location: { file, path, ...(line !== undefined ? { line } : {}) },
      hint: "Remove it. To run one rule's cases, give its file: zt rules test <rule file>.",
    });
  }
}

/**
 * Lines of the cases in a cases file and of their own keys (`valid[2]`, `valid[2].only`),
 * for error locations: block-style lists of block mappings, as cases files are written.
 * Flow-style cases are not recorded (lineForPath then falls back to the group's line).
 */
export function caseKeyLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  let group: string | undefined;
  let itemIndent: number | undefined;
  let keyIndent: number | undefined;
  let index = -1;
  text.split('\n').forEach((line, at) => {
    if (/^\s*(#|$)/.test(line)) return;
    const top = /^([A-Za-z_][\w-]*)\s*:/.exec(line);
    if (top?.[1]) {
      group = top[1];
      itemIndent = undefined;
      index = -1;
      return;
    }
    if (group === undefined) return;
    const item = /^( *)-( +|$)(.*)$/.exec(line);
    if (item && (itemIndent === undefined || item[1]?.length === itemIndent)) {
      itemIndent = item[1]?.length ?? 0;
      index += 1;
      lines[`${group}[${index}]`] = at + 1;
      const rest = item[3] ?? '';
      keyIndent = rest === '' ? undefined : itemIndent + 1 + (item[2]?.length ?? 0);
      const key = /^([A-Za-z_][\w-]*)\s*:/.exec(rest);
      if (key?.[1]) lines[`${group}[${index}].${key[1]}`] = at + 1;
      return;
    }
    if (index < 0 || itemIndent === undefined) return;
    const key = /^( *)([A-Za-z_][\w-]*)\s*:/.exec(line);
    const indent = key?.[1]?.length;
    if (!key?.[2] || indent === undefined || indent <= itemIndent) return;
    keyIndent ??= indent;
    if (indent === keyIndent) lines[`${group}[${index}].${key[2]}`] ??= at + 1;
  });
  return lines;
}
