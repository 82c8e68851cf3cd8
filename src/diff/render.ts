import { markdownCode, markdownText } from '../output/markdown.js';
import { fittedTable, wrap } from '../output/text-table.js';
import { timeText } from '../text/as-of-text.js';
import { terminalText } from '../text/terminal-text.js';
import type { FindingRef, ReportDiff, StageChange } from './diff.js';
import type { DiffFormat } from './formats.js';

export { type DiffFormat, diffFormats } from './formats.js';

const buckets: readonly [keyof ReportDiff['findings'], string][] = [
  ['newFailures', 'New failures'],
  ['addedRuleFailures', 'Failures of added rules'],
  ['waiverExpired', 'Failing again: waiver expired'],
  ['fixed', 'Fixed'],
  ['newlyWaived', 'Newly waived'],
  ['unverified', 'No longer evaluated (cannot tell whether fixed)'],
  ['stillFailing', 'Still failing'],
];

const stageWord = (stage: string): string => stage.replaceAll('_', ' ');
const arrow = (c: StageChange): string => `${stageWord(c.from)} → ${stageWord(c.to)} (${c.direction === 'up' ? '▲' : '▼'})`;
/** How text read from the reports is written: kept on its line without control characters (table), or escaped (markdown). */
type Text = (text: string) => string;
const plain: Text = terminalText;

/** A bucket's findings as a table fitted to the terminal: rule, resource, message (wrapped, never cut). */
function findingTable(items: readonly FindingRef[], width: number): string[] {
  const rows = items.map((f) => [plain(f.ruleId), plain(f.resourceName), plain(f.message ?? '')]);
  return fittedTable(['rule', 'resource', 'message'], rows, [12, 14, 20], width, { rowRules: true });
}

function stageLines(diff: ReportDiff, bullet: string, text: Text): string[] {
  const lines: string[] = [];
  const change = (c: StageChange): string => text(arrow(c));
  if (diff.stages.overall) lines.push(`${bullet}overall: ${change(diff.stages.overall)}`);
  for (const c of diff.stages.pillars) lines.push(`${bullet}pillar ${text(c.id)}: ${change(c)}`);
  for (const c of diff.stages.rows) lines.push(`${bullet}row ${text(c.id)}: ${change(c)}`);
  return lines;
}

function ruleLines(diff: ReportDiff, bullet: string, text: Text): string[] {
  const { added, removed, notEvaluatedNow, evaluatedAgain } = diff.rules;
  const ids = (list: readonly string[]): string => text(list.join(', '));
  return [
    ...(added.length ? [`${bullet}rules added: ${ids(added)}`] : []),
    ...(removed.length ? [`${bullet}rules removed: ${ids(removed)}`] : []),
    ...(notEvaluatedNow.length ? [`${bullet}not evaluated now: ${ids(notEvaluatedNow)}`] : []),
    ...(evaluatedAgain.length ? [`${bullet}evaluated again: ${ids(evaluatedAgain)}`] : []),
  ];
}

function counts(diff: ReportDiff): string {
  return buckets.map(([key, label]) => `${diff.findings[key].length} ${label.split(':')[0]?.toLowerCase()}`).join(' · ');
}

/** `width`: the terminal's columns, which the table format fits (at least 60). */
export function renderDiff(diff: ReportDiff, format: DiffFormat, width = 100): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(diff, null, 2)}\n`;
    case 'markdown': {
      // Everything taken from the two reports is escaped (output/markdown.ts): a resource
      // name or message can hold pipes, HTML or links, and this goes into PR comments.
      const md = markdownText;
      const lines = [
        `## zt: changes since ${md(timeText(diff.old.collectedAt))}`,
        '',
        `Compared ${md(timeText(diff.old.collectedAt))} (zt ${md(diff.old.toolVersion)}) with ${md(timeText(diff.new.collectedAt))} (zt ${md(diff.new.toolVersion)}). ${counts(diff)}.`,
        '',
      ];
      const stages = stageLines(diff, '- ', md);
      if (stages.length) lines.push('### ZTMM stage changes', '', ...stages, '');
      for (const [key, label] of buckets) {
        const items = diff.findings[key];
        if (items.length === 0 || key === 'stillFailing') continue;
        lines.push(
          `### ${label} (${items.length})`,
          '',
          ...items.slice(0, 50).map((f) => `- ${markdownCode(f.ruleId)} **${md(f.resourceName)}**${f.message ? ` — ${md(f.message)}` : ''}`),
        );
        if (items.length > 50) lines.push(`- … and ${items.length - 50} more`);
        lines.push('');
      }
      const rules = ruleLines(diff, '- ', md);
      if (rules.length) lines.push('### Rules', '', ...rules, '');
      return `${lines.join('\n').trimEnd()}\n`;
    }
    case 'table': {
      // Everything taken from the two reports goes through the terminal escaper (text/terminal-text.ts).
      const lines = [`zt diff: ${plain(timeText(diff.old.collectedAt))} → ${plain(timeText(diff.new.collectedAt))}`, ...wrap(counts(diff), Math.max(60, width)), ''];
      const stages = stageLines(diff, '  ', plain);
      lines.push('Stage changes', ...(stages.length ? stages : ['  none']), '');
      for (const [key, label] of buckets) {
        const items = diff.findings[key];
        if (items.length === 0) continue;
        lines.push(`${label} (${items.length})`, ...findingTable(items, width), '');
      }
      const rules = ruleLines(diff, '  ', plain);
      if (rules.length) lines.push('Rules', ...rules, '');
      return `${lines.join('\n').trimEnd()}\n`;
    }
    default:
      return format satisfies never;
  }
}
