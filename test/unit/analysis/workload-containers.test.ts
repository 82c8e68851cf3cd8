import { describe, expect, it } from 'vitest';
import { facts, workload } from './support.js';

const c = (name: string) => ({ name, image: `${name}:1`, securityContext: {}, env: [], envFrom: [], ports: [] });

describe('every container of a workload, ephemeral ones included', () => {
  it.each([
    ['a Deployment: containers then init containers', 'Deployment', { containers: [c('app')], initContainers: [c('init')] }, ['app', 'init'], []],
    ['a Pod with a debug container added by kubectl debug', 'Pod', { containers: [c('app')], ephemeralContainers: [c('debugger-1')] }, ['app', 'debugger-1'], ['debugger-1']],
    ['a Pod without ephemeral containers', 'Pod', { containers: [c('app')], ephemeralContainers: [] }, ['app'], []],
  ] as const)('%s', (_name, workloadKind, pod, names, ephemeral) => {
    const w = workload('web', 'shop', { app: 'web' }, pod);
    const r = { ...w, attributes: { ...w.attributes, workloadKind } };
    const derived = facts([r]).get(r.id);
    expect((derived?.allContainers as { name: string }[]).map((x) => x.name)).toEqual(names);
    expect(derived?.ephemeralContainerNames).toEqual(ephemeral);
  });

  it('a Pod from a snapshot that predates ephemeral containers: unknown, not judged on a part of its containers', () => {
    const w = workload('web', 'shop', { app: 'web' }, { containers: [c('app')] });
    const pod = { ...w, attributes: { ...w.attributes, workloadKind: 'Pod' } };
    const derived = facts([pod]);
    expect(derived.get(pod.id)).not.toHaveProperty('allContainers');
    expect(derived.unknownsOf(pod)?.allContainers?.explain()).toMatch(/before zt recorded ephemeral containers/);
    // A controller's template cannot hold them: known.
    expect(facts([w]).get(w.id)).toHaveProperty('allContainers');
  });
});
