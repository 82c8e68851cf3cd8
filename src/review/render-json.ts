import { prettyJson, prettyJsonChunks, type JsonLayout } from '../output/json-chunks.js';
import type { Review } from './model.js';

/** Walk the review and its top-level lists; each principal is then stringified whole. */
const layout: JsonLayout = { space: 2, streamDepth: 2 };

/** The review as versioned JSON (schemaVersion 1, kind "zt-access-review"); also the input of --previous. */
export function renderJson(review: Review): string {
  return prettyJson(review, layout);
}

/** The same bytes as renderJson, lazily in ~1 MB chunks (a 50k-principal review is hundreds of MB). */
export function renderJsonChunks(review: Review): Iterable<string> {
  return prettyJsonChunks(review, layout);
}
