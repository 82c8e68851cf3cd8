import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { audit, type FileRef } from '../../app/audit.js';
import { engineMode } from '../../app/rules.js';
import { describeGaps, hasGaps } from '../../app/completeness.js';
import { evaluateGate, gateFailed, gateIncomplete, gateInternal, silentSources, type GateOutcome, type GateThresholds } from '../../app/gate.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import type { Report } from '../../model/report.js';
import { evidenceDetail, lacksEvidence } from '../../model/scorecard.js';
import { severities, type Severity } from '../../model/severity.js';
import { pillarIds, stageOrder, type PillarId, type Stage } from '../../model/ztmm.js';
import { isReporterId, loadReporter, reporterIds, type ReporterId } from '../../reporters/index.js';
import { renderedChunks } from '../../reporters/types.js';
import { displayPath } from '../../ruleset/load.js';
import { timeNotes } from '../collection.js';
import { exitCodeFor } from '../exit-codes.js';
import { type InputOptions, inputOptions } from '../input-options.js';
import type { Io } from '../io.js';
import { checkWritable, planOutputs } from '../output-plan.js';
import type { RunState } from '../program.js';
import { startProgress } from '../progress.js';
import { withInputs } from '../read-inputs.js';
import { toolVersion } from '../version.js';
import { writeOutput } from '../write-output.js';
import { didYouMean } from '../../text/did-you-mean.js';
import { listOnly } from '../../app/scope.js';
import type { ScopePatterns } from '../../model/scope.js';
import { scopeLines } from '../../reporters/scope-text.js';

function parseMinStages(values: readonly string[]): GateThresholds['minStages'] {
  const targets: readonly string[] = [...pillarIds, 'overall'];
  const hint = `Pillars: ${targets.join(', ')}; stages: ${stageOrder.join(', ')}. Example: --min-stage identity=advanced`;
  return values.map((value) => {
    const [target, stage, ...rest] = value.split('=');
    if (!target || !stage || rest.length > 0) throw new ZtError('ZT_USAGE', `--min-stage ${value}: expected <pillar>=<stage>`, { hint });
    if (!targets.includes(target)) throw new ZtError('ZT_USAGE', `--min-stage ${value}: "${target}" is not a pillar${didYouMean(target, targets)}`, { hint });
    if (!(stageOrder as readonly string[]).includes(stage)) {
      throw new ZtError('ZT_USAGE', `--min-stage ${value}: "${stage}" is not a stage${didYouMean(stage, stageOrder)}`, { hint });
    }
    return { target: target as PillarId | 'overall', stage: stage as Stage };
  });
}

function parseMinCoverage(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ratio = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new ZtError('ZT_USAGE', `--min-coverage ${text}: expected a ratio from 0 to 1 (or a percentage such as 60%)`);
  }
  return ratio;
}

/** Colour for stdout: never for files; --no-color and NO_COLOR turn it off; FORCE_COLOR turns it on. */
function useColor(io: Io, option: boolean): boolean {
  if (!option) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false';
  return io.stdoutIsTTY;
}

/** What time did to the audit (design §10): unknown times, an unused --as-of, waivers not judged. Said on stderr, whatever the format. */
function describeTimes(report: Report, asOf: Date | undefined): string[] {
  const rules = report.ruleResults.filter((r) => r.notEvaluatedReason === 'as_of_unknown').length;
  const lines = timeNotes(report.inventory, asOf, rules);
  const unjudged = report.waivers.unjudged?.length ?? 0;
  if (unjudged > 0) lines.push(`! ${unjudged} waiver(s) not applied: the audit's time is unknown, so their expiry cannot be judged (give --as-of)`);
  return lines;
}

