import type { Connectivity, CompiledRule } from './connectivity-model.js';
import { PortSetTable } from './port-algebra.js';

/**
 * Whole rows of the connectivity matrix between pod atoms, as port-set ids, without
 * evaluating pairs one by one:
 *
 *   out(s)[d] = E_s[d] ∩ I[d]   where  E_s[d] = every port if s is not egress-isolated,
 *                                     else ⋃ ports of s's egress rules whose peers hold d;
 *                                     I[d] = every port if d is not ingress-isolated,
 *                                     else ⋃ ports of d's ingress rules whose peers hold s
 *
 * computed by walking s's egress rules' peer atoms and the ingress rules that name s
 * (Connectivity.ingressRulesFrom), each over the atoms its policy selects: a row costs
 * O(atoms + the sizes of the sets involved). in(d) is the mirror image. The host-network
 * atom is left at 0 here: its answers are conditional and come from evaluatePair.
 */

export class RowComputer {
  private readonly conn: Connectivity;
  /** Ingress side before the rules naming a particular source: every port for atoms not ingress-isolated, plus rules admitting every peer. */
  private readonly ingressBase: Int32Array;
  /** Egress side before the rules naming a particular destination: every port for atoms not egress-isolated. */
  private readonly egressBase: Int32Array;

  constructor(conn: Connectivity) {
    this.conn = conn;
    const A = conn.atoms.length;
    this.ingressBase = new Int32Array(A);
    this.egressBase = new Int32Array(A);
    for (const a of conn.podAtoms) {
      if (!conn.ingressIsolated(a)) this.ingressBase[a] = PortSetTable.ALL;
      if (!conn.egressIsolated(a)) this.egressBase[a] = PortSetTable.ALL;
    }
    for (const id of conn.ingressRulesFromAll) this.applyToSelected(this.ingressBase, conn.rules[id] as CompiledRule);
  }

  /** target[d] ∪= ports of `rule` towards d, for every atom d its policy selects. */
  private applyToSelected(target: Int32Array, rule: CompiledRule): void {
    const { conn } = this;
    const ports = conn.ports;
    for (const d of conn.policies[rule.policy]?.selected ?? []) target[d] = ports.union(target[d] as number, conn.portsTowards(rule, d));
  }

  /** Port-set id per destination atom: what pods of `source` may open to it. */
  outbound(source: number): Int32Array {
    const { conn } = this;
    const ports = conn.ports;
    const A = conn.atoms.length;
    const egress = new Int32Array(A);
    if (!conn.egressIsolated(source)) {
      for (const d of conn.podAtoms) egress[d] = PortSetTable.ALL;
    } else {
      for (const p of conn.egressPolicies[source] ?? []) {
        for (const rule of conn.policies[p]?.egress ?? []) {
          const targets = rule.peerAtoms ?? conn.podAtoms;
          for (const d of targets) egress[d] = ports.union(egress[d] as number, conn.portsTowards(rule, d));
        }
      }
    }
    const ingress = this.ingressBase.slice();
    for (const id of conn.ingressRulesFrom[source] ?? []) this.applyToSelected(ingress, conn.rules[id] as CompiledRule);
    const out = egress;
    for (const d of conn.podAtoms) out[d] = ports.intersect(egress[d] as number, ingress[d] as number);
    return out;
  }

  /** Port-set id per source atom: what pods of each atom may open to `destination`. */
  inbound(destination: number): Int32Array {
    const { conn } = this;
    const ports = conn.ports;
    const A = conn.atoms.length;
    const ingress = new Int32Array(A);
    if (!conn.ingressIsolated(destination)) {
      for (const s of conn.podAtoms) ingress[s] = PortSetTable.ALL;
    } else {
      for (const p of conn.ingressPolicies[destination] ?? []) {
        for (const rule of conn.policies[p]?.ingress ?? []) {
          const allowed = conn.portsTowards(rule, destination);
          for (const s of rule.peerAtoms ?? conn.podAtoms) ingress[s] = ports.union(ingress[s] as number, allowed);
        }
      }
    }
    const egress = this.egressBase.slice();
    const reaching = [...(conn.egressRulesTo[destination] ?? []), ...conn.egressRulesToAll];
    for (const id of reaching) {
      const rule = conn.rules[id] as CompiledRule;
      const allowed = conn.portsTowards(rule, destination);
      for (const s of conn.policies[rule.policy]?.selected ?? []) egress[s] = ports.union(egress[s] as number, allowed);
    }
    const out = ingress;
    for (const s of conn.podAtoms) out[s] = ports.intersect(egress[s] as number, ingress[s] as number);
    return out;
  }
}
