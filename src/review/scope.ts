import { globToRegExp } from '../text/glob.js';
import type { ReviewPlane } from './model.js';

/**
 * A scoped access review (`--plane`, `--source`, `--namespace`, `--exclude-namespace`):
 * which rows (principal × grant) it covers. As for `zt audit --namespace`, namespace scoping
 * concerns only what lives in a Kubernetes namespace — a RoleBinding's grant, a service
 * account — and leaves cluster-wide grants and the other planes as they are. A principal
 * whose every grant is out of scope is left out; one without grants is judged by itself.
 */
export interface ReviewScope {
  /** Planes of the grant (the account's own plane for a principal without grants). */
  readonly planes: readonly ReviewPlane[];
  /** Globs over the principal's source or the grant's system (`aws:1111*`, `k8s:prod`, `okta:*`). */
  readonly sources: readonly string[];
  readonly namespaces: readonly string[];
  readonly excludeNamespaces: readonly string[];
}

export const noReviewScope: ReviewScope = { planes: [], sources: [], namespaces: [], excludeNamespaces: [] };

export function isReviewScoped(scope: ReviewScope | null | undefined): scope is ReviewScope {
  return !!scope && (scope.planes.length > 0 || scope.sources.length > 0 || scope.namespaces.length > 0 || scope.excludeNamespaces.length > 0);
}

/** What a row is judged by: the principal's plane, type, name and source, and its grant's plane and scope (null: the account itself). */
export interface ScopedRow {
  readonly plane: ReviewPlane;
  readonly type: string;
  readonly name: string;
  readonly source: string;
  readonly grant: { readonly plane: ReviewPlane; readonly scope: string } | null;
}

/**
 * The Kubernetes namespace of a row: its grant's (`k8s:<cluster>/ns/<ns>`: a RoleBinding),
 * else a service account's own (whatever it holds, an IRSA role included: the account lives
 * there); undefined: a cluster-wide grant of a user or group, or another plane's.
 */
export function rowNamespace(row: ScopedRow): string | undefined {
  const ns = row.grant ? /^k8s:[^/]+\/ns\/(.+)$/.exec(row.grant.scope)?.[1] : undefined;
  if (ns !== undefined) return ns;
  if (row.type === 'k8s.serviceAccount') return row.name.split('/')[0];
  return undefined;
}

export type RowTest = (row: ScopedRow) => boolean;

export function scopeTest(scope: ReviewScope): RowTest {
  const any = (patterns: readonly string[], ignoreCase: boolean): ((value: string) => boolean) => {
    const res = patterns.map((p) => globToRegExp(p, { ignoreCase }));
    return (value) => res.some((r) => r.test(value));
  };
  const source = any(scope.sources, true);
  const inNs = any(scope.namespaces, false);
  const outNs = any(scope.excludeNamespaces, false);
  return (row) => {
    if (scope.planes.length > 0 && !scope.planes.includes(row.grant?.plane ?? row.plane)) return false;
    if (scope.sources.length > 0 && !source(row.source) && !(row.grant && source(row.grant.scope.replace(/\/ns\/.*$/, '')))) return false;
    if (scope.namespaces.length > 0 || scope.excludeNamespaces.length > 0) {
      const ns = rowNamespace(row);
      if (ns !== undefined && ((scope.namespaces.length > 0 && !inNs(ns)) || outNs(ns))) return false;
    }
    return true;
  };
}

/** The scope in words, for stderr, Markdown and HTML: "plane aws; namespaces shop, payments". */
export function scopeText(scope: ReviewScope): string {
  const parts: string[] = [];
  if (scope.planes.length > 0) parts.push(`plane${scope.planes.length === 1 ? '' : 's'} ${scope.planes.join(', ')}`);
  if (scope.sources.length > 0) parts.push(`source${scope.sources.length === 1 ? '' : 's'} ${scope.sources.join(', ')}`);
  if (scope.namespaces.length > 0) parts.push(`namespace${scope.namespaces.length === 1 ? '' : 's'} ${scope.namespaces.join(', ')}`);
  if (scope.excludeNamespaces.length > 0) parts.push(`not namespace${scope.excludeNamespaces.length === 1 ? '' : 's'} ${scope.excludeNamespaces.join(', ')}`);
  return parts.join('; ');
}
