import { drawTable, layoutTable, wrap } from '../output/text-table.js';
import { timeText } from '../text/as-of-text.js';
import { terminalText } from '../text/terminal-text.js';
import { lastUsedText, privilegeRank, type Review, type ReviewPrincipal } from './model.js';

/** Flags that make a principal riskier to leave as is, riskiest first (the order principals are listed in). */
const riskOrder = ['standing_admin', 'no_mfa', 'weak_mfa', 'inactive_with_access', 'stale', 'public', 'external', 'cross_account', 'old_access_key', 'unused_access_key', 'dangling'] as const;

function riskRank(p: ReviewPrincipal): number[] {
  return [-privilegeRank[p.privilege], ...riskOrder.map((flag) => ((p.flags as readonly string[]).includes(flag) ? 0 : 1))];
}

function byRisk(a: ReviewPrincipal, b: ReviewPrincipal): number {
  const ra = riskRank(a);
  const rb = riskRank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) - (rb[i] ?? 0);
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A timestamp as its day (the table's column stays narrow and on one line); other texts ("never", "unknown") as they are. */
function dayOf(text: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(text) ? text.slice(0, 10) : text;
}

/** At most this many principals per table on a terminal; every one is in -f markdown, csv, json and html. */
const SHOWN = 25;

function principalTable(title: string, principals: readonly ReviewPrincipal[], width: number): string[] {
  if (principals.length === 0) return [title, '  None.'];
  const head = ['Principal', 'Plane', 'Privilege', 'Auth', 'Last used', 'Flags'];
  const shown = [...principals].sort(byRisk).slice(0, SHOWN);
  const rows = shown.map((p) => [terminalText(p.name), p.plane, p.privilege, p.auth.strength.replaceAll('_', ' '), dayOf(terminalText(lastUsedText(p))), p.flags.join(', ')]);
  const layout = layoutTable(head, rows, [14, 8, 11, 8, 12, 12], width);
  const lines = [title, ...drawTable(head, layout.rows, layout.widths, { rowRules: true })];
  if (principals.length > shown.length) lines.push(`… and ${principals.length - shown.length} more (every principal is in -f markdown, csv, json and html)`);
  return lines;
}

/**
 * The access review for a terminal: what was covered, the counts, and the principals that
 * need a reviewer's eye (standing admins, then the flagged), riskiest first, in tables that
 * fit the width. The whole review (every grant, the identity graph, changes) is the
 * Markdown, CSV, JSON and HTML.
 */
export function renderTable(review: Review, columns: number): string {
  const width = Math.max(60, Math.min(160, Math.floor(columns)));
  const s = review.summary;
  const out: string[] = [
    ...wrap(`Access review — facts as collected at ${timeText(review.collectedAt)} (zt ${review.tool.version})`, width),
    ...wrap(`${s.principals} principals, ${s.grants} grants; ${s.staleWithAccess} stale or never-used principals still hold access`, width),
    ...review.planes.flatMap((c) =>
      wrap(`${c.plane}: ${c.covered ? 'covered' : 'NOT covered'}${c.sources.length > 0 ? ` (${c.sources.map(terminalText).join(', ')})` : ''}${c.gaps.length > 0 ? ` — gaps: ${c.gaps.map(terminalText).join('; ')}` : ''}`, width, '  ', '    '),
    ),
    '',
  ];
  const admins = review.principals.filter((p) => p.flags.includes('standing_admin'));
  out.push(...principalTable(`Standing admin (${admins.length})`, admins, width), '');
  const attention = review.principals.filter((p) => !p.flags.includes('standing_admin') && p.privilege !== 'none' && p.flags.some((f) => (riskOrder as readonly string[]).includes(f)));
  out.push(...principalTable(`Needs attention (${attention.length})`, attention, width), '');
  out.push(...wrap('The whole review (every grant, the identity graph across planes, changes since --previous): -o review.html, -f markdown, csv or json.', width));
  return `${out.join('\n')}\n`;
}
