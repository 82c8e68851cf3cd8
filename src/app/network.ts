import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyse } from '../analysis/index.js';
import type { DiffRule } from '../analysis/kubernetes/network-query/diff.js';
import { layerNotes } from '../analysis/kubernetes/network-query/layers.js';
import { evaluateIstioConnection, type IstioPeer, type IstioPolicy } from '../analysis/kubernetes/network-query/istio-connection.js';
import { NetworkQueries, type ConnectionLayer, type LayersOf } from '../analysis/kubernetes/network-query/queries.js';
import type { NetWorkload } from '../analysis/kubernetes/network-policy.js';
import { queryClusters } from '../analysis/kubernetes/network-query/query-cluster.js';
import { ZtError } from '../errors/zt-error.js';
import { InventoryIndex } from '../inventory/index.js';
import type { Kind } from '../inventory/kinds/index.js';
import type { Provenance, Snapshot } from '../inventory/snapshot.js';
import { policyRuleRegion } from '../network/policy-regions.js';
import type { DiffPlaces, PlaceInFile } from '../network/render-diff-sarif.js';

/**
 * `zt network`: the chosen Kubernetes cluster of a snapshot (read as `zt audit` reads
 * its inputs), ready for queries. What the queries rest on must have been read
 * completely: a NetworkPolicy zt did not see could deny what it reports allowed, a
 * workload it did not see is missing from every set, so each gap is reported (the
 * command exits 3 unless --allow-incomplete, as an audit does).
 */

const NEEDED: readonly Kind[] = ['k8s.workload', 'k8s.networkPolicy', 'k8s.namespace'];

export interface NetworkSubject {
  readonly queries: NetworkQueries;
  /** Kinds the queries rest on that were not read completely, in words. */
  readonly gaps: readonly string[];
  /** The mesh/L7 layers zt derives per workload (runs the analysis once, on first use). */
  readonly layersOf: LayersOf;
  /** Istio authorization evaluated per connection, for destinations in the Istio mesh. */
  readonly connectionLayer: ConnectionLayer;
}

export function networkSubject(snapshot: Snapshot, cluster: string | undefined): NetworkSubject {
  const inventory = new InventoryIndex(snapshot);
  const clusters = queryClusters(inventory);
  if (clusters.length === 0) {
    throw new ZtError('ZT_NETWORK_CLUSTER', 'the input holds no Kubernetes workloads or NetworkPolicies: there is no network to query');
  }
  const names = clusters.map((c) => c.source);
  let chosen = clusters[0];
  if (cluster !== undefined) {
    chosen = clusters.find((c) => c.source === cluster || c.source === `k8s:${cluster}`);
    if (!chosen) throw new ZtError('ZT_NETWORK_CLUSTER', `--cluster ${cluster}: the input holds no such cluster (it holds ${names.join(', ')})`);
  } else if (clusters.length > 1) {
    throw new ZtError('ZT_NETWORK_CLUSTER', `the input holds ${clusters.length} Kubernetes clusters (${names.join(', ')}): choose one with --cluster`);
  }
  const subject = chosen as (typeof clusters)[number];
  const coverage = snapshot.coverageBySource?.[subject.source] ?? snapshot.coverage;
  const gaps: string[] = [];
  for (const kind of NEEDED) {
    const c = coverage[kind];
    if (!c) gaps.push(`${kind} was not read`);
    else if (c.state !== 'complete') gaps.push(`${kind} ${c.state}${c.reason ? ` (${c.reason})` : ''}${c.detail ? `: ${c.detail}` : ''}`);
  }
  let facts: ReturnType<typeof analyse> | undefined;
  const factsOf = (id: string) => (facts ??= analyse(inventory)).get(id);
  // Istio is evaluated per connection when its AuthorizationPolicies were all read (or it is not installed).
  const istioCoverage = coverage['istio.authorizationPolicy'];
  const istioRead = istioCoverage?.state === 'complete' || istioCoverage?.reason === 'not_installed';
  const istioPolicies: IstioPolicy[] = inventory
    .ofKind('istio.authorizationPolicy')
    .filter((p) => p.provenance.source === subject.source)
    .map((p) => ({ name: p.name, namespace: p.attributes.namespace, selector: p.attributes.selector, action: p.attributes.action, rules: p.attributes.rules }));
  const workloads = new Map(inventory.ofKind('k8s.workload').map((w) => [w.id, w]));
  const netWorkloads = new Map(subject.workloads.map((w) => [w.id, w]));
  const peer = (w: NetWorkload): IstioPeer & { mtlsMode: string } => {
    const f = factsOf(w.id) ?? {};
    return { namespace: w.namespace, labels: w.labels, serviceAccount: workloads.get(w.id)?.attributes.pod.serviceAccountName ?? 'default', meshed: f.mesh === 'istio', mtlsMode: typeof f.mtlsMode === 'string' ? f.mtlsMode : 'NONE' };
  };
  const evaluatesIstio = (w: NetWorkload) => istioRead && factsOf(w.id)?.mesh === 'istio';
  const layersOf: LayersOf = (id, role) => {
    const notes = layerNotes(factsOf(id), role);
    const w = role === 'destination' ? netWorkloads.get(id) : undefined;
    return w && evaluatesIstio(w) ? notes.filter((n) => n.layer !== 'istio') : notes;
  };
  const connectionLayer: ConnectionLayer = (source, destination, offered) => {
    if (!evaluatesIstio(destination)) return null;
    const to = peer(destination);
    const r = evaluateIstioConnection(istioPolicies, to, source ? peer(source) : null, offered);
    const note = { layer: 'istio' as const, evaluatedPerConnection: true, facts: { mtlsMode: to.mtlsMode }, summary: r.summary, decidedBy: r.decidedBy };
    return { note, allowed: r.allowed, conditional: r.conditional };
  };
  return { queries: new NetworkQueries(subject), gaps, layersOf, connectionLayer };
}

