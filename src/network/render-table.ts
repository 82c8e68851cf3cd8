import type { CanReachResult, ConnectionAnswer, MatrixResult, NetworkResult, ReachSetResult, SideExplanation } from '../analysis/kubernetes/network-query/results.js';
import { fittedTable, wrap } from '../output/text-table.js';
import { terminalText as t } from '../text/terminal-text.js';

/** `zt network … -f table`: the answers for a person reading a terminal or a CI log. */

const ports = (list: readonly string[]): string => (list.length === 0 ? 'none' : list.includes('*') ? 'every port' : list.join(', '));

function side(label: string, s: SideExplanation): string[] {
  const lines = [`  ${label} ${t(s.summary)}`];
  for (const a of s.admittedBy) {
    lines.push(`      ${a.conditional ? '?' : '✓'} ${t(a.policy)} ${a.rule}${a.peer ? ` ${a.peer}` : ''} ${t(a.peerText)} → ${ports(a.ports)}${a.conditional ? ' (conditional)' : ''}`);
  }
  return lines;
}

/** One connection's answer and explanation, as lines (also the HTML page's explanation panel). */
export function connectionLines(c: ConnectionAnswer): string[] {
  const verdict = c.verdict === 'allowed' ? 'ALLOWED' : c.verdict === 'denied' ? 'DENIED' : 'CONDITIONAL';
  const on = c.verdict === 'allowed' ? ` on ${ports(c.ports)}` : c.verdict === 'conditional' ? ` on ${ports(c.conditionalPorts)}` : '';
  const lines = [`${t(c.from)} → ${t(c.to)}: ${verdict}${on}${c.verdict === 'allowed' && c.conditionalPorts.length > 0 ? `; conditionally on ${ports(c.conditionalPorts)}` : ''}`];
  if (!c.loopback) lines.push(...side('egress ', c.egress), ...side('ingress', c.ingress));
  for (const l of c.layers) {
    if (!l.evaluatedPerConnection) {
      lines.push(`  ${l.layer} (modelled per workload, not evaluated for this connection): ${t(l.summary)}`);
      continue;
    }
    const on = [(l.ports ?? []).length > 0 ? `allows ${ports(l.ports ?? [])}` : '', (l.conditionalPorts ?? []).length > 0 ? `for some requests ${ports(l.conditionalPorts ?? [])}` : ''].filter((x) => x !== '');
    lines.push(`  ${l.layer} (evaluated for this connection): ${t(l.summary)}${on.length > 0 ? `: ${on.join('; ')}` : ''}`);
    for (const d of l.decidedBy ?? []) lines.push(`      ${t(d)}`);
  }
  if (c.withLayers) {
    const w = c.withLayers;
    lines.push(`  with the mesh: ${w.verdict.toUpperCase()}${w.verdict === 'allowed' ? ` on ${ports(w.ports)}` : ''}${w.conditionalPorts.length > 0 ? `${w.verdict === 'allowed' ? ';' : ''} for some requests on ${ports(w.conditionalPorts)}` : ''}`);
  }
  for (const n of c.notes) lines.push(`  note: ${t(n)}`);
  return lines;
}

function canReach(r: CanReachResult): string[] {
  const lines = [`Can ${t(r.from)} reach ${t(r.to)}${r.port ? ` on ${t(r.port)}` : ''}? (cluster ${t(r.cluster)})`, ''];
  for (const n of r.notes) lines.push(`note: ${t(n)}`);
  for (const c of r.connections) lines.push(...connectionLines(c), '');
  const allowed = r.connections.filter((c) => c.verdict === 'allowed').length;
  if (r.connections.length > 1) lines.push(`${allowed} of ${r.connections.length} connections allowed`);
  return lines;
}

