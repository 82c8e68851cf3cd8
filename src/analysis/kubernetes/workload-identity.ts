import { z } from 'zod';
import { analyser } from '../analyser.js';
import type { KindAttributes } from '../../inventory/kinds/index.js';
import { isPlatformWorkload } from './platform-objects.js';
import { isSystemNamespace } from './system-namespaces.js';

const output = z.object({
  systemNamespace: z.boolean().describe('The workload runs in a platform namespace (kube-system, istio-system, …).'),
  platformWorkload: z
    .boolean()
    .describe(
      'The platform ships the workload: in a platform namespace and marked so (k8s-app, tier=control-plane, addonmanager.kubernetes.io/mode, eks.amazonaws.com/component, kubernetes.azure.com/managedby=aks); workload rules exempt only these.',
    ),
  automountToken: z.boolean().describe('The pods get a service-account token mounted (pod field, else service account, else true).'),
  usesDefaultServiceAccount: z.boolean().describe('The pods run as the namespace\'s "default" service account.'),
  serviceAccountAnnotations: z.record(z.string(), z.string()).describe('Annotations of the pods\' service account (cloud workload identity such as IRSA).'),
});

/**
 * Per workload: namespace class and the service-account token it really gets. The pod
 * field wins; if unset, the service account's field; if that is unset too, Kubernetes
 * mounts the token.
 */
export const workloadIdentityAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: [],
  fieldInputs: { automountToken: ['k8s.serviceAccount'], serviceAccountAnnotations: ['k8s.serviceAccount'] },
  output,
  derive(inventory) {
    const accounts = new Map<string, Readonly<KindAttributes<'k8s.serviceAccount'>>>();
    for (const sa of inventory.ofKind('k8s.serviceAccount')) {
      // Keyed by cluster too: every cluster has its own `default` service accounts.
      accounts.set(`${sa.provenance.source}\u0000${String(sa.attributes.namespace)}/${sa.name}`, sa.attributes);
    }
    const out = new Map<string, z.output<typeof output>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const pod = workload.attributes.pod;
      const namespace = String(workload.attributes.namespace);
      const account = accounts.get(`${workload.provenance.source}\u0000${namespace}/${pod.serviceAccountName}`);
      const accountSetting = account?.automountServiceAccountToken ?? null;
      out.set(workload.id, {
        systemNamespace: isSystemNamespace(namespace),
        platformWorkload: isPlatformWorkload(namespace, workload.attributes.labels, workload.attributes.podLabels),
        automountToken: pod.automountServiceAccountToken ?? accountSetting ?? true,
        usesDefaultServiceAccount: pod.serviceAccountName === 'default',
        serviceAccountAnnotations: (account?.annotations) ?? {},
      });
    }
    return out;
  },
});
