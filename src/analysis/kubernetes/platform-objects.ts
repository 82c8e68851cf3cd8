import { isSystemNamespace } from './system-namespaces.js';

/**
 * Is an object shipped by the platform (Kubernetes itself, the managed service, a cluster
 * add-on manager) rather than written by the cluster's users? Exemptions for platform
 * objects apply to these only, never to anything that merely sits in a platform
 * namespace: a Role someone wrote into kube-system is judged like any other.
 *
 * Marks the platform sets on what it ships (any one is enough):
 * - `kubernetes.io/bootstrapping: rbac-defaults`: the API server's bootstrap roles and bindings;
 * - `addonmanager.kubernetes.io/mode`: the add-on manager's objects (kube-up, GKE, AKS, kOps, minikube);
 * - `eks.amazonaws.com/component`: EKS add-ons (aws-node, coredns, kube-proxy);
 * - `kubernetes.azure.com/managedby: aks`: AKS-managed objects;
 * and for RBAC objects the names Kubernetes reserves (`system:`) or kubeadm gives its own
 * in a platform namespace (`kubeadm:`).
 */

const platformLabelKeys: readonly string[] = ['addonmanager.kubernetes.io/mode', 'eks.amazonaws.com/component'];

/** A label set carries one of the platform's marks. */
export function hasPlatformMark(labels: Readonly<Record<string, string>>): boolean {
  return (
    labels['kubernetes.io/bootstrapping'] === 'rbac-defaults' ||
    labels['kubernetes.azure.com/managedby'] === 'aks' ||
    platformLabelKeys.some((key) => labels[key] !== undefined)
  );
}

/** A Role or ClusterRole (`namespace` undefined) the platform ships. */
export function isPlatformRbacObject(name: string, labels: Readonly<Record<string, string>>, namespace?: string): boolean {
  if (name.startsWith('system:') || hasPlatformMark(labels)) return true;
  return namespace !== undefined && isSystemNamespace(namespace) && name.startsWith('kubeadm:');
}

/** Kubernetes' own namespaces, where users also put things (kube-system above all): objects there need a mark. */
const kubernetesNamespaces: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * A workload the platform ships: in a product's own platform namespace (istio-system,
 * linkerd, cilium, gatekeeper-system, kyverno: the product's installer owns it), or in one
 * of Kubernetes' namespaces (kube-system, kube-public, kube-node-lease) and marked as above, on the
 * workload or its pods, or labelled `k8s-app` (the cluster add-on convention of kubeadm,
 * kube-up and the managed services: kube-dns, kube-proxy, metrics-server, CNI agents) or
 * `tier: control-plane` (static control-plane pods).
 */
export function isPlatformWorkload(namespace: string, labels: Readonly<Record<string, string>>, podLabels: Readonly<Record<string, string>>): boolean {
  if (!isSystemNamespace(namespace)) return false;
  // A product's own namespace (istio-system, linkerd, cilium, …) is its installer's: what runs there is the product's.
  if (!kubernetesNamespaces.has(namespace)) return true;
  return [labels, podLabels].some((l) => hasPlatformMark(l) || l['k8s-app'] !== undefined || l.tier === 'control-plane');
}
