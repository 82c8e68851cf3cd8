import { readFile, mkdir } from 'node:fs/promises';
import { writeFileAtomically } from '../files/atomic-write.js';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ZtError } from '../errors/zt-error.js';
import type { Report } from '../model/report.js';
import { stageOrder } from '../model/ztmm.js';
import { withoutBom } from '../text/json-text.js';
import { compareStrings } from '../text/order.js';
import { formatZodPath } from '../text/zod-problems.js';

export const BASELINE_SCHEMA_VERSION = 1;

const stage = z.enum(['not_assessed', ...stageOrder]);

const baselineSchema = z.strictObject({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  kind: z.literal('zt-baseline'),
  tool: z.object({ name: z.literal('zt'), version: z.string() }),
  /** The time of the audited evidence (the report's inventory.collectedAt); null when unknown. */
  collectedAt: z.string().nullable(),
  /** Failing findings accepted as the starting point (waived ones are not: a waiver that expires must fail). */
  findings: z.array(
    z.strictObject({ fingerprint: z.string(), ruleId: z.string(), kind: z.string(), resourceId: z.string(), resourceName: z.string() }),
  ),
  stages: z.strictObject({
    overall: stage,
    pillars: z.record(z.string(), stage),
    rows: z.record(z.string(), stage),
  }),
});

export type Baseline = z.infer<typeof baselineSchema>;

/** The baseline of a report: its failing findings by fingerprint, and its stages. */
export function baselineOf(report: Report): Baseline {
  const findings = report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, kind: f.resource.kind, resourceId: f.resource.id, resourceName: f.resource.name }))
    .sort((a, b) => compareStrings(a.fingerprint, b.fingerprint));
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    kind: 'zt-baseline',
    tool: { name: 'zt', version: report.tool.version },
    collectedAt: report.inventory.collectedAt,
    findings,
    stages: {
      overall: report.score.overall.stage,
      pillars: Object.fromEntries(report.score.pillars.map((p) => [p.id, p.stage])),
      rows: Object.fromEntries(report.score.pillars.flatMap((p) => p.rows.map((r) => [r.id, r.stage]))),
    },
  };
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomically(file, [`${JSON.stringify(baseline, null, 2)}\n`]);
  } catch (error) {
    throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot write baseline ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      cause: error,
    });
  }
}

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read baseline ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      hint: 'Create one with `zt baseline create --out <file>` from an audit you accept as the starting point.',
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(text));
  } catch {
    throw new ZtError('ZT_BASELINE_INVALID', `${file} is not JSON`, { location: { file } });
  }
  const meta = raw as { kind?: unknown; schemaVersion?: unknown };
  if (typeof raw !== 'object' || raw === null || meta.kind !== 'zt-baseline') {
    throw new ZtError('ZT_BASELINE_INVALID', `${file} is not a zt baseline (no "kind": "zt-baseline")`, { location: { file } });
  }
  if (meta.schemaVersion !== BASELINE_SCHEMA_VERSION) {
    throw new ZtError(
      'ZT_BASELINE_INVALID',
      `${file} is a baseline of schemaVersion ${JSON.stringify(meta.schemaVersion)}; this zt reads version ${BASELINE_SCHEMA_VERSION}`,
      { location: { file, path: 'schemaVersion' }, hint: 'Re-create it with `zt baseline update` using this zt version.' },
    );
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ZtError('ZT_BASELINE_INVALID', `${file}: ${formatZodPath(issue?.path ?? [])}: ${issue?.message}`, { location: { file } });
  }
  return parsed.data;
}
