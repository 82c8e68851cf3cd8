/** Rule severities, most severe first: the order every list, gate and report uses. */
export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];

/** 0 for critical … 4 for info: lower is more severe. */
export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}
