import type { InventoryIndex } from '../inventory/index.js';
import type { Kind } from '../inventory/kinds/index.js';
import { UnknownFact, type UnknownBecause } from '../model/unknown-fact.js';
import type { Analyser } from './analyser.js';

/**
 * Whether a kind was read completely enough to derive facts from, and if not, why not.
 * Complete is read; "not installed" is known to be empty (the API group is not served, so
 * none exist). Without a coverage entry, having resources of the kind counts as read (as
 * in rule verdicts, engine/verdict.ts); having none is a missing input, never "zero".
 */
export function inputGap(inventory: InventoryIndex, kind: Kind): UnknownBecause | null {
  const coverage = inventory.snapshot.coverage[kind];
  if (!coverage) return inventory.ofKind(kind).length > 0 ? null : { kind, state: 'missing', reason: 'input_missing' };
  if (coverage.state === 'complete') return null;
  if (coverage.state === 'missing' && coverage.reason === 'not_installed') return null;
  return { kind, state: coverage.state, reason: coverage.reason ?? 'input_missing' };
}

/**
 * The fields of an analyser that cannot be known from this inventory: those with an
 * input (the analyser's, or the field's own) that was not read completely. Null when
 * every field is known, as it is whenever collection was complete.
 */
export function unknownFields(analyser: Analyser, inventory: InventoryIndex): Record<string, UnknownFact> | null {
  const gaps = new Map<Kind, UnknownFact | null>();
  const gapOf = (kind: Kind): UnknownFact | null => {
    if (!gaps.has(kind)) {
      const because = inputGap(inventory, kind);
      gaps.set(kind, because ? new UnknownFact(because) : null);
    }
    return gaps.get(kind) ?? null;
  };
  const shared = analyser.inputs.map(gapOf).find((gap) => gap !== null) ?? null;
  const fieldInputs: Readonly<Record<string, readonly Kind[] | undefined>> = analyser.fieldInputs ?? {};
  let out: Record<string, UnknownFact> | null = null;
  for (const field of Object.keys(analyser.output.shape)) {
    const gap = shared ?? (fieldInputs[field] ?? []).map(gapOf).find((g) => g !== null) ?? null;
    if (gap) (out ??= {})[field] = gap;
  }
  return out;
}

/** Per kind, the attributes its collector could not fill (coverage `unknownFields`), as unknown facts with the kind's coverage as the reason. */
export function unknownAttributes(inventory: InventoryIndex): Map<string, Record<string, UnknownFact>> {
  const out = new Map<string, Record<string, UnknownFact>>();
  for (const [kind, coverage] of Object.entries(inventory.snapshot.coverage)) {
    if (!coverage?.unknownFields?.length || coverage.state === 'complete') continue;
    const fact = new UnknownFact({ kind, state: coverage.state, reason: coverage.reason ?? 'input_missing' });
    out.set(kind, Object.fromEntries(coverage.unknownFields.map((field) => [field, fact])));
  }
  return out;
}
