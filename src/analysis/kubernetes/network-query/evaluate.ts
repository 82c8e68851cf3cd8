import { namespaceLabelsOf, peerSelectsPod, type NetWorkload } from '../network-policy.js';
import { admission, type AddressEndpoint } from './addresses.js';
import type { Atom, CompiledRule, Connectivity } from './connectivity-model.js';
import { PortSetTable } from './port-algebra.js';

/**
 * One connection's verdict, side by side with the reason for it. Kubernetes allows a
 * connection from A to B on a port iff A's egress allows it (A is not egress-isolated, or
 * a rule of a policy isolating A admits B on that port) AND B's ingress allows it (the
 * mirror image). Outside addresses and host-network pods are not subject to
 * NetworkPolicy: only the other end decides, and an ipBlock admits a host-network pod
 * only if its node's address (not collected) is in it: "conditional".
 */

/** A pod atom of the cluster, or an address outside it. */
export type End = { readonly atom: number } | { readonly address: AddressEndpoint };

export interface RuleMatch {
  readonly rule: CompiledRule;
  /** Index of the admitting peer in `from`/`to`; null when the rule admits every peer. */
  readonly peer: number | null;
  /** Port-set id the rule allows towards the destination. */
  readonly ports: number;
  /** The rule admits the peer only for some of its addresses, or only if a host-network pod's node address is in an ipBlock. */
  readonly conditional: boolean;
}

export interface SideVerdict {
  /** NetworkPolicy applies to this end (a pod not on the host network). */
  readonly applies: boolean;
  readonly isolated: boolean;
  /** Indices of the policies isolating this end for the direction. */
  readonly policies: readonly number[];
  readonly matches: readonly RuleMatch[];
  /** Ports allowed by this side (every port when not isolated). */
  readonly allowed: number;
  /** Ports allowed only conditionally (see RuleMatch.conditional), beyond `allowed`. */
  readonly conditional: number;
}

export interface PairVerdict {
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
  /** Port-set ids: allowed by both ends; allowed only conditionally. */
  readonly allowed: number;
  readonly conditional: number;
}

const isAtom = (e: End): e is { atom: number } => 'atom' in e;

function sample(conn: Connectivity, atom: number): NetWorkload {
  return (conn.atoms[atom] as Atom).workloads[0] as NetWorkload;
}

/** Which peer of a rule selects a pod (the rule's peers are known to select its atom). */
function peerSelecting(conn: Connectivity, rule: CompiledRule, atom: number): number {
  const w = sample(conn, atom);
  const policyNamespace = (conn.policies[rule.policy] as { policy: { namespace: string } }).policy.namespace;
  const labels = namespaceLabelsOf(conn.cluster, w.namespace);
  return (rule.rule.peers ?? []).findIndex((p) => (p.podSelector || p.namespaceSelector) && peerSelectsPod(p, policyNamespace, w.namespace, labels, w.labels));
}

function contains(list: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid] as number;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The rules of `rules` admitting `peer`; ports are those towards `destination` (named
 * ports resolve against a destination pod only; towards an address only numeric ports count).
 */
function matchRules(conn: Connectivity, rules: readonly CompiledRule[], peer: End, destination: End): RuleMatch[] {
  const out: RuleMatch[] = [];
  const portsOf = (r: CompiledRule) => (isAtom(destination) && destination.atom !== conn.hostAtom ? conn.portsTowards(r, destination.atom) : r.numericPorts);
  for (const r of rules) {
    const ports = portsOf(r);
    if (r.peerAtoms === null) {
      out.push({ rule: r, peer: null, ports, conditional: false });
      continue;
    }
    if (isAtom(peer) && peer.atom !== conn.hostAtom) {
      if (contains(r.peerAtoms, peer.atom)) out.push({ rule: r, peer: peerSelecting(conn, r, peer.atom), ports, conditional: false });
      continue;
    }
    for (const block of r.ipBlocks) {
      if ('address' in peer) {
        const a = admission(peer.address.addresses, block.addresses);
        if (a !== 'none') out.push({ rule: r, peer: block.peer, ports, conditional: a === 'part' });
      } else {
        // A host-network pod: its node's address may or may not be in the block.
        out.push({ rule: r, peer: block.peer, ports, conditional: true });
      }
    }
  }
  return out;
}

function side(conn: Connectivity, direction: 'ingress' | 'egress', self: End, peer: End, destination: End): SideVerdict {
  const open: SideVerdict = { applies: false, isolated: false, policies: [], matches: [], allowed: PortSetTable.ALL, conditional: PortSetTable.EMPTY };
  if (!isAtom(self) || self.atom === conn.hostAtom) return open;
  const policies = direction === 'ingress' ? (conn.ingressPolicies[self.atom] as number[]) : (conn.egressPolicies[self.atom] as number[]);
  if (policies.length === 0) return { ...open, applies: true };
  const rules = policies.flatMap((p) => (direction === 'ingress' ? conn.policies[p]?.ingress : conn.policies[p]?.egress) ?? []);
  const matches = matchRules(conn, rules, peer, destination);
  let allowed = PortSetTable.EMPTY;
  let conditional = PortSetTable.EMPTY;
  for (const m of matches) {
    if (m.conditional) conditional = conn.ports.union(conditional, m.ports);
    else allowed = conn.ports.union(allowed, m.ports);
  }
  return { applies: true, isolated: true, policies, matches, allowed, conditional };
}

/** The verdict for connections from `from` to `to`, every port at once. At least one end should be a pod. */
export function evaluatePair(conn: Connectivity, from: End, to: End): PairVerdict {
  const egress = side(conn, 'egress', from, to, to);
  const ingress = side(conn, 'ingress', to, from, to);
  const { ports } = conn;
  const allowed = ports.intersect(egress.allowed, ingress.allowed);
  const possible = ports.intersect(ports.union(egress.allowed, egress.conditional), ports.union(ingress.allowed, ingress.conditional));
  const conditional = possible === allowed ? PortSetTable.EMPTY : ports.subtract(possible, allowed);
  return { egress, ingress, allowed, conditional };
}
