import type { Outcome } from './outcome.js';

/**
 * cel-js outcomes of rules whose outcome depends only on the fields they read, by those
 * fields' values, for one evaluation (one `now`). What the fast path leaves to cel-js is
 * mostly the same few shapes again and again (a null where a list is expected, say),
 * and cel-js is slow at them (it builds an error for each).
 */
export class CelOutcomes {
  private static readonly PER_RULE = 256;
  /** By the program step that remembers (one per rule). */
  private readonly byRule = new Map<object, Map<string, Outcome>>();

  get(rule: object, key: string): Outcome | undefined {
    return this.byRule.get(rule)?.get(key);
  }

  remember(rule: object, key: string, outcome: Outcome): void {
    let outcomes = this.byRule.get(rule);
    if (!outcomes) this.byRule.set(rule, (outcomes = new Map<string, Outcome>()));
    if (outcomes.size < CelOutcomes.PER_RULE) outcomes.set(key, outcome);
  }
}

/** The read fields' values as one string, when they are all scalars (or empty lists); undefined otherwise. */
export function scalarKey(reads: ReadonlySet<string>, fields: Readonly<Record<string, unknown>>): string | undefined {
  let key = '';
  for (const name of reads) {
    const v = fields[name];
    if (v === undefined) key += 'u|';
    else if (v === null) key += 'n|';
    else if (v === true) key += 't|';
    else if (v === false) key += 'f|';
    else if (typeof v === 'number') key += `${Number.isSafeInteger(v) ? 'i' : 'd'}${Object.is(v, -0) ? '-0' : String(v)}|`;
    else if (typeof v === 'string' && v.length <= 64) key += `s${v.length}:${v}|`;
    else if (Array.isArray(v) && v.length === 0) key += 'a|';
    else return undefined;
  }
  return key;
}
