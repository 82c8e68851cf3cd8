import { type AccessReviewRequest, readAccessReviewFiles, reviewAccess } from '../../app/access-review.js';
import { internalIssues } from '../../app/gate.js';
import { loadInputs } from '../../app/inputs.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import type { Snapshot } from '../../inventory/snapshot.js';
import { isReviewFormat, renderReviewChunks, type ReviewFormat, reviewFormats } from '../../review/render.js';
import { loadProjectConfig, timeNotes } from '../collection.js';
import { exitCodeFor } from '../exit-codes.js';
import { type InputOptions, inputOptions } from '../input-options.js';
import type { Io } from '../io.js';
import { checkWritable, type FormatSet, type OutputTarget, planOutputs } from '../output-plan.js';
import { withInputs } from '../read-inputs.js';
import { toolVersion } from '../version.js';
import { writeOutput } from '../write-output.js';
import { fileRef } from './audit.js';
import { existsSync } from 'node:fs';
import { startCampaignFile } from '../../app/access-campaign.js';
import { decisionDay } from '../../review/record.js';
import { writeReviewerFiles } from './reviewer-files.js';
import { displayPath } from '../../ruleset/load.js';
import { type ReviewPlane, reviewPlanes } from '../../review/model.js';
import { isReviewScoped, type ReviewScope, scopeText } from '../../review/scope.js';

/** The review's formats, and the extensions that name them in a bare `-o <path>`. */
const reviewFormatSet: FormatSet<ReviewFormat> = {
  ids: reviewFormats,
  extensions: { '.md': 'markdown', '.csv': 'csv', '.json': 'json', '.html': 'html', '.txt': 'table' },
  stdoutDefault: 'markdown',
};

/**
 * `-f` names the format; `-o [format=]path` where formats go, as for `zt audit`
 * (cli/output-plan.ts). Stdout gets, when nothing else is asked for there, a table on a
 * terminal (raw Markdown is for files and PR comments) and Markdown otherwise.
 */
export function planReviewOutputs(format: string | undefined, outputs: readonly string[], cwd: string, terminal = false): OutputTarget<ReviewFormat>[] {
  if (format !== undefined && !isReviewFormat(format)) throw new ZtError('ZT_USAGE', `--format ${format}: expected one of ${reviewFormats.join(', ')}`);
  return planOutputs(format, outputs, cwd, terminal ? { ...reviewFormatSet, stdoutDefault: 'table' } : reviewFormatSet);
}

/** commander gives option values as strings (undefined when absent). */
function days(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ZtError('ZT_USAGE', `${flag} ${value}: expected a whole number of days (1 or more)`);
  return n;
}

export interface AccessReviewOptions extends InputOptions {
  readonly format: string | undefined;
  readonly outputs: readonly string[];
  readonly previous: string | undefined;
  readonly identityMap: string | undefined;
  readonly pseudonymise: boolean;
  readonly pseudonymKey: string | undefined;
  readonly staleDays: string | undefined;
  readonly keyMaxAge: string | undefined;
  readonly campaign: string | undefined;
  readonly due: string | undefined;
  readonly splitBy: string | undefined;
  readonly planes: readonly string[];
  readonly sourcePatterns: readonly string[];
  readonly namespaces: readonly string[];
  readonly excludeNamespaces: readonly string[];
}

/** `zt access-review`'s options, typed (values are checked by runAccessReview, in the order users meet them). */
export function accessReviewOptions(options: CommandOptions): AccessReviewOptions {
  return {
    ...inputOptions(options),
    format: options.string('format'),
    outputs: options.strings('output'),
    previous: options.string('previous'),
    identityMap: options.string('identityMap'),
    pseudonymise: options.flag('pseudonymise'),
    pseudonymKey: options.string('pseudonymKey'),
    staleDays: options.string('staleDays'),
    keyMaxAge: options.string('keyMaxAge'),
    campaign: options.string('startCampaign'),
    due: options.string('due'),
    splitBy: options.string('splitBy'),
    planes: options.strings('plane'),
    sourcePatterns: options.strings('source'),
    namespaces: options.strings('namespace'),
    excludeNamespaces: options.strings('excludeNamespace'),
  };
}

