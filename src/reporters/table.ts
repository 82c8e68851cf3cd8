import { Chalk, type ChalkInstance } from 'chalk';
import { sourceAsOfText, timeText } from '../text/as-of-text.js';
import type { CollectionIssue } from '../model/coverage.js';
import type { Finding, RuleResult } from '../model/finding.js';
import { silentSources, type Report, type ReportRule } from '../model/report.js';
import { worstTargetFirst } from '../model/target-score.js';
import { evidenceShortfall, lacksEvidence, rollUpStageWords, type Blocker, type RankedFix, type RowScore, type StageEvidence } from '../model/scorecard.js';
import { severities, severityRank } from '../model/severity.js';
import type { Severity } from '../model/severity.js';
import { type AssessedStage, stageWords } from '../model/ztmm.js';
import { terminalTexts } from '../text/terminal-text.js';
import { cellWidth, drawTable, fitColumns, keep, wrap, wrapCell } from '../output/text-table.js';
import { scopeLines } from './scope-text.js';
import type { Reporter, ReporterContext } from './types.js';

/** How many ranked fixes, blockers per row and findings the table shows; JSON has them all. */
export const TABLE_LIMITS = {
  fixes: 10,
  blockersPerRow: 5,
  /** Rules shown in the findings-by-rule table (--details lists every finding). */
  findingRules: 15,
  /** Resource names shown per rule there. */
  namesPerRule: 3,
  failingNamesPerBlocker: 3,
  unevaluatedIdsShown: 6,
} as const;

/** Narrower terminals get this width (the table stays readable rather than collapsing). */
const MIN_WIDTH = 60;
/** Wider terminals are not filled: lines longer than this are hard to read. */
const MAX_WIDTH = 120;


const ruleStatusOrder = ['pass', 'fail', 'error', 'not_evaluated', 'not_applicable'];

