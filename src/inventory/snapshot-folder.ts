import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ZtError } from '../errors/zt-error.js';
import { compareStrings } from '../text/order.js';

/**
 * `--snapshot` paths with each folder replaced by the snapshots in it (its `*.json` files,
 * not recursive, by name): a fan-out (`zt collect --out-dir` per account or cluster, in a
 * CI matrix or Kubernetes Jobs) lands its snapshots in one folder, audited as one. Files
 * are taken as they are; a path that cannot be read is reported when it is read.
 */
export function snapshotFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let folder: boolean;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      return [path];
    }
    if (!folder) return [path];
    const names = readdirSync(path)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort(compareStrings);
    if (names.length === 0) {
      throw new ZtError('ZT_FILE_UNREADABLE', `the folder ${path} holds no snapshot (*.json)`, {
        location: { file: path },
        hint: 'Point --snapshot at the folder `zt collect --out-dir` wrote, or at snapshot files.',
      });
    }
    return names.map((name) => join(path, name));
  });
}
