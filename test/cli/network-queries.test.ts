import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from '../support/temp.js';

// `zt network …` end to end over a manifests folder, as a user runs it: answers, formats,
// and the bad-input contract (exit 2 with the fix; a selector matching nothing is an answer).

const deployment = (ns: string, name: string, labels: Record<string, string>, ports: string, hostNetwork = false) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: ${JSON.stringify(labels)}}
  template:
    metadata: {labels: ${JSON.stringify(labels)}}
    spec:
      hostNetwork: ${hostNetwork}
      containers:
        - name: app
          image: registry.example/${name}:1
          ports: ${ports}
---
`;

const manifests = tempTree({
  'cluster.yaml':
    `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: payments, labels: {team: payments}}
---
` +
    deployment('shop', 'web', { app: 'web' }, '[{name: http, containerPort: 8080}]') +
    deployment('shop', 'cart', { app: 'cart' }, '[{name: http, containerPort: 8080}]') +
    deployment('payments', 'api', { app: 'api' }, '[{name: https, containerPort: 8443}, {name: metrics, containerPort: 9090}]') +
    deployment('payments', 'db', { app: 'db' }, '[{name: pg, containerPort: 5432}]') +
    deployment('kube-system', 'node-agent', { app: 'agent' }, '[]', true) +
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: payments}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-cart, namespace: payments}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {team: shop}}
          podSelector: {matchLabels: {app: cart}}
      ports: [{port: https}]
    - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
      ports: [{port: 8443}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: payments}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: 5432}]}]
`,
});

