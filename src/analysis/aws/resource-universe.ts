import { type GlobToken, STAR } from './glob-sets.js';
import { resourceArnFormats } from './iam-catalogue.js';

/**
 * "Every resource" of an action, for the principal who asks: the ARNs of the resource types
 * the Service Authorization Reference lists for it, with the principal's partition, and —
 * for IAM, whose API acts only on the entities of the account that signs the request (a
 * role is passed only within its account) — the principal's account. Every other part of
 * the format (region, account of other services, names and paths) is any text.
 *
 * So `Resource: "arn:aws:iam::111122223333:*"` covers every user of 111122223333 for
 * iam:AttachUserPolicy, exactly as `"*"` does, and `"arn:aws:*"` covers every ARN of the
 * aws partition. An action the catalogue does not have, or that takes no resource type
 * (its Resource must be `*`), has no universe: only a `*` pattern covers it.
 */

/** Where a principal lives: the partition and account of its ARN. */
export interface Home {
  readonly partition: string;
  readonly account: string;
}

export interface Universe {
  /** Equal keys, equal universes (memo key). */
  readonly key: string;
  readonly globs: readonly (readonly GlobToken[])[];
}

/** `arn:aws:iam::111122223333:user/x` → its partition and account; undefined for anything else. */
export function homeOf(arn: string): Home | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !/^\d{12}$/.test(parts[4] ?? '')) return undefined;
  return { partition: parts[1], account: parts[4] as string };
}

const cache = new Map<string, Universe | null>();

function tokensOf(format: string, partition: GlobToken | string, account: GlobToken | string): GlobToken[] {
  const out: GlobToken[] = [];
  const re = /\$\{([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out.push(...format.slice(last, m.index));
    const name = m[1];
    const value = name === 'Partition' ? partition : name === 'Account' ? account : STAR;
    if (typeof value === 'string') out.push(...value);
    else out.push(value);
    last = m.index + m[0].length;
  }
  out.push(...format.slice(last));
  // Two adjacent "any" parts are one.
  return out.filter((t, i) => !(t === STAR && out[i - 1] === STAR));
}

/** The universe of `action` for a principal at `home` (undefined home: any partition and account). */
export function resourceUniverse(action: string, home: Home | undefined): Universe | undefined {
  const lower = action.toLowerCase();
  const iam = lower.startsWith('iam:');
  const key = `${lower}|${home?.partition ?? '*'}|${iam ? (home?.account ?? '*') : '*'}`;
  let universe = cache.get(key);
  if (universe === undefined) {
    const formats = resourceArnFormats(lower);
    universe =
      formats && formats.length > 0
        ? { key, globs: formats.map((f) => tokensOf(f, home?.partition ?? STAR, iam && home ? home.account : STAR)) }
        : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, universe);
  }
  return universe ?? undefined;
}
