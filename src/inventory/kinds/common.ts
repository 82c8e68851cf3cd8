import { z } from 'zod';

/** ISO-8601 date-time string. `null` means "known not to exist" (never used, no date). */
export const isoDateTime = z.iso.datetime({ offset: true });
export const optionalDate = isoDateTime.nullable();

export const stringMap = z.record(z.string(), z.string());

/** Kubernetes label selector (matchLabels AND matchExpressions). `{}` selects everything. */
export const labelSelector = z.object({
  matchLabels: stringMap.optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
export type LabelSelector = z.infer<typeof labelSelector>;

/**
 * An IAM policy document, normalised at collection: Statement is always a list, and
 * Action/NotAction/Resource/NotResource and each Principal entry are always lists.
 * `Principal: "*"` is stored as `{ AWS: ["*"] }`. Condition values are lists of strings.
 */
export const policyStatement = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: z.array(z.string()).optional(),
  NotAction: z.array(z.string()).optional(),
  Resource: z.array(z.string()).optional(),
  NotResource: z.array(z.string()).optional(),
  Principal: z.record(z.string(), z.array(z.string())).optional(),
  NotPrincipal: z.record(z.string(), z.array(z.string())).optional(),
  Condition: z.record(z.string(), z.record(z.string(), z.array(z.string()))).optional(),
});
export const policyDocument = z.object({
  Version: z.string().optional(),
  Statement: z.array(policyStatement),
});
export type PolicyDocument = z.infer<typeof policyDocument>;
