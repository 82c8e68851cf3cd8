import { type Bar, barChart } from '../output/html-charts.js';
import { timeText } from '../text/as-of-text.js';
import { esc, htmlPage } from '../output/html-page.js';
import { pagedTable, tableControls, type TableConfig, type TableRow, tableScript } from '../output/html-table.js';
import { scopeText } from './scope.js';
import { flagDescriptions, type Flag, type Privilege, privilegeRank, type Review, type ReviewPlane, type ReviewPrincipal, reviewPlanes } from './model.js';

/**
 * A self-contained HTML page: inline CSS, inline SVG charts drawn here (no library),
 * and a small inline script for sorting and filtering. A Content-Security-Policy of
 * default-src 'none' guarantees the page fetches nothing, so it works from a file and
 * can be attached to a ticket. The URL hash drives the table, so a view can be shared
 * or tested: #sort=privilege&dir=desc&filter=admin&plane=aws&privilege=admin.
 */

const planeTitle: Readonly<Record<ReviewPlane, string>> = { identity: 'Identity provider', aws: 'AWS IAM', kubernetes: 'Kubernetes' };
const privilegeColour: Readonly<Record<Privilege, string>> = { admin: '#c0392b', write: '#e67e22', read: '#2e86c1', none: '#aab2bd' };
const strengthColour: Readonly<Record<string, string>> = {
  phishing_resistant: '#1e8449',
  mfa: '#2e86c1',
  weak: '#e67e22',
  none: '#c0392b',
};

function charts(review: Review): string {
  const covered = reviewPlanes.filter((p) => review.planes.find((c) => c.plane === p)?.covered);
  const privilegeBars: Bar[] = covered.map((plane) => ({
    label: planeTitle[plane],
    segments: (['admin', 'write', 'read', 'none'] as const).map((p) => ({ name: p, value: review.summary.byPlane[plane][p], colour: privilegeColour[p] })),
  }));
  const strengths = ['phishing_resistant', 'mfa', 'weak', 'none'];
  const humans = review.principals.filter((p) => (p.accountClass === 'human' || p.accountClass === 'break_glass') && (p.type === 'idp.user' || p.type === 'aws.iam.user'));
  const mfaBars: Bar[] = (['identity', 'aws'] as const)
    .filter((plane) => covered.includes(plane))
    .map((plane) => ({
      label: planeTitle[plane],
      segments: strengths.map((s) => ({ name: s, value: humans.filter((p) => p.plane === plane && p.auth.strength === s).length, colour: strengthColour[s] ?? '#999' })),
    }));
  const staleBars: Bar[] = covered.map((plane) => {
    const withAccess = review.principals.filter((p) => p.plane === plane && p.privilege !== 'none');
    const stale = withAccess.filter((p) => p.flags.includes('stale') || p.flags.includes('never_used')).length;
    const unknown = withAccess.filter((p) => p.lastUsedSource === 'unknown').length;
    return {
      label: planeTitle[plane],
      segments: [
        { name: 'stale or never used', value: stale, colour: '#c0392b' },
        { name: 'used recently', value: withAccess.length - stale - unknown, colour: '#1e8449' },
        { name: 'use unknown', value: unknown, colour: '#aab2bd' },
      ],
    };
  });
  return [
    `<figure><figcaption>Privilege by plane (principals)</figcaption>${barChart('chart-privilege', 'Principals by highest privilege, per plane', privilegeBars)}</figure>`,
    `<figure><figcaption>Sign-in strength (human and break-glass users)</figcaption>${mfaBars.length > 0 ? barChart('chart-mfa', 'Human users by strongest active factor', mfaBars) : '<p class="muted">No IdP or IAM users in the data.</p>'}</figure>`,
    `<figure><figcaption>Stale access (principals holding access)</figcaption>${barChart('chart-stale', 'Principals with access by last use', staleBars)}</figure>`,
  ].join('\n');
}

