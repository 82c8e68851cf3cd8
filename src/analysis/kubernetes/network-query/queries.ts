import type { NetWorkload } from '../network-policy.js';
import { normalisePorts, portsContain, type PortSet, type Protocol } from '../network-ports.js';
import { INTERNET } from './addresses.js';
import { Connectivity, type Atom } from './connectivity-model.js';
import { describePeer } from './describe.js';
import { EndpointError, resolveEndpoint, type ResolvedEndpoint } from './endpoints.js';
import { evaluatePair, type End, type PairVerdict, type RuleMatch, type SideVerdict } from './evaluate.js';
import { formatPorts, PortSetTable, subtractPorts } from './port-algebra.js';
import type { QueryCluster } from './query-cluster.js';
import { PortError, resolveQueryPort, type QueryPort } from './query-port.js';
import {
  NETWORK_RESULT_VERSION,
  type AdmittingRule,
  type CanReachResult,
  type ConnectionAnswer,
  type LayerNote,
  type OutsideWorld,
  type PeerNamespace,
  type ReachSet,
  type ReachSetResult,
  type SideExplanation,
  type Verdict,
} from './results.js';
import { RowComputer } from './rows.js';

/**
 * The network questions a user asks of one cluster (`zt network …`), answered over the
 * connectivity classes of connectivity-model.ts and explained in terms of the policies,
 * rules and peers that decide them. Pure: the same cluster gives the same answers, in the
 * same order.
 */

/** The mesh/L7 layers zt models for a workload (filled in by the caller from the derived facts). */
export type LayersOf = (workloadId: string, role: 'source' | 'destination') => readonly LayerNote[];

/** A layer evaluated per connection (Istio): what it lets through of the ports NetworkPolicy allows; null when it does not apply. */
export type ConnectionLayer = (
  source: NetWorkload | null,
  destination: NetWorkload,
  offered: { readonly allowed: PortSet; readonly conditional: PortSet },
) => { readonly note: LayerNote; readonly allowed: PortSet; readonly conditional: PortSet } | null;

const label = (w: NetWorkload): string => `${w.namespace}/${w.name}`;

export class NetworkQueries {
  readonly cluster: QueryCluster;
  readonly conn: Connectivity;
  private rowsCache: RowComputer | undefined;

  constructor(cluster: QueryCluster) {
    this.cluster = cluster;
    this.conn = new Connectivity(cluster);
  }

  get rows(): RowComputer {
    return (this.rowsCache ??= new RowComputer(this.conn));
  }

  resolve(spec: string): ResolvedEndpoint {
    return resolveEndpoint(this.cluster, spec);
  }

  private fmt(id: number): string[] {
    return id === PortSetTable.EMPTY ? [] : formatPorts(this.conn.ports.get(id));
  }

  private policyName(p: number): string {
    const policy = this.conn.policies[p]?.policy;
    return policy ? `${policy.namespace}/${policy.name}` : '?';
  }

  private admitting(m: RuleMatch): AdmittingRule {
    const peerKey = m.rule.direction === 'ingress' ? 'from' : 'to';
    return {
      policy: this.policyName(m.rule.policy),
      rule: `${m.rule.direction}[${m.rule.index}]`,
      peer: m.peer === null || m.peer < 0 ? null : `${peerKey}[${m.peer}]`,
      peerText: m.peer === null || m.peer < 0 ? 'every peer' : describePeer(m.rule.rule.peers?.[m.peer]),
      ports: this.fmt(m.ports),
      conditional: m.conditional,
    };
  }

