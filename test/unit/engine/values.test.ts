import { describe, expect, it } from 'vitest';
import { toCelValue } from '../../../src/engine/values.js';

describe('JSON → CEL values', () => {
  it('turns whole numbers into ints, keeps other numbers, and copies only what changed', () => {
    const input = { name: 'web', labels: { app: 'web' }, replicas: 3, ratio: 0.5, ports: [{ port: 80, name: 'http' }], tags: ['a'] };
    const out = toCelValue(input) as typeof input & { replicas: bigint };
    expect(out.replicas).toBe(3n);
    expect(out.ratio).toBe(0.5);
    expect((out.ports[0] as unknown as { port: bigint }).port).toBe(80n);
    expect(out.labels).toBe(input.labels); // untouched subtree, same object
    expect(out.tags).toBe(input.tags);
    expect(input.replicas).toBe(3); // the input is never changed
    expect(toCelValue(input.labels)).toBe(input.labels);
  });

  it('an object with its own `constructor` key becomes a Map (cel-js reads types from .constructor); undefined members are left out', () => {
    const labels = { constructor: 'x', app: 'web' };
    const out = toCelValue({ labels, facts: { a: undefined, b: 1 } }) as { labels: unknown; facts: Record<string, unknown> };
    expect(out.labels).toEqual(new Map([['constructor', 'x'], ['app', 'web']]));
    expect(out.facts).toEqual({ b: 1n });
    expect(Object.hasOwn(out.facts, 'a')).toBe(false);
  });
});
