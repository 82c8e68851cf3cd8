/**
 * NetworkPolicy ports: a rule's `ports` as a set of (protocol, port range) intervals.
 * Protocol defaults to TCP; an entry without `port` covers every port of its protocol;
 * `endPort` makes a range; a named port is resolved against the destination pod's
 * container ports (same name and protocol), and matches nothing where it does not resolve.
 * An absent or empty `ports` list covers every port of every protocol.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const protocols: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface PortInterval {
  readonly protocol: Protocol;
  readonly lo: number;
  readonly hi: number;
}

/** Sorted by protocol then port, disjoint, merged. */
export type PortSet = readonly PortInterval[];

export const ALL_PORTS: PortSet = protocols.map((protocol) => ({ protocol, lo: 1, hi: 65535 }));

/** A container port by name, as a named port resolves to it. */
export interface NamedPort {
  readonly protocol: Protocol;
  readonly port: number;
}

export interface RulePorts {
  /** Intervals from numeric entries and entries without a port (the same for every destination). */
  readonly numeric: PortSet;
  /** Named entries, resolved per destination pod. */
  readonly named: readonly { readonly protocol: Protocol; readonly name: string }[];
}

function protocolOf(value: unknown): Protocol {
  const p = typeof value === 'string' ? value.toUpperCase() : 'TCP';
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

export function normalisePorts(intervals: readonly PortInterval[]): PortSet {
  const sorted = [...intervals].sort((a, b) => protocolOrder(a.protocol) - protocolOrder(b.protocol) || a.lo - b.lo);
  const out: PortInterval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && last.protocol === i.protocol && i.lo <= last.hi + 1) {
      if (i.hi > last.hi) out[out.length - 1] = { protocol: last.protocol, lo: last.lo, hi: i.hi };
    } else {
      out.push(i);
    }
  }
  return out;
}

/** Parses a rule's `ports` as written in the API. */
export function parseRulePorts(ports: readonly unknown[] | undefined): RulePorts {
  if (!ports || ports.length === 0) return { numeric: ALL_PORTS, named: [] };
  const numeric: PortInterval[] = [];
  const named: { protocol: Protocol; name: string }[] = [];
  for (const raw of ports) {
    const entry = (raw ?? {}) as { protocol?: unknown; port?: unknown; endPort?: unknown };
    const protocol = protocolOf(entry.protocol);
    if (entry.port === undefined || entry.port === null) {
      numeric.push({ protocol, lo: 1, hi: 65535 });
    } else if (typeof entry.port === 'number') {
      const lo = entry.port;
      const end = typeof entry.endPort === 'number' && entry.endPort >= lo ? entry.endPort : lo;
      numeric.push({ protocol, lo, hi: end });
    } else if (typeof entry.port === 'string') {
      named.push({ protocol, name: entry.port });
    }
  }
  return { numeric: normalisePorts(numeric), named };
}

/** The ports a rule allows towards one destination pod (named ports resolved against its container ports). */
export function resolvePorts(rule: RulePorts, namedPorts: ReadonlyMap<string, readonly NamedPort[]>): PortSet {
  if (rule.named.length === 0) return rule.numeric;
  const extra: PortInterval[] = [];
  for (const n of rule.named) {
    for (const p of namedPorts.get(n.name) ?? []) {
      if (p.protocol === n.protocol) extra.push({ protocol: p.protocol, lo: p.port, hi: p.port });
    }
  }
  return extra.length === 0 ? rule.numeric : normalisePorts([...rule.numeric, ...extra]);
}

/** Protocols in PortSet order (TCP, UDP, SCTP). */
export const protocolOrder = (p: Protocol): number => protocols.indexOf(p);

/**
 * The one walk over two port sets: every overlap of an interval of `a` with one of `b`,
 * in order, as (protocol, lo, hi); stops, returning true, when `visit` returns true.
 * Linear in the two sets' lengths (both sorted and merged, as normalisePorts leaves them).
 */
export function forEachOverlap(a: PortSet, b: PortSet, visit: (protocol: Protocol, lo: number, hi: number) => boolean | void): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as PortInterval;
    const y = b[j] as PortInterval;
    const c = protocolOrder(x.protocol) - protocolOrder(y.protocol);
    if (c < 0) i++;
    else if (c > 0) j++;
    else {
      const lo = Math.max(x.lo, y.lo);
      const hi = Math.min(x.hi, y.hi);
      if (lo <= hi && visit(x.protocol, lo, hi) === true) return true;
      if (x.hi < y.hi) i++;
      else j++;
    }
  }
  return false;
}

export function portsOverlap(a: PortSet, b: PortSet): boolean {
  return forEachOverlap(a, b, () => true);
}

export function portsContain(set: PortSet, protocol: Protocol, port: number): boolean {
  return set.some((i) => i.protocol === protocol && i.lo <= port && port <= i.hi);
}

export function portSetKey(set: PortSet): string {
  return set.map((i) => `${i.protocol}:${i.lo}-${i.hi}`).join(',');
}
