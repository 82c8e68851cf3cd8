import type { Finding } from '../model/finding.js';
import type { Waiver, WaiverStatus, WaiverSummary } from '../model/waiver.js';
import { isExpired, resourceMatcher, waiverRef } from './waiver.js';

interface Entry {
  readonly waiver: Waiver;
  readonly matches: (resourceId: string) => boolean;
  /** null: its expiry cannot be judged (the snapshot's time is unknown), so it does not apply. */
  readonly expired: boolean | null;
  matched: number;
}

/**
 * The waivers of one run, indexed by rule. Expiry is judged at the snapshot's time, so
 * re-auditing an old snapshot gives the same result it gave then. When that time is
 * unknown (offline input that does not say when it was taken, and no --as-of), no
 * waiver's expiry can be judged: none applies (a waiver that might have expired must not
 * hide a failure), and the summary lists them as unjudged.
 */
export class WaiverSet {
  private readonly byRule = new Map<string, Entry[]>();
  private readonly entries: Entry[];
  private readonly file: string | undefined;

  constructor(waivers: readonly Waiver[], collectedAt: string | null, file?: string) {
    this.file = file;
    this.entries = waivers.map((waiver) => ({ waiver, matches: resourceMatcher(waiver.resource), expired: isExpired(waiver, collectedAt), matched: 0 }));
    for (const entry of this.entries) {
      const list = this.byRule.get(entry.waiver.rule) ?? [];
      list.push(entry);
      this.byRule.set(entry.waiver.rule, list);
    }
  }

  /** Whether any waiver, active or expired, names this rule. */
  covers(ruleId: string): boolean {
    return this.byRule.has(ruleId);
  }

  /** The active waiver covering this failing finding, if any. Expired ones are counted but never apply. */
  match(ruleId: string, resourceId: string): Waiver | undefined {
    const candidates = this.byRule.get(ruleId);
    if (!candidates) return undefined;
    let found: Waiver | undefined;
    for (const entry of candidates) {
      if (!entry.matches(resourceId)) continue;
      entry.matched++;
      if (entry.expired === false && !found) found = entry.waiver;
    }
    return found;
  }

  summary(): WaiverSummary {
    const status = (e: Entry): WaiverStatus => ({
      index: e.waiver.index,
      ...(e.waiver.line !== undefined ? { line: e.waiver.line } : {}),
      rule: e.waiver.rule,
      resource: e.waiver.resource,
      owner: e.waiver.owner,
      expires: e.waiver.expires,
      ...(e.waiver.ticket ? { ticket: e.waiver.ticket } : {}),
      matched: e.matched,
    });
    const unjudged = this.entries.filter((e) => e.expired === null).map(status);
    return {
      ...(this.file ? { file: this.file } : {}),
      applied: this.entries.filter((e) => e.expired === false).reduce((n, e) => n + e.matched, 0),
      expired: this.entries.filter((e) => e.expired === true).map(status),
      unused: this.entries.filter((e) => e.expired === false && e.matched === 0).map(status),
      ...(unjudged.length > 0 ? { unjudged } : {}),
    };
  }
}

/** Findings with waivers applied, and how many fails each rule had waived. */
export interface Waived {
  readonly findings: readonly Finding[];
  readonly waivedByRule: ReadonlyMap<string, number>;
}

/**
 * Applies the waivers to evaluated findings: a fail an active waiver covers becomes
 * `waived`, carrying the waiver. Every fail a waiver matches is counted on it (expired
 * ones too), for the summary. Findings keep their order.
 */
export function applyWaivers(findings: readonly Finding[], waivers: WaiverSet): Waived {
  const waivedByRule = new Map<string, number>();
  let out: Finding[] | undefined;
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as Finding;
    if (finding.status !== 'fail' || !waivers.covers(finding.ruleId)) continue;
    const waiver = waivers.match(finding.ruleId, finding.resource.id);
    if (!waiver) continue;
    out ??= findings.slice();
    out[i] = waivedFinding(finding, waiver);
    waivedByRule.set(finding.ruleId, (waivedByRule.get(finding.ruleId) ?? 0) + 1);
  }
  return { findings: out ?? findings, waivedByRule };
}

/** The finding as waived, key by key in the report's order. */
function waivedFinding(finding: Finding, waiver: Waiver): Finding {
  const waived: { -readonly [K in keyof Finding]: Finding[K] } = { ruleId: finding.ruleId, status: 'waived', resource: finding.resource } as Finding;
  if (finding.message !== undefined) waived.message = finding.message;
  if (finding.evidence !== undefined) waived.evidence = finding.evidence;
  if (finding.elements !== undefined) waived.elements = finding.elements;
  waived.waiver = waiverRef(waiver);
  waived.fingerprint = finding.fingerprint;
  return waived;
}
