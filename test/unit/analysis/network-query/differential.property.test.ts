import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddressEndpoint } from '../../../../src/analysis/kubernetes/network-query/addresses.js';
import { Connectivity } from '../../../../src/analysis/kubernetes/network-query/connectivity-model.js';
import { evaluatePair, type End } from '../../../../src/analysis/kubernetes/network-query/evaluate.js';
import { portsContain } from '../../../../src/analysis/kubernetes/network-ports.js';
import { connectivityMatrix } from '../../../../src/analysis/kubernetes/network-query/matrix.js';
import { NetworkQueries } from '../../../../src/analysis/kubernetes/network-query/queries.js';
import { RowComputer } from '../../../../src/analysis/kubernetes/network-query/rows.js';
import { policy, queryCluster, type PodSpec, type PortSpec } from './support.js';

// Differential test: the query engine (connectivity classes, rule compilation, rows)
// against a brute-force evaluator written here from the Kubernetes NetworkPolicy
// documentation only, one (source, destination, protocol, port) at a time, over the raw
// policy objects. It shares no code with the engine.

type Protocol = 'TCP' | 'UDP' | 'SCTP';
type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PortEntry {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PortEntry[];
}
interface Policy {
  name: string;
  namespace: string;
  podSelector: Selector;
  policyTypes: ('Ingress' | 'Egress')[] | null;
  ingress: Rule[];
  egress: Rule[];
}

// ---- the brute-force evaluator --------------------------------------------------------

type Tri = 0 | 1 | 2; // denied, conditional, allowed
type Ep = { pod: PodSpec } | { ip: string };

function matches(sel: Selector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = k(labels, e.key);
    const vals = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(labels[e.key] as string))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(labels[e.key] as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const k = (o: Labels, key: string) => Object.prototype.hasOwnProperty.call(o, key);

function ipv4(text: string): number {
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const lo = Math.floor(ipv4(base) / size) * size;
  return ipv4(ip) >= lo && ipv4(ip) < lo + size;
}

function bruteVerdict(namespaces: Record<string, Labels>, policies: Policy[], from: Ep, to: Ep, protocol: Protocol, port: number): Tri {
  const nsLabels = (ns: string): Labels => ({ ...namespaces[ns], 'kubernetes.io/metadata.name': ns });
  const types = (p: Policy) => p.policyTypes ?? (p.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
  const subject = (e: Ep): PodSpec | null => ('pod' in e && e.pod.hostNetwork !== true ? e.pod : null);
  const portOk = (ports: PortEntry[] | undefined, dst: Ep): boolean => {
    if (!ports || ports.length === 0) return true;
    return ports.some((entry) => {
      if ((entry.protocol ?? 'TCP') !== protocol) return false;
      if (entry.port === undefined) return true;
      if (typeof entry.port === 'number') return port >= entry.port && port <= (entry.endPort ?? entry.port);
      const pod = subject(dst);
      return !!pod && pod.ports.some(([name, p, proto]) => name === entry.port && proto === protocol && p === port);
    });
  };
  const peerAdmits = (peer: Peer, policyNs: string, other: Ep): Tri => {
    if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock) return 2;
    if ('ip' in other) {
      if (!peer.ipBlock) return 0;
      return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c)) ? 2 : 0;
    }
    if (other.pod.hostNetwork === true) return peer.ipBlock ? 1 : 0;
    if (peer.ipBlock) return 0;
    if (peer.namespaceSelector ? !matches(peer.namespaceSelector, nsLabels(other.pod.namespace)) : other.pod.namespace !== policyNs) return 0;
    return !peer.podSelector || matches(peer.podSelector, other.pod.labels) ? 2 : 0;
  };
  const side = (direction: 'Ingress' | 'Egress', self: Ep, other: Ep): Tri => {
    const pod = subject(self);
    if (!pod) return 2;
    const isolating = policies.filter((p) => p.namespace === pod.namespace && matches(p.podSelector, pod.labels) && types(p).includes(direction));
    if (isolating.length === 0) return 2;
    let best: Tri = 0;
    for (const p of isolating) {
      for (const rule of direction === 'Ingress' ? p.ingress : p.egress) {
        if (!portOk(rule.ports, to)) continue;
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        if (!peers || peers.length === 0) return 2;
        for (const peer of peers) best = Math.max(best, peerAdmits(peer, p.namespace, other)) as Tri;
      }
    }
    return best;
  };
  return Math.min(side('Egress', from, to), side('Ingress', to, from)) as Tri;
}

