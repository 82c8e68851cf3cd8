import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { ZtError } from '../errors/zt-error.js';
import type { Waiver } from '../model/waiver.js';
import { ztYamlSchema } from '../text/yaml-schema.js';
import { formatZodPath } from '../text/zod-problems.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expires must be a date written YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    message: 'expires is not a real calendar date',
  });

const required = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? `${what} is required` : `${what} must be text`) });

const waiverSchema = z.strictObject({
  rule: z.string(required('rule (a rule id)')).min(1, 'rule is required'),
  resource: z
    .string(required('resource (an id, or a glob such as k8s://prod/legacy/*)'))
    .min(1, 'resource is required (an id, or a glob such as k8s://prod/legacy/*)'),
  reason: z.string(required('reason (why the risk is accepted)')).trim().min(10, 'reason is required: say why the risk is accepted (10 characters at least)'),
  owner: z.string(required('owner (who answers for this waiver)')).trim().min(1, 'owner is required: who answers for this waiver'),
  expires: z.string(required('expires (the last day it applies, YYYY-MM-DD)')).pipe(isoDate),
  ticket: z.url().optional(),
});

const fileSchema = z.strictObject({ waivers: z.array(z.unknown()) });

/** Line of each list item under `waivers:` and of the keys inside it. */
function itemLines(text: string): { start: number; keys: Record<string, number> }[] {
  const items: { start: number; keys: Record<string, number> }[] = [];
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

/** Parses a waivers file; any problem is exit 2 with the file, the line and what to fix. */
export function parseWaivers(text: string, file: string): Waiver[] {
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
  return top.data.waivers.map((entry, index) => {
    const parsed = waiverSchema.safeParse(entry);
    const position = positions[index];
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = String(issue?.path[0] ?? '');
      const line = position?.keys[key] ?? position?.start;
      const path = formatZodPath(issue?.path ?? [], `waivers[${index}]`);
      throw new ZtError('ZT_WAIVERS_INVALID', `${path}: ${issue?.message ?? 'invalid'}`, {
        location: { file, path, ...(line !== undefined ? { line } : {}) },
      });
    }
    return { index, line: position?.start, ...parsed.data, ticket: parsed.data.ticket };
  });
}

export async function readWaivers(file: string, display = file): Promise<Waiver[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read waivers file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      cause: error,
    });
  }
  return parseWaivers(text, display);
}
