import { describe, expect, it } from 'vitest';
import { portsContain, type Protocol } from '../../../../src/analysis/kubernetes/network-ports.js';
import { parseAddressEndpoint } from '../../../../src/analysis/kubernetes/network-query/addresses.js';
import { Connectivity } from '../../../../src/analysis/kubernetes/network-query/connectivity-model.js';
import { evaluatePair } from '../../../../src/analysis/kubernetes/network-query/evaluate.js';
import { RowComputer } from '../../../../src/analysis/kubernetes/network-query/rows.js';
import { policy, queryCluster, type PodSpec } from './support.js';

// The upstream Kubernetes network-policy e2e suite (test/e2e/network/netpol/network_policy.go)
// restated as truth tables: namespaces x, y, z (labelled ns=<name>), pods a, b, c in each
// (labelled pod=<name>), every pod serving 80 and 81 on TCP, UDP and SCTP with the
// upstream port names serve-80-tcp … serve-81-sctp. Each case is one policy shape of that
// suite and the full 9 × 9 × {80, 81} × {TCP, UDP, SCTP} table it implies; the engine's
// pair verdict and both row computations must agree with it on every cell. The upstream
// cases that change a policy or a label over time are not restated: zt answers one state
// at a time, and each of their states is one of the shapes below. ipBlock cases use
// addresses outside the cluster, since zt does not match ipBlocks against pod IPs (see
// docs/network-analysis.md).

const NS = ['x', 'y', 'z'] as const;
const PODS = ['a', 'b', 'c'] as const;
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PORTS = [80, 81];

const pods: PodSpec[] = NS.flatMap((namespace) =>
  PODS.map((name) => ({
    namespace,
    name,
    labels: { pod: name },
    ports: PROTOCOLS.flatMap((protocol) => PORTS.map((port) => [`serve-${port}-${protocol.toLowerCase()}`, port, protocol] as [string, number, Protocol])),
  })),
);

interface P {
  readonly ns: string;
  readonly pod: string;
}
type Truth = (from: P, to: P, protocol: Protocol, port: number) => boolean;

const sel = (labels: Record<string, string>) => ({ matchLabels: labels });
const expr = (key: string, operator: string, values: string[]) => ({ matchExpressions: [{ key, operator, values }] });
const is = (p: P, ns: string, pod?: string) => p.ns === ns && (pod === undefined || p.pod === pod);

interface Case {
  readonly name: string;
  readonly policies: ReturnType<typeof policy>[];
  readonly truth: Truth;
  /** Outside addresses: [address, direction relative to x/a, protocol, port, allowed]. */
  readonly outside?: [string, 'to' | 'from', Protocol, number, boolean][];
}

