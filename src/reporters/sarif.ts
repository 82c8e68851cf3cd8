import type { CollectionIssue } from '../model/coverage.js';
import type { Finding } from '../model/finding.js';
import { silentSources, type Report, type ReportRule } from '../model/report.js';
import { severities, severityRank } from '../model/severity.js';
import type { Severity } from '../model/severity.js';
import { type AssessedStage, stageWords } from '../model/ztmm.js';
import { prettyJson, prettyJsonChunks, type JsonLayout } from '../output/json-chunks.js';
import type {
  SarifArtifactLocation,
  SarifLevel,
  SarifLocation,
  SarifLog,
  SarifNotification,
  SarifReportingDescriptor,
  SarifResult,
} from './sarif-types.js';
import { logicalLocations, type LogicalLocations } from './sarif-logical.js';
import type { Reporter } from './types.js';

/**
 * SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning first). docs/sarif.md
 * explains every mapping choice; the short version:
 *  - one result per `fail` finding, anchored to a repository file: the manifest the
 *    resource came from when there is one, otherwise the rule file; the resource itself
 *    is the result's logical location;
 *  - `error` findings are not verdicts, so they are tool notifications, not results
 *    (GitHub ignores `kind` and would show them as alerts);
 *  - collection issues and incomplete coverage are tool notifications too.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The uriBaseId of repository-relative paths (the one GitHub's own tools use). */
export const SRCROOT = '%SRCROOT%';
/** Key of the finding fingerprint in result.partialFingerprints. */
export const FINGERPRINT_KEY = 'ztFindingFingerprint/v1';

/** GitHub code scanning limits per run (docs: "SARIF support for code scanning"). */
export const GITHUB_LIMITS = { resultsPerRun: 25_000, tagsPerRule: 20 } as const;
/** Beyond this many evaluation errors, one summary notification stands for the rest. */
export const MAX_EVALUATION_ERROR_NOTIFICATIONS = 1_000;

export interface SarifOptions {
  /** Results kept in the run; the most severe are kept when there are more. */
  readonly maxResults?: number;
  readonly maxEvaluationErrorNotifications?: number;
}


/** GitHub reads `security-severity` as a CVSS-like score in a string: ≥9 critical, ≥7 high, ≥4 medium, >0 low. */
const securitySeverity: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const levelOf: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const issueLevel: Readonly<Record<CollectionIssue['severity'], SarifLevel>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The report's own finding order (rule, kind, resource id), restated so output never depends on input order. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.resource.kind, b.resource.kind) ||
    compareText(a.resource.id, b.resource.id) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
}

/** The rule's name: its file slug in PascalCase (aws-iam-console-user-mfa → AwsIamConsoleUserMfa). */
function ruleName(rule: ReportRule): string {
  const base = rule.file.replaceAll('\\', '/').split('/').pop() ?? '';
  const slug = base.replace(/\.ya?ml$/i, '');
  return pascalCase(slug) || pascalCase(rule.title) || pascalCase(rule.id);
}

