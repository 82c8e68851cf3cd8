import { RE2JS } from 're2js';

/**
 * CEL's `matches`: RE2 syntax and semantics, in linear time whatever the pattern and the
 * text (re2js, a JavaScript port of RE2). A JavaScript RegExp backtracks: `^(a+)+$` on 37
 * characters ran for minutes, and a pattern read from resource data could do the same.
 * Every `matches` of a rule runs here, on the fast path and in cel-js alike (cel-env.ts
 * replaces cel-js's own, which is a RegExp).
 */

/** A pattern compiled, or why it is not RE2 syntax. */
export type Re2Pattern = { readonly ok: true; test(text: string): boolean } | { readonly ok: false; readonly problem: string };

/** Patterns read from data could be many: the cache is bounded. */
const MAX_CACHED = 1000;
const cache = new Map<string, Re2Pattern>();

/** re2js's message less its "error parsing regexp: " prefix (it names the offending part). */
function problemOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error parsing regexp: /, '');
}

/** `pattern` compiled as RE2 (cached), or why it is not RE2 syntax. */
export function re2Pattern(pattern: string): Re2Pattern {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    try {
      const re = RE2JS.compile(pattern);
      compiled = { ok: true, test: (text) => re.test(text) };
    } catch (error) {
      compiled = { ok: false, problem: problemOf(error) };
    }
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Why `pattern` is not RE2 syntax, or undefined when it is. */
export function re2SyntaxProblem(pattern: string): string | undefined {
  const compiled = re2Pattern(pattern);
  return compiled.ok ? undefined : compiled.problem;
}