/**
 * Where the NetworkPolicies and workloads of one cluster were read from (manifests keep
 * file and line; a live cluster has none), for SARIF: a policy rule's own lines are found
 * in its manifest (network/policy-regions.ts), read once per file.
 */
export function manifestPlaces(snapshot: Snapshot, source: string, cwd: string): DiffPlaces {
  const texts = new Map<string, string | null>();
  const textOf = (file: string): string | null => {
    if (!texts.has(file)) {
      let text: string | null;
      try {
        text = readFileSync(resolve(cwd, file), 'utf8');
      } catch {
        text = null; // stdin, or moved since: the object's own line is all there is
      }
      texts.set(file, text);
    }
    return texts.get(file) ?? null;
  };
  const policies = new Map<string, Provenance>();
  const workloads = new Map<string, Provenance>();
  for (const r of snapshot.resources) {
    if (r.provenance.source !== source || r.provenance.file === undefined) continue;
    const namespace = typeof r.attributes.namespace === 'string' ? r.attributes.namespace : undefined;
    if (namespace === undefined) continue;
    if (r.kind === 'k8s.networkPolicy') policies.set(`${namespace}/${r.name}`, r.provenance);
    else if (r.kind === 'k8s.workload') workloads.set(`${namespace}/${r.name}`, r.provenance);
  }
  const objectPlace = (p: Provenance | undefined): PlaceInFile | undefined =>
    p?.file === undefined ? undefined : { file: p.file, region: { startLine: p.line ?? 1, endLine: p.line ?? 1 } };
  return {
    rule(rule: DiffRule): PlaceInFile | undefined {
      const p = policies.get(rule.policy);
      const place = objectPlace(p);
      const m = /^(ingress|egress)\[(\d+)\]$/.exec(rule.rule);
      const text = place ? textOf(place.file) : null;
      if (!place || !m || text === null) return place;
      return { file: place.file, region: policyRuleRegion(text, place.region.startLine, m[1] as 'ingress' | 'egress', Number(m[2])) };
    },
    workload: (name: string) => objectPlace(workloads.get(name)),
  };
}
