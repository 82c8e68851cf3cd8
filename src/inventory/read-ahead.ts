import { open } from 'node:fs/promises';

/**
 * A file's bytes from one read call (looping only on a short read). fs.readFile reads in
 * 512 KiB steps, each a separate trip through libuv's thread pool: for an 80 MB snapshot
 * that is 160 trips, and the small reads of everything else loading meanwhile (rule
 * files) queue behind them — rule loading took twice as long while a snapshot was read.
 */
export async function readWholeFile(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) return bytes.subarray(0, filled); // the file shrank while being read
      filled += bytesRead;
    }
    // A file that grew since stat (or reports size 0, as /proc files do) is read to its end.
    const parts = [bytes];
    for (;;) {
      const more = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(more, 0, more.length, filled);
      if (bytesRead === 0) break;
      parts.push(more.subarray(0, bytesRead));
      filled += bytesRead;
    }
    return parts.length === 1 ? bytes : Buffer.concat(parts);
  } finally {
    await handle.close();
  }
}

/**
 * Starts reading files now, for a use-case that will need them later: the read is I/O
 * off the main thread, done while modules and rules load. Failures are kept in the
 * promises (reported by whoever reads them) and dropped if nobody does.
 */
export function readAhead(paths: readonly string[], into = new Map<string, Promise<Buffer>>()): Map<string, Promise<Buffer>> {
  for (const path of paths) {
    if (into.has(path)) continue;
    const bytes = readWholeFile(path);
    bytes.catch(() => undefined);
    into.set(path, bytes);
  }
  return into;
}
