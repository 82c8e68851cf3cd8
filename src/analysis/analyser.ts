import type { Kind } from '../inventory/kinds/index.js';
import type { InventoryIndex } from '../inventory/index.js';

/**
 * A pure derivation over the whole inventory that adds facts to resources of one kind,
 * e.g. whether a workload is isolated by a NetworkPolicy. Rules see derived fields
 * next to the collected attributes (`resource.ingressIsolated`). Declaring the fields
 * up front lets the rule compiler reject references to fields that do not exist.
 */
export interface Analyser {
  readonly kind: Kind;
  /** Derived field name → one-line description (shown by `zt rules kinds`). */
  readonly fields: Readonly<Record<string, string>>;
  derive(inventory: InventoryIndex): ReadonlyMap<string, Record<string, unknown>>;
}
