import { ZtError } from '../../errors/zt-error.js';
import type { SourceSite } from '../source.js';
import type { Collector } from '../types.js';
import { clusterNamesOf } from './cluster-names.js';
import { liveCollector } from './live.js';
import { manifestCollector } from './manifests.js';
import type { KubernetesSettings } from './source.js';

/**
 * Builds the Kubernetes collectors the settings ask for: one live collector per context
 * (--context repeated, or --all-contexts: each cluster its own target, named apart when two
 * contexts share a cluster name), and one for the manifests.
 */
export async function kubernetesCollectors(settings: KubernetesSettings, site: SourceSite): Promise<Collector[]> {
  const collectors: Collector[] = [];
  if (settings.live) {
    if (settings.allContexts && settings.contexts.length > 0) {
      throw new ZtError('ZT_USAGE', '--all-contexts and --context together: choose the contexts, or take them all');
    }
    const contexts = settings.allContexts ? (await import('./client.js')).listContexts({ kubeconfig: settings.kubeconfig, env: site.env, cwd: site.cwd }) : settings.contexts;
    const given = settings.clusterName === undefined ? undefined : checkedClusterName(settings.clusterName);
    if (given !== undefined && (settings.allContexts || contexts.length > 1)) {
      throw new ZtError('ZT_USAGE', '--cluster-name names one cluster, and several contexts were chosen', {
        hint: 'Give --cluster-name with one --context (or none, for the current context or in-cluster); several contexts are named by their kubeconfig cluster names.',
      });
    }
    const named = given === undefined ? {} : { clusterName: given };
    if (contexts.length === 0) collectors.push(liveCollector({ kubeconfig: settings.kubeconfig, secrets: settings.secrets, ...named }));
    const names = clusterNamesOf(contexts);
    // A context whose cluster name is unique keeps the short name it always had (ids, baselines and waivers stay valid).
    for (const context of contexts) {
      collectors.push(liveCollector({ context, kubeconfig: settings.kubeconfig, secrets: settings.secrets, clusterName: given ?? names.get(context)! }));
    }
  }
  if (settings.manifests.length > 0) collectors.push(manifestCollector({ paths: settings.manifests }));
  return collectors;
}

/**
 * A cluster name as ids and file names carry it (`k8s://<name>/…`, `k8s_<name>.json`): a
 * DNS-label-like name, else exit 2 — a slash or a space would break ids and file names.
 */
function checkedClusterName(name: string): string {
  if (/^[a-z0-9]([a-z0-9._-]{0,251}[a-z0-9])?$/i.test(name)) return name;
  throw new ZtError('ZT_USAGE', `--cluster-name ${JSON.stringify(name)}: expected letters, digits, '.', '_' or '-' (starting and ending with a letter or digit)`, {
    hint: 'Use the name the cluster has elsewhere (its kubeconfig cluster name, EKS/GKE/AKS name), e.g. --cluster-name prod-eu-1.',
  });
}