interface Painter {
  severity(severity: Severity, text?: string): string;
  stage(stage: AssessedStage): string;
  /** A pillar's or the overall stage: "Insufficient evidence" ("Insufficient" in the pillar table's cell) when it is withheld. */
  rollUp(rollUp: { readonly stage: AssessedStage; readonly evidence: StageEvidence }, short?: boolean): string;
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
    rollUp: (rollUp, short = false) => stageColour[rollUp.stage](short && lacksEvidence(rollUp) ? 'Insufficient' : rollUpStageWords(rollUp)),
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

function humanReason(reason: string): string {
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
  /** Rule id → its status as a next-stage blocker (the first row that lists it). */
  readonly blocking: ReadonlyMap<string, Blocker['status']>;
}

function lookup(report: Report): Lookup {
  const names = new Map<string, string>();
  for (const f of report.findings) if (!names.has(f.resource.id)) names.set(f.resource.id, f.resource.name);
  const blocking = new Map<string, Blocker['status']>();
  for (const pillar of report.score.pillars) {
    for (const row of pillar.rows) {
      for (const b of row.next?.blockers ?? []) if (!blocking.has(b.ruleId)) blocking.set(b.ruleId, b.status);
    }
  }
  return {
    rules: new Map(report.rules.map((r) => [r.id, r])),
    results: new Map(report.ruleResults.map((r) => [r.ruleId, r])),
    names,
    blocking,
  };
}

/** Widths for a table whose columns hold `columns` texts (padding 2 per cell, borders n+1). */
function columnWidths(columns: readonly string[][], minimum: readonly number[], width: number): number[] {
  const natural = columns.map((texts) => Math.max(0, ...texts.map(cellWidth)) + 2);
  return fitColumns(natural, minimum, width - (columns.length + 1));
}

function header(report: Report, width: number): string[] {
  const { tool, inventory, score } = report;
  const sources = inventory.sources.map((s) => `${s.source} (${s.collector}, ${s.mode}${sourceAsOfText(s.asOf)})`).join(', ');
  return [
    ...wrap(`${tool.name} ${tool.version} · CISA ZTMM v${score.model.version} — ZTMM-aligned estimate`, width),
    ...wrap(
      `Collected ${timeText(inventory.collectedAt)} · ${plural(inventory.resourceCount, 'resource')} · ${plural(report.rules.length, 'rule')}`,
      width,
    ),
    ...wrap(`Sources: ${sources.length > 0 ? sources : 'none'}`, width, '', '  '),
  ];
}

/** A scoped run says so before any score: it must not read as the whole posture. */
function scopeSection(report: Report, width: number): string[] {
  const lines = scopeLines(report);
  if (lines.length === 0) return [];
  return ['Scoped audit — not the whole posture', ...lines.flatMap((line) => wrap(`- ${line}`, width, '  ', '    '))];
}

function pillarSummary(report: Report, paint: Painter, width: number): string[] {
  const { pillars, overall } = report.score;
  const head = ['Pillar', 'Proven stage', 'Possible', 'Score', 'Rows'];
  const rows = pillars.map((p) => [
    p.name,
    paint.rollUp(p, true),
    p.possibleStage === p.stage ? '' : paint.stage(p.possibleStage),
    formatScore(p.score),
    `${p.rowsAssessed}/${p.rowsTotal}`,
  ]);
  const columns = head.map((h, i) => [h, ...rows.map((r) => r[i] ?? '')]);
  const options = { colAligns: ['left', 'left', 'left', 'right', 'right'] as ('left' | 'right')[], rowRules: false };
  const widths = columnWidths(columns, [10, 14, 14, 7, 7], width);
  const lines = filledTable(head, rows, widths, options);
  const possible = overall.possibleStage === overall.stage ? '' : ` (possible: ${paint.stage(overall.possibleStage)})`;
  const coverage = Math.round(overall.coverage * 100);
  return [
    'ZTMM pillars',
    ...lines,
    ...wrap(
      `Overall: ${paint.rollUp(overall)}${possible} · score ${formatScore(overall.score)} · ` +
        `${overall.rowsAssessed}/${overall.rowsTotal} rows assessed (${coverage}%)`,
      width,
      '',
      '  ',
    ),
    ...insufficientEvidence(report, paint, width),
  ];
}

/** Targets shown in the table; the rest are in the JSON and HTML reports. */
const TARGETS_SHOWN = 15;

/** With several targets (accounts, clusters, tenants): each one's own pillar stages, worst first. */
function targetSummary(report: Report, paint: Painter, width: number): string[] {
  const targets = report.targets ?? [];
  if (targets.length === 0) return [];
  const names = new Map(report.score.pillars.map((p) => [p.id, p.name.split(' ')[0] ?? p.id]));
  const shown = [...targets].sort(worstTargetFirst).slice(0, TARGETS_SHOWN);
  const lines = [`Targets (${targets.length}, worst first; each judged on its own resources)`];
  for (const t of shown) {
    const { critical, high } = t.findingsBySeverity;
    const gaps = t.incompleteKinds.length === 0 ? '' : ` · ${plural(t.incompleteKinds.length, 'kind')} not read completely`;
    lines.push(...wrap(`${t.source} — score ${formatScore(t.overall.score)} · ${critical} critical, ${high} high${gaps}`, width, '  ', '    '));
    const pillars = t.pillars
      .filter((p) => p.rowsInScope > 0)
      // Withheld for too little evidence: the stage its rows prove, marked; nothing assessed: not assessed.
      .map((p) => `${names.get(p.id) ?? p.id} ${p.stage === 'not_assessed' && p.rowsAssessed > 0 ? `${paint.stage(p.assessedStage)}*` : paint.stage(p.stage)}`);
    lines.push(...wrap(pillars.length > 0 ? pillars.join(' · ') : 'no pillar assessed', width, '    ', '    '));
  }
  const more = targets.length - shown.length;
  lines.push(...wrap(`* too few rows to claim the stage (insufficient evidence).${more > 0 ? ` ${more} more target(s) in the JSON and HTML reports.` : ''}`, width, '', '  '));
  return lines;
}

function insufficientEvidence(report: Report, paint: Painter, width: number): string[] {
  const { pillars, overall } = report.score;
  const short = [
    ...pillars.filter(lacksEvidence).map((p) => evidenceShortfall(p.name, p.evidence, (s) => paint.stage(s))),
    ...(lacksEvidence(overall) ? [evidenceShortfall('overall', overall.evidence, (s) => paint.stage(s))] : []),
  ];
  return short.length === 0 ? [] : wrap(`Insufficient evidence: ${short.join('; ')}.`, width, '', '  ');
}

function fixLine(fix: RankedFix, index: number, look: Lookup): string {
  const title = look.rules.get(fix.ruleId)?.title;
  const rule = title ? `${fix.ruleId} (${title})` : fix.ruleId;
  const whole: Readonly<Record<Blocker['status'], string>> = {
    fail: `Fix ${rule} on every failing resource`,
    error: `Fix ${rule}: its failures and evaluation errors`,
    not_evaluated: `Let ${rule} run: collect the data it needs`,
  };
  const target =
    fix.resourceId === undefined
      ? whole[look.blocking.get(fix.ruleId) ?? 'fail']
      : `Fix ${look.names.get(fix.resourceId) ?? fix.resourceId} for ${rule}`;
  const effects = [
    ...(fix.unlocks.length > 0 ? [`unlocks ${fix.unlocks.join(', ')}`] : []),
    ...(fix.contributesTo.length > 0 ? [`helps ${fix.contributesTo.join(', ')}`] : []),
  ];
  return `${index + 1}. ${target}${effects.length > 0 ? ` — ${effects.join('; ')}` : ''}`;
}

function blockerDetail(blocker: Blocker, look: Lookup): string {
  if (blocker.status === 'not_evaluated') {
    const reason = blocker.reason ? ` (${humanReason(blocker.reason)})` : '';
    const notEvaluated = keep(`not evaluated${reason}`);
    return blocker.needs ? joinParts([notEvaluated, `needs: ${blocker.needs}`]) : notEvaluated;
  }
  // failingCount counts failures and evaluation errors; `failing` lists the failures only.
  const counts = look.results.get(blocker.ruleId)?.counts;
  const errors = counts?.error ?? 0;
  const fails = counts?.fail ?? blocker.failingCount;
  const parts: string[] = [blocker.status === 'error' ? 'undecided (evaluation errors)' : 'fail'];
  if (blocker.passRate !== null) parts.push(`${percent(blocker.passRate)} pass, needs ${percent(blocker.threshold)}`);
  if (errors > 0) parts.push(plural(errors, 'evaluation error'));
  const detail = joinParts(parts.map(keep));
  if (fails === 0) return detail;
  const shown = blocker.failing.slice(0, TABLE_LIMITS.failingNamesPerBlocker).map((id) => look.names.get(id) ?? id);
  const more = fails - shown.length;
  const names = shown.length > 0 ? ` ${shown.join(', ')}${more > 0 ? ` ${keep(`+${more} more`)}` : ''}` : '';
  return joinParts([detail, `${keep(`${fails} failing${names ? ':' : ''}`)}${names}`]);
}

/** The fail and error blockers of a row (checks that could not run are grouped separately). */
function rowBlockers(pillarName: string, row: RowScore, paint: Painter, look: Lookup, width: number): string[] {
  const next = row.next;
  const decided = (next?.blockers ?? []).filter((b) => b.status !== 'not_evaluated');
  if (!next || decided.length === 0) return [];
  const heading = `${pillarName} › ${row.name}: ${paint.stage(row.stage)} → ${paint.stage(next.stage)}`;
  const lines = wrap(heading, width, '    ', '      ');
  for (const blocker of decided.slice(0, TABLE_LIMITS.blockersPerRow)) {
    lines.push(...wrap(`- ${blocker.ruleId} ${blocker.title}`, width, '      ', '        '));
    lines.push(...wrap(blockerDetail(blocker, look), width, '        ', '        '));
  }
  const hidden = decided.length - TABLE_LIMITS.blockersPerRow;
  if (hidden > 0) lines.push(`      … and ${plural(hidden, 'more blocker')}`);
  const unknown = next.blockers.length - decided.length;
  if (unknown > 0) lines.push(`      - and ${plural(unknown, 'check')} that could not run (below)`);
  return lines;
}

/** Shows at most `limit` items, then "+N more". */
function someOf(items: readonly string[], limit: number): string {
  const more = items.length - limit;
  return `${items.slice(0, limit).join(', ')}${more > 0 ? `, ${keep(`+${more} more`)}` : ''}`;
}

/**
 * Checks that could not run, grouped by what they need: when a whole source is missing,
 * one line says so instead of one blocker per rule and row.
 */
function unevaluated(report: Report, width: number): string[] {
  const groups = new Map<string, { reason?: string; needs?: string; rules: Set<string>; rows: Set<string> }>();
  for (const pillar of report.score.pillars) {
    for (const row of pillar.rows) {
      for (const b of row.next?.blockers ?? []) {
        if (b.status !== 'not_evaluated') continue;
        const key = `${b.needs ?? ''}\u0000${b.reason ?? ''}`;
        const group = groups.get(key) ?? {
          ...(b.reason ? { reason: b.reason } : {}),
          ...(b.needs ? { needs: b.needs } : {}),
          rules: new Set<string>(),
          rows: new Set<string>(),
        };
        group.rules.add(b.ruleId);
        group.rows.add(row.id);
        groups.set(key, group);
      }
    }
  }
  if (groups.size === 0) return [];
  const lines = ['  Checks that could not run, by what they need:'];
  const sorted = [...groups.values()].sort((a, b) => b.rules.size - a.rules.size || compareText(a.needs ?? '', b.needs ?? ''));
  for (const g of sorted) {
    const reason = g.reason ? ` (${humanReason(g.reason)})` : '';
    lines.push(...wrap(`- ${g.needs ?? 'data that was not collected'}${reason}`, width, '    ', '      '));
    const rules = [...g.rules].sort(compareText);
    const rows = [...g.rows].sort(compareText);
    const detail = joinParts([
      `${keep(`${plural(rules.length, 'rule')}:`)} ${someOf(rules, TABLE_LIMITS.unevaluatedIdsShown)}`,
      `${keep(`${rows.length === 1 ? 'row' : `${rows.length} rows`}:`)} ${someOf(rows, TABLE_LIMITS.unevaluatedIdsShown)}`,
    ]);
    lines.push(...wrap(detail, width, '      ', '        '));
  }
  return lines;
}

function nextStage(report: Report, paint: Painter, look: Lookup, width: number): string[] {
  const lines = ['To reach the next stage'];
  const fixes = report.score.nextSteps.slice(0, TABLE_LIMITS.fixes);
  if (fixes.length > 0) {
    lines.push('  Top fixes, most rows unlocked first:');
    fixes.forEach((fix, i) => {
      const number = `${i + 1}. `;
      lines.push(...wrap(fixLine(fix, i, look), width, '    ', ' '.repeat(4 + number.length)));
    });
    const hidden = report.score.nextSteps.length - fixes.length;
    if (hidden > 0) lines.push(`    … and ${plural(hidden, 'more fix', 'more fixes')}`);
  }
  const blockers = report.score.pillars.flatMap((pillar) =>
    pillar.rows.flatMap((row) => rowBlockers(pillar.name, row, paint, look, width)),
  );
  if (blockers.length > 0) lines.push('  Blockers, by pillar and row:', ...blockers);
  const unknown = unevaluated(report, width);
  lines.push(...unknown);
  if (fixes.length === 0 && blockers.length === 0 && unknown.length === 0) {
    lines.push('  No row has a recorded blocker for its next stage.');
  }
  return lines;
}

function findingSeverityRank(finding: Finding, look: Lookup): number {
  const severity = look.rules.get(finding.ruleId)?.severity;
  return severity === undefined ? severities.length : severityRank(severity);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A table whose cells are wrapped to their columns, so nothing is cut: identifiers break at their separators. */
function filledTable(head: string[], rows: readonly string[][], widths: number[], options: { colAligns?: ('left' | 'right')[]; rowRules: boolean }): string[] {
  const wrapped = rows.map((row) => row.map((cell, i) => wrapCell(cell, (widths[i] ?? 3) - 2)));
  return drawTable(head, wrapped, widths, { rowRules: options.rowRules, ...(options.colAligns ? { aligns: options.colAligns } : {}) });
}

function failingFindings(report: Report, look: Lookup): Finding[] {
  return report.findings
    .filter((f) => f.status === 'fail' || f.status === 'error')
    .sort(
      (a, b) =>
        findingSeverityRank(a, look) - findingSeverityRank(b, look) ||
        compareText(a.ruleId, b.ruleId) ||
        compareText(a.resource.id, b.resource.id),
    );
}

/** What one finding says: its message, or its evaluation error. */
function findingText(f: Finding): string {
  return f.status === 'error' ? `evaluation error: ${f.error?.message ?? 'unknown'}${f.error ? ` (${f.error.code})` : ''}` : (f.message ?? '');
}

/**
 * Failing findings grouped by rule, worst first (severity, then most findings): one row per
 * rule with its count and the first resources, so a long audit reads at a glance.
 */
function findingsByRule(report: Report, paint: Painter, look: Lookup, width: number): string[] {
  const failing = failingFindings(report, look);
  if (failing.length === 0) return ['Findings', '  No failing findings.'];
  const groups = new Map<string, Finding[]>();
  for (const f of failing) groups.set(f.ruleId, [...(groups.get(f.ruleId) ?? []), f]);
  const ordered = [...groups.entries()].sort(
    ([a, fa], [b, fb]) =>
      findingSeverityRank(fa[0] as Finding, look) - findingSeverityRank(fb[0] as Finding, look) || fb.length - fa.length || compareText(a, b),
  );
  const shown = ordered.slice(0, TABLE_LIMITS.findingRules);
  const head = ['Severity', 'Rule', 'Failing', 'What and where'];
  const rows = shown.map(([ruleId, findings]) => {
    const severity = look.rules.get(ruleId)?.severity;
    const errors = findings.filter((f) => f.status === 'error').length;
    const count = errors > 0 ? `${findings.length}\n${plural(errors, 'error')}` : String(findings.length);
    const names = findings.map((f) => f.resource.name);
    const title = look.rules.get(ruleId)?.title ?? '';
    return [severity ? paint.severity(severity) : '?', ruleId, count, `${title}\n${someOf(names, TABLE_LIMITS.namesPerRule)}`];
  });
  const columns = head.map((h, i) => [h, ...rows.map((r) => r[i] ?? '')]);
  const widths = columnWidths(columns, [10, 12, 9, 24], width);
  const lines = [
    ...wrap(`Findings by rule (${plural(failing.length, 'failing finding')} of ${plural(groups.size, 'rule')}, most severe first)`, width, '', '  '),
    ...filledTable(head, rows, widths, { colAligns: ['left', 'left', 'right', 'left'], rowRules: true }),
  ];
  const hidden = ordered.length - shown.length;
  const more = hidden > 0 ? `… and ${plural(hidden, 'more rule')} (--details lists every finding; all are in --format json)` : '--details lists every finding with its message.';
  return [...lines, ...wrap(more, width, '', '  ')];
}

/** --details: every failing finding with its resource, where it is and its message. */
function everyFinding(report: Report, paint: Painter, look: Lookup, width: number): string[] {
  const failing = failingFindings(report, look);
  if (failing.length === 0) return ['Findings', '  No failing findings.'];
  const head = ['Severity', 'Rule', 'Resource', 'Message'];
  const rows = failing.map((f) => {
    const severity = look.rules.get(f.ruleId)?.severity;
    const where = f.resource.file !== undefined ? `${f.resource.file}:${f.resource.line ?? 1}` : f.resource.source;
    return [severity ? paint.severity(severity) : '?', f.ruleId, `${f.resource.name}\n${where}`, findingText(f)];
  });
  const columns = head.map((h, i) => [h, ...rows.map((r) => r[i] ?? '')]);
  const widths = columnWidths(columns, [10, 12, 12, 20], width);
  return [...wrap(`Findings (${failing.length}, most severe first)`, width), ...filledTable(head, rows, widths, { rowRules: true })];
}

function collection(report: Report, paint: Painter, width: number): string[] {
  const { issues, coverage } = report.inventory;
  const empty = silentSources(report);
  const notComplete = Object.keys(coverage)
    .sort()
    .flatMap((kind) => {
      const c = coverage[kind];
      return c && c.state !== 'complete' ? [{ kind, ...c }] : [];
    });
  // A component the source does not run (a mesh, a CNI's CRDs) is an answer, not a gap: one line for all.
  const notInstalled = notComplete.filter((c) => c.reason === 'not_installed');
  const incomplete = notComplete.filter((c) => c.reason !== 'not_installed');
  if (issues.length === 0 && incomplete.length === 0 && empty.length === 0) {
    if (notInstalled.length > 0) return ['Collection', '  No collection issues; every collected kind is complete.', ...notInstalledLines(notInstalled, width)];
    return ['Collection', '  No collection issues; every collected kind is complete.'];
  }
  const lines: string[] = [];
  if (empty.length > 0) {
    lines.push('Sources that returned nothing (the audit is incomplete)');
    for (const s of empty) lines.push(...wrap(`${paint.issue('error')} ${s.source} (${s.collector}, ${s.mode})`, width, '  ', '    '));
  }
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
  lines.push(...notInstalledLines(notInstalled, width));
  return lines;
}

/** Kinds whose component the source does not run, grouped by what the collector said about it. */
function notInstalledLines(kinds: readonly { readonly kind: string; readonly detail?: string }[], width: number): string[] {
  if (kinds.length === 0) return [];
  const byDetail = new Map<string, string[]>();
  for (const k of kinds) byDetail.set(k.detail ?? '', [...(byDetail.get(k.detail ?? '') ?? []), k.kind]);
  const lines = ['Not installed in the source (their rules are not evaluated)'];
  for (const [detail, list] of byDetail) lines.push(...wrap(`${list.join(', ')}${detail ? ` — ${detail}` : ''}`, width, '  ', '    '));
  return lines;
}

/** Accepted risks: how many findings are waived, and waivers that need attention. */
function waivers(report: Report, paint: Painter, width: number): string[] {
  const { applied, expired, unused, file } = report.waivers;
  if (applied === 0 && expired.length === 0 && unused.length === 0) return [];
  const lines = [`Waivers${file ? ` (${file})` : ''}: ${plural(applied, 'finding')} waived`];
  for (const w of expired) {
    const at = w.line !== undefined ? ` (line ${w.line})` : '';
    lines.push(
      ...wrap(
        `${paint.issue('error')} expired ${w.expires}${at}: ${w.rule} ${w.resource} — owner ${w.owner}; ${plural(w.matched, 'finding')} no longer waived`,
        width,
        '  ',
        '    ',
      ),
    );
  }
  for (const w of unused) {
    const at = w.line !== undefined ? ` (line ${w.line})` : '';
    lines.push(...wrap(`${paint.issue('warning')} unused${at}: ${w.rule} ${w.resource} matches no failing finding — owner ${w.owner}`, width, '  ', '    '));
  }
  return lines;
}

function summaryLine(report: Report, paint: Painter, width: number): string[] {
  const bySeverity = report.summary.findingsBySeverity;
  const failTotal = severities.reduce((sum, s) => sum + (bySeverity[s] ?? 0), 0);
  const counts = severities
    .filter((s) => (bySeverity[s] ?? 0) > 0)
    .map((s) => keep(`${bySeverity[s]} ${paint.severity(s)}`))
    .join(', ');
  const failing = failTotal === 0 ? 'no failing findings' : `${keep(plural(failTotal, 'failing finding'))} (${counts})`;
  const errors = report.findings.filter((f) => f.status === 'error').length;
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
export function renderTable(untrusted: Report, context: ReporterContext): string {
  // Report strings come from the audited systems (names, messages): no control character reaches the terminal.
  const report = terminalTexts(untrusted);
  const width = Number.isFinite(context.width) ? Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.floor(context.width))) : 80;
  const paint = painter(new Chalk({ level: context.color ? 1 : 0 }));
  const look = lookup(report);
  const sections = [
    header(report, width),
    scopeSection(report, width),
    pillarSummary(report, paint, width),
    targetSummary(report, paint, width),
    nextStage(report, paint, look, width),
    context.details === true ? everyFinding(report, paint, look, width) : findingsByRule(report, paint, look, width),
    collection(report, paint, width),
    waivers(report, paint, width),
    summaryLine(report, paint, width),
  ].filter((lines) => lines.length > 0);
  return `${sections.map((lines) => lines.map((l) => l.trimEnd()).join('\n')).join('\n\n')}\n`;
}

export const tableReporter: Reporter = {
  id: 'table',
  render: renderTable,
};
