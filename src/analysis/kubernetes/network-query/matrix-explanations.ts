import type { ConnectionLayer, NetworkQueries, LayersOf } from './queries.js';
import type { ConnectionAnswer, MatrixResult } from './results.js';

/**
 * The `can-reach` answer behind each cell of a workload matrix, for the HTML page (a click
 * on a cell or an edge shows why). Every workload of a connectivity class has the same
 * NetworkPolicy answers, so one pair per class pair is explained: the first workload of
 * each. A page cannot ask later, so the answers are computed now, within bounds: every
 * class pair while the classes are few, else the connected pairs only, up to `maxPairs`.
 */

export interface MatrixExplanations {
  /** `<from group>><to group>` → the answer for the first workload of each. */
  readonly pairs: ReadonlyMap<string, ConnectionAnswer>;
  /** Which pairs have an answer: `all`, `connected` (the denied ones have none), or `some` (the bound was reached). */
  readonly coverage: 'all' | 'connected' | 'some';
}

export interface ExplainLimits {
  /** Every class pair is explained up to this many classes (their square is the work). */
  readonly allPairsUpTo: number;
  readonly maxPairs: number;
}

export const DEFAULT_EXPLAIN_LIMITS: ExplainLimits = { allPairsUpTo: 60, maxPairs: 5_000 };

export function explainMatrix(queries: NetworkQueries, matrix: MatrixResult, layersOf: LayersOf, connectionLayer?: ConnectionLayer, limits: ExplainLimits = DEFAULT_EXPLAIN_LIMITS): MatrixExplanations {
  const pairs = new Map<string, ConnectionAnswer>();
  if (matrix.by !== 'workload') return { pairs, coverage: 'some' };
  // Members are `ns/name`; the query needs `ns/Kind/name` when two kinds share a name.
  const spec = new Map<string, string>();
  for (const w of queries.cluster.workloads) {
    const label = `${w.namespace}/${w.name}`;
    if (!spec.has(label)) spec.set(label, `${w.namespace}/${queries.cluster.workloadKinds.get(w.id) ?? 'Pod'}/${w.name}`);
  }
  const first = new Map(matrix.groups.map((g) => [g.id, g.members[0] as string]));
  const explain = (from: string, to: string): void => {
    const a = spec.get(first.get(from) as string);
    const b = spec.get(first.get(to) as string);
    if (a === undefined || b === undefined) return;
    const answer = queries.canReach(a, b, null, layersOf, connectionLayer).connections[0];
    if (answer) pairs.set(`${from}>${to}`, answer);
  };
  if (matrix.groups.length <= limits.allPairsUpTo) {
    for (const f of matrix.groups) for (const t of matrix.groups) explain(f.id, t.id);
    return { pairs, coverage: 'all' };
  }
  for (const cell of matrix.cells) {
    for (const to of cell.to) {
      if (pairs.size >= limits.maxPairs) return { pairs, coverage: 'some' };
      explain(cell.from, to);
    }
  }
  return { pairs, coverage: 'connected' };
}
