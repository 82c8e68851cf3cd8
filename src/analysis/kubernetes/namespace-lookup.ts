import type { InventoryIndex } from '../../inventory/index.js';

/** A namespace's labels and annotations as collected. */
export interface NamespaceMeta {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

const cache = new WeakMap<InventoryIndex, Map<string, NamespaceMeta>>();
const key = (source: string, name: string): string => `${source}\u0000${name}`;

/**
 * The namespace `name` of the cluster a resource came from (its provenance source).
 * Namespaces are looked up per cluster: one snapshot can hold several clusters with
 * namespaces of the same name and different settings.
 */
export function namespaceOf(inventory: InventoryIndex, source: string, name: string): NamespaceMeta | undefined {
  let byKey = cache.get(inventory);
  if (!byKey) {
    byKey = new Map();
    for (const ns of inventory.ofKind('k8s.namespace')) {
      byKey.set(key(ns.provenance.source, ns.name), { labels: ns.attributes.labels, annotations: ns.attributes.annotations });
    }
    cache.set(inventory, byKey);
  }
  return byKey.get(key(source, name));
}
