import type { NetWorkload } from '../network-policy.js';
import { INTERNET } from './addresses.js';
import { evaluatePair, type End, type PairVerdict } from './evaluate.js';
import { formatPorts, subtractPorts } from './port-algebra.js';
import type { NetworkQueries } from './queries.js';
import type { PortSet } from '../network-ports.js';

/**
 * `zt network diff`: the connections a change opens and closes. Workloads are matched
 * across the two inputs by `namespace/Kind/name` (ids differ between a live cluster and
 * manifests). Every workload falls in one *joint class* — its connectivity class before
 * and after (or none, when it exists on one side only) — and two workloads of one joint
 * class gain and lose exactly the same connections, so the comparison runs over joint
 * class pairs, one row of each side at a time, never over pod pairs.
 *
 * For each change: the ports opened (allowed after, not before) or closed, and the rules
 * responsible: those admitting the connection on the side where it is allowed, and the
 * policies isolating it on the side where it is not.
 */

export interface DiffChange {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly ports: readonly string[];
  /** Why it is allowed on the side where it is: `namespace/policy ingress[0] from[1]`, `no policy isolates the source for egress`, …. */
  readonly allowedBy: readonly string[];
  /** The NetworkPolicy rules among `allowedBy`, structured: SARIF points at their lines. */
  readonly admittedBy: readonly DiffRule[];
  /** Why it is denied on the other side: the isolating policies with no admitting rule, or that a workload does not exist there. */
  readonly deniedBy: readonly string[];
}

export interface DiffRule {
  /** `namespace/name` of the NetworkPolicy. */
  readonly policy: string;
  /** `ingress[0]`, `egress[2]`. */
  readonly rule: string;
  /** `from[1]`/`to[0]`, or null for a rule that admits every peer. */
  readonly peer: string | null;
}

export interface NetworkDiffResult {
  readonly version: number;
  readonly query: 'diff';
  readonly before: string;
  readonly after: string;
  readonly opened: readonly DiffChange[];
  readonly closed: readonly DiffChange[];
  /** Workloads only in one input. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly notes: readonly string[];
}

const keyOf = (q: NetworkQueries, w: NetWorkload): string => `${w.namespace}/${q.cluster.workloadKinds.get(w.id) ?? 'Workload'}/${w.name}`;
const labelOf = (w: NetWorkload): string => `${w.namespace}/${w.name}`;

interface Joint {
  readonly before: number;
  readonly after: number;
  readonly members: string[];
}

export function networkDiff(before: NetworkQueries, after: NetworkQueries, labels: { before: string; after: string }, version: number): NetworkDiffResult {
  const byKey = new Map<string, { b?: NetWorkload; a?: NetWorkload }>();
  for (const w of before.cluster.workloads) byKey.set(keyOf(before, w), { b: w });
  for (const w of after.cluster.workloads) {
    const k = keyOf(after, w);
    byKey.set(k, { ...byKey.get(k), a: w });
  }
  const joints = new Map<string, Joint>();
  const added: string[] = [];
  const removed: string[] = [];
  for (const k of [...byKey.keys()].sort()) {
    const { b, a } = byKey.get(k) as { b?: NetWorkload; a?: NetWorkload };
    const ba = b ? (before.conn.atomOf.get(b.id) as number) : -1;
    const aa = a ? (after.conn.atomOf.get(a.id) as number) : -1;
    if (!b && a) added.push(labelOf(a));
    if (b && !a) removed.push(labelOf(b));
    const jk = `${ba}|${aa}`;
    let j = joints.get(jk);
    if (!j) joints.set(jk, (j = { before: ba, after: aa, members: [] }));
    j.members.push(labelOf((a ?? b) as NetWorkload));
  }
  const list = [...joints.values()];
  // One row per side at a time (keeping every row would hold classes² ids in memory).
  const rowOf = (q: NetworkQueries, atom: number): Int32Array | null => (atom < 0 || atom === q.conn.hostAtom ? null : q.rows.outbound(atom));
  /** Ports allowed (conditional ones included: a change that makes a path possible opens it) from one atom to another on one side. */
  const cell = (q: NetworkQueries, row: Int32Array | null, from: number, to: number): PortSet => {
    if (from < 0 || to < 0) return [];
    if (row && to !== q.conn.hostAtom) return q.conn.ports.get(row[to] as number);
    const v = evaluatePair(q.conn, { atom: from }, { atom: to });
    return q.conn.ports.get(q.conn.ports.union(v.allowed, v.conditional));
  };
  const opened: DiffChange[] = [];
  const closed: DiffChange[] = [];
  const explain = (q: NetworkQueries, from: End, to: End, ports: PortSet, fromLabel: string, toLabel: string): { allowedBy: string[]; admittedBy: DiffRule[]; deniedBy: string[] } => {
    const v: PairVerdict = evaluatePair(q.conn, from, to);
    const name = (p: number) => {
      const policy = q.conn.policies[p]?.policy;
      return policy ? `${policy.namespace}/${policy.name}` : '?';
    };
    const overlaps = (id: number) => ports.some((i) => q.conn.ports.get(id).some((j) => j.protocol === i.protocol && j.lo <= i.hi && i.lo <= j.hi));
    const allowedBy: string[] = [];
    const admittedBy = new Map<string, DiffRule>();
    const deniedBy: string[] = [];
    for (const [side, self] of [
      [v.egress, `${fromLabel} for egress`],
      [v.ingress, `${toLabel} for ingress`],
    ] as const) {
      if (!side.applies) continue;
      if (!side.isolated) {
        allowedBy.push(`no policy isolates ${self}`);
        continue;
      }
      const admitting = side.matches.filter((m) => overlaps(m.ports));
      if (admitting.length === 0) {
        const isolating = side.policies.map(name);
        deniedBy.push(`${isolating.length === 1 ? `policy ${isolating[0] ?? ''} isolates` : `policies ${isolating.join(', ')} isolate`} ${self} and admit${isolating.length === 1 ? 's' : ''} nothing on these ports`);
      }
      for (const m of admitting) {
        const rule: DiffRule = { policy: name(m.rule.policy), rule: `${m.rule.direction}[${m.rule.index}]`, peer: m.peer === null || m.peer < 0 ? null : `${m.rule.direction === 'ingress' ? 'from' : 'to'}[${m.peer}]` };
        const text = `${rule.policy} ${rule.rule}${rule.peer === null ? '' : ` ${rule.peer}`}`;
        allowedBy.push(text);
        admittedBy.set(text, rule);
      }
    }
    const sortedRules = [...admittedBy.keys()].sort().map((k) => admittedBy.get(k) as DiffRule);
    return { allowedBy: [...new Set(allowedBy)].sort(), admittedBy: sortedRules, deniedBy: [...new Set(deniedBy)].sort() };
  };
  const record = (target: DiffChange[], q: NetworkQueries, other: NetworkQueries, fromJ: Joint | null, toJ: Joint | null, fromAtoms: [number, number], toAtoms: [number, number], ports: PortSet, fromLabels: string[], toLabels: string[]) => {
    const fromEnd: End = fromJ ? { atom: fromAtoms[0] } : { address: INTERNET };
    const toEnd: End = toJ ? { atom: toAtoms[0] } : { address: INTERNET };
    const here = explain(q, fromEnd, toEnd, ports, fromLabels[0] ?? '?', toLabels[0] ?? '?');
    const missing = (fromJ && fromAtoms[1] < 0) || (toJ && toAtoms[1] < 0);
    const there = missing
      ? { deniedBy: [`${fromJ && fromAtoms[1] < 0 ? fromLabels[0] : toLabels[0]} does not exist on the other side`] }
      : explain(other, fromJ ? { atom: fromAtoms[1] } : { address: INTERNET }, toJ ? { atom: toAtoms[1] } : { address: INTERNET }, ports, fromLabels[0] ?? '?', toLabels[0] ?? '?');
    target.push({ from: fromLabels, to: toLabels, ports: ports.length === 0 ? [] : formatPorts(ports), allowedBy: here.allowedBy, admittedBy: here.admittedBy, deniedBy: there.deniedBy });
  };