const cases: Case[] = [
  { name: 'no policies: everything is reachable', policies: [], truth: () => true },
  {
    name: "should support a 'default-deny-ingress' policy",
    policies: [policy('deny-ingress', 'x', { podSelector: {}, policyTypes: ['Ingress'] })],
    truth: (_f, t) => t.ns !== 'x',
  },
  {
    name: "should support a 'default-deny-all' policy",
    policies: [policy('deny-all', 'x', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })],
    truth: (f, t) => f.ns !== 'x' && t.ns !== 'x',
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    policies: [policy('x-a-from-b', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || is(f, 'x', 'b'),
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    policies: [policy('x-a-from-all-ns', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    truth: () => true,
    outside: [['203.0.113.7', 'from', 'TCP', 80, false]],
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    policies: [policy('x-a-from-y', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || f.ns === 'y',
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    policies: [policy('x-a-from-in-b', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: expr('pod', 'In', ['b']) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || is(f, 'x', 'b'),
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    policies: [policy('x-a-from-ns-in-y', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'In', ['y']) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || f.ns === 'y',
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector (two peers are OR-ed)',
    policies: [policy('or', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']) }, { podSelector: sel({ pod: 'b' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || f.ns !== 'x' || f.pod === 'b',
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector (one peer: both hold)',
    policies: [policy('and', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']), podSelector: sel({ pod: 'b' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || (f.ns !== 'x' && f.pod === 'b'),
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    policies: [policy('multi', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']), podSelector: expr('pod', 'In', ['b', 'c']) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || (f.ns !== 'x' && f.pod !== 'a'),
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    policies: [policy('any', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }, { podSelector: sel({ pod: 'c' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || (f.ns === 'x' && f.pod !== 'a'),
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    policies: [policy('y-a', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }), podSelector: sel({ pod: 'a' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || is(f, 'y', 'a'),
  },
  {
    name: 'should enforce policy based on Ports',
    policies: [policy('port-81', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }], ports: [{ port: 81, protocol: 'TCP' }] }] })],
    truth: (f, t, protocol, port) => !is(t, 'x', 'a') || (f.ns === 'y' && protocol === 'TCP' && port === 81),
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors',
    policies: [
      policy('port-80', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }], ports: [{ port: 80, protocol: 'TCP' }] }] }),
      policy('port-81', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }], ports: [{ port: 81, protocol: 'TCP' }] }] }),
    ],
    truth: (f, t, protocol) => !is(t, 'x', 'a') || (f.ns === 'y' && protocol === 'TCP'),
  },
  {
    name: 'should support allow-all policy',
    policies: [policy('allow-all', 'x', { podSelector: {}, ingress: [{}] })],
    truth: () => true,
    outside: [['203.0.113.7', 'from', 'UDP', 81, true]],
  },
  {
    name: 'should allow ingress access on one named port',
    policies: [policy('named', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })],
    truth: (_f, t, protocol, port) => !is(t, 'x', 'a') || (protocol === 'TCP' && port === 81),
    outside: [
      ['203.0.113.7', 'from', 'TCP', 81, true],
      ['203.0.113.7', 'from', 'TCP', 80, false],
    ],
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    policies: [policy('named-ns', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }], ports: [{ port: 'serve-80-tcp' }] }] })],
    truth: (f, t, protocol, port) => !is(t, 'x', 'a') || (f.ns === 'y' && protocol === 'TCP' && port === 80),
  },
  {
    name: 'should allow egress access on one named port (resolved against the destination pod)',
    policies: [policy('egress-named', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-udp', protocol: 'UDP' }] }] })],
    truth: (f, _t, protocol, port) => !is(f, 'x', 'a') || (protocol === 'UDP' && port === 80),
    outside: [['203.0.113.7', 'to', 'UDP', 80, false]],
  },
  {
    name: 'should deny ingress from pods on other namespaces',
    policies: [policy('same-ns', 'x', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
    truth: (f, t) => t.ns !== 'x' || f.ns === 'x',
  },
  {
    name: 'should deny egress from pods based on PodSelector',
    policies: [policy('deny-egress-a', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'] })],
    truth: (f) => !is(f, 'x', 'a'),
  },
  {
    name: 'should deny egress from all pods in a namespace',
    policies: [policy('deny-egress', 'x', { podSelector: {}, policyTypes: ['Egress'] })],
    truth: (f) => f.ns !== 'x',
  },
  {
    name: 'should work with Ingress, Egress specified together',
    policies: [
      policy('both', 'x', {
        podSelector: sel({ pod: 'a' }),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }],
        egress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
      }),
    ],
    truth: (f, t, protocol, port) => (!is(t, 'x', 'a') || is(f, 'x', 'b')) && (!is(f, 'x', 'a') || (protocol === 'TCP' && port === 80)),
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    policies: [
      policy('x-a-egress', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: sel({ ns: 'y' }) }] }] }),
      policy('allow-to-z', 'z', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: sel({ ns: 'x' }) }] }] }),
    ],
    truth: (f, t) => (!is(f, 'x', 'a') || t.ns === 'y') && (t.ns !== 'z' || f.ns === 'x'),
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    policies: [policy('to-y-a', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: sel({ ns: 'y' }), podSelector: sel({ pod: 'a' }) }] }] })],
    truth: (f, t) => !is(f, 'x', 'a') || is(t, 'y', 'a'),
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    policies: [policy('tcp-any', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ protocol: 'TCP' }] }] })],
    truth: (_f, t, protocol) => !is(t, 'x', 'a') || protocol === 'TCP',
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    policies: [
      policy('only-80', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ port: 80 }] }] }),
      policy('allow-all', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{}] }),
    ],
    truth: () => true,
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence',
    policies: [
      policy('only-80', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }] }] }),
      policy('allow-all', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{}] }),
    ],
    truth: () => true,
  },
  {
    name: 'should allow egress access to server in CIDR block',
    policies: [policy('cidr', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }] }] })],
    truth: (f) => !is(f, 'x', 'a'),
    outside: [
      ['198.51.100.9', 'to', 'TCP', 80, true],
      ['203.0.113.7', 'to', 'TCP', 80, false],
    ],
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    policies: [policy('cidr-except', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24', except: ['198.51.100.9/32'] } }] }] })],
    truth: (f) => !is(f, 'x', 'a'),
    outside: [
      ['198.51.100.9', 'to', 'TCP', 80, false],
      ['198.51.100.10', 'to', 'TCP', 80, true],
    ],
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed',
    policies: [
      policy('cidr-overlap', 'x', {
        podSelector: sel({ pod: 'a' }),
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24', except: ['198.51.100.9/32'] } }, { ipBlock: { cidr: '198.51.100.9/32' } }] }],
      }),
    ],
    truth: (f) => !is(f, 'x', 'a'),
    outside: [['198.51.100.9', 'to', 'TCP', 80, true]],
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    policies: [
      policy('deny-egress-a', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'] }),
      policy('allow-ingress-a', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{}] }),
    ],
    truth: (f) => !is(f, 'x', 'a'),
  },
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP'",
    policies: [policy('sctp-81', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] })],
    truth: (_f, t, protocol, port) => !is(t, 'x', 'a') || (protocol === 'SCTP' && port === 81),
  },
  {
    name: 'should support denying of ingress traffic on the UDP protocol',
    policies: [policy('udp-81', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })],
    truth: (_f, t, protocol, port) => !is(t, 'x', 'a') || (protocol === 'UDP' && port === 81),
  },
  {
    name: 'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    policies: [policy('default-label', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'y' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') || f.ns === 'y',
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    policies: [policy('default-label-expr', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: expr('kubernetes.io/metadata.name', 'NotIn', ['y']) }] }] })],
    truth: (f, t) => !is(f, 'x', 'a') || t.ns !== 'y',
  },
  {
    name: 'should allow ingress access on port range with endPort (80-81)',
    policies: [policy('range', 'x', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }], ports: [{ port: 80, endPort: 81, protocol: 'TCP' }] }] })],
    truth: (f, t, protocol) => !is(t, 'x', 'a') || (f.ns === 'y' && protocol === 'TCP'),
  },
  {
    name: 'should allow egress access with multiple endPort ranges (one range covering 81 only)',
    policies: [policy('ranges', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ ports: [{ port: 81, endPort: 90, protocol: 'TCP' }, { port: 70, endPort: 79, protocol: 'TCP' }] }] })],
    truth: (f, _t, protocol, port) => !is(f, 'x', 'a') || (protocol === 'TCP' && port === 81),
  },
  {
    name: 'policyTypes unset: egress rules make the policy an Egress policy too',
    policies: [policy('implicit-egress', 'x', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })],
    truth: (f, t) => !is(t, 'x', 'a') && (!is(f, 'x', 'a') || is(t, 'x', 'b')),
  },
  {
    name: 'rules of a direction missing from an explicit policyTypes are ignored',
    policies: [policy('ingress-only', 'x', { podSelector: sel({ pod: 'a' }), policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })],
    truth: () => true,
  },
  {
    name: 'ingress: [] isolates and admits nothing, while ingress: [{}] admits everything',
    policies: [policy('empty-list', 'x', { podSelector: sel({ pod: 'a' }), ingress: [] }), policy('empty-rule', 'x', { podSelector: sel({ pod: 'b' }), ingress: [{}] })],
    truth: (_f, t) => !is(t, 'x', 'a'),
  },
];

