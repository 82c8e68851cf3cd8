import { selectorMatches } from '../label-selector.js';
import { ALL_PORTS, normalisePorts, type PortInterval, type PortSet } from '../network-ports.js';
import { ISTIO_ROOT_NAMESPACE } from '../istio-authz.js';
import { intersectPorts, subtractPorts, unionPorts } from './port-algebra.js';

/**
 * Istio authorization of one connection, on top of what NetworkPolicy lets through
 * (security.istio.io/v1 AuthorizationPolicy, and PeerAuthentication through the
 * destination's mTLS mode), restated from Istio's reference:
 *
 * - A policy applies to the destination when it is in its namespace, or in the root
 *   namespace (istio-system), with no selector or a matching one.
 * - CUSTOM (an external authorizer) decides first, then DENY: a request a DENY rule
 *   matches is denied. Then ALLOW: with no ALLOW policy the request is allowed; with some,
 *   it is allowed only if an ALLOW rule matches. AUDIT decides nothing. A policy without
 *   rules matches nothing (so an ALLOW one allows nothing).
 * - A rule matches when its `from` (any source; within a source every field), its `to`
 *   (any operation) and its `when` all match; an absent one matches everything.
 * - The source's identity is its mTLS peer identity: principal
 *   `cluster.local/ns/<namespace>/sa/<service account>` (the default trust domain) and its
 *   namespace, for a pod in the mesh; a client outside the mesh has neither, and is refused
 *   outright where the destination's mTLS is STRICT. Values match exactly or with one `*`
 *   prefix or suffix.
 * - What zt cannot know before a request is made makes a rule match *conditionally*:
 *   methods, paths and hosts (L7), `when` conditions, request principals (JWT), and IP
 *   blocks (pod addresses are not collected). Such ports are conditional: allowed for some
 *   requests only.
 * - The sidecar intercepts TCP: UDP and SCTP are left as NetworkPolicy decides.
 */

type Rule = Readonly<Record<string, unknown>>;

export interface IstioPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Parameters<typeof selectorMatches>[0] | null;
  readonly action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  readonly rules: readonly Rule[] | null;
}

export interface IstioPeer {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  /** In the Istio mesh: it has an mTLS identity. */
  readonly meshed: boolean;
}

export interface IstioConnection {
  /** Of the ports NetworkPolicy lets through: allowed by Istio, allowed for some requests only, and denied. */
  readonly allowed: PortSet;
  readonly conditional: PortSet;
  /** Rules that decide, as `ns/name rules[i] (ACTION)`, and what else decides. */
  readonly decidedBy: readonly string[];
  readonly summary: string;
}

/** `*` alone, `*suffix`, `prefix*`, or exact (Istio's string match). */
function matchesValue(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 ? v.map(String) : undefined);

