import { describe, expect, it } from 'vitest';
import { evaluateIstioConnection, type IstioPeer, type IstioPolicy } from '../../../../src/analysis/kubernetes/network-query/istio-connection.js';
import { formatPorts } from '../../../../src/analysis/kubernetes/network-query/port-algebra.js';
import { ALL_PORTS, type PortSet } from '../../../../src/analysis/kubernetes/network-ports.js';

// Istio authorization per connection, on the examples of Istio's AuthorizationPolicy
// reference and tasks (allow-nothing, deny-all, allow-all, principals, namespaces, notNamespaces,
// ports, methods, when, CUSTOM, the root namespace) and PeerAuthentication STRICT.

const httpbin: IstioPeer & { mtlsMode: string } = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' }, serviceAccount: 'httpbin', meshed: true, mtlsMode: 'PERMISSIVE' };
const sleep: IstioPeer = { namespace: 'foo', labels: { app: 'sleep' }, serviceAccount: 'sleep', meshed: true };
const other: IstioPeer = { namespace: 'bar', labels: { app: 'sleep' }, serviceAccount: 'sleep', meshed: true };
const plain: IstioPeer = { namespace: 'legacy', labels: { app: 'sleep' }, serviceAccount: 'default', meshed: false };

const policy = (name: string, action: IstioPolicy['action'], rules: IstioPolicy['rules'], extra: Partial<IstioPolicy> = {}): IstioPolicy => ({ name, namespace: 'foo', selector: null, action, rules, ...extra });
const tcp = (...ports: number[]): PortSet => ports.map((p) => ({ protocol: 'TCP' as const, lo: p, hi: p }));

function check(policies: IstioPolicy[], client: IstioPeer | null, offered: PortSet = ALL_PORTS, destination = httpbin) {
  const r = evaluateIstioConnection(policies, destination, client, { allowed: offered, conditional: [] });
  return { allowed: formatPorts(r.allowed), conditional: formatPorts(r.conditional), decidedBy: r.decidedBy };
}

describe('Istio authorization of one connection', () => {
  it('no policy: everything NetworkPolicy allows', () => {
    expect(check([], sleep)).toEqual({ allowed: ['*'], conditional: [], decidedBy: [] });
  });

  it('allow-nothing (spec: {}) denies every TCP port; UDP and SCTP are not intercepted', () => {
    const r = check([policy('allow-nothing', 'ALLOW', null)], sleep);
    expect(r.allowed).toEqual(['UDP/*', 'SCTP/*']);
    expect(r.conditional).toEqual([]);
    expect(r.decidedBy).toEqual(['ALLOW policies apply and no rule of them matches this client']);
  });

  it('deny-all (DENY, rules: [{}]) and allow-all (ALLOW, rules: [{}])', () => {
    expect(check([policy('deny-all', 'DENY', [{}])], sleep).allowed).toEqual(['UDP/*', 'SCTP/*']);
    expect(check([policy('allow-all', 'ALLOW', [{}]), policy('allow-nothing', 'ALLOW', null)], sleep).allowed).toEqual(['*']);
  });

  it('principals and namespaces are the client mTLS identity; a client outside the mesh has none', () => {
    const byPrincipal = [policy('p', 'ALLOW', [{ from: [{ source: { principals: ['cluster.local/ns/foo/sa/sleep'] } }] }])];
    expect(check(byPrincipal, sleep).allowed).toEqual(['*']);
    expect(check(byPrincipal, other).allowed).toEqual(['UDP/*', 'SCTP/*']);
    expect(check(byPrincipal, plain).allowed).toEqual(['UDP/*', 'SCTP/*']);
    const byNamespace = [policy('n', 'ALLOW', [{ from: [{ source: { namespaces: ['ba*'] } }] }])];
    expect(check(byNamespace, other).allowed).toEqual(['*']);
    expect(check(byNamespace, sleep).allowed).toEqual(['UDP/*', 'SCTP/*']);
    // DENY requests not from namespace foo (the docs' notNamespaces example): plaintext has no namespace, so it is denied too.
    const denyOthers = [policy('d', 'DENY', [{ from: [{ source: { notNamespaces: ['foo'] } }] }])];
    expect(check(denyOthers, sleep).allowed).toEqual(['*']);
    expect(check(denyOthers, other).allowed).toEqual(['UDP/*', 'SCTP/*']);
    expect(check(denyOthers, null).allowed).toEqual(['UDP/*', 'SCTP/*']);
  });

  it('ports decide; methods, paths and when make the rule match some requests only', () => {
    const rules = [policy('get', 'ALLOW', [{ from: [{ source: { principals: ['*/ns/foo/sa/sleep'] } }], to: [{ operation: { methods: ['GET'], paths: ['/info*'] } }] }, { to: [{ operation: { ports: ['9090'] } }] }])];
    const r = check(rules, sleep, tcp(8000, 9090));
    expect(r.allowed).toEqual(['TCP/9090']);
    expect(r.conditional).toEqual(['TCP/8000']);
    expect(r.decidedBy).toEqual(['foo/get rules[0] (ALLOW, for some requests)', 'foo/get rules[1] (ALLOW)']);
    expect(check([policy('w', 'ALLOW', [{ when: [{ key: 'request.auth.claims[iss]', values: ['https://accounts.google.com'] }] }])], sleep, tcp(80))).toMatchObject({ allowed: [], conditional: ['TCP/80'] });
    expect(check([policy('np', 'ALLOW', [{ to: [{ operation: { notPorts: ['8000'] } }] }])], sleep, tcp(8000, 9090)).allowed).toEqual(['TCP/9090']);
  });

  it('a DENY rule that may match some requests leaves those ports conditional; CUSTOM leaves every TCP port to the external authorizer', () => {
    const r = check([policy('deny-post', 'DENY', [{ to: [{ operation: { methods: ['POST'] } }] }])], sleep, tcp(80));
    expect(r).toMatchObject({ allowed: [], conditional: ['TCP/80'] });
    expect(check([policy('ext', 'CUSTOM', [{}])], sleep, tcp(80))).toMatchObject({ allowed: [], conditional: ['TCP/80'] });
  });

  it('selectors and the root namespace decide which policies apply', () => {
    expect(check([policy('v2', 'ALLOW', null, { selector: { matchLabels: { version: 'v2' } } })], sleep).allowed).toEqual(['*']);
    expect(check([policy('other-ns', 'ALLOW', null, { namespace: 'bar' })], sleep).allowed).toEqual(['*']);
    expect(check([policy('mesh-wide', 'ALLOW', null, { namespace: 'istio-system' })], sleep).allowed).toEqual(['UDP/*', 'SCTP/*']);
  });

  it('PeerAuthentication STRICT refuses a client without a mesh identity before any policy', () => {
    const strict = { ...httpbin, mtlsMode: 'STRICT' };
    expect(check([], plain, ALL_PORTS, strict)).toEqual({ allowed: ['UDP/*', 'SCTP/*'], conditional: [], decidedBy: ['mTLS STRICT on foo: a client without a mesh identity is refused'] });
    expect(check([], sleep, ALL_PORTS, strict).allowed).toEqual(['*']);
  });
});
