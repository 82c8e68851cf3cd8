import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Finding, RuleResult } from '../engine/results.js';
import type { CollectionIssue, CoverageReason } from '../inventory/snapshot.js';
import type { Report, ReportRule } from '../report/report.js';
import type { Severity } from '../ruleset/rule-schema.js';
import type { AssessedStage, Blocker, RankedFix, RowScore } from '../scoring/scorecard.js';
import { cellWidth, fitColumns, keep, wrap } from './table-text.js';
import type { Reporter, ReporterContext } from './types.js';

/** How many ranked fixes, blockers per row and findings the table shows; JSON has them all. */
export const TABLE_LIMITS = { fixes: 10, blockersPerRow: 5, findings: 20, failingNamesPerBlocker: 3 } as const;

/** Narrower terminals get this width (the table stays readable rather than collapsing). */
const MIN_WIDTH = 50;

const severityOrder: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

const stageWords: Readonly<Record<AssessedStage, string>> = {
  traditional: 'Traditional',
  initial: 'Initial',
  advanced: 'Advanced',
  optimal: 'Optimal',
  not_assessed: 'Not assessed',
};

const ruleStatusOrder = ['pass', 'fail', 'error', 'not_evaluated', 'not_applicable'];

interface Painter {
  severity(severity: Severity, text?: string): string;
  stage(stage: AssessedStage): string;
  issue(severity: CollectionIssue['severity']): string;
}

function painter(chalk: ChalkInstance): Painter {
  const severityColour: Readonly<Record<Severity, (s: string) => string>> = {
    critical: (s) => chalk.bold.red(s),
    high: (s) => chalk.red(s),
    medium: (s) => chalk.yellow(s),
    low: (s) => chalk.blue(s),
    info: (s) => chalk.gray(s),
  };
  const stageColour: Readonly<Record<AssessedStage, (s: string) => string>> = {
    traditional: (s) => chalk.red(s),
    initial: (s) => chalk.yellow(s),
    advanced: (s) => chalk.cyan(s),
    optimal: (s) => chalk.green(s),
    not_assessed: (s) => chalk.gray(s),
  };
  const issueColour: Readonly<Record<CollectionIssue['severity'], (s: string) => string>> = {
    error: (s) => chalk.red(s),
    warning: (s) => chalk.yellow(s),
    info: (s) => chalk.gray(s),
  };
  return {
    severity: (severity, text = severity) => severityColour[severity](text),
    stage: (stage) => stageColour[stage](stageWords[stage]),
    issue: (severity) => issueColour[severity](severity),
  };
}

function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(2);
}

/** Pass rates are floored so that 74.9 % never reads as meeting a 75 % threshold. */
function percent(rate: number): string {
  return `${Math.floor(rate * 100 + 1e-9)}%`;
}

function humanReason(reason: CoverageReason | string): string {
  return reason.replaceAll('_', ' ');
}

/** Joins parts with " · ", keeping each dot on the line of the part before it. */
function joinParts(parts: readonly string[]): string {
  return parts.join(`${keep(' ·')} `);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

interface Lookup {
  readonly rules: ReadonlyMap<string, ReportRule>;
  readonly results: ReadonlyMap<string, RuleResult>;
  /** Resource id → display name, from the findings. */
  readonly names: ReadonlyMap<string, string>;
}

function lookup(report: Report): Lookup {
  const names = new Map<string, string>();
  for (const f of report.findings) if (!names.has(f.resource.id)) names.set(f.resource.id, f.resource.name);
  return {
    rules: new Map(report.rules.map((r) => [r.id, r])),
    results: new Map(report.ruleResults.map((r) => [r.ruleId, r])),
    names,
  };
}

/** Lines between body rows are drawn only when rows can span several lines. */
const noRowRules = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } as const;

function newTable(
  head: string[],
  colWidths: number[],
  options: { colAligns?: ('left' | 'right')[]; rowRules: boolean },
): Table.Table {
  return new Table({
    head,
    colWidths,
    ...(options.colAligns ? { colAligns: options.colAligns } : {}),
    ...(options.rowRules ? {} : { chars: noRowRules }),
    wordWrap: true,
    wrapOnWordBoundary: true,
    // Colour belongs to severities and stages only: never to headers or borders.
    style: { head: [], border: [] },
  });
}

