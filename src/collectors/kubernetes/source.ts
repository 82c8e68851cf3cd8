import { defineSource } from '../source.js';

/**
 * `--kubernetes` (live: current context, `--context`, `--kubeconfig`, or in-cluster) and
 * `--manifests <file|dir|->` (offline, repeatable). Imports nothing: the collectors and
 * @kubernetes/client-node load only when one of these flags is given.
 */
export const kubernetesSource = defineSource({
  id: 'kubernetes',
  flags: [
    { flags: '--kubernetes', description: 'audit the live cluster of the current kubeconfig context (or in-cluster service account)' },
    { flags: '--context <name>', description: 'kubeconfig context to audit (implies --kubernetes; repeatable: each cluster is its own target)', repeatable: true },
    { flags: '--all-contexts', description: 'audit every context of the kubeconfig, each cluster its own target (implies --kubernetes)' },
    { flags: '--kubeconfig <path>', description: 'kubeconfig file to use (implies --kubernetes; default $KUBECONFIG or ~/.kube/config)' },
    {
      flags: '--cluster-name <name>',
      description: 'name the one live cluster in ids and reports (default: its kubeconfig cluster name, `in-cluster` inside a pod); for fan-out, one per cluster',
    },
    { flags: '--kubernetes-secrets', description: 'also list Secrets, metadata only (needs `list secrets`; off by default)' },
    { flags: '--manifests <path>', description: 'Kubernetes YAML/JSON file, folder (recursive) or - for stdin; repeatable', repeatable: true },
  ],
  settings: (options): KubernetesSettings => ({
    live: options.flag('kubernetes') || options.strings('context').length > 0 || options.flag('allContexts') || options.string('kubeconfig') !== undefined,
    contexts: [...new Set(options.strings('context'))],
    allContexts: options.flag('allContexts'),
    kubeconfig: options.string('kubeconfig'),
    clusterName: options.nonEmpty('clusterName'),
    secrets: options.flag('kubernetesSecrets'),
    manifests: options.strings('manifests'),
  }),
  chosen: (settings) => settings.live || settings.manifests.length > 0,
  async load() {
    const { kubernetesCollectors } = await import('./collectors.js');
    return kubernetesCollectors;
  },
  async loadDoctor() {
    const { kubernetesProbes } = await import('./doctor.js');
    return kubernetesProbes;
  },
});

/** What the Kubernetes flags ask for. */
export interface KubernetesSettings {
  /** Read clusters live (--kubernetes, --context, --all-contexts or --kubeconfig). */
  readonly live: boolean;
  /** --context, each once; none: the current context (or every one, with allContexts). */
  readonly contexts: readonly string[];
  readonly allContexts: boolean;
  readonly kubeconfig: string | undefined;
  /** --cluster-name: the one live cluster's name in ids and its source (`k8s:<name>`). */
  readonly clusterName: string | undefined;
  readonly secrets: boolean;
  /** --manifests paths as given (`-` is stdin). */
  readonly manifests: readonly string[];
}
