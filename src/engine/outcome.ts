/** One rule's verdict on one resource, before waivers. */
export interface Outcome {
  readonly status: 'pass' | 'fail' | 'error' | 'skip';
  /** Why the expression could not be evaluated (status error only). */
  readonly error?: { readonly code: string; readonly message: string };
}

// Shared: a rule runs once on every resource of its kind.
export const PASS: Outcome = Object.freeze({ status: 'pass' });
export const FAIL: Outcome = Object.freeze({ status: 'fail' });
export const SKIP: Outcome = Object.freeze({ status: 'skip' });
