/** About how many characters a chunk holds before it is handed on. */
export const CHUNK_CHARS = 1 << 20;

/**
 * Joins many small pieces into chunks of about a megabyte, lazily: writers get few large
 * writes, and only one chunk is in memory at a time.
 */
export function* inChunks(pieces: Iterable<string>, size = CHUNK_CHARS): Generator<string> {
  let pending = '';
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= size) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}
