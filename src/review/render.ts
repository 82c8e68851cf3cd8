import type { Review } from './model.js';
import { renderCsv, renderCsvChunks } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson, renderJsonChunks } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { renderTable } from './render-table.js';

/** `table`: for a terminal (the default on one), the others for files and tools. */
export const reviewFormats = ['markdown', 'csv', 'json', 'html', 'table'] as const;
export type ReviewFormat = (typeof reviewFormats)[number];

export function isReviewFormat(value: string): value is ReviewFormat {
  return (reviewFormats as readonly string[]).includes(value);
}

/** Renders a review in one format. Pure: the same review gives the same bytes. */
export function renderReview(review: Review, format: ReviewFormat, columns = 100): string {
  switch (format) {
    case 'table':
      return renderTable(review, columns);
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
export function renderReviewChunks(review: Review, format: ReviewFormat, columns = 100): Iterable<string> {
  if (format === 'json') return renderJsonChunks(review);
  if (format === 'csv') return renderCsvChunks(review);
  return [renderReview(review, format, columns)];
}