/** Widths for a table whose columns hold `columns` texts (padding 2 per cell, borders n+1). */
function columnWidths(columns: readonly string[][], minimum: readonly number[], width: number): number[] {
  const natural = columns.map((texts) => Math.max(0, ...texts.map(cellWidth)) + 2);
  return fitColumns(natural, minimum, width - (columns.length + 1));
}

function header(report: Report, width: number): string[] {
  const { tool, inventory, score } = report;
  const sources = inventory.sources.map((s) => `${s.source} (${s.collector}, ${s.mode})`).join(', ');
  return [
    ...wrap(`${tool.name} ${tool.version} · CISA ZTMM v${score.model.version} — ZTMM-aligned estimate`, width),
    ...wrap(
      `Collected ${inventory.collectedAt} · ${plural(inventory.resourceCount, 'resource')} · ${plural(report.rules.length, 'rule')}`,
      width,
    ),
    ...wrap(`Sources: ${sources.length > 0 ? sources : 'none'}`, width, '', '  '),
  ];
}

function pillarSummary(report: Report, paint: Painter, width: number): string[] {
  const { pillars, overall } = report.score;
  const head = ['Pillar', 'Proven stage', 'Possible', 'Score', 'Rows'];
  const rows = pillars.map((p) => [
    p.name,
    paint.stage(p.stage),
    p.possibleStage === p.stage ? '' : paint.stage(p.possibleStage),
    formatScore(p.score),
    `${p.rowsAssessed}/${p.rowsTotal}`,
  ]);
  const columns = head.map((h, i) => [h, ...rows.map((r) => r[i] ?? '')]);
  const options = { colAligns: ['left', 'left', 'left', 'right', 'right'] as ('left' | 'right')[], rowRules: false };
  const widths = columnWidths(columns, [10, 14, 14, 7, 7], width);
  const table = newTable(head, widths, options);
  table.push(...rows);
  const lines = table.toString().split('\n');
  // Without row rules cli-table3 also drops the rule under the header: put it back.
  const headHeight = newTable(head, widths, options).toString().split('\n').length - 2;
  const top = lines[0] ?? '';
  lines.splice(1 + headHeight, 0, top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤'));
  const possible = overall.possibleStage === overall.stage ? '' : ` (possible: ${paint.stage(overall.possibleStage)})`;
  const coverage = Math.round(overall.coverage * 100);
  return [
    'ZTMM pillars',
    ...lines,
    ...wrap(
      `Overall: ${paint.stage(overall.stage)}${possible} · score ${formatScore(overall.score)} · ` +
        `${overall.rowsAssessed}/${overall.rowsTotal} rows assessed (${coverage}%)`,
      width,
      '',
      '  ',
    ),
  ];
}

function fixLine(fix: RankedFix, index: number, look: Lookup): string {
  const title = look.rules.get(fix.ruleId)?.title;
  const rule = title ? `${fix.ruleId} (${title})` : fix.ruleId;
  const target =
    fix.resourceId === undefined
      ? `Fix ${rule} on every failing resource`
      : `Fix ${look.names.get(fix.resourceId) ?? fix.resourceId} for ${rule}`;
  const effects = [
    ...(fix.unlocks.length > 0 ? [`unlocks ${fix.unlocks.join(', ')}`] : []),
    ...(fix.contributesTo.length > 0 ? [`helps ${fix.contributesTo.join(', ')}`] : []),
  ];
  return `${index + 1}. ${target}${effects.length > 0 ? `: ${effects.join('; ')}` : ''}`;
}

function blockerDetail(blocker: Blocker, look: Lookup): string {
  if (blocker.status === 'not_evaluated') {
    const reason = blocker.reason ? ` (${humanReason(blocker.reason)})` : '';
    const notEvaluated = keep(`not evaluated${reason}`);
    return blocker.needs ? joinParts([notEvaluated, `needs ${blocker.needs}`]) : notEvaluated;
  }
  const parts: string[] = [blocker.status === 'error' ? 'undecided (evaluation errors)' : 'fail'];
  if (blocker.passRate !== null) parts.push(`${percent(blocker.passRate)} pass, needs ${percent(blocker.threshold)}`);
  const errors = look.results.get(blocker.ruleId)?.counts.error ?? 0;
  if (errors > 0) parts.push(plural(errors, 'evaluation error'));
  const detail = joinParts(parts.map(keep));
  if (blocker.failingCount === 0) return detail;
  const shown = blocker.failing.slice(0, TABLE_LIMITS.failingNamesPerBlocker).map((id) => look.names.get(id) ?? id);
  const more = blocker.failingCount - shown.length;
  return `${joinParts([detail, keep(`${blocker.failingCount} failing:`)])} ${shown.join(', ')}${more > 0 ? ` ${keep(`+${more} more`)}` : ''}`;
}

function rowBlockers(pillarName: string, row: RowScore, paint: Painter, look: Lookup, width: number): string[] {
  const next = row.next;
  if (!next || next.blockers.length === 0) return [];
  const heading = `${pillarName} › ${row.name}: ${paint.stage(row.stage)} → ${paint.stage(next.stage)}`;
  const lines = wrap(heading, width, '    ', '      ');
  for (const blocker of next.blockers.slice(0, TABLE_LIMITS.blockersPerRow)) {
    lines.push(...wrap(`- ${blocker.ruleId} ${blocker.title}`, width, '      ', '        '));
    lines.push(...wrap(blockerDetail(blocker, look), width, '        ', '        '));
  }
  const hidden = next.blockers.length - TABLE_LIMITS.blockersPerRow;
  if (hidden > 0) lines.push(`      … and ${plural(hidden, 'more blocker')}`);
  return lines;
}

function nextStage(report: Report, paint: Painter, look: Lookup, width: number): string[] {
  const lines = ['To reach the next stage'];
  const fixes = report.score.nextSteps.slice(0, TABLE_LIMITS.fixes);
  if (fixes.length > 0) {
    lines.push('  Top fixes, most rows unlocked first:');
    fixes.forEach((fix, i) => lines.push(...wrap(fixLine(fix, i, look), width, '    ', '       ')));
    const hidden = report.score.nextSteps.length - fixes.length;
    if (hidden > 0) lines.push(`    … and ${plural(hidden, 'more fix', 'more fixes')}`);
  }
  const blockers = report.score.pillars.flatMap((pillar) =>
    pillar.rows.flatMap((row) => rowBlockers(pillar.name, row, paint, look, width)),
  );
  if (blockers.length > 0) lines.push('  Blockers, by pillar and row:', ...blockers);
  if (fixes.length === 0 && blockers.length === 0) lines.push('  No row has a recorded blocker for its next stage.');
  return lines;
}

function severityRank(finding: Finding, look: Lookup): number {
  const severity = look.rules.get(finding.ruleId)?.severity;
  return severity === undefined ? severityOrder.length : severityOrder.indexOf(severity);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function topFindings(report: Report, paint: Painter, look: Lookup, width: number): string[] {
  const failing = report.findings.filter((f) => f.status === 'fail' || f.status === 'error');
  if (failing.length === 0) return ['Findings', '  No failing findings.'];
  const sorted = [...failing].sort(
    (a, b) =>
      severityRank(a, look) - severityRank(b, look) ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.resource.id, b.resource.id),
  );
  const shown = sorted.slice(0, TABLE_LIMITS.findings);
  const head = ['Severity', 'Rule', 'Resource', 'Message'];
  const rows = shown.map((f) => {
    const severity = look.rules.get(f.ruleId)?.severity;
    const where = f.resource.file !== undefined ? `${f.resource.file}:${f.resource.line ?? 1}` : f.resource.source;
    const message =
      f.status === 'error'
        ? `evaluation error: ${f.error?.message ?? 'unknown'}${f.error ? ` (${f.error.code})` : ''}`
        : (f.message ?? '');
    return [severity ? paint.severity(severity) : '?', f.ruleId, `${f.resource.name}\n${where}`, message];
  });
  const columns = head.map((h, i) => [h, ...rows.map((r) => r[i] ?? '')]);
  const widths = columnWidths(columns, [10, 12, 14, 20], width);
  const table = newTable(head, widths, { rowRules: true });
  table.push(...rows);
  const title =
    failing.length > shown.length
      ? `Findings (${shown.length} of ${failing.length}, most severe first)`
      : `Findings (${failing.length}, most severe first)`;
  const lines = [title, ...table.toString().split('\n')];
  if (failing.length > shown.length) lines.push(`… and ${failing.length - shown.length} more (all are in --format json)`);
  return lines;
}

function collection(report: Report, paint: Painter, width: number): string[] {
  const { issues, coverage } = report.inventory;
  const incomplete = Object.keys(coverage)
    .sort()
    .flatMap((kind) => {
      const c = coverage[kind];
      return c && c.state !== 'complete' ? [{ kind, ...c }] : [];
    });
  if (issues.length === 0 && incomplete.length === 0) {
    return ['Collection', '  No collection issues; every collected kind is complete.'];
  }
  const lines: string[] = [];
  if (issues.length > 0) {
    lines.push('Collection issues');
    for (const issue of issues) {
      const kinds = issue.kinds.length > 0 ? `; kinds: ${issue.kinds.join(', ')}` : '';
      lines.push(...wrap(`${paint.issue(issue.severity)} ${issue.collector}: ${issue.message} [${issue.code}${kinds}]`, width, '  ', '    '));
    }
  }
  if (incomplete.length > 0) {
    lines.push('Incomplete coverage');
    for (const c of incomplete) {
      const reason = c.reason ? ` (${humanReason(c.reason)})` : '';
      lines.push(...wrap(`${c.kind}: ${c.state}${reason}${c.detail ? ` — ${c.detail}` : ''}`, width, '  ', '    '));
    }
  }
  return lines;
}

function summaryLine(report: Report, paint: Painter, look: Lookup, width: number): string[] {
  const failCounts = new Map<Severity, number>();
  let errors = 0;
  for (const f of report.findings) {
    if (f.status === 'error') errors++;
    if (f.status !== 'fail') continue;
    const severity = look.rules.get(f.ruleId)?.severity;
    if (severity) failCounts.set(severity, (failCounts.get(severity) ?? 0) + 1);
  }
  const failTotal = [...failCounts.values()].reduce((a, b) => a + b, 0);
  const bySeverity = severityOrder
    .filter((s) => (failCounts.get(s) ?? 0) > 0)
    .map((s) => keep(`${failCounts.get(s)} ${paint.severity(s)}`))
    .join(', ');
  const failing = failTotal === 0 ? 'no failing findings' : `${keep(plural(failTotal, 'failing finding'))} (${bySeverity})`;
  const statuses = report.summary.rulesByStatus;
  const statusKeys = [
    ...ruleStatusOrder.filter((k) => k in statuses),
    ...Object.keys(statuses)
      .filter((k) => !ruleStatusOrder.includes(k))
      .sort(),
  ];
  const rules = statusKeys
    .filter((k) => (statuses[k] ?? 0) > 0)
    .map((k) => keep(`${statuses[k]} ${k.replaceAll('_', ' ')}`))
    .join(', ');
  return wrap(
    `Summary: ${joinParts([failing, keep(plural(errors, 'evaluation error')), `rules: ${rules.length > 0 ? rules : 'none'}`])}`,
    width,
    '',
    '  ',
  );
}

/** The human report: pillar summary, what blocks the next stage, top findings, collection gaps. */
export function renderTable(report: Report, context: ReporterContext): string {
  const width = Number.isFinite(context.width) ? Math.max(MIN_WIDTH, Math.floor(context.width)) : 80;
  const paint = painter(new Chalk({ level: context.color ? 1 : 0 }));
  const look = lookup(report);
  const sections = [
    header(report, width),
    pillarSummary(report, paint, width),
    nextStage(report, paint, look, width),
    topFindings(report, paint, look, width),
    collection(report, paint, width),
    summaryLine(report, paint, look, width),
  ];
  return `${sections.map((lines) => lines.map((l) => l.trimEnd()).join('\n')).join('\n\n')}\n`;
}

export const tableReporter: Reporter = {
  id: 'table',
  render: renderTable,
};
