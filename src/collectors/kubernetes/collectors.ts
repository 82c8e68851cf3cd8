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
    if (contexts.length === 0) collectors.push(liveCollector({ kubeconfig: settings.kubeconfig, secrets: settings.secrets }));
    const names = clusterNamesOf(contexts);
    // A context whose cluster name is unique keeps the short name it always had (ids, baselines and waivers stay valid).
    for (const context of contexts) collectors.push(liveCollector({ context, kubeconfig: settings.kubeconfig, secrets: settings.secrets, clusterName: names.get(context)! }));
  }
  if (settings.manifests.length > 0) collectors.push(manifestCollector({ paths: settings.manifests }));
  return collectors;
}
