import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ZtError } from '../errors/zt-error.js';
import { defaultReporterId, isReporterId, reporterIds, type ReporterId } from '../reporters/index.js';

export interface OutputTarget {
  readonly format: ReporterId;
  /** A file path, or undefined for stdout. */
  readonly path: string | undefined;
}

/**
 * Where each format goes. `--format` writes to stdout (one format at most);
 * `--output fmt=path` writes a file. Without --format the table goes to stdout, so a
 * CI log shows the summary even when SARIF is written to a file.
 */
export function planOutputs(formats: readonly string[] | undefined, outputs: readonly string[], cwd: string): OutputTarget[] {
  const targets: OutputTarget[] = (formats ?? []).filter(isReporterId).map((format) => ({ format, path: undefined }));
  for (const spec of outputs) {
    const at = spec.indexOf('=');
    const format = at > 0 ? spec.slice(0, at) : '';
    const path = at > 0 ? spec.slice(at + 1) : '';
    if (!isReporterId(format) || path === '') {
      throw new ZtError('ZT_USAGE', `--output ${spec}: expected <format>=<path> with a format of ${reporterIds.join(', ')}`);
    }
    targets.push({ format, path: path === '-' ? undefined : resolve(cwd, path) });
  }
  const onStdout = targets.filter((t) => t.path === undefined).length;
  if (onStdout > 1) {
    throw new ZtError('ZT_USAGE', 'only one format can be written to stdout', {
      hint: 'Write the other formats to files with --output <format>=<path>.',
    });
  }
  if (onStdout === 0) targets.unshift({ format: defaultReporterId, path: undefined });
  const seen = new Map<string, ReporterId>();
  for (const target of targets) {
    if (target.path === undefined) continue;
    const earlier = seen.get(target.path);
    if (earlier) {
      throw new ZtError('ZT_USAGE', `${earlier} and ${target.format} would both be written to ${target.path}`, {
        hint: 'Give each --output its own path.',
      });
    }
    seen.set(target.path, target.format);
  }
  return targets;
}

/** Fails before any work is done if an output file cannot be written, so no audit result is lost. */
export async function checkWritable(targets: readonly { readonly format: string; readonly path: string | undefined }[]): Promise<void> {
  for (const target of targets) {
    if (target.path === undefined) continue;
    const folder = dirname(target.path);
    try {
      const info = await stat(folder);
      if (!info.isDirectory()) throw new Error('not a directory');
      await access(folder, constants.W_OK);
      const existing = await stat(target.path).catch(() => undefined);
      if (existing?.isDirectory()) throw new Error('the path is a directory');
      if (existing) await access(target.path, constants.W_OK);
    } catch (error) {
      throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot write ${target.format} output to ${target.path}: ${(error as Error).message}`, {
        location: { file: target.path },
        cause: error,
      });
    }
  }
}
