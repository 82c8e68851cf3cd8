import type { Waiver, WaiverStatus, WaiverSummary } from '../model/waiver.js';
import { isExpired, resourceMatcher } from './waiver.js';

interface Entry {
  readonly waiver: Waiver;
  readonly matches: (resourceId: string) => boolean;
  readonly expired: boolean;
  matched: number;
}

/**
 * The waivers of one run, indexed by rule. Expiry is judged at the snapshot's time, so
 * re-auditing an old snapshot gives the same result it gave then.
 */
export class WaiverSet {
  private readonly byRule = new Map<string, Entry[]>();
  private readonly entries: Entry[];
  private readonly file: string | undefined;

  constructor(waivers: readonly Waiver[], collectedAt: string, file?: string) {
    this.file = file;
    this.entries = waivers.map((waiver) => ({ waiver, matches: resourceMatcher(waiver.resource), expired: isExpired(waiver, collectedAt), matched: 0 }));
    for (const entry of this.entries) {
      const list = this.byRule.get(entry.waiver.rule) ?? [];
      list.push(entry);
      this.byRule.set(entry.waiver.rule, list);
    }
  }

  /** The active waiver covering this failing finding, if any. Expired ones are counted but never apply. */
  match(ruleId: string, resourceId: string): Waiver | undefined {
    const candidates = this.byRule.get(ruleId);
    if (!candidates) return undefined;
    let found: Waiver | undefined;
    for (const entry of candidates) {
      if (!entry.matches(resourceId)) continue;
      entry.matched++;
      if (!entry.expired && !found) found = entry.waiver;
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
    return {
      ...(this.file ? { file: this.file } : {}),
      applied: this.entries.filter((e) => !e.expired).reduce((n, e) => n + e.matched, 0),
      expired: this.entries.filter((e) => e.expired).map(status),
      unused: this.entries.filter((e) => !e.expired && e.matched === 0).map(status),
    };
  }
}
