import { describe, expect, it } from 'vitest';
import {
  anyConnectionAllowed,
  connectionAllowed,
  parsePolicy,
  parseWorkload,
  withNameLabel,
  type Endpoint,
  type NetCluster,
  type NetWorkload,
} from '../../../src/analysis/kubernetes/network-policy.js';
import { analyseCluster } from '../../../src/analysis/kubernetes/network-reachability.js';
import type { Protocol } from '../../../src/analysis/kubernetes/network-ports.js';
import { netpol, resource, workload } from './support.js';

// One small cluster, many policy sets. Each case lists connections and whether
// Kubernetes allows them; every case is also checked against the class-based engine
// (reachability on any port, for every ordered pair of workloads).

const namespaces: Record<string, Record<string, string>> = {
  shop: { team: 'shop', env: 'prod' },
  payments: { team: 'payments', env: 'prod' },
  dev: { team: 'shop', env: 'dev' },
  'kube-system': {},
};

const ports = (...list: [string, number, string][]) => ({
  containers: [
    {
      name: 'app',
      image: 'registry.example/app:1',
      securityContext: {},
      env: [],
      envFrom: [],
      ports: list.map(([name, containerPort, protocol]) => ({ name, containerPort, protocol })),
    },
  ],
});

const workloads = [
  workload('web', 'shop', { app: 'web' }, ports(['http', 8080, 'TCP'])),
  workload('api', 'shop', { app: 'api' }, ports(['http', 9090, 'TCP'], ['grpc', 50051, 'TCP'])),
  workload('db', 'shop', { app: 'db' }, ports(['pg', 5432, 'TCP'])),
  workload('api', 'payments', { app: 'api' }, ports(['http', 8443, 'TCP'])),
  workload('web', 'dev', { app: 'web' }, ports(['http', 8080, 'TCP'])),
  workload('dns', 'kube-system', { 'k8s-app': 'kube-dns' }, ports(['dns', 53, 'UDP'], ['dns-tcp', 53, 'TCP'])),
];

function cluster(policies: ReturnType<typeof netpol>[]): NetCluster {
  return {
    namespaceLabels: new Map(Object.entries(namespaces).map(([ns, labels]) => [ns, withNameLabel(ns, labels)])),
    workloads: workloads.map(parseWorkload),
    policies: policies.map(parsePolicy),
  };
}

const sel = (labels: Record<string, string>) => ({ matchLabels: labels });
const ingress = (name: string, ns: string, podSelector: unknown, rules: unknown[], extra: Record<string, unknown> = {}) =>
  netpol(name, ns, podSelector, { policyTypes: ['Ingress'], ingress: rules, ...extra });
const egress = (name: string, ns: string, podSelector: unknown, rules: unknown[], extra: Record<string, unknown> = {}) =>
  netpol(name, ns, podSelector, { policyTypes: ['Egress'], egress: rules, ...extra });

/** [from, to, "PROTO:port", allowed]; endpoints are "namespace/name" or "ip:<address>". */
type Expectation = [string, string, string, boolean];
interface Case {
  readonly name: string;
  readonly policies: ReturnType<typeof netpol>[];
  readonly expect: Expectation[];
}