// ---- generators ---------------------------------------------------------------------

const NAMESPACES = ['x', 'y', 'z'];
const selector: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b', 'web'), { maxKeys: 2 }) }),
  fc.record({
    matchExpressions: fc.array(
      fc.record({ key: fc.constantFrom('app', 'tier', 'env', 'team'), operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const), values: fc.subarray(['a', 'b', 'web', 'prod', 'x']) }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);
const nsSelector: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': fc.constantFrom(...NAMESPACES) }) }),
  fc.record({ matchLabels: fc.record({ env: fc.constantFrom('prod', 'dev') }) }),
  fc.constant<Selector>({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }),
);
const CIDRS = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '203.0.113.0/24', '10.0.0.5/32', '192.168.0.0/16'];
const peer: fc.Arbitrary<Peer> = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: nsSelector }),
  fc.record({ namespaceSelector: nsSelector, podSelector: selector }),
  fc.record({ ipBlock: fc.record({ cidr: fc.constantFrom(...CIDRS), except: fc.subarray(['10.1.0.0/16', '10.0.0.5/32', '203.0.113.7/32']) }) }),
  fc.constant({}),
);
const portEntry: fc.Arbitrary<PortEntry> = fc.oneof(
  fc.record({ protocol: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP') }, { requiredKeys: [] }),
  fc.record({ protocol: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(53, 80, 81, 8080) }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom<Protocol>('TCP', 'UDP'), port: fc.constantFrom(79, 80), endPort: fc.constantFrom(81, 8080) }, { requiredKeys: ['port', 'endPort'] }),
  fc.record({ protocol: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP'), port: fc.constantFrom('http', 'dns', 'sctp', 'nope') }, { requiredKeys: ['port'] }),
);
const rule = (key: 'from' | 'to'): fc.Arbitrary<Rule> =>
  fc.record({ [key]: fc.oneof(fc.constant([]), fc.array(peer, { minLength: 1, maxLength: 2 })), ports: fc.array(portEntry, { maxLength: 2 }) }, { requiredKeys: [] });
const policyArb = (i: number): fc.Arbitrary<Policy> =>
  fc.record({
    name: fc.constant(`p${i}`),
    namespace: fc.constantFrom(...NAMESPACES),
    podSelector: selector,
    policyTypes: fc.constantFrom(null, ['Ingress' as const], ['Egress' as const], ['Ingress' as const, 'Egress' as const]),
    ingress: fc.array(rule('from'), { maxLength: 2 }),
    egress: fc.array(rule('to'), { maxLength: 2 }),
  });
const PORT_CHOICES: PortSpec[][] = [[], [['http', 80, 'TCP']], [['http', 8080, 'TCP'], ['dns', 53, 'UDP']], [['sctp', 81, 'SCTP'], ['http', 81, 'TCP']]];
const podArb = (i: number): fc.Arbitrary<PodSpec> =>
  fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constant(`w${i}`),
    labels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b', 'web'), { maxKeys: 2 }),
    ports: fc.constantFrom(...PORT_CHOICES),
    hostNetwork: fc.constantFrom(false, false, false, true),
  });
const world = fc.record({
  envs: fc.tuple(fc.constantFrom('prod', 'dev'), fc.constantFrom('prod', 'dev'), fc.constantFrom('prod', 'dev')),
  pods: fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i)))),
  policies: fc.integer({ min: 0, max: 5 }).chain((n) => (n === 0 ? fc.constant([] as Policy[]) : fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i))))),
});

const ADDRESSES = ['10.0.0.5', '10.1.2.3', '192.168.1.1', '203.0.113.7', '8.8.8.8'];
const CHECKS: [Protocol, number][] = (['TCP', 'UDP', 'SCTP'] as Protocol[]).flatMap((p) => [53, 80, 81, 8080, 9999].map((n) => [p, n] as [Protocol, number]));

