import { catalog } from '../errors/catalog.js';
import type { CollectionIssue, CoverageReason, KindCoverage } from '../model/coverage.js';
import { compareStrings } from '../text/order.js';

/**
 * Coverage reasons that are not a failure to read: nothing to read (the API group is not
 * installed), the user's choice (an opt-in kind such as Secrets), or a question the input
 * cannot answer (manifests do not say which Kubernetes version they run on).
 */
const chosenOrAbsent: ReadonlySet<CoverageReason> = new Set(['not_installed', 'collector_disabled', 'unsupported']);

/** What the collection could not read, as the gate reports it. */
export interface CollectionGaps {
  /** Kinds partly or wholly unread for a reason that is a failure (denied, API error, missing input, licence), as "kind state (reason)". */
  readonly kinds: readonly string[];
  /** Collection issues (warning or error) whose code the catalogue classes as an incomplete audit (exit 3). */
  readonly issues: readonly CollectionIssue[];
}

/**
 * The collection gaps of an audit's inputs. Any gap makes the audit incomplete (exit 3)
 * whatever the finding gate says: a CI job must not go green on an audit that could not
 * read part of what it audits. `--allow-incomplete` accepts them (docs/ci.md).
 */
export function collectionGaps(coverage: Readonly<Record<string, KindCoverage | undefined>>, issues: readonly CollectionIssue[]): CollectionGaps {
  const kinds = Object.entries(coverage)
    .filter((entry): entry is [string, KindCoverage] => entry[1] !== undefined && entry[1].state !== 'complete' && !chosenOrAbsent.has(entry[1].reason ?? 'input_missing'))
    .map(([kind, c]) => `${kind} ${c.state} (${c.reason ?? 'input_missing'})`)
    .sort(compareStrings);
  const incompleteIssues = issues.filter((issue) => issue.severity !== 'info' && Object.hasOwn(catalog, issue.code) && catalog[issue.code as keyof typeof catalog].exitClass === 'incomplete');
  return { kinds, issues: incompleteIssues };
}

export function hasGaps(gaps: CollectionGaps): boolean {
  return gaps.kinds.length > 0 || gaps.issues.length > 0;
}

/** One line for stderr: what was not read and how to accept it. */
export function describeGaps(gaps: CollectionGaps): string {
  const parts: string[] = [];
  if (gaps.kinds.length > 0) {
    const shown = gaps.kinds.slice(0, 4).join(', ');
    parts.push(`${gaps.kinds.length} kind(s) not read completely (${shown}${gaps.kinds.length > 4 ? ', …' : ''})`);
  }
  if (gaps.issues.length > 0) {
    const codes = [...new Set(gaps.issues.map((i) => i.code))].sort(compareStrings).join(', ');
    parts.push(`${gaps.issues.length} collection issue(s) (${codes})`);
  }
  return `${parts.join(' and ')}; their rules are not evaluated or partial (exit 3; --allow-incomplete accepts a partial audit)`;
}
