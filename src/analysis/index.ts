import type { InventoryIndex } from '../inventory/index.js';
import { UnknownFact } from '../model/unknown-fact.js';
import type { Analyser } from './analyser.js';
import { adminEquivalentAnalysers } from './aws/admin-equivalent.js';
import { organizationMembershipAnalyser } from './aws/organization-membership.js';
import { rootMfaAnalyser } from './aws/root-mfa.js';
import { userMfaAnalyser } from './aws/user-mfa.js';
import { entraTenantAnalyser } from './identity/entra-tenant.js';
import { factorStrengthAnalyser } from './identity/factor-strength.js';
import { policyExclusionsAnalyser } from './identity/policy-exclusions.js';
import { unknownAttributes, unknownFields } from './input-gaps.js';
import { ciliumAnalysers } from './kubernetes/cilium-policy.js';
import { cniAnalysers } from './kubernetes/cni.js';
import { istioAuthzAnalysers } from './kubernetes/istio-authz.js';
import { workloadLinkerdAuthzAnalyser } from './kubernetes/linkerd.js';
import { namespaceAnalyser } from './kubernetes/namespace.js';
import { kubernetesPostureAnalysers } from './kubernetes/posture.js';
import { workloadIdentityAnalyser } from './kubernetes/workload-identity.js';
import { workloadMeshAnalyser } from './kubernetes/workload-mesh.js';
import { workloadNetworkAnalyser } from './kubernetes/workload-network.js';
import { workloadContainersAnalyser } from './kubernetes/workload-containers.js';
import { containerResourcesAnalyser } from './kubernetes/container-resources.js';

/** Every analyser, in the order they run (independent of each other today). */
export const analysers: readonly Analyser[] = [
  workloadIdentityAnalyser,
  workloadContainersAnalyser,
  containerResourcesAnalyser,
  workloadNetworkAnalyser,
  workloadMeshAnalyser,
  ...cniAnalysers,
  ...istioAuthzAnalysers,
  workloadLinkerdAuthzAnalyser,
  ...ciliumAnalysers,
  namespaceAnalyser,
  ...kubernetesPostureAnalysers,
  ...adminEquivalentAnalysers,
  userMfaAnalyser,
  organizationMembershipAnalyser,
  rootMfaAnalyser,
  factorStrengthAnalyser,
  policyExclusionsAnalyser,
  entraTenantAnalyser,
];

/** Analysers the configured plugins add (plugins/activate.ts), run after zt's own. */
let pluginAnalysers: readonly Analyser[] = [];

export function setPluginAnalysers(list: readonly Analyser[]): void {
  pluginAnalysers = list;
}

/** The analysers of this run: zt's own, then the plugins'. */
export function activeAnalysers(): readonly Analyser[] {
  return pluginAnalysers.length === 0 ? analysers : [...analysers, ...pluginAnalysers];
}

/** One analyser's output in the inventory at hand. */
export interface AnalyserOutput {
  readonly kind: string;
  /** Resource id → the analyser's fields for it. */
  readonly facts: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Every field the analyser declares (its output schema's). */
  readonly fields: readonly string[];
  /** Per source (target), the declared fields that are unknown there (an input was not read completely); sources without any left out. */
  readonly unknown: ReadonlyMap<string, Readonly<Record<string, UnknownFact>>>;
  /** Resource id → declared fields unknown for that resource alone (Analyser.unknowns). */
  readonly unknownById?: ReadonlyMap<string, Readonly<Record<string, UnknownFact | undefined>>>;
  /** Set when the analyser threw: its fields are unknown on every resource of its kind, in every target. */
  readonly failure?: AnalysisFailure;
}

/** An analyser that threw: a bug in zt, reported as an internal issue (exit 4) naming it. */
export interface AnalysisFailure {
  readonly kind: string;
  /** The fields it derives, which name it ("k8s.workload: ingressIsolated, egressIsolated"). */
  readonly fields: readonly string[];
  readonly message: string;
}

/**
 * Derived facts per resource id: each analyser's fields kept as their own object and
 * merged only when asked for. Merging up front copied a workload's growing fact object
 * once per analyser (half a second at 100k resources); the audit instead copies each
 * resource's parts once, straight into its CEL view.
 *
 * Facts can be unknown (three-valued facts): for a kind in one target (an input that
 * target did not read completely), or for one resource alone (Analyser.unknowns).
 * `unknownsOf` names them, and whatever value the analyser computed for such a field is
 * not to be trusted — the engine reports rules reading it as not evaluated, and `get`
 * leaves it out.
 */
export class DerivedFacts {
  private readonly byKind = new Map<string, ReadonlyMap<string, Readonly<Record<string, unknown>>>[]>();
  /** kind → source → unknown fields. */
  private readonly unknownByKind = new Map<string, Map<string, Readonly<Record<string, UnknownFact>>>>();
  private readonly unknownById = new Map<string, Readonly<Record<string, UnknownFact>>>();
  /** kind → fields unknown in every target because the analyser deriving them threw. */
  private readonly failedByKind = new Map<string, Readonly<Record<string, UnknownFact>>>();
  /** The analysers that threw, in analyser order. */
  readonly failures: readonly AnalysisFailure[];

