import { esc, htmlPage } from '../output/html-page.js';
import { pagedTable, tableControls, type TableConfig, type TableRow, tableScript } from '../output/html-table.js';
import { sourceAsOfText, timeText } from '../text/as-of-text.js';
import type { Evidence, EvidenceDecision } from './evidence.js';
import { scopeText } from './scope.js';
import type { Progress } from './status.js';

/**
 * The sign-off evidence as one self-contained HTML page (html-page.ts: no fetch, works
 * from disk, printable): the campaign's scope and sources, its counts, every decision (a
 * paged, sortable table whose first page is plain HTML; every row travels in the page),
 * the changes to carry out, the revocations verified, and the SHA-256 of every file it
 * rests on. Its own hash is in the manifest beside it.
 */

const STYLE = `
.state { font-weight: 600; } .state-open { color: #b9770e; } .state-decided { color: #1e8449; }
.d-revoke { color: #c0392b; font-weight: 600; } .d-modify { color: #b9770e; font-weight: 600; } .d-keep { color: #1e8449; }
.s-still_present { color: #c0392b; font-weight: 600; } .s-not_verified { color: #b9770e; } .s-carried_out { color: #1e8449; }
code { font-size: 12px; overflow-wrap: anywhere; }
.superseded { color: var(--muted); text-decoration: line-through; }
`;

const TABLE: TableConfig = { table: 'decisions', noun: 'decisions', selects: ['decision', 'plane'], descFirst: ['date'], pageSize: 100 };
const SCRIPT = tableScript(TABLE);

function progressTable(id: string, first: string, rows: readonly (Progress & { readonly label: string })[]): string {
  const body = rows
    .map((r) => `<tr><td>${esc(r.label)}</td><td>${r.rows}</td><td>${r.decided}</td><td>${r.keep}</td><td>${r.revoke}</td><td>${r.modify}</td><td>${r.pending}</td></tr>`)
    .join('');
  return `<table id="${id}"><thead><tr><th>${esc(first)}</th><th>Rows</th><th>Decided</th><th>Keep</th><th>Revoke</th><th>Modify</th><th>Pending</th></tr></thead><tbody>${body}</tbody></table>`;
}

function decisionRow(d: EvidenceDecision): TableRow {
  const cls = d.superseded ? ' class="superseded"' : '';
  return {
    attrs: { decision: d.decision, plane: d.plane },
    text: [d.principal, d.grant, d.via, d.scope, d.decision, d.reviewer, d.comment, d.recordedBy, d.superseded ? 'superseded' : ''].join(' '),
    cells: [
      { col: 'principal', sort: d.principal.toLowerCase(), html: `<span${cls}>${esc(d.principal)}</span>` },
      { col: 'grant', sort: d.grant.toLowerCase(), html: `${esc(d.grant || 'the account')} <span class="muted">(${esc(d.privilege)}, ${esc(d.scope || d.plane)})</span>${d.via && d.via !== 'direct' ? `<br><span class="muted">via ${esc(d.via)}</span>` : ''}` },
      { col: 'decision', sort: d.decision, html: `<span class="d-${esc(d.decision)}">${esc(d.decision)}</span>${d.superseded ? ' <span class="muted">(superseded)</span>' : ''}` },
      { col: 'reviewer', sort: d.reviewer.toLowerCase(), html: esc(d.reviewer) },
      { col: 'date', sort: d.date, html: esc(d.date) },
      { col: 'comment', sort: d.comment.toLowerCase(), html: esc(d.comment) },
      { col: 'recorded', sort: d.recordedAt, html: `${esc(d.recordedBy)}<br><span class="muted">${esc(d.recordedAt)} · ${esc(d.from)}</span>` },
    ],
  };
}

