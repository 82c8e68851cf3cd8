import { type ContextValues, normaliseContext } from '../conditions.js';

/**
 * "Without MFA", as assumableByUsersWithoutMfa means it: a console session without MFA
 * (aws:MultiFactorAuthPresent false) or long-term access keys (the key absent). A user
 * can assume a role without MFA when trust and identity policies allow it in either.
 */
export const NO_MFA_CONTEXTS: readonly ContextValues[] = [
  normaliseContext({ 'aws:MultiFactorAuthPresent': 'false', 'aws:MultiFactorAuthAge': null }),
  normaliseContext({ 'aws:MultiFactorAuthPresent': null, 'aws:MultiFactorAuthAge': null }),
];

/** Bit i set: `test` holds under NO_MFA_CONTEXTS[i]. Masks of two checks combine with `&`. */
export const noMfaMask = (test: (context: ContextValues) => boolean): number =>
  NO_MFA_CONTEXTS.reduce((mask, context, i) => (test(context) ? mask | (1 << i) : mask), 0);
