import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { builtInSources as sources } from '../../../src/collectors/sources.js';
import { awsKinds, awsOrganizationKinds } from '../../../src/inventory/kinds/aws.js';
import { entraKinds } from '../../../src/inventory/kinds/entra.js';
import { identityKinds } from '../../../src/inventory/kinds/identity.js';
import {
  allKinds,
  attributeNames,
  collectorsOf,
  isKind,
  kindRegistry,
  kindSchemas,
  kindsProducedBy,
  planeOf,
  type CollectorId,
  type Kind,
} from '../../../src/inventory/kinds/index.js';
import { k8sKinds } from '../../../src/inventory/kinds/kubernetes.js';
import { oktaKinds } from '../../../src/inventory/kinds/okta.js';

// A kind is described once (src/inventory/kinds/<plane>.ts: schema, plane, collectors);
// everything else about it derives from that entry. These hold the entries together.
describe('the kind registry', () => {
  const collectorIds = [...new Set(allKinds.flatMap((kind) => collectorsOf(kind)))].sort();

  it('describes each kind once: no plane file redefines a kind of another', () => {
    const groups = [k8sKinds, awsKinds, awsOrganizationKinds, identityKinds, entraKinds, oktaKinds];
    expect(groups.reduce((n, group) => n + Object.keys(group).length, 0)).toBe(allKinds.length);
  });

  it('gives every kind a schema, a plane and at least one collector', () => {
    for (const kind of allKinds) {
      const entry = kindRegistry[kind];
      expect(kindSchemas[kind], kind).toBe(entry.schema);
      expect(attributeNames(kind), kind).toEqual(Object.keys(entry.schema.shape).sort());
      expect(['kubernetes', 'aws', 'identity'], kind).toContain(planeOf(kind));
      expect(collectorsOf(kind).length, kind).toBeGreaterThan(0);
    }
  });

  it('names only collectors that exist, and every collector produces some kind', () => {
    expect(collectorIds).toEqual(sources.map((s) => s.id).sort());
  });

  it('planeOf and collectorsOf agree: each collector feeds one plane, the plane of every kind it produces', () => {
    const planeOfCollector = new Map<CollectorId, string>();
    for (const kind of allKinds) {
      for (const collector of collectorsOf(kind)) {
        const plane = planeOfCollector.get(collector) ?? planeOf(kind);
        planeOfCollector.set(collector, plane);
        expect(planeOf(kind), `${kind} (collector ${collector})`).toBe(plane);
      }
    }
  });

  it('planeOf and collectorsOf reject what is not a kind alike, whatever its prefix', () => {
    for (const value of ['gcp.compute.instance', 'k8s.unknown', 'idp.device', 'aws', '']) {
      expect(isKind(value), value).toBe(false);
      const message = `unknown kind "${value}"`;
      expect(() => planeOf(value as Kind), value).toThrow(message);
      expect(() => collectorsOf(value as Kind), value).toThrow(message);
      expect(() => attributeNames(value as Kind), value).toThrow(message);
    }
    // Not fooled by what every object has.
    expect(isKind('constructor')).toBe(false);
    expect(() => planeOf('toString' as Kind)).toThrow('unknown kind "toString"');
  });

  it('keeps the prefix convention: kinds that share a prefix share plane and collectors', () => {
    const byPrefix = new Map<string, string>();
    for (const kind of allKinds) {
      // An AWS organisation's kinds are AWS's plane (review/graph.ts reads the plane from `aws.`), read by their own collector.
      const prefix = /^aws\.(organization\.|scp$)/.test(kind) ? 'aws (organization)' : kind.slice(0, kind.indexOf('.'));
      const producer = `${planeOf(kind)} ${collectorsOf(kind).join(',')}`;
      expect(`${kind}: ${producer}`).toBe(`${kind}: ${byPrefix.get(prefix) ?? producer}`);
      byPrefix.set(prefix, producer);
    }
    // What planeOf and collectorsOf answered when they were read from the prefix.
    expect(Object.fromEntries([...byPrefix].sort())).toEqual({
      aws: 'aws aws-iam',
      'aws (organization)': 'aws aws-organizations',
      cilium: 'kubernetes kubernetes',
      entra: 'identity entra',
      idp: 'identity okta,entra',
      istio: 'kubernetes kubernetes',
      k8s: 'kubernetes kubernetes',
      linkerd: 'kubernetes kubernetes',
      okta: 'identity okta',
    });
  });

  it('kindsProducedBy lists, sorted, the kinds whose entry names the collector', () => {
    for (const collector of collectorIds) {
      expect(kindsProducedBy(collector), collector).toEqual(allKinds.filter((kind) => collectorsOf(kind).includes(collector)));
    }
    expect(kindsProducedBy('entra')).toEqual(['entra.domain', 'entra.roleAssignment', 'entra.tenant', 'idp.accessPolicy', 'idp.group', 'idp.user']);
  });

  it('agrees with the demo organisation: each resource comes from a collector its kind names', async () => {
    for (const path of await demoSnapshotFiles()) {
      const snapshot = JSON.parse(readFileSync(path, 'utf8')) as { resources: { kind: Kind; id: string; provenance: { collector: CollectorId } }[] };
      for (const r of snapshot.resources) expect(collectorsOf(r.kind), r.id).toContain(r.provenance.collector);
    }
  });
});