const cases: Case[] = [
  {
    name: 'no policy: everything is allowed',
    policies: [],
    expect: [
      ['shop/web', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'payments/api', 'UDP:9999', true],
      ['ip:8.8.8.8', 'shop/db', 'TCP:5432', true],
    ],
  },
  {
    name: 'podSelector {} with policyTypes unset and no rules isolates every pod of the namespace for ingress only',
    policies: [netpol('default-deny', 'shop', {}, { policyTypes: null })],
    expect: [
      ['dev/web', 'shop/web', 'TCP:8080', false],
      ['shop/web', 'shop/db', 'TCP:5432', false],
      ['shop/web', 'payments/api', 'TCP:8443', true],
      ['shop/web', 'ip:8.8.8.8', 'TCP:443', true],
      ['ip:8.8.8.8', 'shop/web', 'TCP:8080', false],
    ],
  },
  {
    name: 'ingress: [{}] (a rule with neither from nor ports) allows everything',
    policies: [ingress('allow-all', 'shop', {}, [{}])],
    expect: [
      ['dev/web', 'shop/db', 'TCP:5432', true],
      ['payments/api', 'shop/db', 'UDP:1234', true],
      ['ip:203.0.113.9', 'shop/db', 'SCTP:7', true],
    ],
  },
  {
    name: 'ingress: [] allows nothing',
    policies: [ingress('deny', 'shop', {}, [])],
    expect: [
      ['shop/web', 'shop/db', 'TCP:5432', false],
      ['ip:8.8.8.8', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'an absent from with ports allows every source on those ports only',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ ports: [{ protocol: 'TCP', port: 5432 }] }])],
    expect: [
      ['dev/web', 'shop/db', 'TCP:5432', true],
      ['ip:8.8.8.8', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'shop/db', 'TCP:5433', false],
      ['dev/web', 'shop/db', 'UDP:5432', false],
      ['dev/web', 'shop/web', 'TCP:1', true],
    ],
  },
  {
    name: 'an empty from list ([]) also allows every source',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ from: [], ports: [{ port: 5432 }] }])],
    expect: [['payments/api', 'shop/db', 'TCP:5432', true]],
  },
  {
    name: 'podSelector alone selects pods of the policy\'s own namespace',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ podSelector: sel({ app: 'api' }) }] }])],
    expect: [
      ['shop/api', 'shop/db', 'TCP:5432', true],
      ['payments/api', 'shop/db', 'TCP:5432', false],
      ['shop/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'podSelector {} alone selects every pod of the own namespace, no other',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ podSelector: {} }] }])],
    expect: [
      ['shop/web', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'namespaceSelector alone selects every pod of the matching namespaces',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ namespaceSelector: sel({ team: 'shop' }) }] }])],
    expect: [
      ['dev/web', 'shop/db', 'TCP:5432', true],
      ['shop/api', 'shop/db', 'TCP:5432', true],
      ['payments/api', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'namespaceSelector AND podSelector in one peer: matching pods in matching namespaces',
    policies: [
      ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ namespaceSelector: sel({ env: 'dev' }), podSelector: sel({ app: 'api' }) }] }]),
    ],
    expect: [
      ['dev/web', 'shop/db', 'TCP:5432', false],
      ['shop/api', 'shop/db', 'TCP:5432', false],
      ['payments/api', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'the same selectors as two peers are OR-ed: the namespace, or the pods of the own namespace',
    policies: [
      ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ namespaceSelector: sel({ env: 'dev' }) }, { podSelector: sel({ app: 'api' }) }] }]),
    ],
    expect: [
      ['dev/web', 'shop/db', 'TCP:5432', true],
      ['shop/api', 'shop/db', 'TCP:5432', true],
      ['payments/api', 'shop/db', 'TCP:5432', false],
      ['shop/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'one peer with both selectors that do match',
    policies: [
      ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ namespaceSelector: sel({ team: 'shop' }), podSelector: sel({ app: 'web' }) }] }]),
    ],
    expect: [
      ['dev/web', 'shop/db', 'TCP:5432', true],
      ['shop/web', 'shop/db', 'TCP:5432', true],
      ['shop/api', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'namespaceSelector {} selects every pod of every namespace',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ namespaceSelector: {} }] }])],
    expect: [
      ['payments/api', 'shop/db', 'TCP:5432', true],
      ['kube-system/dns', 'shop/db', 'TCP:5432', true],
      ['ip:8.8.8.8', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'kubernetes.io/metadata.name is implied on every namespace',
    policies: [
      ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }) }] }]),
    ],
    expect: [
      ['kube-system/dns', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'matchExpressions in selectors (NotIn also matches namespaces without the key)',
    policies: [
      ingress('db', 'shop', sel({ app: 'db' }), [
        { from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] } }] },
      ]),
    ],
    expect: [
      ['kube-system/dns', 'shop/db', 'TCP:5432', true],
      ['payments/api', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'policyTypes unset with egress rules: the policy isolates both directions',
    policies: [netpol('web', 'shop', sel({ app: 'web' }), { policyTypes: null, egress: [{ to: [{ podSelector: sel({ app: 'api' }) }], ports: [{ port: 9090 }] }] })],
    expect: [
      ['shop/web', 'shop/api', 'TCP:9090', true],
      ['shop/web', 'shop/api', 'TCP:50051', false],
      ['shop/web', 'payments/api', 'TCP:8443', false],
      ['shop/web', 'ip:8.8.8.8', 'TCP:443', false],
      ['dev/web', 'shop/web', 'TCP:8080', false],
    ],
  },
  {
    name: 'egress-only isolation: egress: [] stops every outbound connection, ingress stays open',
    policies: [egress('web', 'shop', sel({ app: 'web' }), [])],
    expect: [
      ['shop/web', 'shop/db', 'TCP:5432', false],
      ['shop/web', 'kube-system/dns', 'UDP:53', false],
      ['dev/web', 'shop/web', 'TCP:8080', true],
    ],
  },
  {
    name: 'egress rules of a policy whose policyTypes is [Ingress] are ignored',
    policies: [netpol('web', 'shop', sel({ app: 'web' }), { policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: sel({ app: 'api' }) }] }] })],
    expect: [['shop/web', 'payments/api', 'TCP:8443', true]],
  },
  {
    name: 'both ends must allow: egress allows web→db but db\'s ingress admits only api',
    policies: [
      egress('web', 'shop', sel({ app: 'web' }), [{ to: [{ podSelector: sel({ app: 'db' }) }], ports: [{ port: 5432 }] }]),
      ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ podSelector: sel({ app: 'api' }) }], ports: [{ port: 5432 }] }]),
    ],
    expect: [
      ['shop/web', 'shop/db', 'TCP:5432', false],
      ['shop/api', 'shop/db', 'TCP:5432', true],
    ],
  },
  {
    name: 'both ends must allow: db admits web, but web\'s egress allows only DNS',
    policies: [
      egress('web', 'shop', sel({ app: 'web' }), [{ to: [{ namespaceSelector: {}, podSelector: sel({ 'k8s-app': 'kube-dns' }) }], ports: [{ protocol: 'UDP', port: 53 }] }]),
      ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ podSelector: sel({ app: 'web' }) }] }]),
    ],
    expect: [
      ['shop/web', 'shop/db', 'TCP:5432', false],
      ['shop/web', 'kube-system/dns', 'UDP:53', true],
      ['shop/web', 'kube-system/dns', 'TCP:53', false],
    ],
  },
  {
    name: 'both ends must allow the same port: egress to db on 5432, db admits web only on 6432',
    policies: [
      egress('web', 'shop', sel({ app: 'web' }), [{ to: [{ podSelector: sel({ app: 'db' }) }], ports: [{ port: 5432 }] }]),
      ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ podSelector: sel({ app: 'web' }) }], ports: [{ port: 6432 }] }]),
    ],
    expect: [
      ['shop/web', 'shop/db', 'TCP:5432', false],
      ['shop/web', 'shop/db', 'TCP:6432', false],
    ],
  },
  {
    name: 'endPort makes a range (inclusive)',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ ports: [{ protocol: 'TCP', port: 8000, endPort: 8100 }] }])],
    expect: [
      ['dev/web', 'shop/db', 'TCP:8000', true],
      ['dev/web', 'shop/db', 'TCP:8100', true],
      ['dev/web', 'shop/db', 'TCP:8101', false],
      ['dev/web', 'shop/db', 'TCP:7999', false],
    ],
  },
  {
    name: 'protocol defaults to TCP; an entry without a port covers every port of its protocol',
    policies: [ingress('dns', 'kube-system', {}, [{ ports: [{ port: 53 }] }, { ports: [{ protocol: 'SCTP' }] }])],
    expect: [
      ['shop/web', 'kube-system/dns', 'TCP:53', true],
      ['shop/web', 'kube-system/dns', 'UDP:53', false],
      ['shop/web', 'kube-system/dns', 'SCTP:9', true],
    ],
  },
  {
    name: 'a named port resolves against each selected pod\'s own container ports',
    policies: [ingress('http', 'shop', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, [{ ports: [{ port: 'http' }] }])],
    expect: [
      ['dev/web', 'shop/web', 'TCP:8080', true],
      ['dev/web', 'shop/api', 'TCP:9090', true],
      ['dev/web', 'shop/api', 'TCP:8080', false],
      ['dev/web', 'shop/web', 'TCP:9090', false],
    ],
  },
  {
    name: 'a named port must match the protocol too, and matches nothing where it does not resolve',
    policies: [ingress('dns', 'kube-system', {}, [{ ports: [{ port: 'dns' }] }, { ports: [{ port: 'dns-tcp', protocol: 'UDP' }] }, { ports: [{ port: 'missing' }] }])],
    expect: [
      ['shop/web', 'kube-system/dns', 'UDP:53', false],
      ['shop/web', 'kube-system/dns', 'TCP:53', false],
      ['shop/web', 'kube-system/dns', 'TCP:1', false],
    ],
  },
  {
    name: 'a named port with the matching protocol resolves',
    policies: [ingress('dns', 'kube-system', {}, [{ ports: [{ port: 'dns', protocol: 'UDP' }, { port: 'dns-tcp' }] }])],
    expect: [
      ['shop/web', 'kube-system/dns', 'UDP:53', true],
      ['shop/web', 'kube-system/dns', 'TCP:53', true],
      ['shop/web', 'kube-system/dns', 'UDP:54', false],
    ],
  },
  {
    name: 'named ports in egress rules resolve against the destination pod',
    policies: [egress('web', 'shop', sel({ app: 'web' }), [{ to: [{ namespaceSelector: {} }], ports: [{ port: 'http' }] }])],
    expect: [
      ['shop/web', 'shop/api', 'TCP:9090', true],
      ['shop/web', 'shop/api', 'TCP:8080', false],
      ['shop/web', 'dev/web', 'TCP:8080', true],
      ['shop/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'ipBlock with except (IPv4): outside addresses only, pods are not matched',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.1.0/24'] } }] }])],
    expect: [
      ['ip:8.8.8.8', 'shop/db', 'TCP:5432', true],
      ['ip:10.1.2.3', 'shop/db', 'TCP:5432', false],
      ['ip:192.168.1.77', 'shop/db', 'TCP:5432', false],
      ['ip:192.168.2.1', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'ipBlock with except (IPv6), and an IPv4 address never matches an IPv6 block',
    policies: [ingress('db', 'shop', sel({ app: 'db' }), [{ from: [{ ipBlock: { cidr: '2000::/3', except: ['2001:db8::/32'] } }] }])],
    expect: [
      ['ip:2606:4700::1111', 'shop/db', 'TCP:5432', true],
      ['ip:2001:db8::1', 'shop/db', 'TCP:5432', false],
      ['ip:2001:db9::1', 'shop/db', 'TCP:5432', true],
      ['ip:8.8.8.8', 'shop/db', 'TCP:5432', false],
      ['ip:::ffff:8.8.8.8', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'egress ipBlock with except',
    policies: [egress('web', 'shop', sel({ app: 'web' }), [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 443 }] }])],
    expect: [
      ['shop/web', 'ip:10.2.0.1', 'TCP:443', true],
      ['shop/web', 'ip:10.1.0.5', 'TCP:443', false],
      ['shop/web', 'ip:10.2.0.1', 'TCP:80', false],
      ['shop/web', 'ip:8.8.8.8', 'TCP:443', false],
    ],
  },
  {
    name: 'policies are additive: two policies selecting the same pods allow the union',
    policies: [
      ingress('db-from-api', 'shop', sel({ app: 'db' }), [{ from: [{ podSelector: sel({ app: 'api' }) }], ports: [{ port: 5432 }] }]),
      ingress('db-from-web', 'shop', sel({ app: 'db' }), [{ from: [{ podSelector: sel({ app: 'web' }) }], ports: [{ port: 5432 }] }]),
    ],
    expect: [
      ['shop/api', 'shop/db', 'TCP:5432', true],
      ['shop/web', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'shop/db', 'TCP:5432', false],
    ],
  },
  {
    name: 'a policy only selects pods of its own namespace',
    policies: [ingress('deny', 'payments', {}, [])],
    expect: [
      ['dev/web', 'shop/db', 'TCP:5432', true],
      ['dev/web', 'payments/api', 'TCP:8443', false],
    ],
  },
];

