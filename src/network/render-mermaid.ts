import type { NetworkResult } from '../analysis/kubernetes/network-query/results.js';
import { compareStrings } from '../text/order.js';
import { graphOf } from './graph.js';

/** Mermaid flowchart (for Markdown docs and pull requests): namespaces as subgraphs; ids are n1, n2, … since Mermaid ids cannot hold `/`. */

const label = (text: string): string => `"${text.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;

export function renderNetworkMermaid(result: NetworkResult): string {
  const { nodes, edges } = graphOf(result);
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i + 1}`]));
  const lines = ['flowchart LR'];
  const byNamespace = new Map<string, typeof nodes>();
  for (const n of nodes) if (n.namespace !== null) byNamespace.set(n.namespace, [...(byNamespace.get(n.namespace) ?? []), n]);
  [...byNamespace.keys()].sort(compareStrings).forEach((ns, i) => {
    lines.push(`  subgraph ns${i + 1}[${label(ns)}]`);
    for (const n of byNamespace.get(ns) ?? []) lines.push(`    ${ids.get(n.id) ?? ''}[${label(n.label)}]`);
    lines.push('  end');
  });
  for (const n of nodes) if (n.namespace === null) lines.push(`  ${ids.get(n.id) ?? ''}[${label(n.label)}]`);
  for (const e of edges) lines.push(`  ${ids.get(e.from) ?? ''} ${e.conditional ? '-.->' : '-->'}|${label(e.label)}| ${ids.get(e.to) ?? ''}`);
  return `${lines.join('\n')}\n`;
}
