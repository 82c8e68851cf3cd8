import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { lacksEvidence } from '../model/scorecard.js';
import { compareStrings } from '../text/order.js';

export interface FindingRef {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly kind: string;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly message?: string;
}

export interface StageChange {
  readonly id: string;
  /** A stage, or `insufficient_evidence` where a pillar's or the overall stage is withheld (docs/scoring.md §3). */
  readonly from: string;
  readonly to: string;
  /** up: a higher stage now; down: lower (losing evidence counts as down). */
  readonly direction: 'up' | 'down';
}

/** Two audit reports compared finding by finding (fingerprints) and stage by stage. */
export interface ReportDiff {
  readonly schemaVersion: 1;
  readonly kind: 'zt-diff';
  readonly old: { readonly collectedAt: string | null; readonly toolVersion: string };
  readonly new: { readonly collectedAt: string | null; readonly toolVersion: string };
  readonly findings: {
    readonly newFailures: readonly FindingRef[];
    /** Failures of rules the old report did not have (a rule pack upgrade, a new --rules folder). */
    readonly addedRuleFailures: readonly FindingRef[];
    readonly fixed: readonly FindingRef[];
    readonly stillFailing: readonly FindingRef[];
    readonly newlyWaived: readonly FindingRef[];
    readonly waiverExpired: readonly FindingRef[];
    /** Failing before; now not evaluated (the rule, or on this resource), gone with its rule, or absent while its kind was read only partly: nobody knows. */
    readonly unverified: readonly FindingRef[];
  };
  readonly rules: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly notEvaluatedNow: readonly string[];
    readonly evaluatedAgain: readonly string[];
  };
  readonly stages: {
    readonly overall?: StageChange;
    readonly pillars: readonly StageChange[];
    readonly rows: readonly StageChange[];
  };
}

// A withheld stage (rows assessed, too few to claim a stage) sits above "nothing assessed"
// and below Traditional, the floor any evidence claims.
const stageOrder = ['not_assessed', 'insufficient_evidence', 'traditional', 'initial', 'advanced', 'optimal'];

function ref(finding: Finding): FindingRef {
  return {
    fingerprint: finding.fingerprint,
    ruleId: finding.ruleId,
    kind: finding.resource.kind,
    resourceId: finding.resource.id,
    resourceName: finding.resource.name,
    ...(finding.message !== undefined ? { message: finding.message } : {}),
  };
}

const byRuleThenResource = (a: FindingRef, b: FindingRef): number =>
  compareStrings(a.ruleId, b.ruleId) || compareStrings(a.resourceId, b.resourceId);

function change(id: string, from: string, to: string): StageChange | undefined {
  if (from === to) return undefined;
  return { id, from, to, direction: stageOrder.indexOf(to) > stageOrder.indexOf(from) ? 'up' : 'down' };
}

function changes(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): StageChange[] {
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings);
  return ids.flatMap((id) => change(id, before.get(id) ?? 'not_assessed', after.get(id) ?? 'not_assessed') ?? []);
}

const rowStages = (report: Report) => new Map(report.score.pillars.flatMap((p) => p.rows.map((r) => [r.id, r.stage] as const)));
/** A pillar's or the overall stage as the reports show it: "insufficient evidence" where withheld, not "not assessed". */
const rollUpStage = (rollUp: Parameters<typeof lacksEvidence>[0]): string => (lacksEvidence(rollUp) ? 'insufficient_evidence' : rollUp.stage);
const pillarStages = (report: Report) => new Map(report.score.pillars.map((p) => [p.id, rollUpStage(p)] as const));

/** Compares two reports. Pure; the same two reports always give the same diff. */
export function diffReports(before: Report, after: Report): ReportDiff {
  const oldByPrint = new Map(before.findings.map((f) => [f.fingerprint, f]));
  const newByPrint = new Map(after.findings.map((f) => [f.fingerprint, f]));
  const newRuleStatus = new Map(after.ruleResults.map((r) => [r.ruleId, r.status]));
  const newRuleCoverage = new Map(after.ruleResults.map((r) => [r.ruleId, r.coverage]));
  const oldRuleStatus = new Map(before.ruleResults.map((r) => [r.ruleId, r.status]));

  const oldRules = new Set(before.rules.map((r) => r.id));
  const newRules = new Set(after.rules.map((r) => r.id));
  const newFailures: FindingRef[] = [];
  const addedRuleFailures: FindingRef[] = [];
  const stillFailing: FindingRef[] = [];
  const newlyWaived: FindingRef[] = [];
  const waiverExpired: FindingRef[] = [];
  for (const finding of after.findings) {
    const previous = oldByPrint.get(finding.fingerprint);
    if (finding.status === 'fail') {
      if (previous?.status === 'fail') stillFailing.push(ref(finding));
      else if (previous?.status === 'waived') waiverExpired.push(ref(finding));
      else if (!oldRules.has(finding.ruleId)) addedRuleFailures.push(ref(finding));
      else newFailures.push(ref(finding));
    } else if (finding.status === 'waived' && previous?.status === 'fail') newlyWaived.push(ref(finding));
  }
  const fixed: FindingRef[] = [];
  const unverified: FindingRef[] = [];
  for (const finding of before.findings) {
    if (finding.status !== 'fail') continue;
    const now = newByPrint.get(finding.fingerprint);
    if (now?.status === 'fail' || now?.status === 'waived') continue;
    const ruleNow = newRuleStatus.get(finding.ruleId);
    // Gone while its kind was not read completely: the resource may simply not have been read.
    const vanishedUnread = now === undefined && newRuleCoverage.get(finding.ruleId) !== 'complete';
    if (ruleNow === undefined || ruleNow === 'not_evaluated' || now?.status === 'error' || vanishedUnread) unverified.push(ref(finding));
    else fixed.push(ref(finding));
  }

  const sorted = (items: Iterable<string>) => [...items].sort(compareStrings);
  return {
    schemaVersion: 1,
    kind: 'zt-diff',
    old: { collectedAt: before.inventory.collectedAt, toolVersion: before.tool.version },
    new: { collectedAt: after.inventory.collectedAt, toolVersion: after.tool.version },
    findings: {
      newFailures: newFailures.sort(byRuleThenResource),
      addedRuleFailures: addedRuleFailures.sort(byRuleThenResource),
      fixed: fixed.sort(byRuleThenResource),
      stillFailing: stillFailing.sort(byRuleThenResource),
      newlyWaived: newlyWaived.sort(byRuleThenResource),
      waiverExpired: waiverExpired.sort(byRuleThenResource),
      unverified: unverified.sort(byRuleThenResource),
    },
    rules: {
      added: sorted([...newRules].filter((id) => !oldRules.has(id))),
      removed: sorted([...oldRules].filter((id) => !newRules.has(id))),
      notEvaluatedNow: sorted(
        [...newRuleStatus].filter(([id, s]) => s === 'not_evaluated' && oldRuleStatus.has(id) && oldRuleStatus.get(id) !== 'not_evaluated').map(([id]) => id),
      ),
      evaluatedAgain: sorted(
        [...newRuleStatus].filter(([id, s]) => s !== 'not_evaluated' && oldRuleStatus.get(id) === 'not_evaluated').map(([id]) => id),
      ),
    },
    stages: {
      ...(change('overall', rollUpStage(before.score.overall), rollUpStage(after.score.overall))
        ? { overall: change('overall', rollUpStage(before.score.overall), rollUpStage(after.score.overall)) }
        : {}),
      pillars: changes(pillarStages(before), pillarStages(after)),
      rows: changes(rowStages(before), rowStages(after)),
    },
  };
}