function reachSets(r: ReachSetResult, width: number): string[] {
  const lines: string[] = [];
  for (const n of r.notes) lines.push(`note: ${t(n)}`);
  for (const s of r.sets) {
    const head = r.query === 'who-can-reach' ? `Who can reach ${t(s.endpoint)}` : `What ${t(s.endpoint)} can reach`;
    lines.push(...wrap(`${head} (cluster ${t(r.cluster)}): ${s.workloadCount} workload(s) in ${s.namespaces.length} namespace(s)`, Math.max(60, width)));
    // One table per endpoint, fitted to the terminal: workload (ns/name, by namespace), ports; wrapped, never cut.
    const rows = s.namespaces.flatMap((ns) => ns.workloads.map((w) => [t(w.workload), `${ports(w.ports)}${w.conditionalPorts.length > 0 ? `; conditionally ${ports(w.conditionalPorts)}` : ''}`]));
    if (rows.length > 0) lines.push(...fittedTable(['workload', 'ports'], rows, [14, 12], width));
    if (s.outside) {
      lines.push('  outside the cluster');
      lines.push(`    any address: ${ports(s.outside.anyAddress)}`);
      for (const b of s.outside.ipBlocks) lines.push(`    ipBlock ${t(b.cidr)}${b.except.length > 0 ? ` except ${t(b.except.join(', '))}` : ''}: ${ports(b.ports)} (${t(b.policy)} ${b.rule})`);
      lines.push(`    internet: ${ports(s.outside.internet)}${s.outside.internetPartly.length > 0 ? `; part of it: ${ports(s.outside.internetPartly)}` : ''}`);
    }
    lines.push('');
  }
  return lines;
}

/** A grid when it fits a screen (up to 40 columns), else the cells as lines. */
function matrix(r: MatrixResult): string[] {
  const lines = [
    `Connectivity matrix by ${r.by} (cluster ${t(r.cluster)}${r.namespaces.length > 0 ? `, namespaces ${t(r.namespaces.join(', '))}` : ''}): ${r.workloadCount} workloads, ${r.groups.length} ${r.by === 'workload' ? 'connectivity classes' : 'namespaces'}, ${r.connectedWorkloadPairs} connected workload pairs`,
    '',
  ];
  const rows = r.by === 'workload' ? r.groups.flatMap((g) => g.members.map((m) => ({ label: m, group: g.id }))) : r.groups.map((g) => ({ label: g.id, group: g.id }));
  const cell = new Map<string, { ports: readonly string[]; conditionalPorts: readonly string[] }>();
  for (const c of r.cells) for (const to of c.to) cell.set(`${c.from}\u0000${to}`, c);
  if (rows.length > 0 && rows.length <= 40) {
    const width = Math.max(...rows.map((x) => x.label.length));
    lines.push(`${''.padEnd(width + 5)}${rows.map((_, i) => String(i + 1).padStart(3)).join('')}`);
    rows.forEach((from, i) => {
      const marks = rows.map((to) => {
        const c = cell.get(`${from.group}\u0000${to.group}`);
        if (!c) return '  ·';
        if (c.ports.includes('*')) return '  ●';
        return c.ports.length > 0 ? '  ◐' : '  ?';
      });
      lines.push(`${String(i + 1).padStart(3)}  ${t(from.label).padEnd(width)}${marks.join('')}`);
    });
    lines.push('', '● every port   ◐ some ports   ? conditional only   · none   (row → column)', '');
  }
  const listed = r.cells.filter((c) => !c.ports.includes('*'));
  if (rows.length > 40 || listed.length > 0) {
    const name = (id: string) => {
      if (r.by === 'namespace') return t(id);
      const g = r.groups.find((x) => x.id === id);
      return g && g.members.length === 1 ? t(g.members[0] as string) : `${id} (${g?.members.length ?? 0} workloads)`;
    };
    for (const c of rows.length > 40 ? r.cells : listed) {
      lines.push(`${name(c.from)} → ${c.to.map(name).join(', ')}: ${ports(c.ports)}${c.conditionalPorts.length > 0 ? `; conditionally ${ports(c.conditionalPorts)}` : ''}`);
    }
    if (r.by === 'workload' && rows.length > 40) {
      lines.push('', 'classes:');
      for (const g of r.groups) if (g.members.length > 1) lines.push(`  ${g.id}: ${t(g.members.join(', '))}`);
    }
    lines.push('');
  }
  for (const n of r.notes) lines.push(`note: ${t(n)}`);
  return lines;
}

/** `width`: the terminal's columns, which the workload tables fit (at least 60). */
export function renderNetworkTable(result: NetworkResult, width = 100): string {
  const lines = result.query === 'can-reach' ? canReach(result) : result.query === 'matrix' ? matrix(result) : reachSets(result, width);
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
