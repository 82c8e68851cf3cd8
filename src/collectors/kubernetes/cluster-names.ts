/**
 * The cluster name in a live cluster's ids (`k8s://<cluster>/…`) and source (`k8s:<cluster>`):
 * the last segment of its context name (EKS contexts are ARNs,
 * `arn:aws:eks:region:account:cluster/NAME`, and ids must not hold a `/`).
 */
export function clusterNameOf(context: string): string {
  const last = context.split('/').pop() ?? context;
  return safe(last);
}

const safe = (text: string): string => text.replace(/[^A-Za-z0-9._:@-]/g, '_') || 'cluster';

/**
 * Cluster names for contexts audited in one run, each its own target: the short name
 * where it is unique among them, else the whole context name (two EKS contexts for
 * clusters called `prod` in two regions or accounts stay apart). Context names are unique
 * within a kubeconfig, so the result is too.
 */
export function clusterNamesOf(contexts: readonly string[]): Map<string, string> {
  const short = contexts.map(clusterNameOf);
  const count = new Map<string, number>();
  for (const name of short) count.set(name, (count.get(name) ?? 0) + 1);
  return new Map(contexts.map((context, i) => [context, count.get(short[i]!)! > 1 ? safe(context) : short[i]!]));
}
