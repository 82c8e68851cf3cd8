import { access, constants, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ZtError } from '../errors/zt-error.js';
import { defaultReporterId, reporterIds, reporterRegistry, type ReporterId } from '../reporters/index.js';
import { didYouMean } from '../text/did-you-mean.js';

export interface OutputTarget<F extends string = ReporterId> {
  readonly format: F;
  /** A file path, or undefined for stdout. */
  readonly path: string | undefined;
}

/** The formats a command writes, and how a file name's extension names one. */
export interface FormatSet<F extends string> {
  readonly ids: readonly F[];
  /** Extension (with the dot, lower case) → format; the longest matching one wins (`.sarif.json` before `.json`). */
  readonly extensions: Readonly<Record<string, F>>;
  /** Written to stdout when no format is asked for there. */
  readonly stdoutDefault: F;
}

/** `zt audit`'s formats: the reporter registry's extensions, and `.sarif.json` (GitHub's name for SARIF files). */
export const auditFormats: FormatSet<ReporterId> = {
  ids: reporterIds,
  extensions: { ...Object.fromEntries(reporterRegistry.map((r) => [r.extension, r.id])), '.sarif.json': 'sarif' },
  stdoutDefault: defaultReporterId,
};

function formatOfExtension<F extends string>(set: FormatSet<F>, path: string): F | undefined {
  const name = basename(path).toLowerCase();
  const matching = Object.keys(set.extensions)
    .filter((ext) => name.endsWith(ext) && name.length > ext.length)
    .sort((a, b) => b.length - a.length);
  const best = matching[0];
  return best === undefined ? undefined : set.extensions[best];
}

/** `-o` as given: `<format>=<path>`, or a bare path whose format comes from `-f` or its extension. */
function parseOutput<F extends string>(set: FormatSet<F>, spec: string, format: F | undefined): { format: F; path: string; bare: boolean } {
  const at = spec.indexOf('=');
  const prefix = at > 0 ? spec.slice(0, at) : '';
  if ((set.ids as readonly string[]).includes(prefix)) {
    const path = spec.slice(at + 1);
    if (path === '') throw new ZtError('ZT_USAGE', `--output ${spec}: no path after "${prefix}="`, { hint: `Give a file, e.g. --output ${prefix}=report${extensionOf(set, prefix as F)}, or ${prefix}=- for stdout.` });
    return { format: prefix as F, path, bare: false };
  }
  // A word before "=" that is not a format is a mistyped one (`jsn=x.json`), not a file name.
  if (/^[a-z]+$/.test(prefix)) {
    throw new ZtError('ZT_USAGE', `--output ${spec}: unknown format "${prefix}"${didYouMean(prefix, set.ids)}`, {
      hint: `Formats: ${set.ids.join(', ')}. Write --output <format>=<path>, or --output <path> with -f or a known extension.`,
    });
  }
  if (format !== undefined) return { format, path: spec, bare: true };
  const byExtension = formatOfExtension(set, spec);
  if (byExtension === undefined) {
    const known = Object.entries(set.extensions)
      .map(([ext, id]) => `${ext} (${id})`)
      .join(', ');
    throw new ZtError('ZT_USAGE', `--output ${spec}: cannot tell the format from the file name`, {
      hint: `Name the format: -f <format> --output ${spec}, or --output <format>=${spec}. Extensions zt recognises: ${known}.`,
    });
  }
  return { format: byExtension, path: spec, bare: true };
}

function extensionOf<F extends string>(set: FormatSet<F>, format: F): string {
  return Object.entries(set.extensions).find(([, id]) => id === format)?.[0] ?? '';
}

/**
 * Where each format goes. `-f` names one format; `-o` says where formats go: `-o <format>=<path>`,
 * or `-o <path>` alone, whose format is `-f`'s when given, else its extension's (as Trivy and
 * Kubescape read `-f sarif -o zt.sarif`). A format that `-o` sends to a file is not also written
 * to stdout; `-f` without `-o` writes to stdout, and `-o <format>=-` too. When nothing is asked
 * for stdout, the default format goes there (the table: a CI log shows the summary even when
 * SARIF goes to a file).
 */
export function planOutputs<F extends string = ReporterId>(
  format: F | undefined,
  outputs: readonly string[],
  cwd: string,
  set: FormatSet<F> = auditFormats as unknown as FormatSet<F>,
): OutputTarget<F>[] {
  const parsed = outputs.map((spec) => parseOutput(set, spec, format));
  const targets: OutputTarget<F>[] = parsed.map((o) => ({ format: o.format, path: o.path === '-' ? undefined : resolve(cwd, o.path) }));
  const toFiles = new Set(targets.filter((t) => t.path !== undefined).map((t) => t.format));
  if (format !== undefined && !toFiles.has(format)) targets.unshift({ format, path: undefined });
  const onStdout = targets.filter((t) => t.path === undefined);
  if (onStdout.length > 1) {
    throw new ZtError('ZT_USAGE', `only one format can be written to stdout (${onStdout.map((t) => t.format).join(' and ')} were asked for)`, {
      hint: 'Write the other formats to files with --output <format>=<path>.',
    });
  }
  if (onStdout.length === 0) targets.unshift({ format: set.stdoutDefault, path: undefined });
  const seen = new Map<string, F>();
  for (const target of targets) {
    if (target.path === undefined) continue;
    const earlier = seen.get(target.path);
    if (earlier !== undefined) {
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
