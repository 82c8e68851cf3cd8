import { analyse } from '../../../src/analysis/index.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import type { Resource } from '../../../src/inventory/snapshot.js';

export function resource(kind: string, name: string, attributes: Record<string, unknown>, id = `${kind}/${name}`): Resource {
  return { kind, id, name, attributes, provenance: { collector: 'test', source: 'test' } } as Resource;
}

/** Runs the real analysis over the given resources; returns the derived facts by id. */
export function facts(resources: Resource[]) {
  const index = new InventoryIndex({ schemaVersion: 1, collectedAt: '2026-01-01T00:00:00Z', sources: [], coverage: {}, issues: [], resources });
  return analyse(index);
}

export function pod(extra: Record<string, unknown> = {}) {
  return {
    serviceAccountName: 'default',
    automountServiceAccountToken: null,
    hostNetwork: false,
    hostPID: false,
    hostIPC: false,
    runAsNonRoot: null,
    runAsUser: null,
    seccompProfileType: null,
    containers: [],
    initContainers: [],
    volumes: [],
    ...extra,
  };
}

export function workload(name: string, namespace: string, podLabels: Record<string, string>, podExtra: Record<string, unknown> = {}, podAnnotations: Record<string, string> = {}) {
  return resource('k8s.workload', name, {
    namespace,
    labels: {},
    annotations: {},
    workloadKind: 'Deployment',
    replicas: 1,
    podLabels,
    podAnnotations,
    pod: pod(podExtra),
  }, `k8s://c/${namespace}/Deployment/${name}`);
}

export function netpol(name: string, namespace: string, podSelector: unknown, spec: Record<string, unknown> = {}) {
  return resource('k8s.networkPolicy', name, { namespace, labels: {}, annotations: {}, podSelector, policyTypes: null, ingress: [], egress: [], ...spec }, `k8s://c/${namespace}/NetworkPolicy/${name}`);
}