function describeGate(report: Report, outcome: GateOutcome, thresholds: GateThresholds, asOf: Date | undefined): string[] {
  const lines: string[] = describeTimes(report, asOf);
  for (const issue of outcome.internalIssues) lines.push(`✖ internal: ${issue.collector}: ${issue.code}, a bug in zt: ${issue.message} (exit 4)`);
  if (outcome.nothingAudited) lines.push('✖ incomplete: the inputs contained no resources, nothing was audited (exit 3)');
  for (const source of outcome.emptySources) lines.push(`✖ incomplete: ${source} contributed no resources (exit 3)`);
  if (hasGaps(outcome.gaps)) {
    const text = describeGaps(outcome.gaps);
    lines.push(outcome.gapsAllowed ? `! incomplete, accepted by --allow-incomplete: ${text.replace(/ \(exit 3;.*\)$/, '')}` : `✖ incomplete: ${text}`);
  }
  if (outcome.coverageShortfall) {
    const { actual, required } = outcome.coverageShortfall;
    lines.push(`✖ incomplete: ZTMM coverage ${Math.round(actual * 100)}% is below --min-coverage ${Math.round(required * 100)}% (exit 3)`);
  }
  if (outcome.findingsAtOrAbove > 0) {
    const which = report.baseline ? 'new failing finding(s) not in the baseline' : 'failing finding(s)';
    lines.push(`✖ gate: ${outcome.findingsAtOrAbove} ${which} at or above --fail-on ${thresholds.failOn} (exit 1)`);
  }
  for (const r of outcome.stageRegressions) {
    const what = r.level === 'overall' ? 'overall stage' : `${r.level} ${r.id}`;
    const now = r.level === 'overall' ? report.score.overall : r.level === 'pillar' ? report.score.pillars.find((p) => p.id === r.id) : undefined;
    const to = now && now.stage === r.to && lacksEvidence(now) ? 'insufficient evidence' : r.to.replace('_', ' ');
    lines.push(`✖ gate: ${what} regressed from ${r.from.replace('_', ' ')} to ${to} since the baseline (exit 1)`);
  }
  if (report.baseline) {
    const still = report.findings.filter((f) => f.status === 'fail').length - report.baseline.newFindings.length;
    lines.push(`baseline ${report.baseline.file}: ${report.baseline.newFindings.length} new, ${report.baseline.resolved.length} resolved, ${still} still failing`);
  }
  for (const s of outcome.stageShortfalls) {
    const withheld = s.evidence && lacksEvidence({ stage: s.actual, evidence: s.evidence });
    const is = withheld && s.evidence ? `has insufficient evidence (${evidenceDetail(s.evidence)})` : `is ${s.actual.replace('_', ' ')}`;
    const whose = s.source === undefined ? s.target : `${s.source}: ${s.target}`;
    lines.push(`✖ gate: ${whose} ${is}, below --min-stage ${s.target}=${s.required}${s.source === undefined ? '' : ' (--gate-per-target)'} (exit 1)`);
  }
  return lines;
}

/** A scoped run says so on stderr, whatever the format: its exit code is about what it evaluated, not the whole. */
function describeScope(report: Report): string[] {
  return scopeLines(report).map((line) => `! scoped: ${line}`);
}

/** Formats a person reads as a posture: withheld when nothing was audited. */
const scoredForPeople: ReadonlySet<string> = new Set(['table', 'markdown', 'html']);

/** Each chosen source that contributed nothing, with the errors that stopped it (their messages carry the fix). */
function describeSilentSources(report: Report, outcome: GateOutcome): string[] {
  const lines: string[] = [];
  for (const source of silentSources(report)) {
    const errors = report.inventory.issues.filter((i) => (i.source === undefined ? i.collector === source.collector : i.source === source.source) && i.severity === 'error');
    for (const issue of errors) lines.push(`✖ ${source.collector} (${source.source}) could not be read: ${issue.message} [${issue.code}]`);
  }
  if (outcome.nothingAudited && lines.length > 0) lines.push('✖ nothing was audited: no scored report is shown (fix the source above, then run again)');
  return lines;
}

export function fileRef(io: Io, given: string): FileRef {
  return { path: resolve(io.cwd, given), display: displayPath(resolve(io.cwd, given), io.cwd) };
}

/** --waivers, else .zt/waivers.yaml in the working directory when it exists. */
function waiversFile(options: InputOptions, io: Io): FileRef | undefined {
  if (options.waivers !== undefined) return fileRef(io, options.waivers);
  return existsSync(resolve(io.cwd, '.zt', 'waivers.yaml')) ? fileRef(io, '.zt/waivers.yaml') : undefined;
}

/** Runs the audit use-case with the inputs, rules and waivers the options name (shared with `zt baseline`). */
export async function auditFromOptions(
  options: InputOptions & { readonly includePasses?: boolean; readonly scope?: ScopePatterns },
  io: Io,
  baseline?: FileRef,
  prefetched?: Map<string, Promise<Buffer>>,
): Promise<Report> {
  return withInputs(options, io, (inputs, progress) =>
    audit({
      rules: { extraPaths: options.rules.map((p) => resolve(io.cwd, p)), withoutBundled: options.onlyRules, cwd: io.cwd, engine: engineMode(io.env) },
      inputs: { ...inputs, ...(prefetched ? { prefetched } : {}) },
      waivers: waiversFile(options, io),
      baseline,
      includePasses: options.includePasses === true,
      ...(options.scope ? { scope: options.scope } : {}),
      toolVersion: toolVersion(),
      progress,
    }),
  );
}

