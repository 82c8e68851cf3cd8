import { describe, expect, it } from 'vitest';
import { exitCodeFor, type RunOutcome } from '../../../src/cli/exit-codes.js';

describe('exitCodeFor: the one place exit codes are decided', () => {
  it.each<[string, RunOutcome, number]>([
    ['clean run', { kind: 'completed', internal: false, incomplete: false, gateFailed: false }, 0],
    ['gate failed', { kind: 'completed', internal: false, incomplete: false, gateFailed: true }, 1],
    ['incomplete', { kind: 'completed', internal: false, incomplete: true, gateFailed: false }, 3],
    ['incomplete beats gate failed', { kind: 'completed', internal: false, incomplete: true, gateFailed: true }, 3],
    ['a collection issue that is a bug in zt (ZT_COLLECT_CRASHED) beats incomplete and gate failed', { kind: 'completed', internal: true, incomplete: true, gateFailed: true }, 4],
    ['invalid input', { kind: 'error', exitClass: 'usage' }, 2],
    ['incomplete error', { kind: 'error', exitClass: 'incomplete' }, 3],
    ['internal error', { kind: 'error', exitClass: 'internal' }, 4],
    ['interrupted', { kind: 'error', exitClass: 'interrupted' }, 130],
    ['help', { kind: 'help' }, 0],
  ])('%s → %i', (_name, outcome, code) => {
    expect(exitCodeFor(outcome)).toBe(code);
  });
});
