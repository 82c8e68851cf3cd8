/**
 * Namespaces that belong to the platform rather than to applications. Rules about
 * application workloads leave them out; they are still audited by platform rules.
 */
export const systemNamespaces: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'istio-system',
  'linkerd',
  'cilium',
  'gatekeeper-system',
  'kyverno',
]);

export function isSystemNamespace(namespace: string): boolean {
  return systemNamespaces.has(namespace);
}
