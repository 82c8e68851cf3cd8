import type { Finding } from '../model/finding.js';
import { sourceAsOfText, timeText } from '../text/as-of-text.js';
import type { Report } from '../model/report.js';
import { worstTargetFirst } from '../model/target-score.js';
import { evidenceShortfall, lacksEvidence, rollUpStageWords, type PillarScore, type StageEvidence } from '../model/scorecard.js';
import { severities } from '../model/severity.js';
import { stageOrder, type AssessedStage, stageWords } from '../model/ztmm.js';
import { esc, htmlPage } from '../output/html-page.js';
import { pagedTable, tableControls, type TableConfig, type TableRow, tableScript } from '../output/html-table.js';
import { compareStrings } from '../text/order.js';
import { scopeLines } from './scope-text.js';
import type { Reporter } from './types.js';

/**
 * The audit as one self-contained HTML page (see output/html-page.ts): the ZTMM stage of
 * every pillar drawn as a chart, every row with what blocks its next stage, the ranked
 * fixes, a sortable and filterable findings table, the rules, and what could not be
 * collected. A pure function of the report: same report, same bytes.
 */

/** Rows in the findings table: the most severe first; the JSON report holds them all. */
export const HTML_MAX_FINDINGS = 2000;

const stageColour = ['#c0392b', '#e67e22', '#2e86c1', '#1e8449'] as const;
const severityColour: Readonly<Record<string, string>> = { critical: '#7b241c', high: '#c0392b', medium: '#e67e22', low: '#2e86c1', info: '#7f8c8d' };
const score = (value: number | null): string => (value === null ? '—' : value.toFixed(2));
const stageIndex = (stage: AssessedStage): number => (stage === 'not_assessed' ? -1 : stageOrder.indexOf(stage));

/**
 * One line per pillar (and overall): four stage cells, solid up to the proven stage,
 * hatched up to the stage possible if the checks that could not run had passed.
 */
