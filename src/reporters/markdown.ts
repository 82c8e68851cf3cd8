import type { Finding } from '../model/finding.js';
import { timeText } from '../text/as-of-text.js';
import type { Report } from '../model/report.js';
import { severities } from '../model/severity.js';
import type { StageRegression } from '../model/baseline-comparison.js';
import { evidenceShortfall, lacksEvidence, rollUpStageWords } from '../model/scorecard.js';
import { stageWords } from '../model/ztmm.js';
import { markdownCode, markdownText } from '../output/markdown.js';
import { compareStrings } from '../text/order.js';
import { scopeLines } from './scope-text.js';
import type { Reporter } from './types.js';

/** GitHub rejects comments over 65,536 characters; keep well below with room for a note. */
export const MARKDOWN_LIMIT = 60_000;
const MAX_FINDINGS = 20;
const MAX_FIXES = 5;

const score = (value: number | null): string => (value === null ? '—' : value.toFixed(2));

function findingRows(report: Report, findings: readonly Finding[]): string[] {
  const severityOf = new Map(report.rules.map((r) => [r.id, r.severity]));
  const rank = (f: Finding) => severities.indexOf(severityOf.get(f.ruleId) ?? 'info');
  const sorted = [...findings].sort(
    (a, b) => rank(a) - rank(b) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.resource.id, b.resource.id),
  );
  const rows = sorted
    .slice(0, MAX_FINDINGS)
    .map((f) => `| ${severityOf.get(f.ruleId) ?? '?'} | ${markdownCode(f.ruleId, { inTable: true })} | ${markdownText(f.resource.name)} | ${markdownText(f.message ?? '')} |`);
  return [
    '| Severity | Rule | Resource | Message |',
    '|---|---|---|---|',
    ...rows,
    ...(sorted.length > MAX_FINDINGS ? [`| | | | … and ${sorted.length - MAX_FINDINGS} more |`] : []),
  ];
}

/**
 * A compact summary for a pull-request comment or $GITHUB_STEP_SUMMARY: overall and
 * pillar stages, new (or top) failures, what blocks the next stage, collection gaps.
 */
/** A scoped run says so under the heading: it must not read as the whole posture. */
function scoped(report: Report): string[] {
  const lines = scopeLines(report);
  return lines.length === 0 ? [] : [`> **Scoped audit, not the whole posture:** ${lines.map(markdownText).join('; ')}.`, ''];
}

export function renderMarkdown(report: Report): string {
  const { overall, pillars, nextSteps } = report.score;
  const titles = new Map(report.rules.map((r) => [r.id, r.title]));
  const lines = [
    `## zt: ${rollUpStageWords(overall)} (${score(overall.score)} / 3.00)`,
    '',
    ...scoped(report),
    `CISA ZTMM v${report.score.model.version}, ZTMM-aligned estimate · collected ${timeText(report.inventory.collectedAt)} · ` +
      `${report.inventory.resourceCount} resources · ${report.rules.length} rules · ${overall.rowsAssessed}/${overall.rowsTotal} rows assessed`,
    '',
    '| Pillar | Stage | Possible | Score | Rows assessed |',
    '|---|---|---|---|---|',
    ...pillars.map(
      (p) =>
        `| ${p.name} | ${rollUpStageWords(p)} | ${p.possibleStage === p.stage ? '' : stageWords[p.possibleStage]} | ${score(p.score)} | ${p.rowsAssessed}/${p.rowsTotal} |`,
    ),
    '',
  ];
  const short = [
    ...pillars.filter(lacksEvidence).map((p) => evidenceShortfall(p.name, p.evidence)),
    ...(lacksEvidence(overall) ? [evidenceShortfall('overall', overall.evidence)] : []),
  ];
  if (short.length > 0) lines.push(`_Insufficient evidence: ${short.join('; ')}._`, '');
  /** A regression's new stage as the pillar table names it ("Insufficient evidence" when withheld). */
  const nowWords = (r: StageRegression): string => {
    const now = r.level === 'overall' ? overall : r.level === 'pillar' ? pillars.find((p) => p.id === r.id) : undefined;
    return now && now.stage === r.to ? rollUpStageWords(now) : stageWords[r.to];
  };

  const failing = report.findings.filter((f) => f.status === 'fail');
  if (report.baseline) {
    const fresh = new Set(report.baseline.newFindings);
    const newOnes = failing.filter((f) => fresh.has(f.fingerprint));
    lines.push(
      `### New failures since the baseline (${newOnes.length})`,
      '',
      `${report.baseline.resolved.length} resolved, ${failing.length - newOnes.length} still failing (baseline ${markdownCode(report.baseline.file)}).`,
      '',
    );
    if (newOnes.length > 0) lines.push(...findingRows(report, newOnes), '');
    if (report.baseline.stageRegressions.length > 0) {
      lines.push('**Stage regressions**', '');
      for (const r of report.baseline.stageRegressions) lines.push(`- ${r.level} ${markdownCode(r.id)}: ${stageWords[r.from]} → ${nowWords(r)}`);
      lines.push('');
    }
  } else {
    lines.push(`### Failing findings (${failing.length})`, '');
    if (failing.length > 0) lines.push(...findingRows(report, failing), '');
  }

  if (nextSteps.length > 0) {
    lines.push('### To reach the next stage', '');
    for (const fix of nextSteps.slice(0, MAX_FIXES)) {
      const target = fix.resourceId ? ` on ${markdownCode(fix.resourceId)}` : '';
      const effect = fix.unlocks.length > 0 ? `unlocks ${fix.unlocks.join(', ')}` : `helps ${fix.contributesTo.join(', ')}`;
      lines.push(`- Fix ${markdownCode(fix.ruleId)} ${markdownText(titles.get(fix.ruleId) ?? '')}${target} — ${effect}`);
    }
    lines.push('');
  }

  const gaps = Object.entries(report.inventory.coverage).filter(([, c]) => c.state !== 'complete');
  const errors = report.findings.filter((f) => f.status === 'error').length;
  if (report.inventory.issues.length > 0 || gaps.length > 0 || errors > 0) {
    lines.push('### Collection', '');
    for (const issue of report.inventory.issues) lines.push(`- ${issue.severity}: ${markdownText(issue.collector)}: ${markdownText(issue.message)}`);
    for (const [kind, c] of gaps) lines.push(`- ${markdownCode(kind)}: ${c.state}${c.reason ? ` (${c.reason.replace(/_/g, ' ')})` : ''}`);
    if (errors > 0) lines.push(`- ${errors} evaluation error(s): see the JSON report`);
    lines.push('');
  }
  const { applied, expired, unused } = report.waivers;
  if (applied > 0 || expired.length > 0 || unused.length > 0) {
    lines.push(`### Waivers`, '', `${applied} finding(s) waived.`);
    for (const w of expired) lines.push(`- **expired** ${markdownText(w.expires)}: ${markdownCode(w.rule)} ${markdownText(w.resource)} (owner ${markdownText(w.owner)})`);
    for (const w of unused) lines.push(`- unused: ${markdownCode(w.rule)} ${markdownText(w.resource)} (owner ${markdownText(w.owner)})`);
    lines.push('');
  }

  let text = `${lines.join('\n').trimEnd()}\n`;
  if (text.length > MARKDOWN_LIMIT) {
    const cut = text.lastIndexOf('\n', MARKDOWN_LIMIT - 200);
    text = `${text.slice(0, cut)}\n\n_… cut to stay within GitHub's comment size; see the JSON report for everything._\n`;
  }
  return text;
}

export const markdownReporter: Reporter = {
  id: 'markdown',
  render: (report) => renderMarkdown(report),
};
