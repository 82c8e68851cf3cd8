import type { Report } from '../model/report.js';
import { terminalText } from '../text/terminal-text.js';

const flags = (flag: string, patterns: readonly string[]): string => patterns.map((p) => `${flag} ${terminalText(p)}`).join(' ');

/**
 * What a scoped run left out, in sentences every human format shows (the table's and
 * Markdown's heading, the HTML page, stderr): a scoped report must never read as the whole
 * posture. Empty when the run was not scoped.
 */
export function scopeLines(report: Report): string[] {
  const scope = report.scope;
  if (!scope) return [];
  const lines: string[] = [];
  const ruleFlags = [flags('--rule', scope.rules), flags('--skip-rule', scope.skipRules)].filter((t) => t !== '').join(' ');
  if (ruleFlags !== '') {
    lines.push(
      `${scope.rulesLeftOut.length} of ${report.rules.length} rules left out by ${ruleFlags}: not evaluated, so no stage they gate is proven`,
    );
  }
  const namespaceFlags = [flags('--namespace', scope.namespaces), flags('--exclude-namespace', scope.excludeNamespaces)].filter((t) => t !== '').join(' ');
  if (namespaceFlags !== '') {
    lines.push(`${scope.resourcesLeftOut} Kubernetes namespaced resource(s) outside ${namespaceFlags}: not evaluated by any rule`);
  }
  if (scope.severity !== null) {
    lines.push(`${scope.findingsNotListed} finding(s) of rules below --severity ${scope.severity} not listed (still counted, scored and gated)`);
  }
  return lines;
}
