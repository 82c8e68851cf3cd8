import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { completeCoverage, resource } from './support.js';

function factsAt(collectedAt: string, resources: Resource[]) {
  return analyse(new InventoryIndex({ schemaVersion: 1, collectedAt, sources: [], coverage: completeCoverage(), issues: [], resources }));
}

const cluster = (gitVersion: string | null) =>
  resource('k8s.cluster', 'prod', {
    clusterName: 'prod',
    serverVersion: gitVersion === null ? null : { major: '1', minor: gitVersion.split('.')[1] ?? '', gitVersion },
    apiGroups: [],
  });

const node = (name: string, kubeletVersion: string) =>
  resource('k8s.node', name, {
    labels: {},
    kubeletVersion,
    osImage: 'Bottlerocket OS 1.30.0',
    kernelVersion: '6.1.119',
    containerRuntimeVersion: 'containerd://1.7.24',
    ready: true,
    createdAt: '2026-10-20T00:00:00Z',
  });

describe('node kubelet support and skew', () => {
  const now = '2026-11-02T09:00:00Z';
  it.each([
    // server, kubelet → supported, end of life, minors behind
    ['v1.36.5', 'v1.36.5', true, '2027-06-28', 0],
    ['v1.36.5', 'v1.35.9-eks-1a2b3c4', true, '2027-02-28', 1],
    ['v1.36.5', 'v1.34.9', false, '2026-10-27', 2], // ended a week before the snapshot
    ['v1.36.5', 'v1.37.1', true, '2027-10-28', -1], // newer than the API server (unsupported skew, but not "behind")
    ['v1.36.5', 'garbage', null, null, null], // unreadable: unknown, never a pass
    [null, 'v1.36.5', true, '2027-06-28', null], // no API-server version: skew unknown
  ] as const)('server %s, kubelet %s', (server, kubelet, supported, endOfLife, behind) => {
    const n = node('n1', kubelet);
    const derived = factsAt(now, [cluster(server), n]).get(n.id);
    expect(derived).toMatchObject({ kubeletSupported: supported, kubeletEndOfLife: endOfLife, kubeletMinorsBehind: behind });
  });

  it('a node is compared with the API server of its own source only', () => {
    const n = node('n1', 'v1.34.9');
    const other = { ...cluster('v1.36.5'), provenance: { collector: 'test', source: 'k8s:other' } } as Resource;
    expect(factsAt(now, [other, n]).get(n.id)?.kubeletMinorsBehind).toBeNull();
  });

  it('support is judged at collectedAt, not the wall clock', () => {
    const n = node('n1', 'v1.34.9');
    expect(factsAt('2026-06-01T00:00:00Z', [cluster('v1.35.1'), n]).get(n.id)?.kubeletSupported).toBe(true);
    expect(factsAt('2026-11-01T00:00:00Z', [cluster('v1.35.1'), n]).get(n.id)?.kubeletSupported).toBe(false);
  });
});

describe('API server support', () => {
  it.each([
    ['v1.36.5', '2026-11-02T09:00:00Z', '1.36', true, '2027-06-28'],
    ['v1.30.14', '2026-11-02T09:00:00Z', '1.30', false, '2025-07-15'],
    [null, '2026-11-02T09:00:00Z', null, null, null],
  ] as const)('%s at %s', (server, now, minor, supported, endOfLife) => {
    const c = cluster(server);
    expect(factsAt(now, [c]).get(c.id)).toMatchObject({ serverMinor: minor, serverSupported: supported, serverEndOfLife: endOfLife });
  });

  it('a "+" minor from a managed API server is read', () => {
    const c = resource('k8s.cluster', 'eks', { clusterName: 'eks', serverVersion: { major: '1', minor: '35+', gitVersion: 'v1.35.2-eks-3cfe0ce' }, apiGroups: [] });
    expect(factsAt('2026-11-02T09:00:00Z', [c]).get(c.id)).toMatchObject({ serverMinor: '1.35', serverSupported: true });
  });
});
