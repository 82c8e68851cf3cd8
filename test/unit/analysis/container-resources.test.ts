import { describe, expect, it } from 'vitest';
import { apiTypes } from '../../../src/collectors/kubernetes/kinds.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { facts, resource, workload } from './support.js';

// Restated from Kubernetes: SetDefaults_Pod copies a container's limits into the requests
// it lacks; SetDefaults_LimitRangeItem fills a Container item's default from max and its
// defaultRequest from default, then min; the LimitRanger admission plugin gives containers
// and init containers (never ephemeral ones) the defaults of their namespace's LimitRanges
// for what they lack, when the pod is created.

type Quantities = Record<string, string>;
const c = (name: string, limits: Quantities = {}, requests: Quantities = {}) => ({ name, image: `${name}:1`, securityContext: {}, env: [], envFrom: [], ports: [], resources: { limits, requests } });
const item = (type: string, fields: Partial<Record<'default' | 'defaultRequest' | 'max' | 'min', Quantities>>) => ({ type, default: {}, defaultRequest: {}, max: {}, min: {}, maxLimitRequestRatio: {}, ...fields });
const limitRange = (name: string, namespace: string, limits: unknown[], source = 'test'): Resource => {
  const r = resource('k8s.limitRange', name, { namespace, labels: {}, annotations: {}, limits }, `k8s://c/${namespace}/LimitRange/${name}`);
  return { ...r, provenance: { ...r.provenance, source } };
};
const effectiveOf = (resources: Resource[], id: string) => (facts(resources).get(id)?.effectiveResources ?? undefined) as Record<string, { limits: Quantities; requests: Quantities; defaulted: string[] }> | undefined;

describe('effective container resources (pod defaulting, then LimitRanger)', () => {
  it.each([
    ['no LimitRange: limits copied into missing requests', [], c('app', { memory: '1Gi' }, { cpu: '100m' }), { limits: { memory: '1Gi' }, requests: { memory: '1Gi', cpu: '100m' }, defaulted: [] }],
    [
      'a Container default fills the missing limit and defaultRequest the missing request',
      [limitRange('d', 'shop', [item('Container', { default: { memory: '512Mi', cpu: '1' }, defaultRequest: { memory: '256Mi', cpu: '200m' } })])],
      c('app', { cpu: '2' }),
      { limits: { cpu: '2', memory: '512Mi' }, requests: { cpu: '2', memory: '256Mi' }, defaulted: ['limits.memory', 'requests.memory'] },
    ],
    [
      'a Pod item gives no container default',
      [limitRange('d', 'shop', [item('Pod', { max: { memory: '2Gi' } })])],
      c('app'),
      { limits: {}, requests: {}, defaulted: [] },
    ],
    [
      'another namespace\'s LimitRange gives nothing',
      [limitRange('d', 'payments', [item('Container', { default: { memory: '512Mi' } })])],
      c('app'),
      { limits: {}, requests: {}, defaulted: [] },
    ],
    [
      'another cluster\'s LimitRange in a namespace of the same name gives nothing',
      [limitRange('d', 'shop', [item('Container', { default: { memory: '512Mi' } })], 'k8s:other')],
      c('app'),
      { limits: {}, requests: {}, defaulted: [] },
    ],
    [
      'two LimitRanges: each fills what the earlier left unset, the first by name wins a resource both set',
      [limitRange('b-memory', 'shop', [item('Container', { default: { memory: '1Gi', cpu: '3' } })]), limitRange('a-cpu', 'shop', [item('Container', { default: { cpu: '1' } })])],
      c('app'),
      { limits: { cpu: '1', memory: '1Gi' }, requests: {}, defaulted: ['limits.cpu', 'limits.memory'] },
    ],
  ] as const)('%s', (_name, ranges, container, expected) => {
    const w = workload('web', 'shop', { app: 'web' }, { containers: [container] });
    expect(effectiveOf([w, ...ranges], w.id)?.app).toEqual(expected);
  });

  it('init containers get the defaults, ephemeral ones never do', () => {
    const w = workload('web', 'shop', { app: 'web' }, { containers: [c('app')], initContainers: [c('migrate')], ephemeralContainers: [c('debugger')] });
    const pod = { ...w, attributes: { ...w.attributes, workloadKind: 'Pod', replicas: null } };
    const effective = effectiveOf([pod, limitRange('d', 'shop', [item('Container', { default: { memory: '512Mi' } })])], pod.id);
    expect(effective?.migrate?.limits).toEqual({ memory: '512Mi' });
    expect(effective?.debugger?.limits).toEqual({});
  });

  it('a Pod the API server already created keeps what it was admitted with', () => {
    const w = workload('web', 'shop', { app: 'web' }, { containers: [c('app')], ephemeralContainers: [] });
    const admitted = { ...w, attributes: { ...w.attributes, workloadKind: 'Pod', replicas: null, admitted: true } };
    const ranges = [limitRange('d', 'shop', [item('Container', { default: { memory: '512Mi' } })])];
    expect(effectiveOf([admitted, ...ranges], admitted.id)?.app?.limits).toEqual({});
    // The same Pod in a manifest, not yet created, will be admitted with the default.
    const manifest = { ...admitted, attributes: { ...w.attributes, workloadKind: 'Pod', replicas: null } };
    expect(effectiveOf([manifest, ...ranges], manifest.id)?.app?.limits).toEqual({ memory: '512Mi' });
  });

  it('unknown when LimitRanges were not read, or when the snapshot predates container resources', () => {
    const w = workload('web', 'shop', { app: 'web' }, { containers: [c('app')] });
    const unread = facts([w], { 'k8s.limitRange': { state: 'missing', reason: 'permission_denied' } });
    expect(unread.unknownsOf(w)?.effectiveResources).toBeDefined();
    const old = workload('old', 'shop', { app: 'old' }, { containers: [{ name: 'app', image: 'app:1', securityContext: {}, env: [], envFrom: [], ports: [] }] });
    const derived = facts([old]);
    expect(derived.get(old.id)).not.toHaveProperty('effectiveResources');
    expect(derived.unknownsOf(old)?.effectiveResources?.explain()).toMatch(/before zt recorded container resources/);
  });
});

