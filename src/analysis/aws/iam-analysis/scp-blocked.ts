import { ANY_RESOURCE, evaluate } from '../policy-evaluator.js';
import type { Principal, PrincipalIndex } from '../principals.js';
import type { EscalationFacts } from '../iam-analysis.js';
import { findAdmins } from './admin.js';
import { buildAssumeGraph } from './assume-graph.js';
import { type IamContext, type IamInputs, sortedUnique } from './context.js';
import { describePath } from './describe-path.js';
import { searchEscalation } from './escalation-search.js';
import { IamMemo } from './iam-memo.js';
import { findSingleStepMethods } from './single-step-methods.js';
import { indexTrusts } from './trust-index.js';

/**
 * Step 8 (organisation read only) — escalation the principals' own policies allow but the
 * service control policies stop. The search runs again over the same principals with the
 * SCP layer taken away; a principal that cannot become administrator under its SCPs but
 * could without them gets its shortest such path, each step's actions evaluated again
 * under the SCPs to name the SCP (or the level without an Allow) that blocks it:
 *
 *   user/dev → iam:AttachUserPolicy on user/dev (…) → administrator — blocked by SCP no-iam at OU Workloads (ou-…)
 *
 * Without SCPs over any principal (no organisation read, or none enabled) nothing runs.
 */

/** The same principals with no SCP layer (a fresh object per principal: the memo keys on them). */
function withoutScps(index: PrincipalIndex): PrincipalIndex {
  const strip = (p: Principal): Principal => {
    const { scps: _scps, ...policies } = p.policies;
    return { ...p, policies };
  };
  const users = index.users.map(strip);
  const roles = index.roles.map(strip);
  const groups = index.groups.map(strip);
  const all = [...users, ...roles, ...groups];
  return { ...index, all, users, roles, groups, byArn: new Map(all.map((p) => [p.arn, p])) };
}

/** The SCPs (or levels) that refuse one of `actions` to `actor` on `target` (a snapshot ARN, else some resource). */
function blockers(actor: Principal, actions: readonly string[], target: string, known: (arn: string) => boolean): string[] {
  const out: string[] = [];
  for (const action of actions) {
    const d = evaluate(actor.policies, { action, resource: known(target) ? target : ANY_RESOURCE });
    if (d.decision === 'allowed' || d.decision === 'conditional') continue;
    out.push(...d.deniedBy.filter((l) => l.startsWith('SCP ')), ...(d.blockedBy ?? []));
  }
  return out;
}

export function scpBlockedEscalation(ctx: IamContext, facts: ReadonlyMap<string, EscalationFacts>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!ctx.principals.all.some((p) => p.policies.scps)) return out;
  const principals = withoutScps(ctx.principals);
  const inputs: IamInputs = { principals, callers: [...principals.users, ...principals.roles, ...principals.groups], memo: new IamMemo() };
  const open: IamContext = { ...inputs, admin: findAdmins(inputs), trusts: indexTrusts(inputs) };
  const graph = buildAssumeGraph(open);
  const search = searchEscalation(open, graph, findSingleStepMethods(open).direct);
  const known = (arn: string) => ctx.principals.byArn.has(arn) || ctx.principals.managedPolicies.has(arn);
  for (const p of ctx.principals.all) {
    if (!p.policies.scps || ctx.admin.of(p.arn).admin !== false || facts.get(p.arn)?.canBecomeAdmin !== false) continue;
    // Administrator by its own policies: adminBlockedByScp says so already.
    const first = open.admin.isAdmin(p.arn) ? undefined : search.best.get(p.arn);
    if (!first) continue;
    const path = describePath(open.admin, search, p.arn, first.step, first.next);
    const blocked = sortedUnique(path.steps.flatMap((s) => blockers(ctx.principals.byArn.get(s.principal) ?? p, s.actions, s.target, known)));
    out.set(p.arn, [`${path.path} — blocked by ${blocked.length > 0 ? blocked.join('; ') : 'the SCPs over the account (no single step names one)'}`]);
  }
  return out;
}
