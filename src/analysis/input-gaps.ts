import type { InventoryIndex } from '../inventory/index.js';
import { collectorsOf, type CollectorId, type Kind } from '../inventory/kinds/index.js';
import type { KindCoverage } from '../model/coverage.js';
import { UnknownFact, type UnknownBecause } from '../model/unknown-fact.js';
import type { Analyser } from './analyser.js';

/**
 * Collectors whose targets share nothing: a cluster's facts come from that cluster alone, a
 * tenant's from that tenant (the analysers look objects up within their own source, and a
 * test holds them to it). A gap in one such target leaves another's facts known. AWS
 * accounts are not closed worlds: a role's trust policy admits principals of other
 * accounts, so an account read in part can hide a path into any other.
 */
const closedWorlds: ReadonlySet<CollectorId> = new Set<CollectorId>(['kubernetes', 'okta', 'entra']);

/** Whether a coverage entry (or its absence) leaves the kind unread, and why. `present`: resources of it exist. */
function gapOf(kind: Kind, coverage: KindCoverage | undefined, present: boolean): UnknownBecause | null {
  if (!coverage) return present ? null : { kind, state: 'missing', reason: 'input_missing' };
  if (coverage.state === 'complete') return null;
  if (coverage.state === 'missing' && coverage.reason === 'not_installed') return null;
  return { kind, state: coverage.state, reason: coverage.reason ?? 'input_missing' };
}

/**
 * Whether a kind was read completely enough to derive facts from, and if not, why not.
 * Complete is read; "not installed" is known to be empty (the API group is not served, so
 * none exist). Without a coverage entry, having resources of the kind counts as read (as
 * in rule verdicts, engine/verdict.ts); having none is a missing input, never "zero".
 */
export function inputGap(inventory: InventoryIndex, kind: Kind): UnknownBecause | null {
  return gapOf(kind, inventory.snapshot.coverage[kind], inventory.ofKind(kind).length > 0);
}

const holders = new WeakMap<InventoryIndex, Map<Kind, ReadonlySet<string>>>();

/** The sources holding resources of a kind (worked out once per kind and inventory). */
function sourcesHolding(inventory: InventoryIndex, kind: Kind): ReadonlySet<string> {
  let byKind = holders.get(inventory);
  if (!byKind) holders.set(inventory, (byKind = new Map<Kind, ReadonlySet<string>>()));
  let set = byKind.get(kind);
  if (!set) {
    const found = new Set<string>();
    for (const r of inventory.ofKind(kind)) found.add(r.provenance.source);
    byKind.set(kind, (set = found));
  }
  return set;
}

/**
 * The same for one source (target): what that source recorded reading, when the snapshot
 * says per source (or holds that one source only); else the whole's, never better.
 */
function sourceGap(inventory: InventoryIndex, kind: Kind, source: string): UnknownBecause | null {
  const { snapshot } = inventory;
  const own = snapshot.coverageBySource?.[source] ?? (snapshot.sources.length === 1 && snapshot.sources[0]?.source === source ? snapshot.coverage : undefined);
  if (!own) return inputGap(inventory, kind);
  return gapOf(kind, own[kind], sourcesHolding(inventory, kind).has(source));
}

/**
 * Whether one target (provenance source) read a kind completely enough to derive its facts
 * from, and if not, why not: its own coverage where the snapshot records it per source,
 * else the whole's. Analysers that judge a target's facts from its own objects use it, so a
 * gap in one cluster never changes another's facts.
 */
export function targetInputGap(inventory: InventoryIndex, kind: Kind, source: string): UnknownBecause | null {
  return sourceGap(inventory, kind, source);
}

/** The sources an analyser's facts are given for: every source of its kind's resources, and every source of the snapshot. */
function sourcesOf(analyser: Analyser, inventory: InventoryIndex): Map<string, CollectorId | undefined> {
  const out = new Map<string, CollectorId | undefined>();
  for (const s of inventory.snapshot.sources) out.set(s.source, s.collector as CollectorId);
  for (const source of sourcesHolding(inventory, analyser.kind)) if (!out.has(source)) out.set(source, undefined);
  return out;
}

/**
 * The fields of an analyser that cannot be known, per source (target): those with an
 * input (the analyser's, or the field's own) that was not read completely — by that
 * target, for an input its own closed-world collector produces; by any target otherwise.
 * Sources without unknown fields are left out: the map is empty whenever collection was
 * complete.
 */
export function unknownFields(analyser: Analyser, inventory: InventoryIndex): Map<string, Record<string, UnknownFact>> {
  const cache = new Map<string, UnknownFact | null>();
  const gap = (kind: Kind, source: string, collector: CollectorId | undefined): UnknownFact | null => {
    const own = collector !== undefined && closedWorlds.has(collector) && collectorsOf(kind).includes(collector);
    const key = own ? `${kind}\u0000${source}` : kind;
    if (!cache.has(key)) {
      const because = own ? sourceGap(inventory, kind, source) : inputGap(inventory, kind);
      cache.set(key, because ? new UnknownFact(because) : null);
    }
    return cache.get(key) ?? null;
  };
  const fieldInputs: Readonly<Record<string, readonly Kind[] | undefined>> = analyser.fieldInputs ?? {};
  const out = new Map<string, Record<string, UnknownFact>>();
  for (const [source, collector] of sourcesOf(analyser, inventory)) {
    const shared = analyser.inputs.map((kind) => gap(kind, source, collector)).find((g) => g !== null) ?? null;
    let fields: Record<string, UnknownFact> | undefined;
    for (const field of Object.keys(analyser.output.shape)) {
      const found = shared ?? (fieldInputs[field] ?? []).map((kind) => gap(kind, source, collector)).find((g) => g !== null) ?? null;
      if (found) (fields ??= {})[field] = found;
    }
    if (fields) out.set(source, fields);
  }
  return out;
}

/**
 * Per kind and source, the attributes its collector could not fill (coverage
 * `unknownFields`), as unknown facts with that coverage as the reason.
 */
export function unknownAttributes(inventory: InventoryIndex): Map<string, Map<string, Record<string, UnknownFact>>> {
  const out = new Map<string, Map<string, Record<string, UnknownFact>>>();
  const { snapshot } = inventory;
  const add = (source: string, coverage: Readonly<Record<string, KindCoverage | undefined>>): void => {
    for (const [kind, entry] of Object.entries(coverage)) {
      if (!entry?.unknownFields?.length || entry.state === 'complete') continue;
      const fact = new UnknownFact({ kind, state: entry.state, reason: entry.reason ?? 'input_missing' });
      let bySource = out.get(kind);
      if (!bySource) out.set(kind, (bySource = new Map<string, Record<string, UnknownFact>>()));
      bySource.set(source, { ...bySource.get(source), ...Object.fromEntries(entry.unknownFields.map((field) => [field, fact])) });
    }
  };
  for (const s of snapshot.sources) {
    const own = snapshot.coverageBySource?.[s.source] ?? snapshot.coverage;
    add(s.source, own);
  }
  // Resources of a source the snapshot does not list: the whole's gaps.
  const listed = new Set(snapshot.sources.map((s) => s.source));
  const unlisted = new Set<string>();
  for (const [kind, entry] of Object.entries(snapshot.coverage)) if (entry?.unknownFields?.length) for (const source of sourcesHolding(inventory, kind as Kind)) if (!listed.has(source)) unlisted.add(source);
  for (const source of unlisted) add(source, snapshot.coverage);
  return out;
}