function stageChart(report: Report): string {
  const { overall, pillars } = report.score;
  const lines: { label: string; stage: AssessedStage; possible: AssessedStage; score: number | null; rows: string; evidence: StageEvidence }[] = [
    {
      label: 'Overall',
      stage: overall.stage,
      possible: overall.possibleStage,
      score: overall.score,
      rows: `${overall.rowsAssessed}/${overall.rowsTotal}`,
      evidence: overall.evidence,
    },
    ...pillars.map((p: PillarScore) => ({
      label: p.name,
      stage: p.stage,
      possible: p.possibleStage,
      score: p.score,
      rows: `${p.rowsAssessed}/${p.rowsTotal}`,
      evidence: p.evidence,
    })),
  ];
  const labelWidth = 190;
  const cell = 92;
  const height = 26;
  const gap = 8;
  const width = labelWidth + cell * 4 + 140;
  const top = 20;
  const total = top + lines.length * (height + gap) + 28;
  const parts: string[] = [
    `<svg id="chart-stages" class="chart" role="img" aria-labelledby="chart-stages-t" viewBox="0 0 ${width} ${total}" width="${width}" height="${total}">`,
    '<title id="chart-stages-t">CISA ZTMM v2.0 stage per pillar: solid is proven, hatched is possible once missing checks run</title>',
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef2f3"></rect><line x1="0" y1="0" x2="0" y2="6" stroke="#85929e" stroke-width="3"></line></pattern></defs>',
  ];
  stageOrder.forEach((stage, i) => {
    parts.push(`<text x="${labelWidth + i * cell + cell / 2}" y="12" text-anchor="middle" class="lgd">${stageWords[stage]}</text>`);
  });
  lines.forEach((line, i) => {
    const y = top + i * (height + gap);
    const proven = stageIndex(line.stage);
    const possible = stageIndex(line.possible);
    parts.push(`<g data-pillar="${esc(line.label)}" data-stage="${line.stage}"${lacksEvidence(line) ? ' data-evidence="insufficient"' : ''}>`);
    parts.push(`<text x="0" y="${y + 17}" class="lbl${i === 0 ? ' strong' : ''}">${esc(line.label)}</text>`);
    stageOrder.forEach((stage, s) => {
      const fill = s <= proven ? (stageColour[proven] as string) : s <= possible ? 'url(#hatch)' : '#f4f6f6';
      parts.push(
        `<rect x="${labelWidth + s * cell}" y="${y}" width="${cell - 3}" height="${height}" fill="${fill}" stroke="#d5dbdb"><title>${esc(`${line.label}: ${s <= proven ? 'proven' : s <= possible ? 'possible' : 'not reached'} ${stageWords[stage]}`)}</title></rect>`,
      );
    });
    // Progress within the stage: the score's fraction (0.60 vs 0.93 above Traditional) as a bar
    // in the next stage's cell, so two pillars at one stage look as far apart as they are.
    const progress = line.score === null || proven < 0 || proven >= stageOrder.length - 1 ? 0 : line.score - proven;
    if (progress > 0) {
      const next = stageOrder[proven + 1] as (typeof stageOrder)[number];
      const barWidth = Math.max(1, Math.round((cell - 3) * Math.min(1, progress)));
      parts.push(
        `<rect class="progress" x="${labelWidth + (proven + 1) * cell}" y="${y + height - 8}" width="${barWidth}" height="8" fill="${stageColour[proven] as string}"><title>${esc(`${line.label}: ${Math.round(progress * 100)}% of the way from ${stageWords[stageOrder[proven] as (typeof stageOrder)[number]]} to ${stageWords[next]}`)}</title></rect>`,
      );
    }
    const note = lacksEvidence(line)
      ? `insufficient evidence · rows ${line.rows}`
      : line.stage === 'not_assessed'
        ? 'not assessed'
        : `${score(line.score)} · rows ${line.rows}`;
    parts.push(`<text x="${labelWidth + cell * 4 + 8}" y="${y + 17}" class="num">${esc(note)}</text></g>`);
  });
  const ly = top + lines.length * (height + gap) + 14;
  parts.push(
    `<rect x="0" y="${ly - 10}" width="12" height="12" fill="${stageColour[1]}"></rect><text x="16" y="${ly}" class="lgd">proven by the evidence</text>`,
    `<rect x="180" y="${ly - 10}" width="12" height="12" fill="url(#hatch)"></rect><text x="196" y="${ly}" class="lgd">possible once the checks that could not run pass</text>`,
    '</svg>',
  );
  return parts.join('');
}

/** Why a pillar's or the overall stage is withheld (scoring.md §3), under the chart. */
function insufficientEvidence(report: Report): string {
  const { overall, pillars } = report.score;
  const short = [
    ...pillars.filter(lacksEvidence).map((p) => evidenceShortfall(p.name, p.evidence)),
    ...(lacksEvidence(overall) ? [evidenceShortfall('overall', overall.evidence)] : []),
  ];
  return short.length === 0 ? '' : `<p id="insufficient-evidence" class="muted">Insufficient evidence: ${esc(short.join('; '))}.</p>`;
}

