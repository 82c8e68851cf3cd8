import type { Analyser } from '../analyser.js';
import { isSystemNamespace } from './system-namespaces.js';

/**
 * Per workload: namespace class and the service-account token it really gets. The pod
 * field wins; if unset, the service account's field; if that is unset too, Kubernetes
 * mounts the token.
 */
export const workloadIdentityAnalyser: Analyser = {
  kind: 'k8s.workload',
  fields: {
    systemNamespace: 'The workload runs in a platform namespace (kube-system, istio-system, …).',
    automountToken: 'The pods get a service-account token mounted (pod field, else service account, else true).',
    usesDefaultServiceAccount: 'The pods run as the namespace\'s "default" service account.',
    serviceAccountAnnotations: 'Annotations of the pods\' service account (cloud workload identity such as IRSA).',
  },
  derive(inventory) {
    const accounts = new Map<string, Readonly<Record<string, unknown>>>();
    for (const sa of inventory.ofKind('k8s.serviceAccount')) {
      accounts.set(`${String(sa.attributes.namespace)}/${sa.name}`, sa.attributes);
    }
    const out = new Map<string, Record<string, unknown>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const pod = workload.attributes.pod;
      const namespace = String(workload.attributes.namespace);
      const account = accounts.get(`${namespace}/${pod.serviceAccountName}`);
      const accountSetting = (account?.automountServiceAccountToken as boolean | null | undefined) ?? null;
      out.set(workload.id, {
        systemNamespace: isSystemNamespace(namespace),
        automountToken: pod.automountServiceAccountToken ?? accountSetting ?? true,
        usesDefaultServiceAccount: pod.serviceAccountName === 'default',
        serviceAccountAnnotations: (account?.annotations) ?? {},
      });
    }
    return out;
  },
};
