import type { Review } from './model.js';

/** The review as versioned JSON (schemaVersion 1, kind "zt-access-review"); also the input of --previous. */
export function renderJson(review: Review): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}
