import { ipBlockSet, type AddressSet } from '../../../text/cidr.js';
import { isEmptyPeer, ruleHasNoPeerRestriction, type NetPolicy, type NetWorkload, type PolicyRule } from '../network-policy.js';
import { resolvePorts } from '../network-ports.js';
import { ClassSpace, type ClassSet } from '../network-reachability/class-sets.js';
import { ReachabilityIndex } from '../network-reachability/reachability-index.js';
import { PortSetTable } from './port-algebra.js';
import { groupQueryClasses } from './query-classes.js';
import type { QueryCluster } from './query-cluster.js';

/**
 * The NetworkPolicies of one cluster compiled for queries, over **connectivity classes**
 * ("atoms"): pod classes (query-classes.ts) that every selector of every policy treats
 * alike — in the same policy selections and the same peer sets, with the same named
 * ports. Two pods of one atom have identical connectivity to and from everything, so
 * every query (a pair, a row, the whole matrix) works on atoms and expands to workloads
 * only when it reports. Selector matching is ReachabilityIndex's (memoised per selector),
 * so building this is O(Σ sizes of the distinct selector sets), never pairwise.
 *
 * Host-network pods form one atom of their own: the most common CNI behaviour, which the
 * Kubernetes documentation names, is to ignore them when matching podSelector and
 * namespaceSelector and to treat their traffic as the node's. So no policy isolates them,
 * no pod selector selects them, and ipBlocks may or may not hold their node's address
 * (not collected): such answers are "conditional".
 */

export interface IpBlockPeer {
  /** Index of the peer in the rule's `from`/`to`. */
  readonly peer: number;
  readonly cidr: string;
  readonly except: readonly string[];
  readonly addresses: AddressSet;
}

export interface CompiledRule {
  readonly id: number;
  /** Index into Connectivity.policies. */
  readonly policy: number;
  readonly direction: 'ingress' | 'egress';
  /** Index of the rule in the policy's ingress/egress list. */
  readonly index: number;
  readonly rule: PolicyRule;
  /** Atoms the pod peers select (sorted); null when the rule admits every peer. */
  readonly peerAtoms: Int32Array | null;
  /** The rule's ipBlock peers. */
  readonly ipBlocks: readonly IpBlockPeer[];
  /** Port-set id of the numeric ports (what applies towards addresses). */
  readonly numericPorts: number;
}

export interface CompiledPolicy {
  readonly policy: NetPolicy;
  /** Pod atoms it selects (host-network pods excluded), sorted. */
  readonly selected: Int32Array;
  /** Host-network workloads its podSelector matches (it does not apply to them; said in explanations). */
  readonly selectsHostNetwork: boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

export interface Atom {
  readonly index: number;
  readonly hostNetwork: boolean;
  /** Its workloads, sorted by namespace then name. */
  readonly workloads: readonly NetWorkload[];
}

export class Connectivity {
  readonly cluster: QueryCluster;
  readonly ports = new PortSetTable();
  readonly atoms: readonly Atom[];
  /** Workload id → atom index. */
  readonly atomOf: ReadonlyMap<string, number>;
  /** The host-network atom, -1 when no workload uses the host network. */
  readonly hostAtom: number;
  /** Atoms NetworkPolicy applies to (every atom but the host-network one). */
  readonly podAtoms: Int32Array;
  readonly policies: readonly CompiledPolicy[];
  readonly rules: readonly CompiledRule[];
  /** Per atom: the policies selecting it that isolate it for ingress / egress. */
  readonly ingressPolicies: readonly number[][];
  readonly egressPolicies: readonly number[][];
  /** Per atom: ingress rules whose pod peers hold it; egress rules whose pod peers hold it. */
  readonly ingressRulesFrom: readonly number[][];
  readonly egressRulesTo: readonly number[][];
  /** Rules admitting every peer. */
  readonly ingressRulesFromAll: readonly number[];
  readonly egressRulesToAll: readonly number[];

