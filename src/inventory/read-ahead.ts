import { open, stat } from 'node:fs/promises';

/** Files this large are read as four ranges at once (see readWholeFile). */
const PARALLEL_READ_BYTES = 8 * 1024 * 1024;

/** No snapshot is larger (a 200k-resource one is ~160 MB); past this a file is refused, not read into memory. */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

/** A file zt refuses to read: not a regular file (a FIFO, a device), or larger than the limit. */
export class InputRefused extends Error {
  readonly code: 'ENOTREGULAR' | 'ETOOLARGE';
  constructor(code: 'ENOTREGULAR' | 'ETOOLARGE') {
    super(code === 'ENOTREGULAR' ? 'not a regular file (a FIFO or a device)' : `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB`);
    this.code = code;
  }
}

/**
 * A file's bytes from one read call per range (looping only on a short read). fs.readFile
 * reads in 512 KiB steps, each a separate trip through libuv's thread pool: for an 80 MB
 * snapshot that is 160 trips, and the small reads of everything else loading meanwhile
 * queue behind them — rule loading took twice as long while a snapshot was read.
 */
export async function readWholeFile(path: string, maxBytes = MAX_INPUT_BYTES): Promise<Buffer> {
  // Checked before opening (opening a FIFO waits for a writer); the bytes actually read are
  // bounded below too, since size is not trusted (/dev/zero reports 0 and never ends).
  const info = await stat(path);
  // A folder falls through to the read, which fails with EISDIR as fs does.
  if (!info.isFile() && !info.isDirectory()) throw new InputRefused('ENOTREGULAR');
  if (info.size > maxBytes) throw new InputRefused('ETOOLARGE');
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafeSlow(size);
    // A large file is read as a few ranges at once: most of a read's time is the kernel
    // faulting in the new buffer's pages, which the thread pool then does in parallel
    // (an 80 MB snapshot read while zt's modules load: ~550 ms in one range, ~460 in four).
    const ranges = size >= PARALLEL_READ_BYTES ? 4 : 1;
    const step = Math.ceil(size / ranges);
    const lengths = await Promise.all(
      Array.from({ length: ranges }, async (_, i) => {
        const start = i * step;
        const end = Math.min(size, start + step);
        let at = start;
        while (at < end) {
          const { bytesRead } = await handle.read(bytes, at, end - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return at - start;
      }),
    );
    let filled = 0;
    for (let i = 0; i < ranges; i++) {
      filled += lengths[i] as number;
      // the file shrank while being read: keep what was read before the first gap
      if (lengths[i] !== Math.min(size, (i + 1) * step) - i * step) return bytes.subarray(0, filled);
    }
    // A file that grew since stat (or reports size 0, as /proc files do) is read to its end.
    const parts = [bytes];
    for (;;) {
      const more = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(more, 0, more.length, filled);
      if (bytesRead === 0) break;
      parts.push(more.subarray(0, bytesRead));
      filled += bytesRead;
      if (filled > maxBytes) throw new InputRefused('ETOOLARGE');
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