async function zt(...args: string[]) {
  const io = memoryIo({ columns: 120 });
  const code = await run(['network', ...args, '--manifests', manifests, '--quiet'], io);
  return { code, out: io.out(), err: io.err() };
}
const json = async (...args: string[]) => {
  const r = await zt(...args, '-f', 'json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown> & { connections: { verdict: string; ports: string[]; ingress: { admittedBy: { policy: string; rule: string; peer: string | null }[]; isolated: boolean; policies: string[] }; egress: { isolated: boolean } }[] };
};

describe('zt network can-reach', () => {
  it('allows on the named port and says which rule and peer admit it', async () => {
    const r = await json('can-reach', 'shop/cart', 'payments/api', '--port', '8443/TCP');
    expect(r.connections).toHaveLength(1);
    const c = r.connections[0];
    expect(c?.verdict).toBe('allowed');
    expect(c?.ports).toEqual(['TCP/8443']);
    expect(c?.egress.isolated).toBe(false);
    expect(c?.ingress.policies).toEqual(['payments/api-from-cart', 'payments/default-deny']);
    expect(c?.ingress.admittedBy).toEqual([expect.objectContaining({ policy: 'payments/api-from-cart', rule: 'ingress[0]', peer: 'from[0]' })]);
  });

  it('denies another port, and a pod the peer does not select; a port name resolves on the destination', async () => {
    expect((await json('can-reach', 'shop/cart', 'payments/api', '--port', '9090')).connections[0]?.verdict).toBe('denied');
    expect((await json('can-reach', 'shop/web', 'payments/api')).connections[0]?.verdict).toBe('denied');
    const named = await json('can-reach', 'shop/cart', 'payments/api', '--port', 'https');
    expect(named.connections[0]?.ports).toEqual(['TCP/8443']);
  });

  it('answers every port at once without --port, and per workload for a selector', async () => {
    const r = await json('can-reach', '*/app=cart', 'payments/*');
    expect(r.connections.map((c) => [c.verdict, c.ports])).toEqual([
      ['allowed', ['TCP/8443']],
      ['denied', []],
    ]);
  });

  it('outside addresses: the ipBlock with except decides; the internet is admitted only in part', async () => {
    expect((await json('can-reach', 'ip:203.0.113.7', 'payments/api', '--port', '8443')).connections[0]?.verdict).toBe('allowed');
    expect((await json('can-reach', 'ip:10.1.2.3', 'payments/api', '--port', '8443')).connections[0]?.verdict).toBe('denied');
    // 0.0.0.0/0 except 10/8 holds every public IPv4 address, but not the IPv6 ones.
    const internet = await json('can-reach', 'internet', 'payments/api', '--port', '8443');
    expect(internet.connections[0]?.verdict).toBe('conditional');
    expect(JSON.stringify(internet)).toContain('the ipBlocks admit only some addresses of internet');
    expect((await json('can-reach', 'cidr:198.51.100.0/24', 'payments/api', '--port', '8443')).connections[0]?.verdict).toBe('allowed');
    expect((await json('can-reach', 'cidr:0.0.0.0/0', 'payments/api', '--port', '8443')).connections[0]?.verdict).toBe('conditional');
  });

  it('a host-network pod is outside NetworkPolicy: an ipBlock admits it only conditionally', async () => {
    const r = await json('can-reach', 'kube-system/node-agent', 'payments/api', '--port', '8443');
    expect(r.connections[0]?.verdict).toBe('conditional');
  });

  it('the table explains both directions', async () => {
    const r = await zt('can-reach', 'shop/cart', 'payments/db', '--port', '5432');
    expect(r.code).toBe(0);
    expect(r.out).toContain('shop/cart → payments/db: DENIED');
    expect(r.out).toContain('no NetworkPolicy selects shop/cart for egress');
    expect(r.out).toContain('payments/db is isolated for ingress by payments/db-from-api, payments/default-deny; no ingress rule of them admits shop/cart on TCP/5432');
  });
});

describe('zt network who-can-reach, reachable-from, matrix', () => {
  it('who-can-reach lists workloads by namespace with ports, and the outside world', async () => {
    const r = (await json('who-can-reach', 'payments/db')) as unknown as { sets: { namespaces: { namespace: string; workloads: { workload: string; ports: string[] }[] }[]; outside: { anyAddress: string[]; internet: string[] } }[] };
    expect(r.sets[0]?.namespaces).toEqual([{ namespace: 'payments', workloads: [{ workload: 'payments/api', ports: ['TCP/5432'], conditionalPorts: [] }] }]);
    expect(r.sets[0]?.outside).toMatchObject({ anyAddress: [], internet: [] });
  });

  it('the table shows the workloads that can reach an endpoint in a box table fitted to the terminal', async () => {
    for (const columns of [60, 120]) {
      const io = memoryIo({ columns });
      await run(['network', 'who-can-reach', 'payments/payments-api', '--demo', '-q'], io);
      const out = io.out();
      expect(out).toMatch(/│ workload +│ ports +│/);
      expect(out).toMatch(/│ shop\/cart +│ TCP\/8443 +│/);
      expect(Math.max(...out.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(columns);
    }
  });

  it('reachable-from a pod nothing isolates for egress reaches every unisolated workload on every port', async () => {
    const r = (await json('reachable-from', 'shop/web')) as unknown as { sets: { namespaces: { namespace: string; workloads: { workload: string; ports: string[] }[] }[]; outside: { anyAddress: string[] } }[] };
    const names = r.sets[0]?.namespaces.flatMap((n) => n.workloads.map((w) => `${w.workload} ${w.ports.join(',')}`));
    expect(names).toEqual(['kube-system/node-agent *', 'shop/cart *', 'shop/web *']);
    expect(r.sets[0]?.outside.anyAddress).toEqual(['*']);
  });

  it('matrix by namespace, and its formats are byte-identical run to run', async () => {
    const r = (await json('matrix', '--by', 'namespace')) as unknown as { cells: { from: string; to: string[]; ports: string[] }[] };
    expect(r.cells).toContainEqual({ from: 'shop', to: ['payments'], ports: ['TCP/8443'], conditionalPorts: [] });
    for (const format of ['json', 'dot', 'mermaid', 'table']) {
      const a = await zt('matrix', '-f', format);
      const b = await zt('matrix', '-f', format);
      expect(a.code).toBe(0);
      expect(a.out).toBe(b.out);
    }
    expect((await zt('matrix', '-f', 'dot')).out).toMatch(/^digraph zt_network \{/);
    expect((await zt('matrix', '-f', 'mermaid')).out).toMatch(/^flowchart LR\n/);
  });
});

describe('zt network: bad input', () => {
  it.each([
    [['can-reach', 'shop/nope', 'payments/api'], 'ZT_NETWORK_ENDPOINT', 'no workload or pod named "nope" in namespace "shop"'],
    [['can-reach', 'nowhere/x', 'payments/api'], 'ZT_NETWORK_ENDPOINT', 'the cluster has no workload in namespace "nowhere"'],
    [['can-reach', 'shop/web', 'ip:10.0.0.300'], 'ZT_NETWORK_ENDPOINT', 'is not an IPv4 or IPv6 address'],
    [['can-reach', 'shop/web', 'cidr:10.0.0.0'], 'ZT_NETWORK_ENDPOINT', 'is not a CIDR range'],
    [['can-reach', 'shop/web', 'payments/api', '--port', 'grpc'], 'ZT_NETWORK_PORT', 'no container of payments/api declares a port named "grpc"'],
    [['can-reach', 'shop/web', 'payments/api', '--port', '80/ICMP'], 'ZT_NETWORK_PORT', 'unknown protocol "ICMP"'],
    [['who-can-reach', 'web'], 'ZT_NETWORK_ENDPOINT', 'web: not an endpoint'],
    [['can-reach', 'internet', 'ip:10.0.0.1'], 'ZT_NETWORK_ENDPOINT', 'both ends are outside the cluster'],
    [['matrix', '--namespace', 'nowhere'], 'ZT_NETWORK_ENDPOINT', 'no workload in namespace "nowhere"'],
  ])('%j → exit 2 (%s)', async (args, code, message) => {
    const r = await zt(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(code);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(r.out).toBe('');
  });

  it('a selector matching nothing is an answer, said so, exit 0', async () => {
    const r = await zt('who-can-reach', 'shop/app=nothing');
    expect(r.code).toBe(0);
    expect(r.out).toContain('shop/app=nothing matches no workload');
  });
});

describe('zt network diff', () => {
  const before = tempTree({
    'app.yaml':
      deployment('shop', 'web', { app: 'web' }, '[{name: http, containerPort: 8080}]') +
      deployment('shop', 'db', { app: 'db' }, '[{name: pg, containerPort: 5432}]') +
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-deny, namespace: shop}
spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress]}
`,
  });
  const after = tempTree({
    'app.yaml':
      deployment('shop', 'web', { app: 'web' }, '[{name: http, containerPort: 8080}]') +
      deployment('shop', 'db', { app: 'db' }, '[{name: pg, containerPort: 5432}]') +
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-deny, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: pg}]}]
`,
  });
  const diff = async (...args: string[]) => {
    const io = memoryIo({ columns: 120 });
    const code = await run(['network', 'diff', ...args, '--quiet'], io);
    return { code, out: io.out(), err: io.err() };
  };

  it('says which connection a change opens, on which port, and the rule responsible', async () => {
    const r = await diff(before, after, '-f', 'json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { opened: { from: string[]; to: string[]; ports: string[]; allowedBy: string[]; deniedBy: string[] }[]; closed: unknown[] };
    expect(result.opened).toEqual([
      { from: ['shop/web'], to: ['shop/db'], ports: ['TCP/5432'], allowedBy: ['no policy isolates shop/web for egress', 'shop/db-deny ingress[0] from[0]'], admittedBy: [{ policy: 'shop/db-deny', rule: 'ingress[0]', peer: 'from[0]' }], deniedBy: ['policy shop/db-deny isolates shop/db for ingress and admits nothing on these ports'] },
    ]);
    expect(result.closed).toEqual([]);
  });

  it('the table lists opened and closed connections in a box table fitted to the terminal', async () => {
    for (const columns of [60, 80, 200]) {
      const io = memoryIo({ columns });
      expect(await run(['network', 'diff', before, after, '--quiet'], io)).toBe(0);
      const out = io.out();
      expect(out).toMatch(/opened: 1\n┌/);
      expect(out).toMatch(/│ from +│ to +│ ports +│ allowed by +│ was denied +│/);
      expect(out).toMatch(/closed: none/);
      expect(Math.max(...out.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      // Wrapped, never cut: the policy's name is whole once the cell's lines are joined (identifiers break after a separator).
      const cells = out.split('\n').filter((l) => l.startsWith('│')).map((l) => l.split('│')[4]?.trim()).join(' ');
      expect(cells.replace(/\s+/g, ' ').replace(/([-/.]) /g, '$1')).toContain('shop/db-deny');
    }
  });

  it('the reverse change closes it; --fail-on-new-path exits 1 only for a new path to a sensitive workload', async () => {
    const reverse = JSON.parse((await diff(after, before, '-f', 'json')).out) as { opened: unknown[]; closed: { to: string[] }[] };
    expect(reverse.opened).toEqual([]);
    expect(reverse.closed.map((c) => c.to)).toEqual([['shop/db']]);
    const gated = await diff(before, after, '--fail-on-new-path', 'shop/app=db');
    expect(gated.code).toBe(1);
    expect(gated.err).toContain('✖ gate: new path shop/web → shop/db on TCP/5432 (exit 1)');
    expect((await diff(before, after, '--fail-on-new-path', 'shop/web')).code).toBe(0);
    expect((await diff(after, before, '--fail-on-new-path', 'shop/db')).code).toBe(0);
  });

  it('markdown for a pull-request comment; a missing input or sensitive workload is exit 2', async () => {
    const md = await diff(before, after, '-f', 'markdown', '--fail-on-new-path', 'shop/db');
    expect(md.out).toContain('### Network connections changed: 1 opened, 0 closed');
    expect(md.out).toContain('**1 new path(s) reach a sensitive workload.**');
    expect((await diff(before, `${after}/nope`)).code).toBe(2);
    const unknown = await diff(before, after, '--fail-on-new-path', 'shop/nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no workload or pod named "nope"');
  });
});

describe('zt network over the demo: mesh layers and pictures', () => {
  const demo = async (...args: string[]) => {
    const io = memoryIo({ columns: 120 });
    const code = await run(['network', ...args, '--demo', '--quiet'], io);
    return { code, out: io.out(), err: io.err() };
  };

  it('evaluates Istio on a meshed destination per connection: the ALLOW rule names the caller and a method, so only some requests pass', async () => {
    type Answer = { verdict: string; withLayers: unknown; layers: { layer: string; evaluatedPerConnection: boolean; ports: string[]; conditionalPorts: string[]; decidedBy: string[] }[] };
    const answer = async (from: string) => {
      const r = await demo('can-reach', from, 'payments/payments-api', '--port', '8443', '-f', 'json');
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as { connections: Answer[] }).connections[0];
    };
    const cart = await answer('shop/cart');
    expect(cart?.verdict).toBe('allowed');
    expect(cart?.layers).toEqual([
      expect.objectContaining({ layer: 'istio', evaluatedPerConnection: true, ports: [], conditionalPorts: ['TCP/8443'], decidedBy: ['payments/allow-cart-to-api rules[0] (ALLOW, for some requests)'] }),
    ]);
    expect(cart?.withLayers).toEqual({ verdict: 'conditional', ports: [], conditionalPorts: ['TCP/8443'] });
    // NetworkPolicy admits the ingress controller, but it is outside the mesh and payments' mTLS is STRICT.
    const ingress = await answer('ingress-nginx/ingress-nginx-controller');
    expect(ingress?.verdict).toBe('allowed');
    expect(ingress?.withLayers).toEqual({ verdict: 'denied', ports: [], conditionalPorts: [] });
    expect(ingress?.layers[0]?.decidedBy).toEqual(['mTLS STRICT on payments: a client without a mesh identity is refused']);
  });

  it('DOT and Mermaid draw who-can-reach with namespaces as groups and ports on the edges', async () => {
    const dot = await demo('who-can-reach', 'payments/payments-api', '-f', 'dot');
    expect(dot.out).toContain('subgraph cluster_');
    expect(dot.out).toContain('"shop/cart" -> "payments/payments-api" [label="TCP/8443"];');
    const mermaid = await demo('who-can-reach', 'payments/payments-api', '-f', 'mermaid');
    expect(mermaid.out).toMatch(/subgraph ns\d+\["shop"\]/);
    expect(mermaid.out).toMatch(/n\d+ -->\|"TCP\/8443"\| n\d+/);
  });
});
