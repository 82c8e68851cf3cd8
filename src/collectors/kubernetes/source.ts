import type { SourceDefinition } from '../source.js';

/**
 * `--kubernetes` (live: current context, `--context`, `--kubeconfig`, or in-cluster) and
 * `--manifests <file|dir|->` (offline, repeatable). Imports nothing: the collectors and
 * @kubernetes/client-node load only when one of these flags is given.
 */
export const kubernetesSource: SourceDefinition = {
  id: 'kubernetes',
  flags: [
    { flags: '--kubernetes', description: 'audit the live cluster of the current kubeconfig context (or in-cluster service account)' },
    { flags: '--context <name>', description: 'kubeconfig context to audit (implies --kubernetes)' },
    { flags: '--kubeconfig <path>', description: 'kubeconfig file to use (implies --kubernetes; default $KUBECONFIG or ~/.kube/config)' },
    { flags: '--kubernetes-secrets', description: 'also list Secrets, metadata only (needs `list secrets`; off by default)' },
    { flags: '--manifests <path>', description: 'Kubernetes YAML/JSON file, folder (recursive) or - for stdin; repeatable', repeatable: true },
  ],
  chosen(options) {
    return liveChosen(options) || manifestPaths(options).length > 0;
  },
  async load() {
    const { kubernetesCollectors } = await import('./collectors.js');
    return kubernetesCollectors;
  },
};

export function liveChosen(options: Readonly<Record<string, unknown>>): boolean {
  return options.kubernetes === true || typeof options.context === 'string' || typeof options.kubeconfig === 'string';
}

export function manifestPaths(options: Readonly<Record<string, unknown>>): string[] {
  const value = options.manifests;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}