function principalRow(p: ReviewPrincipal): TableRow {
  const grants = p.grants
    .map(
      (g) =>
        `<li class="p-${g.privilege}"><b>${g.privilege}</b> ${esc(g.what)} <span class="muted">(${esc(g.scope)})</span>${g.via === 'direct' ? '' : ` <span class="via">via ${esc(g.via)}</span>`}${g.evidence === 'evidenced' ? '' : ` <span class="ev ev-${g.evidence}">${g.evidence}</span>`}${g.notes.length > 0 ? ` <span class="muted">${esc(g.notes.join('; '))}</span>` : ''}</li>`,
    )
    .join('');
  const lastUsed = p.lastUsed ?? (p.lastUsedSource === 'unknown' ? '' : 'never');
  const lastSort = p.lastUsed ?? (p.lastUsedSource === 'unknown' ? '' : '0000');
  return {
    attrs: { plane: p.plane, privilege: p.privilege },
    text: [p.name, p.email ?? '', p.type, p.plane, p.privilege, p.owner ?? '', p.status, p.auth.strength, ...p.flags, ...p.grants.map((g) => `${g.what} ${g.via} ${g.scope}`)].join(' '),
    cells: [
      { col: 'principal', sort: p.name.toLowerCase(), html: `${esc(p.name)}${p.email && p.email !== p.name ? `<br><span class="muted">${esc(p.email)}</span>` : ''}` },
      { col: 'plane', sort: p.plane, html: `${esc(p.plane)}<br><span class="muted">${esc(p.source)}</span>` },
      { col: 'type', sort: p.type, html: `${esc(p.type)}<br><span class="muted">${esc(p.accountClass)}${p.owner ? `, owner ${esc(p.owner)}` : ''}</span>` },
      { col: 'status', sort: p.status, html: esc(p.status) },
      { col: 'privilege', sort: String(privilegeRank[p.privilege]), html: `<span class="badge p-${p.privilege}">${p.privilege}</span>` },
      { col: 'auth', sort: p.auth.strength, html: `${esc(p.auth.strength.replace(/_/g, ' '))}<br><span class="muted">${esc(p.auth.detail)}</span>` },
      { col: 'lastUsed', sort: lastSort, html: esc(lastUsed || 'unknown') },
      { col: 'flags', sort: p.flags.join(' '), html: p.flags.map((f) => `<span class="flag" title="${esc(flagDescriptions[f])}">${esc(f)}</span>`).join(' ') },
      { col: 'grants', sort: String(p.grants.length), html: `<ul>${grants}</ul>` },
    ],
  };
}

/** Review-only CSS on top of BASE_STYLE: the principals table's columns, privilege colours, flags, evidence. */
const STYLE = `
#principals { table-layout: fixed; }
#principals th:nth-child(1) { width: 15%; } #principals th:nth-child(2) { width: 9%; } #principals th:nth-child(3) { width: 8%; }
#principals th:nth-child(4) { width: 6%; } #principals th:nth-child(5) { width: 7%; } #principals th:nth-child(6) { width: 11%; }
#principals th:nth-child(7) { width: 9%; } #principals th:nth-child(8) { width: 9%; } #principals th:nth-child(9) { width: 26%; }
.badge.p-admin { background: #c0392b; } .badge.p-write { background: #e67e22; } .badge.p-read { background: #2e86c1; } .badge.p-none { background: #aab2bd; }
li.p-admin b { color: #c0392b; } li.p-write b { color: #b9770e; } li.p-read b { color: #2e86c1; } li.p-none b { color: var(--muted); }
.flag { display: inline-block; background: #fdedec; color: #922b21; border-radius: 3px; padding: 0 5px; margin: 1px 0; font-size: 12px; }
.ev { font-size: 11px; border-radius: 3px; padding: 0 4px; } .ev-inferred { background: #fef5e7; color: #9a7d0a; } .ev-declared { background: #ebf5fb; color: #1f618d; }
.via { color: var(--muted); font-size: 12px; }
`;

const TABLE: TableConfig = { table: 'principals', noun: 'principals', selects: ['plane', 'privilege'], descFirst: ['privilege', 'lastUsed'], pageSize: 100 };
const SCRIPT = tableScript(TABLE);