  private explainSide(side: SideVerdict, direction: 'ingress' | 'egress', self: string, other: string, isHost: boolean, port: { protocol: Protocol; port: number } | null): SideExplanation {
    const matches = port ? side.matches.filter((m) => portsContain(this.conn.ports.get(m.ports), port.protocol, port.port)) : side.matches;
    const admittedBy = matches.map((m) => this.admitting(m)).sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : (a.peer ?? '') < (b.peer ?? '') ? -1 : 1));
    const policies = side.policies.map((p) => this.policyName(p)).sort();
    const verb = direction === 'ingress' ? 'accept connections' : 'open connections';
    const on = port ? ` on ${port.protocol}/${port.port}` : '';
    let summary: string;
    if (!side.applies) {
      summary = isHost
        ? `${self} runs on the host network: NetworkPolicy does not apply to it (its traffic is its node's), so this side does not restrict it`
        : `${self} is outside the cluster: only the pod's side decides`;
    } else if (!side.isolated) {
      summary = `no NetworkPolicy selects ${self} for ${direction}: it may ${verb} on any port`;
    } else {
      const first = admittedBy.find((a) => !a.conditional) ?? admittedBy[0];
      summary = first
        ? `${self} is isolated for ${direction} by ${policies.join(', ')}; ${first.policy} ${first.rule} ${first.peer ?? '(no peer restriction)'} admits ${other}${on}${first.conditional ? ' conditionally' : ''}`
        : `${self} is isolated for ${direction} by ${policies.join(', ')}; no ${direction} rule of them admits ${other}${on}`;
    }
    return {
      endpoint: self,
      subject: side.applies,
      isolated: side.isolated,
      policies,
      admittedBy,
      ports: port ? (portsContain(this.conn.ports.get(side.allowed), port.protocol, port.port) ? [`${port.protocol}/${port.port}`] : []) : this.fmt(side.allowed),
      conditionalPorts: port ? (portsContain(this.conn.ports.get(side.conditional), port.protocol, port.port) ? [`${port.protocol}/${port.port}`] : []) : this.fmt(side.conditional),
      summary,
    };
  }

  private endsOf(resolved: ResolvedEndpoint): { end: End; label: string; workload: NetWorkload | null }[] {
    if (resolved.kind === 'address') return [{ end: { address: resolved.endpoint }, label: resolved.endpoint.label, workload: null }];
    return resolved.workloads.map((w) => ({ end: { atom: this.conn.atomOf.get(w.id) as number }, label: label(w), workload: w }));
  }

  /** `zt network can-reach`: every (source, destination) pair the endpoints stand for, with the reasons. */
  canReach(fromSpec: string, toSpec: string, port: QueryPort | null, layersOf: LayersOf = () => [], connectionLayer: ConnectionLayer = () => null): CanReachResult {
    const from = this.resolve(fromSpec);
    const to = this.resolve(toSpec);
    const notes: string[] = [];
    for (const r of [from, to]) if (r.kind === 'workloads' && r.workloads.length === 0) notes.push(`${r.spec} matches no workload: there is nothing to answer for it`);
    if (from.kind === 'address' && to.kind === 'address') {
      throw new EndpointError(`${fromSpec} → ${toSpec}: both ends are outside the cluster`, 'NetworkPolicy only governs connections with a pod at one end at least; name a workload on one side.');
    }
    const sources = this.endsOf(from);
    const destinations = this.endsOf(to);
    if (port?.kind === 'name') {
      if (to.kind === 'address') throw new PortError(`--port ${port.text}: a port name needs a pod to resolve against, and ${toSpec} is an address`, 'Give a number, e.g. --port 443/TCP.');
      if (destinations.length > 0 && destinations.every((d) => resolveQueryPort(port, d.workload).length === 0)) {
        const names = [...new Set(destinations.flatMap((d) => [...(d.workload?.namedPorts.keys() ?? [])]))].sort();
        throw new PortError(
          `--port ${port.text}: no container of ${toSpec} declares a port named "${port.name}"${port.protocol ? ` with protocol ${port.protocol}` : ''}`,
          names.length > 0 ? `Its named ports: ${names.join(', ')}. Or give a number, e.g. --port 8080/TCP.` : 'It declares no named ports; give a number, e.g. --port 8080/TCP.',
        );
      }
    }
    const byAtoms = new Map<string, PairVerdict>();
    const connections: ConnectionAnswer[] = [];
    for (const s of sources) {
      for (const d of destinations) {
        const key = `${'atom' in s.end ? s.end.atom : s.label}|${'atom' in d.end ? d.end.atom : d.label}`;
        let verdict = byAtoms.get(key);
        if (!verdict) byAtoms.set(key, (verdict = evaluatePair(this.conn, s.end, d.end)));
        connections.push(this.answer(s, d, verdict, port, layersOf, connectionLayer));
      }
    }
    return { version: NETWORK_RESULT_VERSION, query: 'can-reach', cluster: this.cluster.source, from: from.spec, to: to.spec, port: port?.text ?? null, notes, connections };
  }

  private answer(
    s: { end: End; label: string; workload: NetWorkload | null },
    d: { end: End; label: string; workload: NetWorkload | null },
    v: PairVerdict,
    port: QueryPort | null,
    layersOf: LayersOf,
    connectionLayer: ConnectionLayer,
  ): ConnectionAnswer {
    const { ports } = this.conn;
    const notes: string[] = [];
    const isHost = (e: End) => 'atom' in e && e.atom === this.conn.hostAtom;
    const loopback = s.workload !== null && s.workload === d.workload && this.cluster.workloadKinds.get(s.workload.id) === 'Pod';
    if (s.workload !== null && s.workload === d.workload && !loopback) {
      notes.push('a pod always reaches itself over loopback; this answer is for one pod of the workload reaching another');
    }
    if (isHost(s.end) || isHost(d.end)) {
      notes.push('host-network pods are outside NetworkPolicy (most CNIs treat their traffic as the node\'s); an ipBlock admits them only if it holds the node\'s address, which zt does not collect: such ports are conditional; a pod is also always reachable from its own node');
    }
    const layers = [...(s.workload ? layersOf(s.workload.id, 'source') : []), ...(d.workload ? layersOf(d.workload.id, 'destination') : [])];
    const targets = port ? resolveQueryPort(port, d.workload) : null;
    if (port?.kind === 'name' && targets?.length === 0) notes.push(`${d.label} declares no container port named "${port.name}": nothing listens there to connect to`);
    const first = targets?.[0] ?? null;
    let allowedPorts: string[];
    let conditionalPorts: string[];
    if (targets) {
      allowedPorts = targets.filter((t) => portsContain(ports.get(v.allowed), t.protocol, t.port)).map((t) => `${t.protocol}/${t.port}`);
      conditionalPorts = targets.filter((t) => portsContain(ports.get(v.conditional), t.protocol, t.port)).map((t) => `${t.protocol}/${t.port}`);
    } else {
      allowedPorts = this.fmt(v.allowed);
      conditionalPorts = this.fmt(v.conditional);
    }
    if (loopback) allowedPorts = targets ? targets.map((t) => `${t.protocol}/${t.port}`) : ['*'];
    const verdict: Verdict = allowedPorts.length > 0 ? 'allowed' : conditionalPorts.length > 0 ? 'conditional' : 'denied';
    if (loopback) notes.push('the same pod: loopback is always allowed, NetworkPolicy does not see it');
    for (const e of [s, d]) {
      if ('address' in e.end && conditionalPorts.length > 0) {
        notes.push(`the ipBlocks admit only some addresses of ${e.label} (their ranges and except lists${e.label === 'internet' ? '; the internet is every public IPv4 and IPv6 address' : ''}): the conditional ports hold for those addresses only`);
      }
    }
    if (port && port.kind === 'number' && d.workload) {
      const declared = [...d.workload.namedPorts.values()].flat().some((p) => p.protocol === port.protocol && p.port === port.port);
      if (!declared && d.workload.namedPorts.size > 0) notes.push(`${d.label} declares no named container port ${port.protocol}/${port.port} (declared ports are informational: the policies are answered for the port anyway)`);
    }
    // Layers evaluated per connection see what NetworkPolicy lets through (loopback never leaves the pod).
    const asSet = (ids: number, listed: string[]): PortSet =>
      targets ? normalisePorts(targets.filter((t) => listed.includes(`${t.protocol}/${t.port}`)).map((t) => ({ protocol: t.protocol, lo: t.port, hi: t.port }))) : ports.get(ids);
    const evaluated = d.workload && !loopback ? connectionLayer(s.workload, d.workload, { allowed: asSet(v.allowed, allowedPorts), conditional: asSet(v.conditional, conditionalPorts) }) : null;
    let withLayers: ConnectionAnswer['withLayers'] = null;
    if (evaluated) {
      const shown = (set: PortSet) => (set.length === 0 ? [] : targets ? set.map((i) => `${i.protocol}/${i.lo}`) : formatPorts(set));
      const p = shown(evaluated.allowed);
      const c = shown(subtractPorts(evaluated.conditional, evaluated.allowed));
      withLayers = { verdict: p.length > 0 ? 'allowed' : c.length > 0 ? 'conditional' : 'denied', ports: p, conditionalPorts: c };
      layers.unshift({ ...evaluated.note, ports: p, conditionalPorts: c });
    }
    return {
      from: s.label,
      to: d.label,
      verdict,
      ports: allowedPorts,
      conditionalPorts: loopback ? [] : conditionalPorts,
      loopback,
      egress: this.explainSide(v.egress, 'egress', s.label, d.label, isHost(s.end), first),
      ingress: this.explainSide(v.ingress, 'ingress', d.label, s.label, isHost(d.end), first),
      layers,
      withLayers,
      notes,
    };
  }

  /** `zt network who-can-reach` (direction 'in') and `reachable-from` ('out'). */
  reachSets(spec: string, direction: 'in' | 'out'): ReachSetResult {
    const resolved = this.resolve(spec);
    const notes: string[] = [];
    if (resolved.kind === 'workloads' && resolved.workloads.length === 0) notes.push(`${resolved.spec} matches no workload: there is nothing to answer for it`);
    const sets: ReachSet[] = [];
    const byAtom = new Map<number, { namespaces: PeerNamespace[]; workloadCount: number; outside: OutsideWorld }>();
    for (const e of this.endsOf(resolved)) {
      if (!('atom' in e.end)) {
        const { namespaces, workloadCount } = this.peers((atom) => (direction === 'in' ? evaluatePair(this.conn, { atom }, e.end) : evaluatePair(this.conn, e.end, { atom })), null);
        sets.push({ endpoint: e.label, namespaces, workloadCount, outside: null });
        continue;
      }
      const atom = e.end.atom;
      let computed = byAtom.get(atom);
      if (!computed) {
        const row = atom === this.conn.hostAtom ? null : direction === 'in' ? this.rows.inbound(atom) : this.rows.outbound(atom);
        const pairWithHost = (other: number) => (direction === 'in' ? evaluatePair(this.conn, { atom: other }, { atom }) : evaluatePair(this.conn, { atom }, { atom: other }));
        const { namespaces, workloadCount } = this.peers((other) => (row && other !== this.conn.hostAtom ? { allowed: row[other] as number, conditional: PortSetTable.EMPTY } : pairWithHost(other)), null);
        computed = { namespaces, workloadCount, outside: this.outside(atom, direction) };
        byAtom.set(atom, computed);
      }
      sets.push({ endpoint: e.label, ...computed });
    }
    return { version: NETWORK_RESULT_VERSION, query: direction === 'in' ? 'who-can-reach' : 'reachable-from', cluster: this.cluster.source, endpoint: resolved.spec, notes, sets };
  }

  /** The workloads of every atom with a non-empty cell, grouped by namespace. */
  private peers(cell: (atom: number) => { allowed: number; conditional: number }, only: ReadonlySet<string> | null): { namespaces: PeerNamespace[]; workloadCount: number } {
    const byNamespace = new Map<string, { workload: string; ports: string[]; conditionalPorts: string[] }[]>();
    let workloadCount = 0;
    for (const atom of this.conn.atoms) {
      const c = cell(atom.index);
      if (c.allowed === PortSetTable.EMPTY && c.conditional === PortSetTable.EMPTY) continue;
      const ports = this.fmt(c.allowed);
      const conditionalPorts = this.fmt(c.conditional);
      for (const w of atom.workloads) {
        if (only && !only.has(w.namespace)) continue;
        let list = byNamespace.get(w.namespace);
        if (!list) byNamespace.set(w.namespace, (list = []));
        list.push({ workload: label(w), ports, conditionalPorts });
        workloadCount++;
      }
    }
    const namespaces = [...byNamespace.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([namespace, workloads]) => ({ namespace, workloads: workloads.sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0)) }));
    return { namespaces, workloadCount };
  }

  /** What outside the cluster an atom accepts connections from ('in') or may connect to ('out'). */
  private outside(atom: number, direction: 'in' | 'out'): OutsideWorld {
    const conn = this.conn;
    const internet = direction === 'in' ? evaluatePair(conn, { address: INTERNET }, { atom }) : evaluatePair(conn, { atom }, { address: INTERNET });
    const isolated = atom !== conn.hostAtom && (direction === 'in' ? conn.ingressIsolated(atom) : conn.egressIsolated(atom));
    let anyAddress = isolated ? PortSetTable.EMPTY : PortSetTable.ALL;
    const ipBlocks: OutsideWorld['ipBlocks'][number][] = [];
    if (isolated) {
      const policies = direction === 'in' ? conn.ingressPolicies[atom] : conn.egressPolicies[atom];
      for (const p of policies ?? []) {
        for (const rule of (direction === 'in' ? conn.policies[p]?.ingress : conn.policies[p]?.egress) ?? []) {
          const ports = direction === 'in' ? conn.portsTowards(rule, atom) : rule.numericPorts;
          if (ports === PortSetTable.EMPTY) continue;
          if (rule.peerAtoms === null) anyAddress = conn.ports.union(anyAddress, ports);
          for (const b of rule.ipBlocks) ipBlocks.push({ cidr: b.cidr, except: [...b.except], ports: this.fmt(ports), policy: this.policyName(p), rule: `${rule.direction}[${rule.index}]` });
        }
      }
    }
    ipBlocks.sort((a, b) => (a.cidr < b.cidr ? -1 : a.cidr > b.cidr ? 1 : a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : a.rule < b.rule ? -1 : 1));
    return { anyAddress: this.fmt(anyAddress), ipBlocks, internet: this.fmt(internet.allowed), internetPartly: this.fmt(internet.conditional) };
  }

  /** Workloads of an atom, for callers that report by workload. */
  workloadsOf(atom: number): readonly NetWorkload[] {
    return (this.conn.atoms[atom] as Atom).workloads;
  }
}
