import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../../src/text/did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the closest choice within a third of its letters, case-insensitively', () => {
    expect(didYouMean('jsno', ['table', 'json', 'sarif'])).toBe('; did you mean "json"?');
    expect(didYouMean('SARFI', ['table', 'json', 'sarif'])).toBe('; did you mean "sarif"?');
    expect(didYouMean('critcal', ['critical', 'high'])).toBe('; did you mean "critical"?');
  });
  it('says nothing when no choice is close, or the value is one', () => {
    expect(didYouMean('xml', ['table', 'json', 'sarif'])).toBe('');
    expect(didYouMean('json', ['json'])).toBe('');
    expect(didYouMean('x', [])).toBe('');
  });
});