export function renderHtml(review: Review): string {
  const s = review.summary;
  const admins = review.principals.filter((p) => p.flags.includes('standing_admin')).length;
  const cards = [
    ['Principals', s.principals],
    ['Grants', s.grants],
    ['Standing admin', admins],
    ['Stale with access', s.staleWithAccess],
    ['No MFA', s.flags.no_mfa ?? 0],
    ['Cross-plane paths', review.graph.paths.length],
  ]
    .map(([k, v]) => `<div class="card"><span class="muted">${esc(String(k))}</span><b>${esc(String(v))}</b></div>`)
    .join('');
  const planes = review.planes
    .map((c) => `<tr><td>${esc(planeTitle[c.plane])}</td><td>${c.covered ? 'yes' : '<b>no</b>'}</td><td>${esc(c.sources.join(', ') || '—')}</td><td>${esc(c.gaps.join('; ') || '—')}</td></tr>`)
    .join('');
  const flags = (Object.entries(s.flags) as [Flag, number][])
    .map(([f, n]) => `<tr><td><span class="flag">${esc(f)}</span></td><td>${n}</td><td>${esc(flagDescriptions[f])}</td></tr>`)
    .join('');
  const paths = review.graph.paths
    .map(
      (p) =>
        `<tr><td>${esc(p.startLabel)}</td><td>${esc(p.steps.slice(1).join(' → '))}</td><td>${esc(p.target)}</td><td><span class="badge p-${p.privilege}">${p.privilege}</span></td><td>${esc(p.scope)}</td><td>${p.evidence === 'evidenced' ? 'evidenced' : `<span class="ev ev-${p.evidence}">${p.evidence}</span>`}</td></tr>`,
    )
    .join('');
  const changes = review.changes
    ? `<h2>Changes since the review of ${esc(timeText(review.changes.previousCollectedAt))}</h2>
<p>${review.changes.counts.principal_added} principals added, ${review.changes.counts.principal_removed} removed; ${review.changes.counts.granted} grants added, ${review.changes.counts.removed} removed, ${review.changes.counts.escalated} escalated, ${review.changes.counts.de_escalated} de-escalated.</p>
<table id="changes"><thead><tr><th>Change</th><th>Principal</th><th>Plane</th><th>Grant</th><th>From</th><th>To</th></tr></thead><tbody>${review.changes.changes
        .map((c) => `<tr><td>${esc(c.change.replace(/_/g, ' '))}</td><td>${esc(c.principal)}</td><td>${c.plane}</td><td>${esc(c.grant ?? '—')}</td><td>${c.from ?? '—'}</td><td>${c.to ?? '—'}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const planeOptions = reviewPlanes.map((p) => `<option value="${p}">${esc(planeTitle[p])}</option>`).join('');
  const privilegeOptions = (['admin', 'write', 'read', 'none'] as const).map((p) => `<option value="${p}">${p}</option>`).join('');
  const headers = [
    ['principal', 'Principal'],
    ['plane', 'Plane'],
    ['type', 'Type'],
    ['status', 'Status'],
    ['privilege', 'Privilege'],
    ['auth', 'Authentication'],
    ['lastUsed', 'Last used'],
    ['flags', 'Flags'],
    ['grants', 'Grants'],
  ] as const;
  const body = `<h1>Access review</h1>
<p class="muted">Facts as collected at ${esc(timeText(review.collectedAt))} · zt ${esc(review.tool.version)} · stale after ${review.thresholds.staleDays} days · access keys flagged after ${review.thresholds.keyMaxAgeDays} days${review.pseudonymised ? ` · <b>pseudonymised</b> (${esc(review.pseudonymised.method)})` : ''}${review.identityMap ? ` · cross-plane mappings declared in ${esc(review.identityMap)}` : ''}${review.scope ? ` · <b>scoped to ${esc(scopeText(review.scope))}</b>` : ''}</p>
<div class="cards">${cards}</div>
<h2>Planes covered</h2>
<table id="planes"><thead><tr><th>Plane</th><th>Covered</th><th>Sources</th><th>Gaps</th></tr></thead><tbody>${planes}</tbody></table>
<h2>Summary</h2>
<div class="charts">
${charts(review)}
</div>
${flags ? `<h2>Flags</h2><table id="flags"><thead><tr><th>Flag</th><th>Principals</th><th>Meaning</th></tr></thead><tbody>${flags}</tbody></table>` : ''}
<h2>Identity graph: who reaches what across planes</h2>
<p class="muted">evidenced = read from the systems' data · declared = from the identity map · inferred = from a naming convention (confirm before acting)</p>
${paths ? `<table id="paths"><thead><tr><th>From</th><th>Path</th><th>Reaches</th><th>Privilege</th><th>Where</th><th>Evidence</th></tr></thead><tbody>${paths}</tbody></table>` : '<p>No cross-plane links in the data.</p>'}
${changes}
<h2>Principals</h2>
${tableControls('Filter: words match name, grant, flag, privilege…', `<select id="plane" aria-label="Plane"><option value="">All planes</option>${planeOptions}</select>
<select id="privilege" aria-label="Privilege"><option value="">Any privilege</option>${privilegeOptions}</select>`, `${review.principals.length} principals`)}
${pagedTable(TABLE, headers, review.principals.map(principalRow))}`;
  return htmlPage({ title: `Access review — ${timeText(review.collectedAt)}`, generator: `zt ${review.tool.version}`, style: STYLE, body, script: SCRIPT });
}
