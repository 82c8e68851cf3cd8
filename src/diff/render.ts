import type { FindingRef, ReportDiff, StageChange } from './diff.js';

export const diffFormats = ['table', 'json', 'markdown'] as const;
export type DiffFormat = (typeof diffFormats)[number];

const buckets: readonly [keyof ReportDiff['findings'], string][] = [
  ['newFailures', 'New failures'],
  ['addedRuleFailures', 'Failures of added rules'],
  ['waiverExpired', 'Failing again: waiver expired'],
  ['fixed', 'Fixed'],
  ['newlyWaived', 'Newly waived'],
  ['unverified', 'No longer evaluated (cannot tell whether fixed)'],
  ['stillFailing', 'Still failing'],
];

const stageWord = (stage: string): string => stage.replace('_', ' ');
const arrow = (c: StageChange): string => `${stageWord(c.from)} → ${stageWord(c.to)} (${c.direction === 'up' ? '▲' : '▼'})`;
const findingLine = (f: FindingRef): string => `${f.ruleId} ${f.resourceName}${f.message ? ` — ${f.message}` : ''}`;

function stageLines(diff: ReportDiff, bullet: string): string[] {
  const lines: string[] = [];
  if (diff.stages.overall) lines.push(`${bullet}overall: ${arrow(diff.stages.overall)}`);
  for (const c of diff.stages.pillars) lines.push(`${bullet}pillar ${c.id}: ${arrow(c)}`);
  for (const c of diff.stages.rows) lines.push(`${bullet}row ${c.id}: ${arrow(c)}`);
  return lines;
}

function ruleLines(diff: ReportDiff, bullet: string): string[] {
  const { added, removed, notEvaluatedNow, evaluatedAgain } = diff.rules;
  return [
    ...(added.length ? [`${bullet}rules added: ${added.join(', ')}`] : []),
    ...(removed.length ? [`${bullet}rules removed: ${removed.join(', ')}`] : []),
    ...(notEvaluatedNow.length ? [`${bullet}not evaluated now: ${notEvaluatedNow.join(', ')}`] : []),
    ...(evaluatedAgain.length ? [`${bullet}evaluated again: ${evaluatedAgain.join(', ')}`] : []),
  ];
}

function counts(diff: ReportDiff): string {
  return buckets.map(([key, label]) => `${diff.findings[key].length} ${label.split(':')[0]?.toLowerCase()}`).join(' · ');
}

export function renderDiff(diff: ReportDiff, format: DiffFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(diff, null, 2)}\n`;
    case 'markdown': {
      const lines = [
        `## zt: changes since ${diff.old.collectedAt}`,
        '',
        `Compared ${diff.old.collectedAt} (zt ${diff.old.toolVersion}) with ${diff.new.collectedAt} (zt ${diff.new.toolVersion}). ${counts(diff)}.`,
        '',
      ];
      const stages = stageLines(diff, '- ');
      if (stages.length) lines.push('### ZTMM stage changes', '', ...stages, '');
      for (const [key, label] of buckets) {
        const items = diff.findings[key];
        if (items.length === 0 || key === 'stillFailing') continue;
        lines.push(`### ${label} (${items.length})`, '', ...items.slice(0, 50).map((f) => `- \`${f.ruleId}\` **${f.resourceName}**${f.message ? ` — ${f.message}` : ''}`));
        if (items.length > 50) lines.push(`- … and ${items.length - 50} more`);
        lines.push('');
      }
      const rules = ruleLines(diff, '- ');
      if (rules.length) lines.push('### Rules', '', ...rules, '');
      return `${lines.join('\n').trimEnd()}\n`;
    }
    case 'table': {
      const lines = [`zt diff: ${diff.old.collectedAt} → ${diff.new.collectedAt}`, counts(diff), ''];
      const stages = stageLines(diff, '  ');
      lines.push('Stage changes', ...(stages.length ? stages : ['  none']), '');
      for (const [key, label] of buckets) {
        const items = diff.findings[key];
        if (items.length === 0) continue;
        lines.push(`${label} (${items.length})`, ...items.map((f) => `  ${findingLine(f)}`), '');
      }
      const rules = ruleLines(diff, '  ');
      if (rules.length) lines.push('Rules', ...rules, '');
      return `${lines.join('\n').trimEnd()}\n`;
    }
    default:
      return format satisfies never;
  }
}