const byRef = new Map(workloads.map((w) => [`${String(w.attributes.namespace)}/${w.name}`, w]));
function endpoint(ref: string, c: NetCluster): Endpoint {
  if (ref.startsWith('ip:')) return { address: ref.slice(3) };
  const id = byRef.get(ref)?.id;
  const pod = c.workloads.find((w) => w.id === id);
  if (!pod) throw new Error(`no workload ${ref}`);
  return { pod };
}

describe('NetworkPolicy semantics (reference, one connection at a time)', () => {
  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const c = cluster(testCase.policies);
    it.each(testCase.expect.map((e) => [`${e[0]} → ${e[1]} ${e[2]} ${e[3] ? 'allowed' : 'denied'}`, e] as const))('%s', (_label, [from, to, port, allowed]) => {
      const [protocol, number] = port.split(':') as [Protocol, string];
      expect(connectionAllowed(c, endpoint(from, c), endpoint(to, c), protocol, Number(number))).toBe(allowed);
    });
  });
});

function referenceReach(c: NetCluster): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const from of c.workloads) {
    out.set(
      from.id,
      c.workloads
        .filter((to) => to !== from && anyConnectionAllowed(c, from, to))
        .map((to) => `${to.namespace}/${to.name}`)
        .sort(),
    );
  }
  return out;
}

