import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files being written now: removed if the process stops before they are renamed into place. */
const pending = new Set<string>();

/**
 * Writes a file whole or not at all: the content goes to a temporary file beside the
 * target, renamed over it once complete (a rename within one folder is atomic), so an
 * interrupted or failed write leaves the previous report or snapshot as it was. The
 * replaced file's permissions are kept. A target that exists and is not a regular file
 * (`/dev/stdout`, a FIFO) is written in place: renaming over it would replace the device.
 */
export async function writeFileAtomically(path: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile()) {
    const handle = await open(path, 'w');
    try {
      for await (const chunk of chunks) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    return;
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  pending.add(temp);
  try {
    const handle = await open(temp, 'wx', existing ? existing.mode & 0o7777 : 0o666);
    try {
      for await (const chunk of chunks) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    pending.delete(temp);
  }
}

/** Removes the temporary files of writes still in progress; the interrupt handler calls it before exiting. */
export function removePendingFiles(): void {
  for (const temp of pending) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Best effort while exiting: a temporary file left behind never replaced a target.
    }
  }
  pending.clear();
}