  // Cells equal on both sides are most of them: after's port-set ids are translated once
  // into before's table, so a cell compares two integers.
  const toBefore: number[] = [];
  const translate = (idA: number): number => (toBefore[idA] ??= before.conn.ports.id(after.conn.ports.get(idA)));
  const pod = (q: NetworkQueries, atom: number) => atom >= 0 && atom !== q.conn.hostAtom;
  for (const f of list) {
    const rb = rowOf(before, f.before);
    const ra = rowOf(after, f.after);
    for (const t of list) {
      if (rb && ra && pod(before, t.before) && pod(after, t.after)) {
        if ((rb[t.before] as number) === translate(ra[t.after] as number)) continue;
      }
      const was = cell(before, rb, f.before, t.before);
      const now = cell(after, ra, f.after, t.after);
      const gained = subtractPorts(now, was);
      const lost = subtractPorts(was, now);
      if (gained.length > 0) record(opened, after, before, f, t, [f.after, f.before], [t.after, t.before], gained, f.members, t.members);
      if (lost.length > 0) record(closed, before, after, f, t, [f.before, f.after], [t.before, t.after], lost, f.members, t.members);
    }
    // From the internet (every public address, conditional ports included).
    const fromInternet = (q: NetworkQueries, atom: number): PortSet => {
      if (atom < 0) return [];
      const v = evaluatePair(q.conn, { address: INTERNET }, { atom });
      return q.conn.ports.get(q.conn.ports.union(v.allowed, v.conditional));
    };
    const was = fromInternet(before, f.before);
    const now = fromInternet(after, f.after);
    const gained = subtractPorts(now, was);
    const lost = subtractPorts(was, now);
    if (gained.length > 0) record(opened, after, before, null, f, [-1, -1], [f.after, f.before], gained, ['internet'], f.members);
    if (lost.length > 0) record(closed, before, after, null, f, [-1, -1], [f.before, f.after], lost, ['internet'], f.members);
  }
  const notes = ['ports allowed only conditionally (host-network pods, part of an address range) count as open: a change that makes a path possible opens it'];
  return { version, query: 'diff', before: labels.before, after: labels.after, opened, closed, added, removed, notes };
}