function engineReach(c: NetCluster): Map<string, string[]> {
  const facts = analyseCluster(c, { examples: Infinity });
  return new Map(c.workloads.map((w) => [w.id, [...(facts.get(w.id)?.blastRadiusExamples ?? [])].sort()]));
}

function engineInbound(c: NetCluster): Map<string, string[]> {
  const facts = analyseCluster(c, { examples: Infinity });
  return new Map(c.workloads.map((w) => [w.id, [...(facts.get(w.id)?.inboundExamples ?? [])].sort()]));
}

function referenceInbound(c: NetCluster): Map<string, string[]> {
  return new Map(
    c.workloads.map((to) => [
      to.id,
      c.workloads
        .filter((from) => from !== to && anyConnectionAllowed(c, from, to))
        .map((w) => `${w.namespace}/${w.name}`)
        .sort(),
    ]),
  );
}

describe('class-based reachability equals the reference semantics on every case', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const c = cluster(testCase.policies);
    expect(engineReach(c)).toEqual(referenceReach(c));
    expect(engineInbound(c)).toEqual(referenceInbound(c));
  });

  it('the reference itself is not trivial on these cases (some pairs denied, some allowed)', () => {
    const all = cases.flatMap((t) => [...referenceReach(cluster(t.policies)).values()].map((l) => l.length));
    expect(Math.min(...all)).toBe(0);
    expect(Math.max(...all)).toBe(workloads.length - 1);
  });
});

