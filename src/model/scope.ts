/** What a scoped run evaluates (--rule, --skip-rule, --namespace, --exclude-namespace): patterns as given, ids or globs. */
export interface ScopePatterns {
  readonly rules: readonly string[];
  readonly skipRules: readonly string[];
  readonly namespaces: readonly string[];
  readonly excludeNamespaces: readonly string[];
}

export const noScopePatterns: ScopePatterns = { rules: [], skipRules: [], namespaces: [], excludeNamespaces: [] };

export function isScoped(patterns: ScopePatterns): boolean {
  return patterns.rules.length + patterns.skipRules.length + patterns.namespaces.length + patterns.excludeNamespaces.length > 0;
}