function rowsTable(report: Report): string {
  const rows = report.score.pillars.flatMap((p) =>
    p.rows.map((r) => {
      const blockers = r.next?.blockers.map((b) => `<code>${esc(b.ruleId)}</code> ${esc(b.status.replace(/_/g, ' '))}`).join(', ') ?? '';
      return `<tr><td>${esc(p.name)}</td><td>${esc(r.name)}<br><span class="muted">${esc(r.id)}</span></td><td><span class="stage s-${r.stage}">${stageWords[r.stage]}</span></td><td>${r.possibleStage === r.stage ? '' : stageWords[r.possibleStage]}</td><td>${score(r.score)}</td><td>${r.next ? `${stageWords[r.next.stage]}: ${blockers || '—'}` : r.stage === 'optimal' ? 'at Optimal' : '—'}</td></tr>`;
    }),
  );
  return `<table id="rows"><thead><tr><th>Pillar</th><th>Row</th><th>Stage</th><th>Possible</th><th>Score</th><th>Blocking the next stage</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** With several targets: each account, cluster and tenant with its own pillar stages, worst (lowest score) first. */
function targetsTable(report: Report): string {
  const targets = report.targets ?? [];
  if (targets.length === 0) return '';
  const ordered = [...targets].sort(worstTargetFirst);
  const head = report.score.pillars.map((p) => `<th>${esc(p.name)}</th>`).join('');
  const rows = ordered.map((t) => {
    const cells = report.score.pillars.map((pillar) => {
      const p = t.pillars.find((x) => x.id === pillar.id);
      if (!p || p.rowsInScope === 0) return '<td class="muted">—</td>';
      if (p.stage === 'not_assessed' && p.rowsAssessed > 0) return `<td><span class="stage s-${p.assessedStage}">${stageWords[p.assessedStage]}</span>*</td>`;
      return `<td><span class="stage s-${p.stage}">${stageWords[p.stage]}</span></td>`;
    });
    const gaps = t.incompleteKinds.length === 0 ? '' : esc(t.incompleteKinds.join(', '));
    return `<tr><td><code>${esc(t.source)}</code></td>${cells.join('')}<td>${score(t.overall.score)}</td><td>${t.findingsBySeverity.critical} / ${t.findingsBySeverity.high}</td><td>${gaps}</td></tr>`;
  });
  return `<h2>Targets</h2>
<p class="muted">Each account, cluster and tenant judged on its own resources, worst first. * too few rows to claim the stage (insufficient evidence); — no rule of this target's kinds evidences the pillar.</p>
<table id="targets"><thead><tr><th>Target</th>${head}<th>Score</th><th>Critical / high</th><th>Not read completely</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function nextStepsList(report: Report): string {
  const titles = new Map(report.rules.map((r) => [r.id, r.title]));
  const items = report.score.nextSteps.slice(0, 15).map((fix) => {
    const target = fix.resourceId ? ` on <code>${esc(fix.resourceId)}</code>` : '';
    const effect = fix.unlocks.length > 0 ? `unlocks ${esc(fix.unlocks.join(', '))}` : `helps ${esc(fix.contributesTo.join(', '))}`;
    return `<li>Fix <code>${esc(fix.ruleId)}</code> ${esc(titles.get(fix.ruleId) ?? '')}${target} — ${effect}</li>`;
  });
  return items.length > 0 ? `<ol id="next-steps">${items.join('')}</ol>` : '<p>Nothing ranked: every assessed row is at Optimal or has no rule for its next stage.</p>';
}

function findingsTable(report: Report): { html: string; shown: number; total: number } {
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const rank = (f: Finding) => severities.indexOf(rules.get(f.ruleId)?.severity ?? 'info');
  const listed = report.findings.filter((f) => f.status !== 'pass');
  const sorted = [...listed].sort((a, b) => rank(a) - rank(b) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.resource.id, b.resource.id));
  const shown = sorted.slice(0, HTML_MAX_FINDINGS);
  const rows: TableRow[] = shown.map((f) => {
    const rule = rules.get(f.ruleId);
    const severity = rule?.severity ?? 'info';
    const text = f.message ?? f.error?.message ?? (f.waiver ? `waived: ${f.waiver.reason}` : '');
    // What to do, for a finding that is a verdict (an evaluation error is not one).
    const fixable = f.status === 'fail' || f.status === 'waived';
    const remediation = rule?.remediation ?? '';
    const where = `${f.resource.kind} · ${f.resource.source}${f.resource.file ? ` · ${f.resource.file}${f.resource.line ? `:${f.resource.line}` : ''}` : ''}`;
    return {
      attrs: { severity, pillar: rule?.pillar ?? '', status: f.status },
      text: [f.ruleId, rule?.title ?? '', severity, f.status, rule?.pillar ?? '', f.resource.kind, f.resource.name, f.resource.id, text].join(' '),
      cells: [
        { col: 'severity', sort: String(severities.length - severities.indexOf(severity)), html: `<span class="badge" style="background:${severityColour[severity] ?? '#999'}">${severity}</span>` },
        { col: 'status', sort: f.status, html: f.status },
        { col: 'rule', sort: f.ruleId, html: `<code>${esc(f.ruleId)}</code><br><span class="muted">${esc(rule?.title ?? '')}</span>` },
        { col: 'resource', sort: f.resource.name.toLowerCase(), html: `${esc(f.resource.name)}<br><span class="muted">${esc(where)}</span>` },
        { col: 'message', sort: text.toLowerCase(), html: esc(text) },
        { col: 'remediation', sort: fixable ? remediation.toLowerCase() : '', html: fixable ? esc(remediation) : '' },
      ],
    };
  });
  const headers = [
    ['severity', 'Severity'],
    ['status', 'Status'],
    ['rule', 'Rule'],
    ['resource', 'Resource'],
    ['message', 'Message'],
    ['remediation', 'Remediation'],
  ] as const;
  const options = (values: readonly string[]) => values.map((v) => `<option value="${esc(v)}">${esc(v.replace(/_/g, ' '))}</option>`).join('');
  const pillars = report.score.pillars.map((p) => p.id);
  const statuses = [...new Set(listed.map((f) => f.status))].sort();
  const html = `${tableControls(
    'Filter: words match rule, resource, message…',
    `<select id="severity" aria-label="Severity"><option value="">Any severity</option>${options(severities)}</select>
<select id="pillar" aria-label="Pillar"><option value="">All pillars</option>${options(pillars)}</select>
<select id="status" aria-label="Status"><option value="">Any status</option>${options(statuses)}</select>`,
    `${shown.length} findings`,
  )}
${pagedTable(TABLE, headers, rows)}`;
  return { html, shown: shown.length, total: listed.length };
}