// Random clusters, seeded: the engine (classes, pieces, bitsets) against the reference.
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function randomCluster(seed: number): NetCluster {
  const rand = lcg(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const nss = ['a', 'b', 'c'];
  const apps = ['x', 'y', 'z'];
  const ws: NetWorkload[] = [];
  for (let i = 0; i < 9; i++) {
    const ns = pick(nss);
    const app = pick(apps);
    const named = new Map([['http', [{ protocol: 'TCP' as const, port: pick([80, 8080, 9090]) }]]]);
    ws.push({ id: `w${i}`, name: `w${i}`, namespace: ns, labels: rand() < 0.8 ? { app } : {}, namedPorts: named });
  }
  const selector = (): unknown => (rand() < 0.3 ? {} : { matchLabels: { app: pick(apps) } });
  const peer = (): unknown => {
    const r = rand();
    if (r < 0.3) return { podSelector: selector() };
    if (r < 0.55) return { namespaceSelector: { matchLabels: { team: pick(['t1', 't2']) } } };
    if (r < 0.8) return { namespaceSelector: rand() < 0.5 ? {} : { matchLabels: { team: 't1' } }, podSelector: selector() };
    return { ipBlock: { cidr: '0.0.0.0/0' } };
  };
  const portList = (): unknown => {
    const r = rand();
    if (r < 0.3) return undefined;
    if (r < 0.5) return [{ port: 'http' }];
    if (r < 0.7) return [{ port: pick([80, 8080, 9090]) }];
    if (r < 0.85) return [{ port: 8000, endPort: 8100 }];
    return [{ protocol: 'UDP', port: 53 }];
  };
  const rule = (key: 'from' | 'to'): unknown => {
    const r: Record<string, unknown> = {};
    if (rand() < 0.8) r[key] = Array.from({ length: 1 + Math.floor(rand() * 2) }, peer);
    const p = portList();
    if (p) r.ports = p;
    return r;
  };
  const policies = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => {
    const types = pick([null, ['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    return parsePolicy(
      netpol(`p${i}`, pick(nss), selector(), {
        policyTypes: types,
        ingress: Array.from({ length: Math.floor(rand() * 3) }, () => rule('from')),
        egress: Array.from({ length: Math.floor(rand() * 3) }, () => rule('to')),
      }),
    );
  });
  return {
    namespaceLabels: new Map([
      ['a', withNameLabel('a', { team: 't1' })],
      ['b', withNameLabel('b', { team: 't2' })],
      ['c', withNameLabel('c', { team: 't1' })],
    ]),
    workloads: ws,
    policies,
  };
}

describe('class-based reachability equals the reference on random clusters', () => {
  it.each(Array.from({ length: 150 }, (_, i) => i + 1))('seed %i', (seed) => {
    const c = randomCluster(seed);
    expect(engineReach(c)).toEqual(referenceReach(c));
    expect(engineInbound(c)).toEqual(referenceInbound(c));
  });
});

describe('per-workload facts', () => {
  const facts = (policies: ReturnType<typeof netpol>[]) => analyseCluster(cluster(policies));
  const id = (ref: string): string => byRef.get(ref)?.id as string;

  it('counts other workloads, not itself, and the namespaces they are in', () => {
    const f = facts([]).get(id('shop/web'));
    expect(f?.blastRadius).toBe(workloads.length - 1);
    expect(f?.blastRadiusNamespaces).toBe(4);
    expect(f?.inboundWorkloads).toBe(workloads.length - 1);
    expect(f?.blastRadiusExamples).toHaveLength(5);
    expect(f?.blastRadiusExamples).not.toContain('shop/web');
  });

  it('the own namespace is not counted when the workload itself is its only member there', () => {
    const f = facts([]).get(id('kube-system/dns'));
    expect(f?.blastRadiusNamespaces).toBe(3);
  });

  it('workloads with identical labels in one namespace are distinct workloads of one class', () => {
    const twins = [
      workload('a', 'shop', { app: 'x' }),
      workload('b', 'shop', { app: 'x' }),
      workload('c', 'shop', { app: 'y' }),
    ];
    const c: NetCluster = {
      namespaceLabels: new Map([['shop', withNameLabel('shop', {})]]),
      workloads: twins.map(parseWorkload),
      policies: [parsePolicy(ingress('only-x', 'shop', {}, [{ from: [{ podSelector: sel({ app: 'x' }) }] }]))],
    };
    const f = analyseCluster(c);
    expect(f.get(twins[0]?.id as string)?.blastRadius).toBe(2); // b (its twin) and c
    expect(f.get(twins[2]?.id as string)?.blastRadius).toBe(0);
    expect(f.get(twins[2]?.id as string)?.inboundWorkloads).toBe(2);
    expect(f.get(twins[0]?.id as string)?.inboundWorkloads).toBe(1);
  });

  it.each([
    ['no policy', [], { ingressOpenToAllPods: true, ingressOpenToInternet: true, ingressOpenToExternal: true, egressOpenToInternet: true }],
    ['default deny', [ingress('d', 'shop', {}, [])], { ingressOpenToAllPods: false, ingressOpenToInternet: false, ingressOpenToExternal: false }],
    ['rule without from', [ingress('d', 'shop', {}, [{ ports: [{ port: 5432 }] }])], { ingressOpenToAllPods: true, ingressOpenToInternet: true }],
    ['namespaceSelector {} alone', [ingress('d', 'shop', {}, [{ from: [{ namespaceSelector: {} }] }])], { ingressOpenToAllPods: true, ingressOpenToInternet: false }],
    ['namespaceSelector {} with podSelector {}', [ingress('d', 'shop', {}, [{ from: [{ namespaceSelector: {}, podSelector: {} }] }])], { ingressOpenToAllPods: true }],
    ['namespaceSelector {} narrowed by podSelector', [ingress('d', 'shop', {}, [{ from: [{ namespaceSelector: {}, podSelector: sel({ app: 'web' }) }] }])], { ingressOpenToAllPods: false }],
    ['ipBlock 0.0.0.0/0', [ingress('d', 'shop', {}, [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }])], { ingressOpenToAllPods: false, ingressOpenToInternet: true, ingressOpenToExternal: true }],
    ['ipBlock private only', [ingress('d', 'shop', {}, [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])], { ingressOpenToInternet: false, ingressOpenToExternal: true }],
    ['ipBlock ::/0 except all of 2000::/3', [ingress('d', 'shop', {}, [{ from: [{ ipBlock: { cidr: '::/0', except: ['2000::/3'] } }] }])], { ingressOpenToInternet: false }],
    ['ipBlock with a named port the pod lacks', [ingress('d', 'shop', {}, [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 'nope' }] }])], { ingressOpenToInternet: false }],
    ['egress to 0.0.0.0/0 on 443', [egress('e', 'shop', {}, [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }])], { egressOpenToInternet: true }],
    ['egress to 0.0.0.0/0 except the internet', [egress('e', 'shop', {}, [{ to: [{ ipBlock: { cidr: '0.0.0.0/1', except: ['0.0.0.0/1'] } }] }])], { egressOpenToInternet: false }],
    ['egress only to DNS', [egress('e', 'shop', {}, [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }])], { egressOpenToInternet: false }],
  ] as const)('%s', (_name, policies, expected) => {
    const f = facts([...policies]).get(id('shop/web'));
    expect(f).toMatchObject(expected);
  });

  it('lists the policies that select the pods, per direction', () => {
    const f = facts([ingress('i', 'shop', {}, []), egress('e', 'shop', sel({ app: 'web' }), []), ingress('other', 'shop', sel({ app: 'db' }), [])]).get(id('shop/web'));
    expect(f?.networkPolicies).toEqual(['e', 'i']);
    expect(f?.ingressPolicies).toEqual(['i']);
    expect(f?.egressPolicies).toEqual(['e']);
  });
});