  /**
   * Each analyser's output, in analyser order; `unknownAttributes`: kind → source →
   * attributes its collector could not fill (coverage `unknownFields`), unknown like derived facts.
   */
  constructor(
    outputs: readonly AnalyserOutput[],
    unknownAttributes: ReadonlyMap<string, ReadonlyMap<string, Readonly<Record<string, UnknownFact>>>> = new Map(),
  ) {
    const unknown = new Map<string, Map<string, Record<string, UnknownFact>>>();
    const ofKind = (kind: string): Map<string, Record<string, UnknownFact>> => {
      let bySource = unknown.get(kind);
      if (!bySource) unknown.set(kind, (bySource = new Map<string, Record<string, UnknownFact>>()));
      return bySource;
    };
    for (const [kind, bySource] of unknownAttributes) for (const [source, fields] of bySource) ofKind(kind).set(source, { ...fields });
    this.failures = outputs.flatMap((output) => output.failure ?? []);
    for (const { kind, fields, message } of this.failures) {
      const fact = new UnknownFact({ kind, state: 'missing', reason: 'api_error' }, `zt's analysis of ${kind} failed (${message}); a bug in zt, see the ZT_ANALYSIS_CRASHED issue`);
      this.failedByKind.set(kind, { ...this.failedByKind.get(kind), ...Object.fromEntries(fields.map((field) => [field, fact])) });
    }
    for (const { kind, facts, fields, unknown: gaps, unknownById } of outputs) {
      // One analyser's record is kept as it is (shared by the resources it was given to, so
      // the engine's per-record cache of unknown reads holds); a second one for the id is merged.
      for (const [id, byField] of unknownById ?? []) {
        const before = this.unknownById.get(id);
        this.unknownById.set(id, (before ? { ...before, ...byField } : byField) as Readonly<Record<string, UnknownFact>>);
      }
      const list = this.byKind.get(kind);
      if (list) list.push(facts);
      else this.byKind.set(kind, [facts]);
      // A later analyser's field wins on a shared name, so its known value clears an earlier unknown (per source).
      const bySource = ofKind(kind);
      for (const [source, known] of bySource) {
        const own = gaps.get(source);
        for (const field of fields) if (!own?.[field]) delete known[field];
      }
      for (const [source, own] of gaps) bySource.set(source, { ...bySource.get(source), ...own });
    }
    for (const [kind, bySource] of unknown) {
      const kept = new Map([...bySource].filter(([, fields]) => Object.keys(fields).length > 0));
      if (kept.size > 0) this.unknownByKind.set(kind, kept);
    }
  }

  /** The derived fields of one resource, one object per analyser of its kind that has any, in analyser order. */
  partsOf(resource: { readonly kind: string; readonly id: string }): Readonly<Record<string, unknown>>[] {
    const found: Readonly<Record<string, unknown>>[] = [];
    for (const facts of this.byKind.get(resource.kind) ?? []) {
      const fields = facts.get(resource.id);
      if (fields !== undefined) found.push(fields);
    }
    return found;
  }