  private readonly portSignatureOfAtom: Int32Array;
  private readonly portsMemo = new Map<number, number>();

  constructor(cluster: QueryCluster) {
    this.cluster = cluster;
    const classes = groupQueryClasses(cluster.workloads, (w) => cluster.hostNetwork.has(w.id));
    const space = new ClassSpace(classes.classes.length);
    const index = new ReachabilityIndex(cluster, classes, space);

    // Every selector set the policies use, in policy order: a class's atom is the list of those holding it.
    const setIds = new Map<ClassSet, number>();
    const setOf = (set: ClassSet): ClassSet => {
      if (!setIds.has(set)) setIds.set(set, setIds.size);
      return set;
    };
    const policySets = cluster.policies.map((policy) => {
      const selected = index.hasWorkloads(policy.namespace) ? setOf(index.classesSelected(undefined, policy.podSelector, policy.namespace)) : space.EMPTY;
      const peerSets = (rules: readonly PolicyRule[]) =>
        rules.map((rule) =>
          ruleHasNoPeerRestriction(rule) || (rule.peers ?? []).some(isEmptyPeer)
            ? null
            : (rule.peers ?? []).map((p) => (p.podSelector || p.namespaceSelector ? setOf(index.classesSelected(p.namespaceSelector, p.podSelector, policy.namespace)) : null)),
        );
      return { selected, ingress: peerSets(policy.ingress), egress: peerSets(policy.egress) };
    });

    const n = classes.classes.length;
    const membership: number[][] = Array.from({ length: n }, () => []);
    for (const [set, id] of setIds) for (const c of set.idx) (membership[c] as number[]).push(id);
    const atomKeyToIndex = new Map<string, number>();
    const classAtom = new Int32Array(n);
    const atomWorkloads: NetWorkload[][] = [];
    const atomHost: boolean[] = [];
    const atomSig: number[] = [];
    for (let c = 0; c < n; c++) {
      const host = classes.hostNetwork[c] === true;
      const key = host ? 'host' : `${classes.portSignature[c] as number}|${(membership[c] as number[]).join(',')}`;
      let a = atomKeyToIndex.get(key);
      if (a === undefined) {
        a = atomWorkloads.length;
        atomKeyToIndex.set(key, a);
        atomWorkloads.push([]);
        atomHost.push(host);
        atomSig.push(classes.portSignature[c] as number);
      }
      classAtom[c] = a;
      for (const w of (classes.classes[c] as { workloads: NetWorkload[] }).workloads) (atomWorkloads[a] as NetWorkload[]).push(w);
    }
    const atoms: Atom[] = atomWorkloads.map((workloads, i) => ({ index: i, hostNetwork: atomHost[i] === true, workloads }));
    this.atoms = atoms;
    this.portSignatureOfAtom = Int32Array.from(atomSig);
    const atomOf = new Map<string, number>();
    for (const a of atoms) for (const w of a.workloads) atomOf.set(w.id, a.index);
    this.atomOf = atomOf;
    this.hostAtom = atomHost.indexOf(true);
    this.podAtoms = Int32Array.from(atoms.filter((a) => !a.hostNetwork).map((a) => a.index));

    // A class set as pod atoms (sorted, distinct), once per set.
    const atomsOfSet = new Map<ClassSet, Int32Array>();
    const toAtoms = (set: ClassSet): Int32Array => {
      let list = atomsOfSet.get(set);
      if (!list) {
        const found = new Set<number>();
        for (const c of set.idx) if (!classes.hostNetwork[c]) found.add(classAtom[c] as number);
        list = Int32Array.from([...found].sort((x, y) => x - y));
        atomsOfSet.set(set, list);
      }
      return list;
    };
    const selectsHost = (set: ClassSet): boolean => set.idx.some((c) => classes.hostNetwork[c] === true);

    const A = atoms.length;
    this.ingressPolicies = Array.from({ length: A }, () => []);
    this.egressPolicies = Array.from({ length: A }, () => []);
    const ingressRulesFrom: number[][] = Array.from({ length: A }, () => []);
    const egressRulesTo: number[][] = Array.from({ length: A }, () => []);
    const ingressRulesFromAll: number[] = [];
    const egressRulesToAll: number[] = [];
    const rules: CompiledRule[] = [];
    const policies: CompiledPolicy[] = [];
    cluster.policies.forEach((policy, p) => {
      const sets = policySets[p] as (typeof policySets)[number];
      const selected = toAtoms(sets.selected);
      const compile = (direction: 'ingress' | 'egress', list: readonly PolicyRule[], peerSets: readonly ((ClassSet | null)[] | null)[]): CompiledRule[] =>
        list.map((rule, i) => {
          const peerSetList = peerSets[i];
          let peerAtoms: Int32Array | null = null;
          if (peerSetList) {
            const found = new Set<number>();
            for (const s of peerSetList) if (s) for (const a of toAtoms(s)) found.add(a);
            peerAtoms = Int32Array.from([...found].sort((x, y) => x - y));
          }
          const ipBlocks: IpBlockPeer[] = [];
          (rule.peers ?? []).forEach((peer, k) => {
            if (peer.ipBlock) ipBlocks.push({ peer: k, cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [], addresses: ipBlockSet(peer.ipBlock.cidr, peer.ipBlock.except ?? []) });
          });
          const compiled: CompiledRule = { id: rules.length, policy: p, direction, index: i, rule, peerAtoms, ipBlocks, numericPorts: this.ports.id(rule.ports.numeric) };
          rules.push(compiled);
          return compiled;
        });
      const ingress = policy.ingressIsolating ? compile('ingress', policy.ingress, sets.ingress) : [];
      const egress = policy.egressIsolating ? compile('egress', policy.egress, sets.egress) : [];
      policies.push({ policy, selected, selectsHostNetwork: selectsHost(sets.selected), ingress, egress });
      if (selected.length === 0) return;
      for (const a of selected) {
        if (policy.ingressIsolating) (this.ingressPolicies[a] as number[]).push(p);
        if (policy.egressIsolating) (this.egressPolicies[a] as number[]).push(p);
      }
      for (const r of ingress) {
        if (r.peerAtoms === null) ingressRulesFromAll.push(r.id);
        else for (const a of r.peerAtoms) (ingressRulesFrom[a] as number[]).push(r.id);
      }
      for (const r of egress) {
        if (r.peerAtoms === null) egressRulesToAll.push(r.id);
        else for (const a of r.peerAtoms) (egressRulesTo[a] as number[]).push(r.id);
      }
    });
    this.rules = rules;
    this.policies = policies;
    this.ingressRulesFrom = ingressRulesFrom;
    this.egressRulesTo = egressRulesTo;
    this.ingressRulesFromAll = ingressRulesFromAll;
    this.egressRulesToAll = egressRulesToAll;
  }

  ingressIsolated(atom: number): boolean {
    return (this.ingressPolicies[atom] as number[]).length > 0;
  }

  egressIsolated(atom: number): boolean {
    return (this.egressPolicies[atom] as number[]).length > 0;
  }

  /** Port-set id a rule allows towards a pod atom (named ports resolved against its container ports). */
  portsTowards(rule: CompiledRule, atom: number): number {
    if (rule.rule.ports.named.length === 0) return rule.numericPorts;
    const key = rule.id * 0x200000 + (this.portSignatureOfAtom[atom] as number);
    let id = this.portsMemo.get(key);
    if (id === undefined) {
      const sample = (this.atoms[atom] as Atom).workloads[0] as NetWorkload;
      this.portsMemo.set(key, (id = this.ports.id(resolvePorts(rule.rule.ports, sample.namedPorts))));
    }
    return id;
  }
}
