import { EndpointError } from './endpoints.js';
import { evaluatePair } from './evaluate.js';
import { formatPorts, PortSetTable } from './port-algebra.js';
import type { NetworkQueries } from './queries.js';
import { NETWORK_RESULT_VERSION, type MatrixCell, type MatrixGroup, type MatrixResult } from './results.js';

/**
 * `zt network matrix`: who reaches whom, as connectivity classes × connectivity classes
 * (a class's workloads share every answer, see connectivity-model.ts), one row at a time
 * with RowComputer — never pod pairs. `--by namespace` folds the classes' cells into
 * namespace pairs (the union of the ports any pair of their workloads may use, and how
 * many workload pairs connect).
 */

export interface MatrixOptions {
  /** Only workloads of these namespaces, as rows and as columns; empty for all. */
  readonly namespaces: readonly string[];
  readonly by: 'workload' | 'namespace';
}

export function connectivityMatrix(queries: NetworkQueries, options: MatrixOptions): MatrixResult {
  const { conn } = queries;
  const { ports } = conn;
  const wanted = new Set(options.namespaces);
  const present = new Set(queries.cluster.workloads.map((w) => w.namespace));
  for (const ns of [...wanted].sort()) {
    if (!present.has(ns)) throw new EndpointError(`--namespace ${ns}: the cluster has no workload in namespace "${ns}"`, 'Check the namespace, and that the input holds it.');
  }
  const inScope = (ns: string) => wanted.size === 0 || wanted.has(ns);
  const scoped = conn.atoms.map((a) => ({ atom: a.index, members: a.workloads.filter((w) => inScope(w.namespace)) })).filter((a) => a.members.length > 0);
  const notes: string[] = [];
  if (conn.hostAtom >= 0 && scoped.some((s) => s.atom === conn.hostAtom)) {
    notes.push('host-network workloads are outside NetworkPolicy: their cells come from the other end alone, and an ipBlock admits them only if it holds their node\'s address (conditional ports)');
  }
  notes.push('the diagonal is one pod of a class reaching another; a pod always reaches itself over loopback');

  const columnAtoms = Int32Array.from(scoped.map((s) => s.atom));
  const hostColumn = scoped.findIndex((s) => s.atom === conn.hostAtom);
  /**
   * Each row as port-set ids per scoped column (index into `scoped`), allowed and
   * conditional. Pod-to-pod cells come straight from the row (no object per cell: a
   * 10k-class matrix has 100M of them); cells with the host-network class from evaluatePair.
   */
  const allowedRow = new Int32Array(scoped.length);
  const conditionalRow = new Int32Array(scoped.length);
  const eachRow = (visit: (row: number, allowed: Int32Array, conditional: Int32Array) => void): void => {
    scoped.forEach((s, row) => {
      conditionalRow.fill(0);
      if (s.atom === conn.hostAtom) {
        for (let c = 0; c < scoped.length; c++) {
          const v = evaluatePair(conn, { atom: s.atom }, { atom: columnAtoms[c] as number });
          allowedRow[c] = v.allowed;
          conditionalRow[c] = v.conditional;
        }
      } else {
        const computed = queries.rows.outbound(s.atom);
        for (let c = 0; c < scoped.length; c++) allowedRow[c] = computed[columnAtoms[c] as number] as number;
        if (hostColumn >= 0) {
          const v = evaluatePair(conn, { atom: s.atom }, { atom: conn.hostAtom });
          allowedRow[hostColumn] = v.allowed;
          conditionalRow[hostColumn] = v.conditional;
        }
      }
      visit(row, allowedRow, conditionalRow);
    });
  };
  const fmt = (id: number) => (id === PortSetTable.EMPTY ? [] : formatPorts(ports.get(id)));
  const label = (w: { namespace: string; name: string }) => `${w.namespace}/${w.name}`;
  let connectedGroupPairs = 0;
  let connectedWorkloadPairs = 0;
  const cells: MatrixCell[] = [];

  if (options.by === 'workload') {
    const ids = scoped.map((_, i) => `g${i + 1}`);
    const groups: MatrixGroup[] = scoped.map((s, i) => ({ id: ids[i] as string, members: s.members.map(label) }));
    eachRow((row, allowed, conditional) => {
      const byPorts = new Map<string, { allowed: number; conditional: number; to: string[] }>();
      for (let column = 0; column < scoped.length; column++) {
        const c = { allowed: allowed[column] as number, conditional: conditional[column] as number };
        if (c.allowed === PortSetTable.EMPTY && c.conditional === PortSetTable.EMPTY) continue;
        connectedGroupPairs++;
        connectedWorkloadPairs += (scoped[row] as (typeof scoped)[number]).members.length * (scoped[column] as (typeof scoped)[number]).members.length;
        const key = `${c.allowed}|${c.conditional}`;
        let g = byPorts.get(key);
        if (!g) byPorts.set(key, (g = { allowed: c.allowed, conditional: c.conditional, to: [] }));
        g.to.push(ids[column] as string);
      }
      for (const g of sortedCells(byPorts.values(), fmt)) cells.push({ from: ids[row] as string, to: g.to, ports: g.ports, conditionalPorts: g.conditionalPorts });
    });
    return { version: NETWORK_RESULT_VERSION, query: 'matrix', cluster: queries.cluster.source, by: 'workload', namespaces: [...wanted].sort(), workloadCount: scoped.reduce((n, s) => n + s.members.length, 0), groups, connectedGroupPairs, connectedWorkloadPairs, cells, notes };
  }

  // By namespace: each class's members counted per namespace, cells folded into namespace pairs.
  const namespaces = [...new Set(scoped.flatMap((s) => s.members.map((w) => w.namespace)))].sort();
  const nsIndex = new Map(namespaces.map((ns, i) => [ns, i]));
  const counts = scoped.map((s) => {
    const m = new Map<number, number>();
    for (const w of s.members) m.set(nsIndex.get(w.namespace) as number, (m.get(nsIndex.get(w.namespace) as number) ?? 0) + 1);
    return [...m];
  });
  const N = namespaces.length;
  const folded = new Map<number, { allowed: number; conditional: number; pairs: number }>();
  eachRow((row, allowed, conditional) => {
    for (let column = 0; column < scoped.length; column++) {
      const c = { allowed: allowed[column] as number, conditional: conditional[column] as number };
      if (c.allowed === PortSetTable.EMPTY && c.conditional === PortSetTable.EMPTY) continue;
      for (const [a, na] of counts[row] ?? []) {
        for (const [b, nb] of counts[column] ?? []) {
          const key = a * N + b;
          let f = folded.get(key);
          if (!f) folded.set(key, (f = { allowed: PortSetTable.EMPTY, conditional: PortSetTable.EMPTY, pairs: 0 }));
          f.allowed = ports.union(f.allowed, c.allowed);
          f.conditional = ports.union(f.conditional, c.conditional);
          f.pairs += na * nb;
        }
      }
    }
  });
  const groups: MatrixGroup[] = namespaces.map((ns) => ({ id: ns, members: scoped.flatMap((s) => s.members.filter((w) => w.namespace === ns).map(label)).sort() }));
  for (let a = 0; a < N; a++) {
    const byPorts = new Map<string, { allowed: number; conditional: number; to: string[] }>();
    for (let b = 0; b < N; b++) {
      const f = folded.get(a * N + b);
      if (!f) continue;
      connectedGroupPairs++;
      connectedWorkloadPairs += f.pairs;
      const conditional = ports.subtract(f.conditional, f.allowed);
      const key = `${f.allowed}|${conditional}`;
      let g = byPorts.get(key);
      if (!g) byPorts.set(key, (g = { allowed: f.allowed, conditional, to: [] }));
      g.to.push(namespaces[b] as string);
    }
    for (const g of sortedCells(byPorts.values(), fmt)) cells.push({ from: namespaces[a] as string, to: g.to, ports: g.ports, conditionalPorts: g.conditionalPorts });
  }
  return { version: NETWORK_RESULT_VERSION, query: 'matrix', cluster: queries.cluster.source, by: 'namespace', namespaces: [...wanted].sort(), workloadCount: scoped.reduce((n, s) => n + s.members.length, 0), groups, connectedGroupPairs, connectedWorkloadPairs, cells, notes };
}

/** A row's cells, in the order of their first destination (columns are visited in order). */
function sortedCells(groups: Iterable<{ allowed: number; conditional: number; to: string[] }>, fmt: (id: number) => string[]) {
  return [...groups].map((g) => ({ to: g.to, ports: fmt(g.allowed), conditionalPorts: fmt(g.conditional) }));
}
