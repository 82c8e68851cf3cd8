import { describe, expect, it } from 'vitest';
import { facts, netpol, workload } from './support.js';

describe('which workloads a NetworkPolicy selects', () => {
  const web = workload('web', 'shop', { app: 'web' });
  const other = workload('web', 'billing', { app: 'web' });

  it.each([
    ['matchLabels', { matchLabels: { app: 'web' } }, ['Deployment/web'], false],
    ['a label nothing carries', { matchLabels: { app: 'webb' } }, [], false],
    ['matchExpressions (Exists)', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, ['Deployment/web'], false],
    ['{} selects every pod of the namespace', {}, ['Deployment/web'], true],
  ] as const)('%s', (_name, selector, selected, all) => {
    const policy = netpol('p', 'shop', selector);
    expect(facts([web, other, policy]).get(policy.id)).toMatchObject({ selectedWorkloads: selected, selectsAllPods: all });
  });

  it('is unknown when workloads were not all read (the selected pods may be the missing ones)', () => {
    const policy = netpol('p', 'shop', { matchLabels: { app: 'webb' } });
    const derived = facts([web, policy], { 'k8s.workload': { state: 'partial', reason: 'api_error' } });
    expect(derived.get(policy.id)).not.toHaveProperty('selectedWorkloads');
    expect(derived.unknownsOf(policy)?.selectedWorkloads).toBeDefined();
  });
});
