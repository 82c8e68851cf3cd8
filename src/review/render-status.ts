import { terminalText } from '../text/terminal-text.js';
import { csvCell } from './render-csv.js';
import type { CampaignStatus, ChangeToCarryOut, Progress } from './status.js';

/** `zt access-review status` as text, JSON, and the changes to carry out as CSV or JSON for a ticketing system. */

function percent(p: Progress): string {
  return p.rows === 0 ? '—' : `${Math.floor((p.decided / p.rows) * 100)}%`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const progressCells = (p: Progress): string[] => [String(p.rows), String(p.decided), percent(p), String(p.keep), String(p.revoke), String(p.modify), String(p.pending)];
const progressHead = ['rows', 'decided', 'done', 'keep', 'revoke', 'modify', 'pending'];

export function renderStatusText(status: CampaignStatus): string {
  const out: string[] = [];
  out.push(`Campaign ${status.packId} — collected ${status.collectedAt ?? 'time unknown'}, due ${status.due ?? 'not set'}, as of ${status.asOf}`);
  out.push(`${status.total.decided} of ${status.total.rows} rows decided (${percent(status.total)}): ${status.total.keep} keep, ${status.total.revoke} revoke, ${status.total.modify} modify, ${status.total.pending} pending`);
  out.push('', 'By reviewer');
  out.push(...table(['reviewer', ...progressHead], status.byReviewer.map((r) => [terminalText(r.reviewer ?? '(unassigned)'), ...progressCells(r)])));
  out.push('', 'By plane');
  out.push(...table(['plane', ...progressHead], status.byPlane.map((r) => [r.plane, ...progressCells(r)])));
  out.push('', 'By privilege');
  out.push(...table(['privilege', ...progressHead], status.byPrivilege.map((r) => [r.privilege, ...progressCells(r)])));
  out.push('');
  if (status.due === null) out.push('Overdue: no due date set (start the campaign with --due YYYY-MM-DD)');
  else if (status.overdue.length === 0) out.push(status.asOf > status.due ? 'Overdue: none, every row is decided' : `Overdue: none yet (due ${status.due})`);
  else {
    out.push(`Overdue since ${status.due}:`);
    for (const o of status.overdue) out.push(`  ${terminalText(o.reviewer ?? '(unassigned)')}: ${o.pending} pending`);
  }
  out.push('', `Changes to carry out: ${status.changes.length}`);
  for (const c of status.changes) {
    out.push(`  ${c.decision} ${terminalText(c.system)}: ${terminalText(c.change)}`);
    out.push(`    ${terminalText(c.principal)} — ${terminalText(c.grant || 'the account')} (${c.privilege}), decided by ${terminalText(c.reviewer)} on ${c.date}${c.comment ? `: ${terminalText(c.comment)}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderStatusJson(status: CampaignStatus): string {
  return `${JSON.stringify(status, null, 2)}\n`;
}

const changeColumns = ['decision', 'system', 'object', 'change', 'principal', 'principal_id', 'plane', 'privilege', 'grant', 'via', 'scope', 'reviewer', 'decision_date', 'comment', 'row_hash'] as const;

function changeCells(c: ChangeToCarryOut): string[] {
  return [c.decision, c.system, c.object, c.change, c.principal, c.principalId, c.plane, c.privilege, c.grant, c.via, c.scope, c.reviewer, c.date, c.comment, c.row];
}

/** One row per change; every cell formula-safe (a reviewer's comment may start with =). */
export function renderChangesCsv(changes: readonly ChangeToCarryOut[]): string {
  return [changeColumns.join(','), ...changes.map((c) => changeCells(c).map(csvCell).join(','))].map((l) => `${l}\r\n`).join('');
}

export function renderChangesJson(status: CampaignStatus): string {
  return `${JSON.stringify({ kind: 'zt-access-campaign-changes', packId: status.packId, changes: status.changes }, null, 2)}\n`;
}
