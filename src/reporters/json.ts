import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { prettyJson, prettyJsonChunks, type JsonLayout } from '../output/json-chunks.js';
import type { Reporter } from './types.js';

/** Walk the report and its top-level arrays; each finding is then stringified whole. */
const layout: JsonLayout = { space: 2, streamDepth: 2 };

/**
 * A finding as the JSON report writes it: its rule's severity after its status, and, on a
 * `fail` or `waived` finding, the rule's remediation after its message, so a consumer needs
 * no join with `.rules` to sort, filter or fix. The other keys keep their order.
 */
function withRuleFacts(finding: Finding, rule: Report['rules'][number] | undefined): unknown {
  if (!rule) return finding;
  const { ruleId, status, resource, message, ...rest } = finding;
  const fixable = status === 'fail' || status === 'waived';
  return {
    ruleId,
    status,
    severity: rule.severity,
    resource,
    ...(message !== undefined ? { message } : {}),
    ...(fixable ? { remediation: rule.remediation } : {}),
    ...rest,
  };
}

/** The report with each finding carrying its rule's severity and remediation (withRuleFacts). */
function jsonView(report: Report): unknown {
  const rules = new Map(report.rules.map((rule) => [rule.id, rule]));
  return { ...report, findings: report.findings.map((finding) => withRuleFacts(finding, rules.get(finding.ruleId))) };
}

/**
 * The versioned format documented in docs/report-format.md: the report with its keys in
 * its own order, findings carrying their rule's severity and remediation (nothing else is
 * added), so the output is a pure function of the report (2-space indent, one trailing newline).
 */
export const jsonReporter: Reporter = {
  id: 'json',
  render: (report) => prettyJson(jsonView(report), layout),
  renderChunks: (report) => prettyJsonChunks(jsonView(report), layout),
};
