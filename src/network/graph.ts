import type { NetworkResult } from '../analysis/kubernetes/network-query/results.js';

/**
 * A network answer as a graph for DOT and Mermaid: nodes (grouped by namespace where they
 * have one) and edges labelled with ports. Matrix nodes are connectivity classes (or
 * namespaces), so a large cluster stays a drawable graph.
 */

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** Drawn inside a box for the namespace; null outside any (addresses, mixed classes). */
  readonly namespace: string | null;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly conditional: boolean;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const MAX_MEMBERS = 4;
const portLabel = (ports: readonly string[], conditional: readonly string[]): string =>
  [ports.includes('*') ? 'any port' : ports.join(', '), conditional.length > 0 ? `maybe ${conditional.join(', ')}` : ''].filter((s) => s !== '').join('; ');
const namespaceOf = (workload: string): string => workload.slice(0, workload.indexOf('/'));

export function graphOf(result: NetworkResult): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const node = (id: string, label: string, namespace: string | null) => {
    if (!nodes.has(id)) nodes.set(id, { id, label, namespace });
    return id;
  };
  const workload = (w: string) => node(w, w.slice(w.indexOf('/') + 1), w.includes('/') ? namespaceOf(w) : null);
  if (result.query === 'can-reach') {
    for (const c of result.connections) {
      const from = workload(c.from);
      const to = workload(c.to);
      if (c.verdict !== 'denied') edges.push({ from, to, label: portLabel(c.ports, c.conditionalPorts), conditional: c.verdict === 'conditional' });
    }
  } else if (result.query === 'matrix') {
    for (const g of result.groups) {
      if (result.by === 'namespace') node(g.id, g.id, null);
      else {
        const namespaces = new Set(g.members.map(namespaceOf));
        const shown = g.members.slice(0, MAX_MEMBERS).map((m) => (namespaces.size === 1 ? m.slice(m.indexOf('/') + 1) : m));
        const more = g.members.length > MAX_MEMBERS ? [`… ${g.members.length - MAX_MEMBERS} more`] : [];
        node(g.id, [...shown, ...more].join('\n'), namespaces.size === 1 ? (namespaces.values().next().value as string) : null);
      }
    }
    for (const c of result.cells) for (const to of c.to) edges.push({ from: c.from, to, label: portLabel(c.ports, c.conditionalPorts), conditional: c.ports.length === 0 });
  } else {
    for (const s of result.sets) {
      const self = s.endpoint.includes('/') ? workload(s.endpoint) : node(s.endpoint, s.endpoint, null);
      for (const ns of s.namespaces) {
        for (const w of ns.workloads) {
          const other = workload(w.workload);
          const [from, to] = result.query === 'who-can-reach' ? [other, self] : [self, other];
          edges.push({ from, to, label: portLabel(w.ports, w.conditionalPorts), conditional: w.ports.length === 0 });
        }
      }
      const outside: [string, string, readonly string[], readonly string[]][] = [];
      if (s.outside) {
        if (s.outside.anyAddress.length > 0) outside.push(['any address', 'any address', s.outside.anyAddress, []]);
        for (const b of s.outside.ipBlocks) outside.push([`ipBlock ${b.cidr}${b.except.length > 0 ? ` except ${b.except.join(',')}` : ''}`, `${b.cidr}${b.except.length > 0 ? ` except ${b.except.join(', ')}` : ''}`, b.ports, []]);
        if (s.outside.internet.length > 0 || s.outside.internetPartly.length > 0) outside.push(['internet', 'internet', s.outside.internet, s.outside.internetPartly]);
      }
      for (const [id, label, ports, conditional] of outside) {
        const other = node(id, label, null);
        const [from, to] = result.query === 'who-can-reach' ? [other, self] : [self, other];
        edges.push({ from, to, label: portLabel(ports, conditional), conditional: ports.length === 0 });
      }
    }
  }
  return { nodes: [...nodes.values()], edges };
}
