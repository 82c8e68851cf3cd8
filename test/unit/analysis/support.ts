import { analyse } from '../../../src/analysis/index.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { allKinds, type Kind } from '../../../src/inventory/kinds/index.js';
import type { KindCoverage } from '../../../src/model/coverage.js';
import type { Resource } from '../../../src/inventory/snapshot.js';

export function resource(kind: string, name: string, attributes: Record<string, unknown>, id = `${kind}/${name}`): Resource {
  return { kind, id, name, attributes, provenance: { collector: 'test', source: 'test' } } as Resource;
}

/** Every kind read completely: what these analysis tests model (unknown facts have tests of their own). */
export const completeCoverage = (): Partial<Record<Kind, KindCoverage>> => Object.fromEntries(allKinds.map((k) => [k, { state: 'complete' }]));

/** Runs the real analysis over the given resources, every kind complete unless `coverage` says otherwise; returns the derived facts by id. */
export function facts(resources: Resource[], coverage: Partial<Record<Kind, KindCoverage>> = {}) {
  const index = new InventoryIndex({
    schemaVersion: 1,
    collectedAt: '2026-01-01T00:00:00Z',
    sources: [],
    coverage: { ...completeCoverage(), ...coverage },
    issues: [],
    resources,
  });
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