describe('clusters stay apart', () => {
  it('a policy of one cluster does not select the pods of another', async () => {
    const { facts: analyse } = await import('./support.js');
    const a = { ...workload('web', 'shop', { app: 'web' }), id: 'k8s://a/shop/Deployment/web', provenance: { collector: 'test', source: 'k8s:a' } };
    const b = { ...workload('web', 'shop', { app: 'web' }), id: 'k8s://b/shop/Deployment/web', provenance: { collector: 'test', source: 'k8s:b' } };
    const policy = { ...ingress('deny', 'shop', {}, []), provenance: { collector: 'test', source: 'k8s:a' } };
    const derived = analyse([a, b, policy, resource('k8s.namespace', 'shop', { labels: {}, annotations: {} })]);
    expect(derived.get(a.id)?.ingressIsolated).toBe(true);
    expect(derived.get(b.id)?.ingressIsolated).toBe(false);
    // Who reaches whom is unknown while the input shows no CNI (offline, no agent DaemonSet)…
    expect(derived.get(b.id)).not.toHaveProperty('blastRadius');
    expect(derived.unknownsOf(b)?.blastRadius?.explain()).toMatch(/^whether a CNI enforces NetworkPolicy is not known/);
    // …and what the policies say is computed per cluster all the same.
    const { workloadNetworkFacts } = await import('../../../src/analysis/kubernetes/workload-network.js');
    const { InventoryIndex } = await import('../../../src/inventory/index.js');
    const { completeCoverage } = await import('./support.js');
    const index = new InventoryIndex({ schemaVersion: 1, collectedAt: null, sources: [], coverage: completeCoverage(), issues: [], resources: [a, b, policy] });
    expect(workloadNetworkFacts(index).get(b.id)?.blastRadius).toBe(0); // a is isolated, and nothing else is in cluster b
  });
});