/** Ends a sentence with a period unless it already ends with punctuation. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Rule texts are templates: show `{{name}}` as `<name>` (text) or `` `<name>` `` (markdown). */
function placeholders(text: string, markdown: boolean): string {
  return text.replace(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g, (_, name: string) => (markdown ? `\`<${name}>\`` : `<${name}>`));
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * Repository-relative paths become `uri` + `uriBaseId: %SRCROOT%` (what GitHub expects).
 * Absolute paths cannot be made relative without knowing the repository root, so they
 * stay absolute `file:` URIs; the CLI should pass relative paths for code scanning.
 */
export function artifactLocation(path: string): SarifArtifactLocation {
  const normal = path.replaceAll('\\', '/');
  const drive = /^([A-Za-z]):\//.exec(normal);
  if (drive) return { uri: `file:///${drive[1]}:/${encodePath(normal.slice(3))}` };
  if (normal.startsWith('/')) return { uri: `file://${encodePath(normal)}` };
  return { uri: encodePath(normal.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

function gatesText(rule: ReportRule): string {
  if (rule.supporting) return 'supporting rule (counts towards progress, gates no stage)';
  return `gates ${rule.gates.map((g) => `${stageWords[g.stage as AssessedStage] ?? g.stage} (${g.quantifier})`).join(', ')}`;
}

function descriptor(rule: ReportRule, modelVersion: string): SarifReportingDescriptor {
  const tags = [
    'security',
    'zero-trust',
    `ztmm:${rule.pillar}`,
    `ztmm-row:${rule.row}`,
    ...rule.gates.map((g) => `ztmm-stage:${g.stage}`),
    ...(rule.supporting ? ['ztmm-supporting'] : []),
  ];
  const remediation = sentence(placeholders(rule.remediation, false));
  const ztmm = (row: string): string => `${rule.pillar} pillar, row ${row}; ${gatesText(rule)}.`;
  const markdown = [
    `**Remediation.** ${sentence(placeholders(rule.remediation, true))}`,
    '',
    `**CISA ZTMM v${modelVersion}** (ZTMM-aligned estimate): ${ztmm(`\`${rule.row}\``)}`,
    ...(rule.references.length > 0 ? ['', '**References**', '', ...rule.references.map((r) => `- ${r}`)] : []),
  ].join('\n');
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: rule.title },
    fullDescription: { text: remediation },
    help: { text: remediation, markdown },
    defaultConfiguration: { level: levelOf[rule.severity] },
    properties: {
      tags: [...new Set(tags)].slice(0, GITHUB_LIMITS.tagsPerRule),
      'security-severity': securitySeverity[rule.severity],
      precision: 'high',
    },
  };
}

/** The places a finding's elements have in the manifest: each failing container, or its failing env vars, with what is there. */
interface Place {
  readonly line: number;
  readonly column?: number | undefined;
  readonly text: string;
}

function elementPlaces(finding: Finding): Place[] {
  const places: Place[] = [];
  for (const element of finding.elements ?? []) {
    const inner = (element.elements ?? []).filter((e) => e.line !== undefined);
    if (inner.length > 0) for (const e of inner) places.push({ line: e.line as number, column: e.column, text: `${element.name}: ${e.name}` });
    else if (element.line !== undefined) places.push({ line: element.line, column: element.column, text: element.name });
  }
  return places;
}

/** A SARIF region at a place: its line, and its column when known (compact JSON holds many containers on one line). */
const regionAt = (place: { readonly line: number; readonly column?: number | undefined }): { startLine: number; startColumn?: number } =>
  place.column === undefined ? { startLine: Math.max(1, place.line) } : { startLine: Math.max(1, place.line), startColumn: place.column };

/**
 * The result's location: the manifest the resource came from — at the first element it
 * fails on (a container, or that container's env var) when their lines are known, else at
 * the resource — or the rule file; always the resource as logical location.
 */
function resultLocation(finding: Finding, rule: ReportRule | undefined, places: readonly Place[], logical: LogicalLocations): SarifLocation {
  const logicalLocations = logical.of(finding.resource);
  const { file, line } = finding.resource;
  if (file !== undefined && file.length > 0) {
    return {
      physicalLocation: { artifactLocation: artifactLocation(file), region: places[0] ? regionAt(places[0]) : { startLine: Math.max(1, line ?? 1) } },
      logicalLocations,
    };
  }
  if (rule) {
    return {
      physicalLocation: { artifactLocation: artifactLocation(rule.file), region: { startLine: Math.max(1, rule.line) } },
      logicalLocations,
    };
  }
  return { logicalLocations };
}

/** The finding's other elements, each at its own line of the same manifest. */
function relatedLocations(finding: Finding, places: readonly Place[]): SarifLocation[] | undefined {
  const { file } = finding.resource;
  if (file === undefined || file.length === 0 || places.length < 2) return undefined;
  return places.slice(1).map((place, i) => ({
    id: i + 1,
    physicalLocation: { artifactLocation: artifactLocation(file), region: regionAt(place) },
    message: { text: place.text },
  }));
}

function resourceText(finding: Finding): string {
  const { kind, id } = finding.resource;
  return `Resource: ${id} (${kind}).`;
}

interface RuleIndex {
  readonly rule: ReportRule;
  readonly index: number;
}

function result(finding: Finding, rules: ReadonlyMap<string, RuleIndex>, logical: LogicalLocations): SarifResult {
  const entry = rules.get(finding.ruleId);
  const severity = entry?.rule.severity ?? 'medium';
  const places = elementPlaces(finding);
  const related = relatedLocations(finding, places);
  return {
    ruleId: finding.ruleId,
    ...(entry ? { ruleIndex: entry.index } : {}),
    level: levelOf[severity],
    message: { text: `${sentence(finding.message ?? entry?.rule.title ?? finding.ruleId)} ${resourceText(finding)}` },
    locations: [resultLocation(finding, entry?.rule, places, logical)],
    ...(related ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.waiver
      ? {
          // A waiver is an accepted risk decided outside the code: GitHub shows the
          // result as dismissed, with the justification, instead of as an open alert.
          suppressions: [
            {
              kind: 'external' as const,
              status: 'accepted' as const,
              justification: finding.waiver.reason,
              properties: {
                owner: finding.waiver.owner,
                expires: finding.waiver.expires,
                ...(finding.waiver.ticket ? { ticket: finding.waiver.ticket } : {}),
              },
            },
          ],
        }
      : {}),
    properties: {
      resourceKind: finding.resource.kind,
      resourceId: finding.resource.id,
      resourceSource: finding.resource.source,
      // The rule's structured evidence (e.g. the escalation path, step by step).
      ...(finding.evidence ? { evidence: finding.evidence } : {}),
      // The containers (and env vars) the finding fails on, by name.
      ...(finding.elements ? { elements: finding.elements } : {}),
    },
  };
}

/** Open failures are kept before waived ones when the run must be cut. */
const waivedLast = (finding: Finding): number => (finding.status === 'waived' ? 1 : 0);

function findingSeverityRank(finding: Finding, rules: ReadonlyMap<string, RuleIndex>): number {
  const severity = rules.get(finding.ruleId)?.rule.severity;
  return severity === undefined ? severities.length : severityRank(severity);
}

function issueNotification(issue: CollectionIssue): SarifNotification {
  const kinds = issue.kinds.length > 0 ? ` Kinds affected: ${issue.kinds.join(', ')}.` : '';
  return {
    level: issueLevel[issue.severity],
    message: { text: `${sentence(`${issue.collector}: ${issue.message}`)}${kinds}` },
    descriptor: { id: issue.code },
    properties: { collector: issue.collector, kinds: [...issue.kinds] },
  };
}

function coverageNotifications(report: Report): SarifNotification[] {
  const { coverage } = report.inventory;
  return Object.keys(coverage)
    .sort(compareText)
    .flatMap((kind): SarifNotification[] => {
      const c = coverage[kind];
      if (!c || c.state === 'complete') return [];
      const reason = c.reason ? ` (${c.reason.replaceAll('_', ' ')})` : '';
      const detail = c.detail ? `: ${c.detail}` : '';
      const effect =
        c.state === 'missing'
          ? 'Rules on this kind were not evaluated.'
          : 'Rules on this kind were evaluated on the resources that could be read.';
      return [
        {
          level: c.state === 'missing' ? 'warning' : 'note',
          message: { text: `${sentence(`Coverage of ${kind} is ${c.state}${reason}${detail}`)} ${effect}` },
          descriptor: { id: c.state === 'missing' ? 'ZT_COVERAGE_MISSING' : 'ZT_COVERAGE_PARTIAL' },
          properties: { kind, state: c.state, ...(c.reason ? { reason: c.reason } : {}) },
        },
      ];
    });
}

function evaluationErrorNotifications(
  errors: readonly Finding[],
  rules: ReadonlyMap<string, RuleIndex>,
  limit: number,
  logical: LogicalLocations,
): SarifNotification[] {
  const shown = errors.slice(0, limit).map((finding): SarifNotification => {
    const entry = rules.get(finding.ruleId);
    const why = finding.error ? `: ${finding.error.message}` : '';
    return {
      level: 'warning',
      message: {
        text: `${sentence(`${finding.ruleId} could not be evaluated on ${finding.resource.name}${why}`)} ${resourceText(finding)} Its verdict counts as missing, never as a pass.`,
      },
      descriptor: { id: 'ZT_RULE_EVALUATION_ERROR' },
      associatedRule: entry ? { id: finding.ruleId, index: entry.index } : { id: finding.ruleId },
      locations: [resultLocation(finding, entry?.rule, [], logical)],
      properties: {
        errorCode: finding.error?.code ?? 'unknown',
        resourceKind: finding.resource.kind,
        resourceId: finding.resource.id,
        resourceSource: finding.resource.source,
        fingerprint: finding.fingerprint,
      },
    };
  });
  const rest = errors.length - shown.length;
  if (rest > 0) {
    shown.push({
      level: 'warning',
      message: {
        text: `${rest} more evaluation ${rest === 1 ? 'error is' : 'errors are'} not listed here. The JSON report (--format json) has every one.`,
      },
      descriptor: { id: 'ZT_RULE_EVALUATION_ERROR' },
      properties: { omitted: rest },
    });
  }
  return shown;
}

/** The SARIF log as an object (the reporter serialises it); options exist for tests of the limits. */
export function buildSarif(report: Report, options: SarifOptions = {}): SarifLog {
  const maxResults = options.maxResults ?? GITHUB_LIMITS.resultsPerRun;
  const maxErrors = options.maxEvaluationErrorNotifications ?? MAX_EVALUATION_ERROR_NOTIFICATIONS;
  const modelVersion = report.score.model.version;

  const sortedRules = [...report.rules].sort((a, b) => compareText(a.id, b.id));
  const rules = new Map<string, RuleIndex>(sortedRules.map((rule, index) => [rule.id, { rule, index }]));

  // Waived findings are results too, carrying a suppression: dashboards keep the history.
  const failing = report.findings.filter((f) => f.status === 'fail' || f.status === 'waived').sort(compareFindings);
  let kept = failing;
  if (failing.length > maxResults) {
    // Keep the most severe; Array.prototype.sort is stable, so ties keep rule/resource order.
    kept = [...failing]
      .sort((a, b) => waivedLast(a) - waivedLast(b) || findingSeverityRank(a, rules) - findingSeverityRank(b, rules))
      .slice(0, maxResults)
      .sort(compareFindings);
  }
  const dropped = failing.length - kept.length;
  const errors = report.findings.filter((f) => f.status === 'error').sort(compareFindings);
  // The resources the results and evaluation-error notifications name, inside their targets and namespaces.
  const logical = logicalLocations([...kept, ...errors.slice(0, maxErrors)].map((f) => f.resource));

  const emptySources = silentSources(report);
  const notifications: SarifNotification[] = [
    ...emptySources.map(
      (s): SarifNotification => ({
        level: 'error',
        message: {
          text: `Source ${s.source} (${s.collector}, ${s.mode}) contributed no resources, so the audit is incomplete: its rules were not evaluated.`,
        },
        descriptor: { id: 'ZT_SOURCE_EMPTY' },
        properties: { collector: s.collector, source: s.source, mode: s.mode },
      }),
    ),
    ...report.inventory.issues.map(issueNotification),
    ...coverageNotifications(report),
    ...evaluationErrorNotifications(errors, rules, maxErrors, logical),
  ];
  if (dropped > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${dropped} of ${failing.length} failing findings were left out of this run: GitHub code scanning accepts at most ${maxResults} results per run, so the least severe were dropped. The JSON report (--format json) has all of them.`,
      },
      descriptor: { id: 'ZT_SARIF_RESULTS_TRUNCATED' },
      properties: { dropped, total: failing.length },
    });
  }

  const { overall, pillars, model } = report.score;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: sortedRules.map((rule) => descriptor(rule, modelVersion)),
          },
        },
        invocations: [
          {
            executionSuccessful: emptySources.length === 0 && !report.inventory.issues.some((i) => i.severity === 'error'),
            toolExecutionNotifications: notifications,
          },
        ],
        originalUriBaseIds: {
          [SRCROOT]: { description: { text: 'The repository root: manifest and rule paths are relative to it.' } },
        },
        ...(logical.run.length > 0 ? { logicalLocations: logical.run } : {}),
        results: kept.map((finding) => result(finding, rules, logical)),
        properties: {
          reportSchemaVersion: report.schemaVersion,
          collectedAt: report.inventory.collectedAt,
          ztmm: {
            model: model.id,
            version: model.version,
            assessment: 'ZTMM-aligned estimate',
            overall: {
              stage: overall.stage,
              possibleStage: overall.possibleStage,
              score: overall.score,
              rowsAssessed: overall.rowsAssessed,
              rowsTotal: overall.rowsTotal,
              coverage: overall.coverage,
              evidence: overall.evidence,
            },
            pillars: pillars.map((p) => ({
              id: p.id,
              name: p.name,
              stage: p.stage,
              possibleStage: p.possibleStage,
              score: p.score,
              rowsAssessed: p.rowsAssessed,
              rowsTotal: p.rowsTotal,
              evidence: p.evidence,
            })),
          },
          summary: report.summary,
          ...(dropped > 0 ? { resultsDropped: dropped } : {}),
        },
      },
    ],
  };
}

/** Walk down to runs[0].results and tool.driver.rules; each result is then stringified whole. */
const layout: JsonLayout = { space: 2, streamDepth: 4 };

export const sarifReporter: Reporter = {
  id: 'sarif',
  render: (report) => prettyJson(buildSarif(report), layout),
  renderChunks: (report) => prettyJsonChunks(buildSarif(report), layout),
};