describe('LimitRange items as the API server stores them (SetDefaults_LimitRangeItem)', () => {
  const map = (o: Record<string, unknown>, m: Parameters<(typeof apiTypes)[number]['map']>[1]) => apiTypes.find((t) => t.kind === 'LimitRange')?.map(o, m) ?? {};
  const meta = { name: 'd', namespace: 'shop', labels: {}, annotations: {} };
  it.each([
    ['max becomes the default limit, the default the default request', { type: 'Container', max: { memory: '1Gi' } }, { default: { memory: '1Gi' }, defaultRequest: { memory: '1Gi' } }],
    ['min becomes the default request when there is no default', { type: 'Container', min: { cpu: '50m' }, default: { memory: '512Mi' } }, { default: { memory: '512Mi' }, defaultRequest: { cpu: '50m', memory: '512Mi' } }],
    ['a given defaultRequest wins over the default and min', { type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '100m' }, min: { cpu: '10m' } }, { default: { cpu: '1' }, defaultRequest: { cpu: '100m' } }],
    ['a Pod item is not defaulted', { type: 'Pod', max: { memory: '2Gi' } }, { default: {}, defaultRequest: {} }],
    ['numbers are quantities too', { type: 'Container', default: { cpu: 2 } }, { default: { cpu: '2' }, defaultRequest: { cpu: '2' } }],
  ])('%s', (_name, given, expected) => {
    const mapped = map({ spec: { limits: [given] } }, meta) as { limits: Record<string, unknown>[] };
    expect(mapped.limits[0]).toMatchObject(expected);
  });
});

describe('a Pod the API server has created is marked admitted', () => {
  const map = (kind: string) => (apiTypes.find((t) => t.kind === kind) as (typeof apiTypes)[number]).map;
  const meta = { name: 'web', namespace: 'shop', labels: {}, annotations: {} };
  const spec = { containers: [{ name: 'app', image: 'app:1' }] };
  it.each([
    ['a live Pod (creationTimestamp set)', 'Pod', { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, spec }, true],
    ['a Pod in a manifest not yet applied', 'Pod', { metadata: {}, spec }, undefined],
    ['a Deployment (its pods are admitted when created)', 'Deployment', { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { template: { spec } } }, undefined],
  ])('%s', (_name, kind, object, admitted) => {
    expect(map(kind)(object, meta).admitted).toBe(admitted);
  });
});
