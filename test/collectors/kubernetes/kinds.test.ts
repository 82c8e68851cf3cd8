import { describe, expect, it } from 'vitest';
import { apiTypes, kubernetesKinds, listedKinds } from '../../../src/collectors/kubernetes/kinds.js';
import { listPath } from '../../../src/collectors/kubernetes/live.js';
import { mapObjects } from '../../../src/collectors/kubernetes/map.js';
import { kindsProducedBy } from '../../../src/inventory/kinds/index.js';
import { validateResource } from '../../../src/inventory/validate.js';

// src/collectors/kubernetes/kinds.ts is the one table the Kubernetes collector reads: the
// live lists, the mapping of list items and manifests, and coverage all derive from it.
describe('the Kubernetes kind table', () => {
  const settings = { cluster: 'c1', source: 'k8s:c1', collector: 'kubernetes', defaultNamespace: 'default' };

  it('has an entry for exactly the kinds whose inventory entry names the kubernetes collector', () => {
    expect(Object.keys(kubernetesKinds).sort()).toEqual([...kindsProducedBy('kubernetes')]);
    // Only the cluster itself comes from discovery; every other kind is listed.
    expect(Object.entries(kubernetesKinds).filter(([, source]) => 'discovery' in source).map(([kind]) => kind)).toEqual(['k8s.cluster']);
    expect([...listedKinds].sort()).toEqual(kindsProducedBy('kubernetes').filter((kind) => kind !== 'k8s.cluster'));
  });

  it('maps an object of every API type, in every version it reads, into its kind with valid attributes', () => {
    for (const type of apiTypes) {
      const metadata = type.only ? { name: type.only.name, namespace: type.only.namespace } : { name: 'x', namespace: 'n' };
      for (const version of type.versions) {
        const apiVersion = type.group ? `${type.group}/${version}` : version;
        const out = mapObjects([{ object: { apiVersion, kind: type.kind, metadata } }], settings);
        const what = `${apiVersion} ${type.kind}`;
        expect(out.unmapped, what).toEqual([]);
        const [resource] = out.resources;
        expect(resource?.kind, what).toBe(type.ztKind);
        if (resource) expect(validateResource(resource, resource.id), what).toMatchObject({ ok: true });
      }
      const other = mapObjects([{ object: { apiVersion: type.group ? `${type.group}/v0` : 'v0', kind: type.kind, metadata } }], settings);
      expect(other.unmapped.map((u) => u.reason), type.kind).toEqual(['unknown-version']);
    }
  });

  it('tells types apart: one list path per type, and distinct resource ids where two groups share a kind name', () => {
    const paths = apiTypes.map((type) => listPath({ ...type, version: type.versions[0] }));
    expect(new Set(paths).size).toBe(paths.length);
    const idKinds = apiTypes.map((type) => type.idKind ?? type.kind);
    expect(new Set(idKinds).size).toBe(idKinds.length);
  });

  it('lists the built-in types first, then the custom resources, each with its product', () => {
    const firstCrd = apiTypes.findIndex((type) => type.crd);
    expect(apiTypes.slice(firstCrd).every((type) => type.crd?.product)).toBe(true);
    expect(apiTypes.slice(0, firstCrd).some((type) => type.crd)).toBe(false);
    expect(apiTypes.filter((type) => type.crd).map((type) => `${type.crd?.product} ${type.kind}`)).toEqual([
      'Istio PeerAuthentication',
      'Istio AuthorizationPolicy',
      'Istio RequestAuthentication',
      'Linkerd Server',
      'Linkerd AuthorizationPolicy',
      'Linkerd ServerAuthorization',
      'Cilium CiliumNetworkPolicy',
      'Cilium CiliumClusterwideNetworkPolicy',
    ]);
  });
});
