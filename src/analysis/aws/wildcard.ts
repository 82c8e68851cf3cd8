/**
 * IAM wildcard matching: `*` matches any run of characters (including none, and across
 * `:` and `/`), `?` matches exactly one. Actions compare case-insensitively, resource
 * ARNs and condition values case-sensitively. Compiled matchers are memoised by
 * pattern, so a policy attached to thousands of principals compiles once.
 */

export type Matcher = (value: string) => boolean;

const always: Matcher = () => true;
const caseSensitive = new Map<string, Matcher>();
const caseInsensitive = new Map<string, Matcher>();

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** True for a pattern made only of `*` (it matches every value). */
export function isMatchAll(pattern: string): boolean {
  return pattern.length > 0 && /^\*+$/.test(pattern);
}

function build(pattern: string, ignoreCase: boolean): Matcher {
  if (isMatchAll(pattern)) return always;
  if (!hasWildcard(pattern)) {
    if (ignoreCase) {
      const lower = pattern.toLowerCase();
      return (value) => value.length === lower.length && value.toLowerCase() === lower;
    }
    return (value) => value === pattern;
  }
  // A trailing-* prefix pattern ("arn:aws:s3:::bucket/*") is the common case: no regex.
  const star = pattern.indexOf('*');
  if (star === pattern.length - 1 && !pattern.includes('?')) {
    const prefix = ignoreCase ? pattern.slice(0, -1).toLowerCase() : pattern.slice(0, -1);
    return ignoreCase ? (value) => value.toLowerCase().startsWith(prefix) : (value) => value.startsWith(prefix);
  }
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return (value) => regex.test(value);
}

/** A memoised matcher for an IAM wildcard pattern. */
export function wildcardMatcher(pattern: string, ignoreCase = false): Matcher {
  const cache = ignoreCase ? caseInsensitive : caseSensitive;
  let matcher = cache.get(pattern);
  if (!matcher) {
    matcher = build(pattern, ignoreCase);
    if (cache.size > 50_000) cache.clear();
    cache.set(pattern, matcher);
  }
  return matcher;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return wildcardMatcher(pattern, ignoreCase)(value);
}
