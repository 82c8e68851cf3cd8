import { createHmac, randomBytes } from 'node:crypto';
import type { Review, ReviewPrincipal } from './model.js';
import { sealPack } from './pack.js';

/**
 * Replaces people's identities with stable pseudonyms, for sharing a review outside the
 * review group. Person-like principals are IdP users, IAM users and Kubernetes users:
 * their id becomes `id-<hmac>`, their name (login, user name) `user-<hmac>`, their email
 * is dropped, and an owner that looks like an email address is replaced too. Every
 * other string of the review (grant paths, graph labels, edge reasons) has the same
 * replacements applied, so the pack stays consistent.
 *
 * `<hmac>` is the first 12 hex digits of HMAC-SHA256(key, value) (names lower-cased, so
 * the same person has the same pseudonym in every plane). Without a key, a random key is
 * drawn for the run: pseudonyms then differ between runs, and a --previous review made
 * with another key matches nothing. With --pseudonym-key (or ZT_PSEUDONYM_KEY) they are
 * stable across runs. The key is never written anywhere.
 */

const PERSON_TYPES = new Set<ReviewPrincipal['type']>(['idp.user', 'aws.iam.user', 'k8s.user']);

export interface PseudonymOptions {
  /** Secret salt; undefined = a random key for this run. */
  readonly key?: string | undefined;
}

export function pseudonymiseReview(review: Review, options: PseudonymOptions = {}): Review {
  const key = options.key ?? randomBytes(32).toString('hex');
  const hmac = (value: string): string => createHmac('sha256', key).update(value).digest('hex').slice(0, 12);
  const replacements = new Map<string, string>();
  const addName = (value: string | null): void => {
    if (value && value.length >= 3 && !replacements.has(value)) replacements.set(value, `user-${hmac(value.toLowerCase())}`);
  };
  for (const p of review.principals) {
    if (PERSON_TYPES.has(p.type)) {
      replacements.set(p.id, `id-${hmac(p.id)}`);
      addName(p.name);
      addName(p.email);
      // IAM user ARNs also appear as arn:…:user/<path><name>; the id covers it.
    }
    if (p.owner && p.owner.includes('@')) addName(p.owner);
  }
  const pattern = buildPattern([...replacements.keys()]);
  const replace = (text: string): string => (pattern ? text.replace(pattern, (m) => replacements.get(m) ?? m) : text);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v);
      return out;
    }
    return value;
  };
  const principals = review.principals.map((p) => (PERSON_TYPES.has(p.type) ? { ...p, email: null } : p));
  const method = options.key === undefined ? 'HMAC-SHA256 with a random key for this run (not stable across runs)' : 'HMAC-SHA256 with the key given by --pseudonym-key (stable across runs with the same key)';
  const replaced = walk({ ...review, principals, pseudonymised: null }) as Review;
  // Row hashes are of the cells the CSV shows: recomputed over the pseudonyms.
  return { ...replaced, pseudonymised: { method }, pack: sealPack(replaced, replaced.pack.rows) };
}

/** One regex matching any of the values as a whole token (not inside a longer name). */
function buildPattern(values: readonly string[]): RegExp | undefined {
  if (values.length === 0) return undefined;
  const escaped = [...values].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`(?<![\\w.@-])(?:${escaped.join('|')})(?![\\w@-]|\\.\\w)`, 'g');
}
