import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { facts, resource, workload } from './support.js';

const cluster = (source = 'test') =>
  ({ ...resource('k8s.cluster', 'prod', { clusterName: 'prod', serverVersion: null, apiGroups: [] }), provenance: { collector: 'test', source } }) as Resource;

function daemonSet(name: string, namespace: string, images: string[], initImages: string[] = [], source = 'test'): Resource {
  const base = workload(name, namespace, { app: name }, {
    containers: images.map((image, i) => ({ name: `c${i}`, image })),
    initContainers: initImages.map((image, i) => ({ name: `i${i}`, image })),
  });
  return { ...base, id: `${base.id}-ds`, attributes: { ...base.attributes, workloadKind: 'DaemonSet' }, provenance: { collector: 'test', source } };
}

describe('DaemonSet images per cluster', () => {
  it.each([
    ['no workloads', [], [], []],
    ['Deployments are not node agents', [workload('falco', 'falco', {}, { containers: [{ name: 'c', image: 'falcosecurity/falco:0.39.2' }] })], [], []],
    [
      'containers and init containers, sorted and deduplicated',
      [daemonSet('falco', 'kube-system', ['falcosecurity/falco:0.39.2'], ['falcosecurity/falcoctl:0.10.0']), daemonSet('node-exporter', 'monitoring', ['prom/node-exporter:v1.8.2', 'falcosecurity/falco:0.39.2'])],
      ['falcosecurity/falco:0.39.2', 'falcosecurity/falcoctl:0.10.0', 'prom/node-exporter:v1.8.2'],
      ['kube-system/falco', 'monitoring/node-exporter'],
    ],
    ['another cluster\'s DaemonSets do not count', [daemonSet('falco', 'kube-system', ['falcosecurity/falco:0.39.2'], [], 'k8s:other')], [], []],
  ] as const)('%s', (_name, workloads, images, names) => {
    const c = cluster();
    expect(facts([c, ...(workloads as readonly Resource[])]).get(c.id)).toMatchObject({ daemonSetImages: images, daemonSets: names });
  });
});
