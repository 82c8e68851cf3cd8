import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import type { Review } from '../../review/model.js';
import { renderCsvChunks } from '../../review/render-csv.js';
import type { Io } from '../io.js';
import { writeOutput } from '../write-output.js';

/**
 * `--split-by reviewer -o csv=<folder>/`: one CSV per reviewer (the rows assigned to them,
 * same columns, same pack id) and `unassigned.csv` for rows without one. File names are
 * the reviewer with anything but letters, digits, . _ @ - replaced by _, lower-cased; two
 * reviewers that would share a name get -2, -3… in reviewer order.
 */
export function reviewerFileNames(reviewers: readonly string[]): Map<string, string> {
  const taken = new Set<string>(['unassigned.csv']);
  const out = new Map<string, string>();
  for (const reviewer of reviewers) {
    const base = reviewer.toLowerCase().replace(/[^a-z0-9._@-]+/g, '_').replace(/^[.]+/, '_').slice(0, 100) || '_';
    let name = `${base}.csv`;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}.csv`;
    taken.add(name);
    out.set(reviewer, name);
  }
  return out;
}

export async function writeReviewerFiles(io: Io, folder: string, review: Review): Promise<number> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot create the folder ${folder} for the reviewer files`, { location: { file: folder }, cause: error });
  }
  const names = reviewerFileNames(review.pack.reviewers.map((r) => r.reviewer));
  for (const [reviewer, name] of names) await writeOutput(io, 'csv', join(folder, name), renderCsvChunks(review, (row) => row.reviewer === reviewer));
  if (review.pack.unassigned > 0) await writeOutput(io, 'csv', join(folder, 'unassigned.csv'), renderCsvChunks(review, (row) => row.reviewer === null));
  return names.size + (review.pack.unassigned > 0 ? 1 : 0);
}