describe('query engine vs an independent brute-force evaluator', () => {
  it('agrees on every pod pair, address, protocol and port (pair verdicts and rows)', () => {
    fc.assert(
      fc.property(world, ({ envs, pods, policies }) => {
        const namespaces = Object.fromEntries(NAMESPACES.map((n, i) => [n, { env: envs[i] as string }]));
        const cluster = queryCluster(namespaces, pods, policies.map((p) => policy(p.name, p.namespace, { ...p })));
        const conn = new Connectivity(cluster);
        const rows = new RowComputer(conn);
        const atom = (p: PodSpec) => conn.atomOf.get(cluster.workloads.find((w) => w.name === p.name)?.id ?? '') as number;
        const engine = (from: End, to: End, protocol: Protocol, port: number): number => {
          const v = evaluatePair(conn, from, to);
          return portsContain(conn.ports.get(v.allowed), protocol, port) ? 2 : portsContain(conn.ports.get(v.conditional), protocol, port) ? 1 : 0;
        };
        const wrong: string[] = [];
        const check = (got: number, want: number, what: string) => {
          if (got !== want) wrong.push(`${what}: engine ${got}, brute force ${want}`);
        };
        for (const a of pods) {
          const out = rows.outbound(atom(a));
          for (const b of pods) {
            const inn = rows.inbound(atom(b));
            for (const [protocol, port] of CHECKS) {
              const want = bruteVerdict(namespaces, policies, { pod: a }, { pod: b }, protocol, port);
              check(engine({ atom: atom(a) }, { atom: atom(b) }, protocol, port), want, `${a.name} → ${b.name} ${protocol}/${port}`);
              if (a.hostNetwork !== true && b.hostNetwork !== true) {
                check(portsContain(conn.ports.get(out[atom(b)] as number), protocol, port) ? 2 : 0, want, `outbound row ${a.name} → ${b.name} ${protocol}/${port}`);
                check(portsContain(conn.ports.get(inn[atom(a)] as number), protocol, port) ? 2 : 0, want, `inbound row ${a.name} → ${b.name} ${protocol}/${port}`);
              }
            }
          }
          for (const ip of ADDRESSES) {
            const address = { address: parseAddressEndpoint('ip', ip) as NonNullable<ReturnType<typeof parseAddressEndpoint>> };
            for (const [protocol, port] of CHECKS) {
              check(engine({ atom: atom(a) }, address, protocol, port), bruteVerdict(namespaces, policies, { pod: a }, { ip }, protocol, port), `${a.name} → ${ip} ${protocol}/${port}`);
              check(engine(address, { atom: atom(a) }, protocol, port), bruteVerdict(namespaces, policies, { ip }, { pod: a }, protocol, port), `${ip} → ${a.name} ${protocol}/${port}`);
            }
          }
        }
        // The matrix, by workload and by namespace, must say the same as the brute force on every checked port.
        const queries = new NetworkQueries(cluster);
        const byWorkload = connectivityMatrix(queries, { namespaces: [], by: 'workload' });
        const groupOf = new Map(byWorkload.groups.flatMap((g) => g.members.map((m) => [m, g.id])));
        const cells = new Map<string, string[]>();
        for (const c of byWorkload.cells) for (const to of c.to) cells.set(`${c.from}>${to}`, [...c.ports, ...c.conditionalPorts.map((p) => `?${p}`)]);
        const byNamespace = connectivityMatrix(queries, { namespaces: [], by: 'namespace' });
        const nsCells = new Map<string, string[]>();
        for (const c of byNamespace.cells) for (const to of c.to) nsCells.set(`${c.from}>${to}`, [...c.ports, ...c.conditionalPorts]);
        const covers = (list: string[], protocol: Protocol, port: number, prefix = '') =>
          list.some((p) => {
            if (p === `${prefix}*`) return true;
            if (!p.startsWith(`${prefix}${protocol}/`)) return false;
            const range = p.slice(prefix.length + protocol.length + 1);
            if (range === '*') return true;
            const [lo, hi = lo] = range.split('-').map(Number) as [number, number?];
            return port >= lo && port <= (hi ?? lo);
          });
        for (const a of pods) {
          for (const b of pods) {
            const cell = cells.get(`${groupOf.get(`${a.namespace}/${a.name}`) ?? ''}>${groupOf.get(`${b.namespace}/${b.name}`) ?? ''}`) ?? [];
            const nsCell = nsCells.get(`${a.namespace}>${b.namespace}`) ?? [];
            for (const [protocol, port] of CHECKS) {
              const want = bruteVerdict(namespaces, policies, { pod: a }, { pod: b }, protocol, port);
              const got = covers(cell, protocol, port) ? 2 : covers(cell, protocol, port, '?') ? 1 : 0;
              check(got, want, `matrix ${a.name} → ${b.name} ${protocol}/${port}`);
              if (want > 0 && !covers(nsCell, protocol, port)) wrong.push(`namespace matrix ${a.namespace} → ${b.namespace} misses ${protocol}/${port}`);
            }
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 300, seed: 20 },
    );
  });
});
