import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { ZtError } from '../errors/zt-error.js';
import { keyLines } from '../text/source-lines.js';
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
  only: z.boolean().optional(),
};

/**
 * A rule's cases file (`<slug>.cases.yaml`), in the spirit of ESLint's RuleTester:
 * valid cases must pass (or be skipped when they say so), invalid ones must fail with
 * the stated message, error cases must produce an evaluation error with the CEL code.
 */
export const ruleCasesSchema = z.strictObject({
  rule: z.string(),
  /** The audit's "now" for every case (default 2026-01-01T00:00:00Z). */
  collectedAt: z.iso.datetime({ offset: true }).optional(),
  valid: z.array(z.strictObject({ ...baseCase, expect: z.enum(['pass', 'skip']).optional() })).min(1),
  invalid: z.array(z.strictObject({ ...baseCase, message: z.string() })).min(1),
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
