import type { Collector } from '../types.js';
import { liveCollector } from './live.js';
import { manifestCollector } from './manifests.js';
import { liveChosen, manifestPaths } from './source.js';

/** Builds the Kubernetes collectors the parsed options ask for (live, manifests or both). */
export function kubernetesCollectors(options: Readonly<Record<string, unknown>>): Collector[] {
  const collectors: Collector[] = [];
  if (liveChosen(options)) {
    collectors.push(
      liveCollector({
        context: typeof options.context === 'string' ? options.context : undefined,
        kubeconfig: typeof options.kubeconfig === 'string' ? options.kubeconfig : undefined,
        secrets: options.kubernetesSecrets === true,
      }),
    );
  }
  const paths = manifestPaths(options);
  if (paths.length > 0) collectors.push(manifestCollector({ paths }));
  return collectors;
}
