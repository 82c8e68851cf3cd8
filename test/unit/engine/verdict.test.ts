import { describe, expect, it } from 'vitest';
import { gateStatus } from '../../../src/engine/verdict.js';

describe('gate verdict from counts', () => {
  it.each([
    // pass, fail, error, threshold → status
    [4, 0, 0, 1, 'pass'],
    [3, 1, 0, 1, 'fail'],
    [3, 1, 0, 0.75, 'pass'],
    [2, 2, 0, 0.75, 'fail'],
    [1, 3, 0, 0.25, 'pass'],
    [3, 0, 1, 1, 'error'], // could pass if the error were a pass: unknown, never a pass
    [2, 1, 1, 1, 'fail'], // fails already make the threshold unreachable
    [2, 0, 2, 0.75, 'error'],
    [0, 0, 0, 1, 'not_applicable'],
  ] as const)('pass %i fail %i error %i at %f → %s', (pass, fail, error, threshold, expected) => {
    expect(gateStatus({ pass, fail, error, skip: 0, waived: 0 }, threshold, 'not_applicable')).toBe(expected);
  });

  it('an empty scope fails when the rule says the thing must exist', () => {
    expect(gateStatus({ pass: 0, fail: 0, error: 0, skip: 3, waived: 0 }, 1, 'fail')).toBe('fail');
  });
});
