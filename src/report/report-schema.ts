import { z } from 'zod';
import { isoDateTime } from '../inventory/kinds/common.js';
import { coverageStates } from '../model/coverage.js';
import { findingStatuses, ruleStatuses } from '../model/finding.js';
import { REPORT_SCHEMA_VERSION } from '../model/report.js';
import { severities } from '../model/severity.js';
import { stageOrder } from '../model/ztmm.js';

/**
 * A JSON report as the readers of reports (zt diff, zt baseline --from-report) use it,
 * checked against the enumerations docs/report-format.md documents before anything is
 * compared: a finding with `status: "sideways"` was counted as fixed. Only what a reader
 * uses is checked, so a report of a later minor version (new fields, per the stability
 * rules) still reads.
 */

const text = z.string().min(1);
const stage = z.enum(['not_assessed', ...stageOrder]);

const finding = z.looseObject({
  ruleId: text,
  status: z.enum(findingStatuses),
  resource: z.looseObject({ kind: text, id: text, name: z.string(), source: z.string() }),
  message: z.string().optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lowercase hex digits (the finding fingerprint)'),
});

const row = z.looseObject({ id: text, stage });
const pillar = z.looseObject({ id: text, stage, rows: z.array(row) });

export const reportSchema = z.looseObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.looseObject({ name: z.literal('zt'), version: z.string() }),
  inventory: z.looseObject({ collectedAt: isoDateTime }),
  rules: z.array(z.looseObject({ id: text, severity: z.enum(severities) })),
  ruleResults: z.array(z.looseObject({ ruleId: text, status: z.enum(ruleStatuses), coverage: z.enum(coverageStates) })),
  findings: z.array(finding),
  score: z.looseObject({ overall: z.looseObject({ stage }), pillars: z.array(pillar) }),
});
