import type { Finding } from '../model/finding.js';
import type { Report, ReportRule } from '../model/report.js';
import { compareStrings } from '../text/order.js';
import type { Reporter } from './types.js';

/** XML 1.0 text: escape markup, drop characters XML cannot carry. */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testcase(rule: ReportRule, finding: Finding): string {
  const name = `${finding.resource.name} (${finding.resource.id})`;
  const open = `    <testcase classname="${xml(rule.id)}" name="${xml(name)}">`;
  switch (finding.status) {
    case 'fail':
      return `${open}\n      <failure type="${rule.severity}" message="${xml(finding.message ?? rule.title)}">${xml(`${rule.title}\nRemediation: ${rule.remediation}`)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}\n      <error type="${xml(finding.error?.code ?? 'error')}" message="${xml(finding.error?.message ?? '')}"/>\n    </testcase>`;
    case 'waived':
      return `${open}\n      <skipped message="${xml(`waived until ${finding.waiver?.expires} by ${finding.waiver?.owner}: ${finding.waiver?.reason}`)}"/>\n    </testcase>`;
    case 'pass':
    case 'skip':
      return `    <testcase classname="${xml(rule.id)}" name="${xml(name)}"/>`;
    default:
      return finding.status satisfies never;
  }
}

/**
 * JUnit XML for CI test dashboards: a test suite per rule, a test case per resource.
 * Passing resources are listed one by one when the audit ran with --include-passes;
 * otherwise one test case per rule stands for all of them. A rule that could not run
 * is one skipped test case with the reason: never a pass.
 */
export function renderJunit(report: Report): string {
  const byRule = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byRule.get(finding.ruleId) ?? [];
    list.push(finding);
    byRule.set(finding.ruleId, list);
  }
  const results = new Map(report.ruleResults.map((r) => [r.ruleId, r]));
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const rule of [...report.rules].sort((a, b) => compareStrings(a.id, b.id))) {
    const result = results.get(rule.id);
    const findings = (byRule.get(rule.id) ?? []).sort((a, b) => compareStrings(a.resource.id, b.resource.id));
    const cases = findings.map((f) => testcase(rule, f));
    const listedPasses = findings.filter((f) => f.status === 'pass').length;
    const passes = result?.counts.pass ?? 0;
    if (result?.status === 'not_evaluated') {
      cases.push(`    <testcase classname="${xml(rule.id)}" name="${xml(rule.title)}">\n      <skipped message="${xml(`not evaluated: ${result.notEvaluatedReason ?? 'input missing'}`)}"/>\n    </testcase>`);
    } else if (passes > listedPasses) {
      cases.push(`    <testcase classname="${xml(rule.id)}" name="${xml(`${passes - listedPasses} resource(s) pass`)}"/>`);
    } else if (cases.length === 0) {
      cases.push(`    <testcase classname="${xml(rule.id)}" name="${xml(`nothing in scope (${result?.status ?? 'not_applicable'})`)}"/>`);
    }
    const suiteFailures = findings.filter((f) => f.status === 'fail').length;
    const suiteErrors = findings.filter((f) => f.status === 'error').length;
    const suiteSkipped = findings.filter((f) => f.status === 'waived').length + (result?.status === 'not_evaluated' ? 1 : 0);
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${xml(`${rule.id} ${rule.title}`)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="${suiteSkipped}">\n` +
        `    <properties>\n      <property name="severity" value="${rule.severity}"/>\n      <property name="ztmm.row" value="${xml(rule.row)}"/>\n    </properties>\n` +
        `${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="zt" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}"${report.inventory.collectedAt === null ? '' : ` timestamp="${xml(report.inventory.collectedAt)}"`}>\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}

export const junitReporter: Reporter = {
  id: 'junit',
  render: (report) => renderJunit(report),
};