type Match = 'yes' | 'no' | 'maybe';
const and = (a: Match, b: Match): Match => (a === 'no' || b === 'no' ? 'no' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes');
const or = (a: Match, b: Match): Match => (a === 'yes' || b === 'yes' ? 'yes' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'no');

/** One `from[].source` against the client: identity fields decide, request fields make it conditional. */
function sourceMatches(source: Readonly<Record<string, unknown>>, client: IstioPeer | null): Match {
  let m: Match = 'yes';
  const identity = client?.meshed ? { principal: `cluster.local/ns/${client.namespace}/sa/${client.serviceAccount}`, namespace: client.namespace } : null;
  const field = (name: string, value: string | undefined, negated: boolean) => {
    const list = strings(source[name]);
    if (!list) return;
    // Without an mTLS identity the value is empty: it matches no positive list and every negated one.
    const hit = value !== undefined && list.some((p) => matchesValue(p, value));
    m = and(m, (negated ? !hit : hit) ? 'yes' : 'no');
  };
  field('principals', identity?.principal, false);
  field('notPrincipals', identity?.principal, true);
  field('namespaces', identity?.namespace, false);
  field('notNamespaces', identity?.namespace, true);
  for (const k of ['requestPrincipals', 'notRequestPrincipals', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']) {
    if (strings(source[k])) m = and(m, 'maybe');
  }
  return m;
}

/** Ports an `operation` names (`ports`, minus `notPorts`), and whether it also looks at the request. */
function operationPorts(operation: Readonly<Record<string, unknown>>): { ports: PortSet; requestLevel: boolean } {
  const listed = strings(operation.ports);
  const excluded = strings(operation.notPorts);
  const tcp = (list: string[]): PortSet =>
    normalisePorts(list.map(Number).filter((n) => Number.isInteger(n) && n >= 1 && n <= 65535).map((n): PortInterval => ({ protocol: 'TCP', lo: n, hi: n })));
  let ports: PortSet = listed ? tcp(listed) : ALL_PORTS;
  if (excluded) ports = subtractPorts(ports, tcp(excluded));
  const requestLevel = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'].some((k) => strings(operation[k]) !== undefined);
  return { ports, requestLevel };
}

/** The ports on which a rule matches this client surely, and those on which it may. */
function ruleMatch(rule: Rule, client: IstioPeer | null): { sure: PortSet; maybe: PortSet } {
  const from = Array.isArray(rule.from) ? (rule.from as Readonly<Record<string, unknown>>[]) : [];
  let source: Match = from.length === 0 ? 'yes' : 'no';
  for (const f of from) source = or(source, sourceMatches((f.source ?? {}) as Readonly<Record<string, unknown>>, client));
  if (Array.isArray(rule.when) && rule.when.length > 0) source = and(source, 'maybe');
  if (source === 'no') return { sure: [], maybe: [] };
  const to = Array.isArray(rule.to) ? (rule.to as Readonly<Record<string, unknown>>[]) : [];
  let sure: PortSet = [];
  let maybe: PortSet = [];
  if (to.length === 0) sure = ALL_PORTS;
  for (const t of to) {
    const op = operationPorts((t.operation ?? {}) as Readonly<Record<string, unknown>>);
    if (op.requestLevel) maybe = unionPorts(maybe, op.ports);
    else sure = unionPorts(sure, op.ports);
  }
  return source === 'yes' ? { sure, maybe: subtractPorts(maybe, sure) } : { sure: [], maybe: unionPorts(sure, maybe) };
}

const TCP: PortSet = [{ protocol: 'TCP', lo: 1, hi: 65535 }];

export function evaluateIstioConnection(
  policies: readonly IstioPolicy[],
  destination: IstioPeer & { readonly mtlsMode: string },
  client: IstioPeer | null,
  offered: { readonly allowed: PortSet; readonly conditional: PortSet },
): IstioConnection {
  const untouched = (ports: PortSet) => subtractPorts(ports, TCP);
  const decidedBy: string[] = [];
  if (destination.mtlsMode === 'STRICT' && !client?.meshed) {
    return {
      allowed: untouched(offered.allowed),
      conditional: untouched(offered.conditional),
      decidedBy: [`mTLS STRICT on ${destination.namespace}: a client without a mesh identity is refused`],
      summary: `Istio refuses the TCP connection: ${destination.namespace}'s mTLS mode is STRICT and the client has no mesh identity`,
    };
  }
  const applying = policies
    .filter((p) => (p.namespace === destination.namespace || p.namespace === ISTIO_ROOT_NAMESPACE) && (p.selector === null || selectorMatches(p.selector, destination.labels)))
    .sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
  let denySure: PortSet = [];
  let denyMaybe: PortSet = [];
  let allowSure: PortSet = [];
  let allowMaybe: PortSet = [];
  let custom = false;
  let allowApplies = false;
  for (const p of applying) {
    if (p.action === 'AUDIT') continue;
    if (p.action === 'CUSTOM') {
      custom = true;
      decidedBy.push(`${p.namespace}/${p.name} (CUSTOM: an external authorizer decides each request)`);
      continue;
    }
    if (p.action === 'ALLOW') allowApplies = true;
    (p.rules ?? []).forEach((rule, i) => {
      const m = ruleMatch(rule, client);
      if (m.sure.length === 0 && m.maybe.length === 0) return;
      decidedBy.push(`${p.namespace}/${p.name} rules[${i}] (${p.action}${m.sure.length === 0 ? ', for some requests' : ''})`);
      if (p.action === 'DENY') {
        denySure = unionPorts(denySure, m.sure);
        denyMaybe = unionPorts(denyMaybe, m.maybe);
      } else {
        allowSure = unionPorts(allowSure, m.sure);
        allowMaybe = unionPorts(allowMaybe, m.maybe);
      }
    });
  }
  if (!allowApplies) allowSure = ALL_PORTS;
  // Of TCP: allowed surely, or for some requests only; never what a DENY rule may match.
  let sure = subtractPorts(subtractPorts(intersectPorts(allowSure, TCP), denySure), denyMaybe);
  let maybe = subtractPorts(subtractPorts(intersectPorts(unionPorts(allowSure, allowMaybe), TCP), denySure), sure);
  if (custom) {
    maybe = unionPorts(maybe, sure);
    sure = [];
  }
  const allowed = unionPorts(untouched(offered.allowed), intersectPorts(offered.allowed, sure));
  const conditional = unionPorts(untouched(offered.conditional), unionPorts(intersectPorts(offered.allowed, maybe), intersectPorts(offered.conditional, unionPorts(sure, maybe))));
  const tcpOffered = intersectPorts(unionPorts(offered.allowed, offered.conditional), TCP);
  const summary = !allowApplies && denySure.length === 0 && denyMaybe.length === 0 && !custom
    ? 'no Istio AuthorizationPolicy restricts this connection'
    : intersectPorts(tcpOffered, unionPorts(sure, maybe)).length === 0
      ? `Istio denies it: ${allowApplies && allowSure.length === 0 && allowMaybe.length === 0 ? 'ALLOW policies apply and none of their rules matches this client' : 'a DENY rule matches it or no ALLOW rule does'}`
      : `Istio ${intersectPorts(tcpOffered, sure).length > 0 ? 'allows' : 'allows only some requests of'} it${maybe.length > 0 ? ' (some ports depend on the request: methods, paths, hosts, conditions or IP addresses)' : ''}`;
  if (allowApplies && allowSure.length === 0 && allowMaybe.length === 0) decidedBy.push('ALLOW policies apply and no rule of them matches this client');
  return { allowed, conditional, decidedBy, summary };
}
