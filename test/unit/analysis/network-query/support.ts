import { parsePolicy, parseWorkload, withNameLabel } from '../../../../src/analysis/kubernetes/network-policy.js';
import type { QueryCluster } from '../../../../src/analysis/kubernetes/network-query/query-cluster.js';
import { netpol, workload } from '../support.js';

/** A container port as the kind schema records it. */
export type PortSpec = [name: string | null, port: number, protocol: 'TCP' | 'UDP' | 'SCTP'];

export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ports: readonly PortSpec[];
  readonly hostNetwork?: boolean;
  readonly kind?: string;
}

export function podResource(p: PodSpec) {
  const r = workload(p.name, p.namespace, p.labels, {
    hostNetwork: p.hostNetwork === true,
    containers: [
      {
        name: 'app',
        image: 'registry.example/app:1',
        securityContext: {},
        env: [],
        envFrom: [],
        ports: p.ports.map(([name, containerPort, protocol]) => ({ name, containerPort, protocol })),
      },
    ],
  });
  return { ...r, attributes: { ...r.attributes, workloadKind: p.kind ?? 'Deployment' } };
}

export const policy = (name: string, namespace: string, spec: Record<string, unknown>) => netpol(name, namespace, spec.podSelector ?? {}, spec);

/** A QueryCluster built straight from resources, as queryClusters() builds it from an inventory. */
export function queryCluster(namespaces: Record<string, Record<string, string>>, pods: readonly PodSpec[], policies: readonly ReturnType<typeof netpol>[]): QueryCluster {
  const resources = pods.map(podResource);
  return {
    source: 'k8s:test',
    namespaceLabels: new Map(Object.entries(namespaces).map(([ns, labels]) => [ns, withNameLabel(ns, labels)])),
    workloads: resources.map(parseWorkload),
    policies: policies.map(parsePolicy),
    hostNetwork: new Set(resources.filter((r, i) => pods[i]?.hostNetwork === true).map((r) => r.id)),
    workloadKinds: new Map(resources.map((r) => [r.id, String(r.attributes.workloadKind)])),
  };
}
