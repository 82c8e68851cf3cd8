import type { DiffChange, NetworkDiffResult } from '../analysis/kubernetes/network-query/diff.js';
import { fittedTable, wrap } from '../output/text-table.js';
import { terminalText as t } from '../text/terminal-text.js';

/** `zt network diff`: table for a terminal, Markdown for a pull-request comment, JSON for programs (and SARIF, render-diff-sarif.ts). */

export const diffFormats = ['table', 'markdown', 'json', 'sarif'] as const;
export type NetworkDiffFormat = (typeof diffFormats)[number];

const ports = (list: readonly string[]): string => (list.includes('*') ? 'every port' : list.join(', '));
const names = (list: readonly string[], max = 5): string => `${list.slice(0, max).join(', ')}${list.length > max ? ` (+${list.length - max} more)` : ''}`;

/** Opened or closed connections as a table fitted to the terminal: from, to, ports, the policies that decide. */
function tableLines(title: string, changes: readonly DiffChange[], width: number): string[] {
  if (changes.length === 0) return [`${title}: none`];
  const decided = title === 'opened' ? 'was denied' : 'now denied';
  const rows = changes.map((c) => [t(names(c.from)), t(names(c.to)), ports(c.ports), t(c.allowedBy.join('\n')), t(c.deniedBy.join('\n'))]);
  return [`${title}: ${changes.length}`, ...fittedTable(['from', 'to', 'ports', 'allowed by', decided], rows, [10, 10, 9, 12, 12], width, { rowRules: true })];
}

const md = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);

function markdownRows(changes: readonly DiffChange[], other: string): string[] {
  if (changes.length === 0) return ['_none_'];
  return [
    `| from | to | ports | allowed by | ${other} |`,
    '|---|---|---|---|---|',
    ...changes.map((c) => `| ${md(names(c.from))} | ${md(names(c.to))} | ${md(ports(c.ports))} | ${md(c.allowedBy.join('; '))} | ${md(c.deniedBy.join('; '))} |`),
  ];
}

/** SARIF needs where the policies were read from: render-diff-sarif.ts. */
export function renderNetworkDiff(result: NetworkDiffResult, format: Exclude<NetworkDiffFormat, 'sarif'>, sensitive: ReadonlySet<string>, width = 100): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const hitsSensitive = (c: DiffChange) => c.to.some((w) => sensitive.has(w));
  if (format === 'markdown') {
    const lines = [
      `### Network connections changed: ${result.opened.length} opened, ${result.closed.length} closed`,
      '',
      `Before: \`${result.before.replace(/`/g, "'")}\` · after: \`${result.after.replace(/`/g, "'")}\``,
      '',
    ];
    const toSensitive = result.opened.filter(hitsSensitive);
    if (toSensitive.length > 0) lines.push(`**${toSensitive.length} new path(s) reach a sensitive workload.**`, '');
    lines.push('#### Opened', '', ...markdownRows(result.opened, 'was denied by'), '', '#### Closed', '', ...markdownRows(result.closed, 'now denied by'), '');
    if (result.added.length > 0) lines.push(`Workloads added: ${md(names(result.added, 20))}`, '');
    if (result.removed.length > 0) lines.push(`Workloads removed: ${md(names(result.removed, 20))}`, '');
    return `${lines.join('\n').replace(/\n+$/, '')}\n`;
  }
  const lines = [...wrap(`Network diff: ${t(result.before)} → ${t(result.after)}`, Math.max(60, width)), '', ...tableLines('opened', result.opened, width), '', ...tableLines('closed', result.closed, width)];
  if (result.added.length > 0) lines.push('', `workloads added: ${t(names(result.added, 20))}`);
  if (result.removed.length > 0) lines.push('', `workloads removed: ${t(names(result.removed, 20))}`);
  for (const n of result.notes) lines.push('', ...wrap(`note: ${t(n)}`, Math.max(60, width), '', '  '));
  return `${lines.join('\n')}\n`;
}
