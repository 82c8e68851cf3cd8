import { collectorsOf } from '../inventory/kinds/index.js';
import type { Resource } from '../inventory/snapshot.js';
import type { ScopePatterns } from '../model/scope.js';
import { globToRegExp } from '../text/glob.js';

/** The engine's view of a scope: which rules run, and over which resources. */
export interface EvaluationScope {
  ruleInScope(ruleId: string): boolean;
  resourceInScope(resource: Resource): boolean;
}

const matcher = (patterns: readonly string[], ignoreCase: boolean): ((value: string) => boolean) => {
  const regexes = patterns.map((p) => globToRegExp(p, { ignoreCase }));
  return (value) => regexes.some((r) => r.test(value));
};

/**
 * The Kubernetes namespace a resource lives in, for namespace scoping: a Namespace object is
 * in itself, a namespaced object of the Kubernetes plane (Istio, Cilium… included) in its
 * `namespace`; cluster-scoped objects and every other
 * plane have none, and namespace scoping leaves them as they are.
 */
export function namespaceOf(resource: Resource): string | undefined {
  if (!collectorsOf(resource.kind).includes('kubernetes')) return undefined;
  if (resource.kind === 'k8s.namespace') return resource.name;
  const namespace = resource.attributes.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/**
 * Rule ids match case-insensitively (`zt-idn-*`), namespaces exactly (Kubernetes names are
 * lower case). `--rule` keeps only the rules it names, `--skip-rule` then drops some;
 * `--namespace` keeps namespaced objects of those namespaces, `--exclude-namespace` drops some.
 */
export function evaluationScope(patterns: ScopePatterns): EvaluationScope {
  const only = matcher(patterns.rules, true);
  const skip = matcher(patterns.skipRules, true);
  const inNamespace = matcher(patterns.namespaces, false);
  const outNamespace = matcher(patterns.excludeNamespaces, false);
  return {
    ruleInScope: (id) => (patterns.rules.length === 0 || only(id)) && !skip(id),
    resourceInScope: (resource) => {
      if (patterns.namespaces.length === 0 && patterns.excludeNamespaces.length === 0) return true;
      const namespace = namespaceOf(resource);
      if (namespace === undefined) return true;
      return (patterns.namespaces.length === 0 || inNamespace(namespace)) && !outNamespace(namespace);
    },
  };
}

/** Patterns of --rule or --skip-rule that name no loaded rule (a typo would otherwise scope the run to nothing). */
export function unmatchedRulePatterns(patterns: readonly string[], ruleIds: readonly string[]): string[] {
  return patterns.filter((p) => !ruleIds.some(matcher([p], true)));
}
