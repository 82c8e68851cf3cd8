import { globToRegExp } from '../../text/glob.js';

// --accounts / --exclude-accounts: which of an organisation's accounts to audit. A pattern
// is an account id or a glob (`*` any run, `?` one character), matched against the id and
// against the account's name, so `--accounts 'prod-*'` and `--accounts '1111*'` both work.

export interface AccountFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface Selection<A> {
  readonly chosen: A[];
  /** Accounts left out by --accounts or --exclude-accounts. */
  readonly filteredOut: A[];
  /** Patterns that matched no account of the organisation (the user asked for something that is not there). */
  readonly unmatched: string[];
}

/** Splits comma-separated values as well as repeated flags: `--accounts a,b --accounts c`. */
export function patternsOf(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
}

function matcher(pattern: string): (id: string, name: string) => boolean {
  const re = globToRegExp(pattern);
  // Names are matched as written; ids are digits only, so case does not matter for them.
  return (id, name) => re.test(id) || re.test(name);
}

export function selectAccounts<A>(accounts: readonly A[], filter: AccountFilter, keyOf: (account: A) => { id: string; name: string }): Selection<A> {
  const include = filter.include.map((p) => ({ pattern: p, test: matcher(p), hits: 0 }));
  const exclude = filter.exclude.map((p) => ({ pattern: p, test: matcher(p), hits: 0 }));
  const chosen: A[] = [];
  const filteredOut: A[] = [];
  for (const account of accounts) {
    const { id, name } = keyOf(account);
    let wanted = include.length === 0;
    for (const p of include) {
      if (!p.test(id, name)) continue;
      wanted = true;
      p.hits++;
    }
    let dropped = false;
    for (const p of exclude) {
      if (!p.test(id, name)) continue;
      dropped = true;
      p.hits++;
    }
    if (wanted && !dropped) chosen.push(account);
    else filteredOut.push(account);
  }
  const unmatched = [...include, ...exclude].filter((p) => p.hits === 0).map((p) => p.pattern);
  return { chosen, filteredOut, unmatched };
}
