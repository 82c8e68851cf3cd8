import { z } from 'zod';
import { severities } from '../model/severity.js';
import { gateStages, quantifiers } from '../model/ztmm.js';

const quantifier = z.enum(quantifiers);
const gateStage = z.enum(gateStages);

/**
 * A rule file as written. One rule per file; the file name (without .yaml) is the slug.
 * `ztmm.stage` + `ztmm.quantifier` gate one stage; `ztmm.stages` gates several with
 * their own thresholds, e.g. `{ advanced: most, optimal: all }`.
 */
export const ruleFileSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, 'ids look like ZT-IDN-001 or ACME-NET-7'),
    title: z.string().min(5),
    kind: z.string(),
    severity: z.enum(severities),
    ztmm: z
      .strictObject({
        row: z.string(),
        stage: gateStage.optional(),
        quantifier: quantifier.optional(),
        stages: z.partialRecord(gateStage, quantifier).optional(),
        /** A supporting rule is reported and counts towards progress, but does not gate a stage. */
        supporting: z.boolean().optional(),
      })
      .refine((v) => (v.stage === undefined) !== (v.stages === undefined), {
        message: 'give either stage (with an optional quantifier) or stages, not both',
      }),
    when: z.string().min(1).optional(),
    assert: z.string().min(1),
    message: z.string().min(1),
    /** A top-level field of the kind (or derived fact) carried, structured, by each failing finding (JSON, SARIF). */
    evidence: z.string().regex(/^[A-Za-z_]\w*$/, 'evidence names one top-level field of the kind, e.g. escalationPath').optional(),
    /** What an empty scope means: not_applicable (default) or fail (the thing must exist). */
    whenEmpty: z.enum(['not_applicable', 'fail']).optional(),
    remediation: z.string().min(1),
    references: z.array(z.string()).min(1),
    tags: z.array(z.string()).optional(),
  });

export type RuleFile = z.infer<typeof ruleFileSchema>;