export async function runAccessReview(options: AccessReviewOptions, io: Io): Promise<number> {
  const targets = planReviewOutputs(options.format, options.outputs, io.cwd, io.stdoutIsTTY);
  const staleDays = days(options.staleDays, '--stale-days', 90);
  const keyMaxAgeDays = days(options.keyMaxAge, '--key-max-age', 90);
  const pseudonymKey = options.pseudonymKey ?? (io.env.ZT_PSEUDONYM_KEY || undefined);
  if (options.pseudonymKey !== undefined && !options.pseudonymise) {
    throw new ZtError('ZT_USAGE', '--pseudonym-key needs --pseudonymise');
  }
  if (options.splitBy !== undefined && options.splitBy !== 'reviewer') throw new ZtError('ZT_USAGE', `--split-by ${options.splitBy}: the one split is "reviewer"`);
  const split = options.splitBy === 'reviewer';
  if (split && !targets.some((t) => t.format === 'csv' && t.path !== undefined)) {
    throw new ZtError('ZT_USAGE', '--split-by reviewer writes one CSV per reviewer into a folder: give it with -o csv=<folder>/');
  }
  if (options.due !== undefined && options.campaign === undefined) throw new ZtError('ZT_USAGE', '--due needs --start-campaign <file> (the due date is the campaign\'s)');
  if (options.due !== undefined && decisionDay(options.due) !== options.due) throw new ZtError('ZT_USAGE', `--due ${options.due}: expected a date YYYY-MM-DD`);
  const campaignFile = options.campaign === undefined ? undefined : fileRef(io, options.campaign);
  if (campaignFile && existsSync(campaignFile.path)) {
    throw new ZtError('ZT_USAGE', `--start-campaign ${campaignFile.display} exists: a campaign is started once and never overwritten`, {
      hint: 'Name a new file for a new campaign; record decisions into an existing one with `zt access-review record`.',
    });
  }
  await checkWritable(split ? targets.filter((t) => t.format !== 'csv') : targets);
  for (const plane of options.planes) {
    if (!(reviewPlanes as readonly string[]).includes(plane)) throw new ZtError('ZT_USAGE', `--plane ${plane}: expected one of ${reviewPlanes.join(', ')}`);
  }
  const scope: ReviewScope = { planes: options.planes as ReviewPlane[], sources: options.sourcePatterns, namespaces: options.namespaces, excludeNamespaces: options.excludeNamespaces };

  let request: AccessReviewRequest = {
    toolVersion: toolVersion(),
    staleDays,
    keyMaxAgeDays,
    ...(options.identityMap !== undefined ? { identityMap: fileRef(io, options.identityMap) } : {}),
    ...(options.previous !== undefined ? { previous: fileRef(io, options.previous) } : {}),
    ...(options.pseudonymise ? { pseudonymise: { key: pseudonymKey } } : {}),
    ...(isReviewScoped(scope) ? { scope } : {}),
  };
  // Every file argument is read before any source is, so a typo fails fast (exit 2).
  const files = await readAccessReviewFiles(request);
  const config = await loadProjectConfig(options.config, io);
  const ignored = [
    ...(options.rules.length > 0 ? ['--rules'] : []),
    ...(options.waivers !== undefined ? ['--waivers'] : []),
    ...(options.onlyRules ? ['--only-rules'] : []),
  ];
  if (ignored.length > 0 && !options.quiet) {
    io.stderr(`note: ${ignored.join(', ')} ha${ignored.length === 1 ? 's' : 've'} no effect on an access review\n`);
  }

  request = { ...request, reviewerRules: config.review.reviewers };
  const { outcome, internal, inventory } = await withInputs(options, io, async (selection, progress) => {
    progress('Reading inputs');
    const snapshot = await loadInputs(selection);
    progress(`Reviewing access over ${snapshot.resources.length} resources`);
    const reviewed = reviewAccess(snapshot, request, files);
    return {
      outcome: reviewed,
      // A collector's bug (ZT_COLLECT_CRASHED, ZT_COLLECT_MALFORMED) or an analyser's (ZT_ANALYSIS_CRASHED): exit 4, as for zt audit.
      internal: [...internalIssues(snapshot.issues), ...reviewed.analysisIssues],
      inventory: { collectedAt: snapshot.collectedAt, sources: snapshot.sources } satisfies Pick<Snapshot, 'collectedAt' | 'sources'>,
    };
  });
  const { review } = outcome;
  // Ages (stale, key age) of a source whose time is unknown were not measured: said whatever the format.
  for (const line of timeNotes(inventory, options.asOf)) io.stderr(`${line}\n`);
  if (outcome.pseudonymMismatch && files.previous) {
    io.stderr(`warning: ${options.previous ?? ''} is ${files.previous.pseudonymised ? '' : 'not '}pseudonymised and this review is ${review.pseudonymised ? '' : 'not'}: principals will not match\n`);
  }

  for (const target of targets) {
    if (split && target.format === 'csv' && target.path !== undefined) {
      const files = await writeReviewerFiles(io, target.path, review);
      if (!options.quiet) io.stderr(`wrote ${files} reviewer file${files === 1 ? '' : 's'} to ${displayPath(target.path, io.cwd)}\n`);
    } else await writeOutput(io, target.format, target.path, renderReviewChunks(review, target.format, io.columns));
  }
  if (campaignFile) {
    const carryFrom = config.review.carryOver ? files.previousCampaign : undefined;
    const sources = inventory.sources.map((s) => ({ source: s.source, collector: s.collector, mode: s.mode, asOf: s.asOf === undefined ? inventory.collectedAt : s.asOf }));
    const campaign = await startCampaignFile(campaignFile, review, options.due ?? null, carryFrom, sources);
    if (carryFrom && !options.quiet) io.stderr(`${campaign.decisions.length} keep decision${campaign.decisions.length === 1 ? '' : 's'} carried over from ${carryFrom.packId} (review.carryOver; never for admin grants)\n`);
    if (!options.quiet) io.stderr(`campaign ${campaign.packId} started in ${campaignFile.display}: ${campaign.items.length} rows${campaign.due ? `, due ${campaign.due}` : ''}\n`);
  }
  if (!options.quiet && review.pack.unassigned > 0) {
    io.stderr(`${review.pack.unassigned} row${review.pack.unassigned === 1 ? ' has' : 's have'} no reviewer (no config rule, IdP manager or owner): see the pack's unassigned list\n`);
  }
  if (!options.quiet && review.scope) io.stderr(`scoped to ${scopeText(review.scope)}: rows outside it are not reviewed, and revocations there are not verified\n`);
  if (!options.quiet) {
    const covered = review.planes.filter((p) => p.covered).map((p) => p.plane);
    const missing = review.planes.filter((p) => !p.covered).map((p) => p.plane);
    io.stderr(
      `access review: ${review.summary.principals} principals, ${review.summary.grants} grants; planes covered: ${covered.join(', ') || 'none'}${missing.length > 0 ? `; not covered: ${missing.join(', ')}` : ''}\n`,
    );
  }
  // Written either way; a bug met while collecting or analysing is exit 4, as for zt audit.
  for (const issue of internal) io.stderr(`✖ internal: ${issue.collector}: ${issue.code}, a bug in zt: ${issue.message} (exit 4)\n`);
  return exitCodeFor({ kind: 'completed', internal: internal.length > 0, incomplete: false, gateFailed: false });
}
