import type { EscalationPath, EscalationStep, PathStep } from '../iam-analysis.js';
import type { Admins } from './admin.js';
import { sortedUnique } from './context.js';
import type { EscalationSearch } from './escalation-search.js';
import { methodLabel } from '../escalation-methods.js';

/**
 * Part of step 6 — an escalation path from its first step: follow each role's best step
 * until a step yields administrator (or reaches an admin, or would loop), collecting the
 * roles passed through, each step structured, the conditions, and one readable line that
 * names each step's method and ends with the conditions when there are any.
 */

/** `arn:aws:iam::1:role/ci/deploy` → `role/ci/deploy`. */
export function shortArn(arn: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(arn);
  return m ? (m[1] as string) : arn;
}

function verbOf(step: EscalationStep): string {
  const detail = step.detail ? ` (${step.detail})` : '';
  if (step.method.startsWith('iam:PassRole+')) {
    return `${methodLabel(step.method)}: iam:PassRole ${shortArn(step.target)} with ${step.actions.slice(1).join(', ')}${detail}`;
  }
  if (step.method === 'sts:AssumeRole') return `sts:AssumeRole ${shortArn(step.target)}`;
  if (step.assumption) return `${methodLabel(step.method)}: ${step.actions.join(' + ')} as ${shortArn(step.target)}${detail}`;
  return `${step.actions.join(' + ')} on ${shortArn(step.target)}${detail}`;
}

export function describePath(admin: Admins, search: EscalationSearch, from: string, first: EscalationStep, next: string | undefined): EscalationPath {
  const via: string[] = [];
  const keys: string[] = [];
  const conditions: string[] = [];
  const assumptions: string[] = [];
  const steps: PathStep[] = [];
  const parts: string[] = [shortArn(from)];
  let actor = from;
  let step = first;
  let cont = next;
  const seen = new Set<string>([from]);
  for (;;) {
    keys.push(...step.conditionKeys);
    conditions.push(...step.conditions);
    if (step.assumption) assumptions.push(step.assumption);
    steps.push({
      principal: actor,
      method: step.method,
      actions: step.actions,
      target: step.target,
      outcome: step.conditions.length > 0 || step.conditionKeys.length > 0 ? 'conditional' : 'allowed',
      conditions: step.conditions,
      detail: step.detail ?? null,
      assumption: step.assumption ?? null,
    });
    parts.push(verbOf(step));
    const b = cont === undefined || admin.isAdmin(cont) || seen.has(cont) ? undefined : search.best.get(cont);
    if (cont === undefined || !b) {
      parts.push('administrator');
      const allConditions = sortedUnique(conditions);
      const conditional = steps.some((s) => s.outcome === 'conditional');
      const suffix = conditional ? ` [conditional: ${allConditions.length > 0 ? allConditions.join('; ') : sortedUnique(keys).join(', ')}]` : '';
      const assumed = sortedUnique(assumptions);
      const assumedText = assumed.length > 0 ? ` [assumes: ${assumed.join('; ')}]` : '';
      return {
        method: step.method,
        actions: step.actions,
        via,
        target: step.target,
        conditionKeys: sortedUnique(keys),
        conditional,
        conditions: allConditions,
        assumptions: assumed,
        steps,
        path: `${parts.join(' → ')}${suffix}${assumedText}`,
      };
    }
    seen.add(cont);
    via.push(cont);
    actor = cont;
    step = b.step;
    cont = b.next;
  }
}