export function renderEvidenceHtml(evidence: Evidence): string {
  const t = evidence.counts.total;
  const v = evidence.verification;
  const cards = [
    ['Rows', t.rows],
    ['Decided', t.decided],
    ['Pending', t.pending],
    ['Keep', t.keep],
    ['Revoke', t.revoke],
    ['Modify', t.modify],
    ...(v ? ([['Revocations carried out', v.counts.carried_out], ['Still present', v.counts.still_present], ['Not verified', v.counts.not_verified]] as const) : []),
  ]
    .map(([k, n]) => `<div class="card"><span class="muted">${esc(String(k))}</span><b>${esc(String(n))}</b></div>`)
    .join('');
  const planes = evidence.scope.planes
    .map((p) => `<tr><td>${esc(p.plane)}</td><td>${p.covered ? 'yes' : '<b>no</b>'}</td><td>${esc(p.sources.join(', ') || '—')}</td><td>${esc(p.gaps.join('; ') || '—')}</td></tr>`)
    .join('');
  const sources = evidence.scope.sources
    ? `<table id="sources"><thead><tr><th>Source</th><th>Collector</th><th>Mode</th><th>Facts as of</th></tr></thead><tbody>${evidence.scope.sources
        .map((s) => `<tr><td>${esc(s.source)}</td><td>${esc(s.collector)}</td><td>${esc(s.mode)}</td><td>${esc(sourceAsOfText(s.asOf))}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">The campaign was started before zt recorded its sources\' as-of times: see the planes above and the collection time.</p>';
  const overdue =
    evidence.due === null
      ? '<p class="muted">No due date was set.</p>'
      : evidence.counts.overdue.length === 0
        ? `<p>${evidence.asOf > evidence.due ? 'No reviewer was overdue' : 'Not yet due'} on ${esc(evidence.asOf)} (due ${esc(evidence.due)}).</p>`
        : `<p>Overdue on ${esc(evidence.asOf)} (due ${esc(evidence.due)}): ${evidence.counts.overdue.map((o) => `${esc(o.reviewer ?? '(unassigned)')} (${o.pending} pending)`).join(', ')}.</p>`;
  const recordings =
    evidence.recordings.length === 0
      ? '<p>No decisions were recorded.</p>'
      : `<table id="recordings"><thead><tr><th>Recorded by</th><th>At</th><th>Decisions</th><th>Files (SHA-256 when recorded)</th></tr></thead><tbody>${evidence.recordings
          .map(
            (r) =>
              `<tr><td>${esc(r.recordedBy)}</td><td>${esc(r.recordedAt)}</td><td>${r.decisions}</td><td>${r.files.map((f) => `${esc(f.name)}: ${f.rows} rows, ${f.decisions} decisions<br><code>${esc(f.sha256)}</code>`).join('<br>') || '—'}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const changes =
    evidence.changes.length === 0
      ? '<p>No revoke or modify decision.</p>'
      : `<table id="changes"><thead><tr><th>Decision</th><th>System</th><th>Change</th><th>Principal</th><th>Grant</th><th>Reviewer, date</th></tr></thead><tbody>${evidence.changes
          .map(
            (c) =>
              `<tr><td class="d-${c.decision}">${c.decision}</td><td>${esc(c.system)}</td><td>${esc(c.change)}</td><td>${esc(c.principal)}</td><td>${esc(c.grant || 'the account')} <span class="muted">(${c.privilege})</span></td><td>${esc(c.reviewer)}, ${esc(c.date)}${c.comment ? `<br><span class="muted">${esc(c.comment)}</span>` : ''}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const verification = v
    ? `<p>Checked against the review of ${esc(timeText(v.collectedAt))} (pack ${esc(v.packId)}, ${esc(v.file)}): ${v.counts.carried_out} carried out, ${v.counts.still_present} still present, ${v.counts.not_verified} not verified; ${v.counts.newSinceSignOff} grants new since this sign-off.</p>
${
  v.revocations.length === 0
    ? '<p>No revoke decision to verify.</p>'
    : `<table id="verification"><thead><tr><th>State</th><th>Principal</th><th>Grant</th><th>Object</th><th>Detail</th><th>Decided by, on</th></tr></thead><tbody>${v.revocations
        .map(
          (r) =>
            `<tr><td class="s-${r.state}">${r.state.replace(/_/g, ' ')}</td><td>${esc(r.principal)}</td><td>${esc(r.grant || 'the account')} <span class="muted">(${r.privilege})</span></td><td>${esc(r.object)}</td><td>${esc(r.detail)}</td><td>${esc(r.reviewer)}, ${esc(r.date)}</td></tr>`,
        )
        .join('')}</tbody></table>`
}`
    : '<p class="muted">Not verified yet: give next quarter\'s review (<code>zt access-review … --previous &lt;campaign&gt; -o json=…</code>) as <code>--verification</code>.</p>';
  const files = `<table id="files"><thead><tr><th>File</th><th>Role</th><th>In the bundle</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>${evidence.files
    .map((f) => `<tr><td>${esc(f.source)}</td><td>${f.role}</td><td>${esc(f.path ?? '— (hash as recorded)')}</td><td>${f.bytes ?? '—'}</td><td><code>${esc(f.sha256)}</code></td></tr>`)
    .join('')}</tbody></table>`;
  const decisionOptions = ['keep', 'revoke', 'modify'].map((d) => `<option value="${d}">${d}</option>`).join('');
  const planeOptions = ['identity', 'aws', 'kubernetes'].map((p) => `<option value="${p}">${p}</option>`).join('');
  const headers = [
    ['principal', 'Principal'],
    ['grant', 'Grant'],
    ['decision', 'Decision'],
    ['reviewer', 'Reviewer'],
    ['date', 'Date'],
    ['comment', 'Comment'],
    ['recorded', 'Recorded'],
  ] as const;
  const body = `<h1>Access review sign-off evidence</h1>
<p class="muted">Campaign ${esc(evidence.packId)} · facts collected ${esc(timeText(evidence.collectedAt))} · due ${esc(evidence.due ?? 'not set')} · as of ${esc(evidence.asOf)} · zt ${esc(evidence.tool.version)}${evidence.pseudonymised ? ' · <b>pseudonymised</b>' : ''}</p>
<p>State: <span class="state state-${evidence.state}">${evidence.state === 'decided' ? 'every row decided' : `open, ${t.pending} of ${t.rows} rows pending`}</span></p>
<div class="cards">${cards}</div>
<h2>Scope</h2>
${evidence.scope.scopedTo ? `<p>The review was scoped to ${esc(scopeText(evidence.scope.scopedTo))}: only those rows were reviewed.</p>` : ''}
<table id="planes"><thead><tr><th>Plane</th><th>Covered</th><th>Sources</th><th>Gaps</th></tr></thead><tbody>${planes}</tbody></table>
<h2>Sources and their as-of times</h2>
${sources}
<h2>Progress</h2>
${overdue}
${progressTable('by-reviewer', 'Reviewer', evidence.counts.byReviewer.map((r) => ({ ...r, label: r.reviewer ?? '(unassigned)' })))}
<p></p>
${progressTable('by-plane', 'Plane', evidence.counts.byPlane.map((r) => ({ ...r, label: r.plane })))}
<p></p>
${progressTable('by-privilege', 'Privilege', evidence.counts.byPrivilege.map((r) => ({ ...r, label: r.privilege })))}
<h2>Recordings</h2>
${recordings}
<h2>Changes to carry out</h2>
${changes}
<h2>Revocations verified</h2>
${verification}
<h2>Decisions</h2>
<p class="muted">Every decision recorded, in the order recorded; a later decision for the same row supersedes an earlier one, which stays in the record.</p>
${tableControls('Filter: words match principal, grant, reviewer, comment…', `<select id="decision" aria-label="Decision"><option value="">Any decision</option>${decisionOptions}</select>
<select id="plane" aria-label="Plane"><option value="">All planes</option>${planeOptions}</select>`, `${evidence.decisions.length} decisions`)}
${pagedTable(TABLE, headers, evidence.decisions.map(decisionRow))}
<h2>Files</h2>
<p class="muted">The SHA-256 of every file this evidence rests on. This page's own hash is in manifest.json beside it; SHA256SUMS lists every file of the bundle (<code>sha256sum -c SHA256SUMS</code>).</p>
${files}`;
  return htmlPage({ title: `Access review evidence — ${evidence.packId}`, generator: `zt ${evidence.tool.version}`, style: STYLE, body, script: SCRIPT });
}