  /**
   * The derived fields of this resource that are unknown, by name (undefined when none are):
   * for its kind in its target, or for it alone.
   */
  unknownsOf(resource: { readonly kind: string; readonly id?: string; readonly provenance?: { readonly source: string } }): Readonly<Record<string, UnknownFact>> | undefined {
    const bySource = this.unknownByKind.get(resource.kind);
    // Without a source (a caller that does not know it), every target's unknowns count: never fewer.
    const inSource = bySource === undefined ? undefined : resource.provenance ? bySource.get(resource.provenance.source) : unionOf(bySource.values());
    const failed = this.failedByKind.get(resource.kind);
    const ofKind = failed ? { ...inSource, ...failed } : inSource;
    const ofId = resource.id === undefined ? undefined : this.unknownById.get(resource.id);
    if (!ofId) return ofKind;
    return ofKind ? { ...ofId, ...ofKind } : ofId;
  }

  /**
   * The derived fields of the resource with this id merged (later analysers win on a shared
   * name), unknown ones left out (unknown in any target of its kind: the id alone does not
   * name the target); undefined when none.
   */
  get(id: string): Readonly<Record<string, unknown>> | undefined {
    const found: Readonly<Record<string, unknown>>[] = [];
    let unknown: string[] | undefined;
    for (const [kind, list] of this.byKind) {
      const before = found.length;
      for (const facts of list) {
        const fields = facts.get(id);
        if (fields !== undefined) found.push(fields);
      }
      const gaps = this.unknownByKind.get(kind);
      if (gaps && found.length > before) for (const fields of gaps.values()) (unknown ??= []).push(...Object.keys(fields));
      const failed = this.failedByKind.get(kind);
      if (failed && found.length > before) (unknown ??= []).push(...Object.keys(failed));
    }
    const ofId = this.unknownById.get(id);
    if (ofId) (unknown ??= []).push(...Object.keys(ofId));
    if (!unknown) return found.length <= 1 ? found[0] : (Object.assign({}, ...found) as Record<string, unknown>);
    const merged = Object.assign({}, ...found) as Record<string, unknown>;
    for (const field of unknown) delete merged[field];
    return merged;
  }
}

/** Every target's unknown fields together. */
function unionOf(records: Iterable<Readonly<Record<string, UnknownFact>>>): Readonly<Record<string, UnknownFact>> | undefined {
  let out: Record<string, UnknownFact> | undefined;
  for (const record of records) out = { ...out, ...record };
  return out;
}

/**
 * One analyser's output. An analyser that throws (a bug in zt, or data that does not
 * match its schema when validation was skipped, as in rule error cases) must neither
 * crash the audit nor go unnoticed: its fields become unknown everywhere (rules reading
 * them are not evaluated, never passed) and the failure is kept for an internal issue.
 */
function run(analyser: Analyser, inventory: InventoryIndex): AnalyserOutput {
  const fields = Object.keys(analyser.output.shape);
  try {
    return { kind: analyser.kind, facts: analyser.derive(inventory), fields, unknown: unknownFields(analyser, inventory), unknownById: analyser.unknowns?.(inventory) };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { kind: analyser.kind, facts: new Map(), fields, unknown: new Map(), failure: { kind: analyser.kind, fields, message } };
  }
}

export function analyse(inventory: InventoryIndex): DerivedFacts {
  return new DerivedFacts(activeAnalysers().map((analyser) => run(analyser, inventory)), unknownAttributes(inventory));
}

/** `analyse`, waiting for `turn` after each analyser, so a signal (Ctrl-C) is handled within one analyser's time. */
export async function analyseInTurns(inventory: InventoryIndex, turn: () => Promise<void>): Promise<DerivedFacts> {
  const outputs: AnalyserOutput[] = [];
  for (const analyser of activeAnalysers()) {
    outputs.push(run(analyser, inventory));
    await turn();
  }
  return new DerivedFacts(outputs, unknownAttributes(inventory));
}