const atomOf = (conn: Connectivity, p: P): number => {
  const w = conn.cluster.workloads.find((x) => x.namespace === p.ns && x.name === p.pod);
  return conn.atomOf.get(w?.id ?? '') as number;
};

describe('NetworkPolicy truth tables restated from the upstream e2e suite', () => {
  const everyPod: P[] = NS.flatMap((ns) => PODS.map((pod) => ({ ns, pod })));
  for (const c of cases) {
    it(c.name, () => {
      const conn = new Connectivity(queryCluster(Object.fromEntries(NS.map((n) => [n, { ns: n }])), pods, c.policies));
      const rows = new RowComputer(conn);
      const wrong: string[] = [];
      for (const f of everyPod) {
        const out = rows.outbound(atomOf(conn, f));
        for (const t of everyPod) {
          const pair = evaluatePair(conn, { atom: atomOf(conn, f) }, { atom: atomOf(conn, t) });
          const inn = rows.inbound(atomOf(conn, t));
          for (const protocol of PROTOCOLS) {
            for (const port of PORTS) {
              const want = c.truth(f, t, protocol, port);
              const got = portsContain(conn.ports.get(pair.allowed), protocol, port);
              const gotOut = portsContain(conn.ports.get(out[atomOf(conn, t)] as number), protocol, port);
              const gotIn = portsContain(conn.ports.get(inn[atomOf(conn, f)] as number), protocol, port);
              if (got !== want || gotOut !== want || gotIn !== want) wrong.push(`${f.ns}/${f.pod} → ${t.ns}/${t.pod} ${protocol}/${port}: want ${want}, pair ${got}, outbound row ${gotOut}, inbound row ${gotIn}`);
            }
          }
        }
      }
      for (const [address, direction, protocol, port, want] of c.outside ?? []) {
        const end = { address: parseAddressEndpoint('ip', address) as NonNullable<ReturnType<typeof parseAddressEndpoint>> };
        const xa = { atom: atomOf(conn, { ns: 'x', pod: 'a' }) };
        const v = direction === 'to' ? evaluatePair(conn, xa, end) : evaluatePair(conn, end, xa);
        const got = portsContain(conn.ports.get(v.allowed), protocol, port);
        if (got !== want) wrong.push(`x/a ${direction} ${address} ${protocol}/${port}: want ${want}, got ${got}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
