import type { Collector } from '../types.js';
import { liveCollector } from './live.js';
import { manifestCollector } from './manifests.js';
import type { KubernetesSettings } from './source.js';

/** Builds the Kubernetes collectors the settings ask for (live, manifests or both). */
export function kubernetesCollectors(settings: KubernetesSettings): Collector[] {
  const collectors: Collector[] = [];
  if (settings.live) collectors.push(liveCollector({ context: settings.context, kubeconfig: settings.kubeconfig, secrets: settings.secrets }));
  if (settings.manifests.length > 0) collectors.push(manifestCollector({ paths: settings.manifests }));
  return collectors;
}