function rulesTable(report: Report): string {
  const results = new Map(report.ruleResults.map((r) => [r.ruleId, r]));
  const rows = report.rules.map((rule) => {
    const r = results.get(rule.id);
    const counts = r ? `${r.counts.pass} pass · ${r.counts.fail} fail${r.counts.error ? ` · ${r.counts.error} error` : ''}${r.counts.waived ? ` · ${r.counts.waived} waived` : ''}` : '';
    return `<tr><td><code>${esc(rule.id)}</code></td><td>${esc(rule.title)}</td><td>${esc(rule.pillar)}</td><td>${rule.severity}</td><td class="st-${r?.status ?? ''}">${esc((r?.status ?? '').replace(/_/g, ' '))}${r?.notEvaluatedReason ? ` <span class="muted">(${esc(r.notEvaluatedReason.replace(/_/g, ' '))})</span>` : ''}</td><td>${esc(counts)}</td></tr>`;
  });
  return `<table id="rules"><thead><tr><th>Rule</th><th>Title</th><th>Pillar</th><th>Severity</th><th>Status</th><th>Resources</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function collection(report: Report): string {
  const { inventory } = report;
  const sources = inventory.sources.map((s) => `<li>${esc(s.collector)}: ${esc(s.source)} (${esc(s.mode)}${esc(sourceAsOfText(s.asOf))})</li>`).join('');
  const gaps = Object.entries(inventory.coverage)
    .filter(([, c]) => c.state !== 'complete')
    .map(([kind, c]) => `<tr><td><code>${esc(kind)}</code></td><td>${esc(c.state)}</td><td>${esc((c.reason ?? '').replace(/_/g, ' '))}</td></tr>`)
    .join('');
  const issues = inventory.issues.map((i) => `<li>${esc(i.severity)}: ${esc(i.collector)}: ${esc(i.message)}</li>`).join('');
  return `<ul>${sources}</ul>
${gaps ? `<table id="coverage"><thead><tr><th>Kind</th><th>Coverage</th><th>Why</th></tr></thead><tbody>${gaps}</tbody></table>` : '<p>Every kind read completely.</p>'}
${issues ? `<ul id="issues">${issues}</ul>` : ''}`;
}

/** Audit-only CSS on top of BASE_STYLE. */
const STYLE = `
svg.chart .strong { font-weight: 700; }
.stage { border-radius: 3px; padding: 1px 6px; font-size: 12px; font-weight: 600; color: #fff; background: #aab2bd; }
.stage.s-traditional { background: #c0392b; } .stage.s-initial { background: #e67e22; } .stage.s-advanced { background: #2e86c1; } .stage.s-optimal { background: #1e8449; }
#findings { table-layout: fixed; }
#findings th:nth-child(1) { width: 8%; } #findings th:nth-child(2) { width: 7%; } #findings th:nth-child(3) { width: 22%; } #findings th:nth-child(4) { width: 23%; }
.st-fail, .st-error { color: #c0392b; font-weight: 600; } .st-not_evaluated { color: #9a7d0a; }
code { font-size: 12px; }
`;

const TABLE: TableConfig = { table: 'findings', noun: 'findings', selects: ['severity', 'pillar', 'status'], descFirst: ['severity'], pageSize: 100 };
const SCRIPT = tableScript(TABLE);

export function renderHtml(report: Report): string {
  const { overall } = report.score;
  const s = report.summary;
  const findings = findingsTable(report);
  const cards = [
    ['Overall stage', rollUpStageWords(overall)],
    ['Score', `${score(overall.score)} / 3.00`],
    ['Rows assessed', `${overall.rowsAssessed} / ${overall.rowsTotal}`],
    ['Critical + high', s.findingsBySeverity.critical + s.findingsBySeverity.high],
    ['All failing', severities.reduce((n, sev) => n + s.findingsBySeverity[sev], 0)],
    ['Waived', s.waivedFindings],
  ]
    .map(([k, v]) => `<div class="card"><span class="muted">${esc(String(k))}</span><b>${esc(String(v))}</b></div>`)
    .join('');
  const scoped = scopeLines(report);
  const body = `<h1>zt audit: ${rollUpStageWords(overall)} (${score(overall.score)} / 3.00)</h1>
${scoped.length === 0 ? '' : `<p class="scoped"><b>Scoped audit, not the whole posture:</b> ${scoped.map(esc).join('; ')}.</p>\n`}<p class="muted">CISA ZTMM v${esc(report.score.model.version)}, ZTMM-aligned estimate · facts as collected at ${esc(timeText(report.inventory.collectedAt))} · ${report.inventory.resourceCount} resources · ${report.rules.length} rules · zt ${esc(report.tool.version)}</p>
<div class="cards">${cards}</div>
<h2>ZTMM stage by pillar</h2>
<figure>${stageChart(report)}</figure>
${insufficientEvidence(report)}
${targetsTable(report)}
<h2>To reach the next stage</h2>
${nextStepsList(report)}
<h2>Rows</h2>
${rowsTable(report)}
<h2>Findings</h2>
${findings.shown < findings.total ? `<p class="muted">The ${findings.shown} most severe of ${findings.total} findings; the JSON report holds them all.</p>` : ''}
${findings.html}
<h2>Rules</h2>
${rulesTable(report)}
<h2>Collection</h2>
${collection(report)}`;
  return htmlPage({ title: `zt audit — ${timeText(report.inventory.collectedAt)}`, generator: `zt ${report.tool.version}`, style: STYLE, body, script: SCRIPT });
}

export const htmlReporter: Reporter = {
  id: 'html',
  render: (report) => renderHtml(report),
};
