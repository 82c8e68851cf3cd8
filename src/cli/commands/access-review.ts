import { resolve } from 'node:path';
import { type AccessReviewOutcome, type AccessReviewRequest, readAccessReviewFiles, reviewAccess } from '../../app/access-review.js';
import { loadInputs } from '../../app/inputs.js';
import { ZtError } from '../../errors/zt-error.js';
import { isReviewFormat, renderReviewChunks, type ReviewFormat, reviewFormats } from '../../review/render.js';
import { chosenCollectors, collectorContext, loadProjectConfig } from '../collection.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { checkWritable } from '../output-plan.js';
import { startProgress } from '../progress.js';
import { toolVersion } from '../version.js';
import { writeOutput } from '../write-output.js';
import { fileRef } from './audit.js';

interface Target {
  readonly format: ReviewFormat;
  /** A file, or undefined for stdout. */
  readonly path: string | undefined;
}

/** `-f` goes to stdout (markdown by default); each `-o fmt=path` to a file; `-o fmt=-` to stdout. */
export function planReviewOutputs(format: string | undefined, outputs: readonly string[], cwd: string): Target[] {
  const targets: Target[] = [];
  for (const spec of outputs) {
    const at = spec.indexOf('=');
    const f = at > 0 ? spec.slice(0, at) : '';
    const path = at > 0 ? spec.slice(at + 1) : '';
    if (!isReviewFormat(f) || path === '') {
      throw new ZtError('ZT_USAGE', `--output ${spec}: expected <format>=<path> with a format of ${reviewFormats.join(', ')}`);
    }
    targets.push({ format: f, path: path === '-' ? undefined : resolve(cwd, path) });
  }
  const onStdout = targets.filter((t) => t.path === undefined).length + (format === undefined ? 0 : 1);
  if (onStdout > 1) {
    throw new ZtError('ZT_USAGE', 'only one format can be written to stdout', { hint: 'Write the other formats to files with --output <format>=<path>.' });
  }
  if (format !== undefined) {
    if (!isReviewFormat(format)) throw new ZtError('ZT_USAGE', `--format ${format}: expected one of ${reviewFormats.join(', ')}`);
    targets.unshift({ format, path: undefined });
  } else if (onStdout === 0) targets.unshift({ format: 'markdown', path: undefined });
  const seen = new Set<string>();
  for (const t of targets) {
    if (t.path === undefined) continue;
    if (seen.has(t.path)) throw new ZtError('ZT_USAGE', `two outputs would be written to ${t.path}`, { hint: 'Give each --output its own path.' });
    seen.add(t.path);
  }
  return targets;
}

/** commander gives option values as strings (undefined when absent). */
function days(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ZtError('ZT_USAGE', `${flag} ${value}: expected a whole number of days (1 or more)`);
  return n;
}

export async function runAccessReview(options: Record<string, unknown>, io: Io): Promise<number> {
  const targets = planReviewOutputs(options.format as string | undefined, (options.output as string[] | undefined) ?? [], io.cwd);
  const staleDays = days(options.staleDays as string | undefined, '--stale-days', 90);
  const keyMaxAgeDays = days(options.keyMaxAge as string | undefined, '--key-max-age', 90);
  const pseudonymKey = typeof options.pseudonymKey === 'string' ? options.pseudonymKey : io.env.ZT_PSEUDONYM_KEY || undefined;
  if (typeof options.pseudonymKey === 'string' && options.pseudonymise !== true) {
    throw new ZtError('ZT_USAGE', '--pseudonym-key needs --pseudonymise');
  }
  await checkWritable(targets);

  const request: AccessReviewRequest = {
    toolVersion: toolVersion(),
    staleDays,
    keyMaxAgeDays,
    ...(typeof options.identityMap === 'string' ? { identityMap: fileRef(io, options.identityMap) } : {}),
    ...(typeof options.previous === 'string' ? { previous: fileRef(io, options.previous) } : {}),
    ...(options.pseudonymise === true ? { pseudonymise: { key: pseudonymKey } } : {}),
  };
  // Every file argument is read before any source is, so a typo fails fast (exit 2).
  const files = await readAccessReviewFiles(request);
  const ignored = ['rules', 'waivers'].filter((k) => (Array.isArray(options[k]) ? (options[k] as unknown[]).length > 0 : options[k] !== undefined));
  if (options.onlyRules === true) ignored.push('onlyRules');
  if (ignored.length > 0 && options.quiet !== true) {
    io.stderr(`note: ${ignored.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} ha${ignored.length === 1 ? 's' : 've'} no effect on an access review\n`);
  }

  const config = await loadProjectConfig(options, io);
  const collectors = await chosenCollectors(options);
  const progress = await startProgress(io, options.quiet === true);
  const controller = new AbortController();
  let outcome: AccessReviewOutcome;
  try {
    progress.update('Reading inputs');
    const snapshot = await loadInputs({
      demo: options.demo === true,
      snapshots: ((options.snapshot as string[] | undefined) ?? []).map((p) => resolve(io.cwd, p)),
      collectors,
      context: collectorContext(io, (m) => progress.update(m), controller.signal, config),
    });
    progress.update(`Reviewing access over ${snapshot.resources.length} resources`);
    outcome = reviewAccess(snapshot, request, files);
  } finally {
    progress.stop();
  }
  const { review } = outcome;
  if (outcome.pseudonymMismatch && files.previous) {
    io.stderr(`warning: ${options.previous as string} is ${files.previous.pseudonymised ? '' : 'not '}pseudonymised and this review is ${review.pseudonymised ? '' : 'not'}: principals will not match\n`);
  }

  for (const target of targets) await writeOutput(io, target.format, target.path, renderReviewChunks(review, target.format));
  if (options.quiet !== true) {
    const covered = review.planes.filter((p) => p.covered).map((p) => p.plane);
    const missing = review.planes.filter((p) => !p.covered).map((p) => p.plane);
    io.stderr(
      `access review: ${review.summary.principals} principals, ${review.summary.grants} grants; planes covered: ${covered.join(', ') || 'none'}${missing.length > 0 ? `; not covered: ${missing.join(', ')}` : ''}\n`,
    );
  }
  return ExitCode.OK;
}
