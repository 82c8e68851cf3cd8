import type { NetworkResult } from '../analysis/kubernetes/network-query/results.js';
import { compareStrings } from '../text/order.js';
import { graphOf } from './graph.js';

/** Graphviz DOT: namespaces as clusters, edges labelled with ports, dashed when only conditional. */

const q = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export function renderNetworkDot(result: NetworkResult): string {
  const { nodes, edges } = graphOf(result);
  const lines = ['digraph zt_network {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  const byNamespace = new Map<string, typeof nodes>();
  for (const n of nodes) if (n.namespace !== null) byNamespace.set(n.namespace, [...(byNamespace.get(n.namespace) ?? []), n]);
  [...byNamespace.keys()].sort(compareStrings).forEach((ns, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${q(ns)};`);
    for (const n of byNamespace.get(ns) ?? []) lines.push(`    ${q(n.id)} [label=${q(n.label)}];`);
    lines.push('  }');
  });
  for (const n of nodes) if (n.namespace === null) lines.push(`  ${q(n.id)} [label=${q(n.label)}${n.id === 'internet' ? ', shape=ellipse' : ''}];`);
  for (const e of edges) lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.label)}${e.conditional ? ', style=dashed' : ''}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
