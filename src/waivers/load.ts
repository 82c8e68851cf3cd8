import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { ZtAggregateError, ZtError } from '../errors/zt-error.js';
import type { Waiver } from '../model/waiver.js';
import { didYouMean, didYouMeanOrList } from '../text/did-you-mean.js';
import { ztYamlSchema } from '../text/yaml-schema.js';
import { formatZodPath } from '../text/zod-problems.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expires must be a date written YYYY-MM-DD')
  // Judged only when written YYYY-MM-DD (zod runs every check: one problem per value is enough).
  .refine((value) => !/^\d{4}-\d{2}-\d{2}$/.test(value) || (!Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)), {
    message: 'expires is not a real calendar date',
  });

const required = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? `${what} is required` : `${what} must be text`) });

const waiverSchema = z.strictObject({
  rule: z.string(required('rule (a rule id)')).min(1, 'rule is required'),
  resource: z
    .string(required('resource (an id, or a glob such as k8s://prod/legacy/*)'))
    .min(1, 'resource is required (an id, or a glob such as k8s://prod/legacy/*)'),
  reason: z.string(required('reason (why the risk is accepted)')).trim().min(10, 'reason is too short (10 characters at least): say why the risk is accepted'),
  owner: z.string(required('owner (who answers for this waiver)')).trim().min(1, 'owner is required: who answers for this waiver'),
  expires: z.string(required('expires (the last day it applies, YYYY-MM-DD)')).pipe(isoDate),
  ticket: z.url().optional(),
});

const fileSchema = z.strictObject({ waivers: z.array(z.unknown()) });

/** Line of each list item under `waivers:` and of the keys inside it. */
interface ItemLines {
  readonly start: number;
  readonly keys: Record<string, number>;
}

function itemLines(text: string): ItemLines[] {
  const items: ItemLines[] = [];
  const lines = text.split('\n');
  let itemIndent = -1;
  lines.forEach((line, index) => {
    const item = /^(\s*)-\s+(?:([A-Za-z_]\w*)\s*:)?/.exec(line);
    if (item && (itemIndent < 0 || item[1]?.length === itemIndent)) {
      itemIndent = item[1]?.length ?? 0;
      items.push({ start: index + 1, keys: item[2] ? { [item[2]]: index + 1 } : {} });
      return;
    }
    const key = /^\s+([A-Za-z_]\w*)\s*:/.exec(line);
    const current = items[items.length - 1];
    if (key?.[1] && current) current.keys[key[1]] ??= index + 1;
  });
  return items;
}

/** Every problem of one waiver entry, each at the line of its key (else of the entry). */
function entryProblems(issues: readonly z.core.$ZodIssue[], index: number, position: ItemLines | undefined, file: string): ZtError[] {
  const known = Object.keys(waiverSchema.shape);
  const at = (key: string, path: string) => {
    const line = position?.keys[key] ?? position?.start;
    return { file, path, ...(line !== undefined ? { line } : {}) };
  };
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = `waivers[${index}].${key}`;
        return new ZtError('ZT_WAIVERS_INVALID', `${path}: not a field of a waiver${didYouMeanOrList(key, known)}`, { location: at(key, path) });
      });
    }
    const path = formatZodPath(issue.path, `waivers[${index}]`);
    return [new ZtError('ZT_WAIVERS_INVALID', `${path}: ${issue.message}`, { location: at(String(issue.path[0] ?? ''), path) })];
  });
}

/** One error, or all of them together: every problem of the file is reported in one run. */
function failWith(errors: readonly ZtError[], file: string): never {
  if (errors.length === 1) throw errors[0] as ZtError;
  throw new ZtAggregateError('ZT_WAIVERS_INVALID', errors, `${errors.length} problems in ${file}`);
}

/**
 * Parses a waivers file; any problem is exit 2 with the file, the line and what to fix, and
 * every problem is reported at once. With `ruleIds` (the rules of the run), a waiver naming
 * no rule is one of them: it could never apply, and a typo in a rule id must not pass
 * silently as an unused waiver.
 */
export function parseWaivers(text: string, file: string, ruleIds?: readonly string[]): Waiver[] {
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: ztYamlSchema });
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new ZtError('ZT_WAIVERS_INVALID', (error as { reason?: string }).reason ?? String(error), {
      location: mark ? { file, line: mark.line + 1 } : { file },
    });
  }
  if (raw === undefined || raw === null) return [];
  const top = fileSchema.safeParse(raw);
  if (!top.success) {
    throw new ZtError('ZT_WAIVERS_INVALID', `${file} must be a mapping with a "waivers:" list`, { location: { file, line: 1 } });
  }
  const positions = itemLines(text);
  const known = ruleIds === undefined ? undefined : new Set(ruleIds);
  const errors: ZtError[] = [];
  const waivers: Waiver[] = [];
  top.data.waivers.forEach((entry, index) => {
    const parsed = waiverSchema.safeParse(entry);
    const position = positions[index];
    if (!parsed.success) {
      errors.push(...entryProblems(parsed.error.issues, index, position, file));
      return;
    }
    if (known && !known.has(parsed.data.rule)) {
      const line = position?.keys.rule ?? position?.start;
      errors.push(
        new ZtError('ZT_WAIVERS_INVALID', `waivers[${index}].rule: no rule has the id ${parsed.data.rule}${didYouMean(parsed.data.rule, ruleIds ?? [])}`, {
          location: { file, path: `waivers[${index}].rule`, ...(line !== undefined ? { line } : {}) },
          hint: 'A waiver names the exact id of a rule of the run (`zt rules list`); remove waivers of rules that no longer exist.',
        }),
      );
      return;
    }
    waivers.push({ index, line: position?.start, ...parsed.data, ticket: parsed.data.ticket });
  });
  if (errors.length > 0) failWith(errors, file);
  return waivers;
}

export async function readWaivers(file: string, display = file, ruleIds?: readonly string[]): Promise<Waiver[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read waivers file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      cause: error,
    });
  }
  return parseWaivers(text, display, ruleIds);
}
