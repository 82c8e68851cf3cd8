import type { EscalationPath, EscalationStep } from '../iam-analysis.js';
import type { Admins } from './admin.js';
import { sortedUnique } from './context.js';
import type { EscalationSearch } from './escalation-search.js';

/**
 * Part of step 6 — an escalation path from its first step: follow each role's best step
 * until a step yields administrator (or reaches an admin, or would loop), collecting the
 * roles passed through, the condition keys, and one readable line.
 */

/** `arn:aws:iam::1:role/ci/deploy` → `role/ci/deploy`. */
export function shortArn(arn: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(arn);
  return m ? (m[1] as string) : arn;
}

export function describePath(admin: Admins, search: EscalationSearch, from: string, first: EscalationStep, next: string | undefined): EscalationPath {
  const via: string[] = [];
  const keys: string[] = [...first.conditionKeys];
  const parts: string[] = [shortArn(from)];
  let step = first;
  let cont = next;
  const seen = new Set<string>([from]);
  for (;;) {
    const verb = step.method.startsWith('iam:PassRole+')
      ? `iam:PassRole ${shortArn(step.target)} to ${step.method.slice('iam:PassRole+'.length)} (${step.actions.slice(1).join(', ')})`
      : step.method === 'sts:AssumeRole'
        ? `sts:AssumeRole ${shortArn(step.target)}`
        : `${step.actions.join(' + ')} on ${shortArn(step.target)}`;
    parts.push(verb);
    const b = cont === undefined || admin.isAdmin(cont) || seen.has(cont) ? undefined : search.best.get(cont);
    if (cont === undefined || !b) {
      parts.push('administrator');
      return { method: step.method, actions: step.actions, via, target: step.target, conditionKeys: sortedUnique(keys), path: parts.join(' → ') };
    }
    seen.add(cont);
    via.push(cont);
    keys.push(...b.step.conditionKeys);
    step = b.step;
    cont = b.next;
  }
}
