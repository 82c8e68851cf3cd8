import type { Review } from './model.js';
import { renderCsv, renderCsvChunks } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson, renderJsonChunks } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';

export const reviewFormats = ['markdown', 'csv', 'json', 'html'] as const;
export type ReviewFormat = (typeof reviewFormats)[number];

export function isReviewFormat(value: string): value is ReviewFormat {
  return (reviewFormats as readonly string[]).includes(value);
}

/** Renders a review in one format. Pure: the same review gives the same bytes. */
export function renderReview(review: Review, format: ReviewFormat): string {
  switch (format) {
    case 'csv':
      return renderCsv(review);
    case 'json':
      return renderJson(review);
    case 'html':
      return renderHtml(review);
    case 'markdown':
      return renderMarkdown(review);
  }
}

/** The same bytes as renderReview, in chunks where the format can be large (JSON, CSV). */
export function renderReviewChunks(review: Review, format: ReviewFormat): Iterable<string> {
  if (format === 'json') return renderJsonChunks(review);
  if (format === 'csv') return renderCsvChunks(review);
  return [renderReview(review, format)];
}