export interface AuditOptions extends InputOptions {
  /** -f: the format of stdout, or of the files a bare `-o <path>` names; undefined when not given. */
  readonly format: ReporterId | undefined;
  /** -o [format=]path, as given. */
  readonly outputs: readonly string[];
  readonly thresholds: GateThresholds;
  readonly baseline: string | undefined;
  readonly includePasses: boolean;
  /** false with --no-color. */
  readonly color: boolean;
  /** --details: the table's long form. */
  readonly details: boolean;
  /** --rule, --skip-rule, --namespace, --exclude-namespace: what is evaluated. */
  readonly scope: ScopePatterns;
  /** --severity: which findings are listed (not what is scored or gated). */
  readonly severity: Severity | undefined;
}

/** `zt audit`'s options, typed and checked (exit 2 on a bad value). */
export function auditOptions(options: CommandOptions): AuditOptions {
  const format = options.string('format');
  if (format !== undefined && !isReporterId(format)) throw new ZtError('ZT_USAGE', `--format ${format}: expected one of ${reporterIds.join(', ')}`);
  return {
    ...inputOptions(options),
    format,
    outputs: options.strings('output'),
    thresholds: {
      failOn: options.choice<Severity | 'none'>('failOn', [...severities, 'none'], 'high'),
      minStages: parseMinStages(options.strings('minStage')),
      minCoverage: parseMinCoverage(options.string('minCoverage')),
      allowIncomplete: options.flag('allowIncomplete'),
      perTarget: options.flag('gatePerTarget'),
    },
    baseline: options.string('baseline'),
    includePasses: options.flag('includePasses'),
    color: options.flag('color', true),
    details: options.flag('details'),
    scope: {
      rules: options.strings('rule'),
      skipRules: options.strings('skipRule'),
      namespaces: options.strings('namespace'),
      excludeNamespaces: options.strings('excludeNamespace'),
    },
    severity: options.string('severity') === undefined ? undefined : options.choice<Severity>('severity', severities, 'info'),
  };
}

/** `prefetched`: snapshot files whose reading has started (by resolved path), see inventory/read-ahead.ts. */
export async function runAudit(options: AuditOptions, io: Io, state: RunState, prefetched?: Map<string, Promise<Buffer>>): Promise<number> {
  const { thresholds } = options;
  const targets = planOutputs(options.format, options.outputs, io.cwd);
  await checkWritable(targets);
  const report = await auditFromOptions(options, io, options.baseline !== undefined ? fileRef(io, options.baseline) : undefined, prefetched);
  const color = useColor(io, options.color);
  const outcome = evaluateGate(report, thresholds);
  // A chosen source that could not start (no kubeconfig, no token, no credentials, an
  // unknown context) is said first, with its fix, before any report.
  for (const line of describeSilentSources(report, outcome)) io.stderr(`${line}\n`);
  // The gate judged the whole report; --severity limits what is listed.
  const shown = listOnly(report, options.severity);
  // Nothing audited: no scored page that looks like a result (every row "not assessed"
  // reads like a posture); the machine formats still record what happened.
  const written = targets.filter((t) => !(outcome.nothingAudited && scoredForPeople.has(t.format)));
  const write = async (target: (typeof targets)[number]): Promise<void> => {
    const reporter = await loadReporter(target.format);
    const context = { color: target.path === undefined && color, width: Math.max(60, io.columns), details: options.details };
    await writeOutput(io, target.format, target.path, renderedChunks(reporter, shown, context));
  };
  // Files first, under a spinner that names each (a large SARIF or HTML takes a while); then
  // stdout, with the spinner gone so it never draws over the report.
  const files = written.filter((t) => t.path !== undefined);
  const rendering = await startProgress(io, options.quiet || files.length === 0);
  try {
    for (const target of files) {
      rendering.update(`Rendering ${target.format} to ${displayPath(target.path ?? '', io.cwd)}`);
      await write(target);
    }
  } finally {
    rendering.stop();
  }
  for (const target of written.filter((t) => t.path === undefined)) await write(target);
  // Always said, even with --quiet: it explains the exit code in a CI log.
  for (const line of [...describeScope(shown), ...describeGate(report, outcome, thresholds, options.asOf)]) io.stderr(`${line}\n`);
  return exitCodeFor({ kind: 'completed', internal: gateInternal(outcome), incomplete: gateIncomplete(outcome), gateFailed: gateFailed(outcome) });
}
