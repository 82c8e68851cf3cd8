import { DATA_READ_PROBES, isComputeMethod } from '../escalation-methods.js';
import { expandActionPattern } from '../iam-catalogue.js';
import { ALL_RESOURCES, evaluate, mayBeAllowed } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import type { CompiledTrust } from '../trust.js';
import type { PrincipalFacts, RoleFacts } from '../iam-analysis.js';
import { probeAll } from './admin.js';
import type { AssumeGraph } from './assume-graph.js';
import { type IamContext, MAX_LISTED, sortedUnique } from './context.js';
import { describePath } from './describe-path.js';
import type { EscalationSearch } from './escalation-search.js';
import type { SharedReadFacts } from './iam-memo.js';

/**
 * Step 6 — the derived fields: per user and role (PrincipalFacts), per role its trust and
 * assume-graph facts (RoleFacts), per group its admin answer. Lists are sorted and capped
 * at MAX_LISTED; counts are exact. A caller group's members are counted from the group's
 * size, never walked per role.
 */

/** First `limit` of (a sorted shared list ∪ a few extra values) without `exclude`, and the total count. */
function mergeSorted(sorted: readonly string[], set: ReadonlySet<string>, extra: readonly string[], exclude: string, limit: number): { list: string[]; count: number } {
  const extras = new Set(extra.filter((v) => v !== exclude && !set.has(v)));
  const count = sorted.length - (set.has(exclude) ? 1 : 0) + extras.size;
  const list = sortedUnique([...sorted.slice(0, limit + 1), ...extras]).filter((v) => v !== exclude).slice(0, limit);
  return { list, count };
}

export function principalFacts(ctx: IamContext, graph: AssumeGraph, search: EscalationSearch, undecided: ReadonlyMap<string, readonly string[]>): Map<string, PrincipalFacts> {
  const { callers, admin, memo } = ctx;
  const facts = new Map<string, PrincipalFacts>();
  const iamActions = expandActionPattern('iam:*');
  // Shared by principals whose policies read the same (the admin part is per principal: labels and unknowns differ).
  const readFacts = (p: Principal): SharedReadFacts => ({
    iamFull: admin.of(p.arn).admin !== false && probeAll(p.policies, iamActions).ok,
    data: DATA_READ_PROBES.filter((action) => mayBeAllowed(evaluate(p.policies, { action, resource: ALL_RESOURCES }))),
  });
  for (const p of callers) {
    const a = admin.of(p.arn);
    const shared = memo.readFacts(p, readFacts);
    const iamFull = a.admin !== false && shared.iamFull;
    const data = shared.data;
    const paths = (search.alternatives.get(p.arn) ?? []).map((alt) => describePath(admin, search, p.arn, alt.step, alt.next));
    const explicitTargets = (graph.out.get(p.arn) ?? []).map((e) => e.to);
    const group = graph.groupOf.get(p.arn);
    const assumable = group
      ? mergeSorted(group.reach.sortedRoles, group.reach.roleSet, explicitTargets, p.arn, MAX_LISTED)
      : { list: sortedUnique(explicitTargets), count: new Set(explicitTargets).size };
    facts.set(p.arn, {
      adminEquivalent: a.admin,
      adminGrants: a.grants,
      adminConditions: a.conditions,
      iamFullAccess: iamFull ? (p.boundaryUnknown ? null : true) : p.unknown.length > 0 ? null : false,
      dataReadEverywhere: data,
      canBecomeAdmin: a.admin === true || paths.length > 0 ? true : p.unknown.length > 0 || undecided.has(p.arn) ? null : false,
      privilegeEscalation: paths,
      escalationSummary: paths[0]?.path ?? null,
      escalationUndecided: [...(undecided.get(p.arn) ?? [])],
      computeEscalation: paths.find((path) => path.steps.some((s) => isComputeMethod(s.method)))?.path ?? null,
      assumableRoles: assumable.list.slice(0, MAX_LISTED),
      assumableRoleCount: assumable.count,
    });
  }
  return facts;
}

export function roleFacts(ctx: IamContext, graph: AssumeGraph): Map<string, RoleFacts> {
  const { principals, memo, trusts } = ctx;
  const out = new Map<string, RoleFacts>();
  for (const role of principals.roles) {
    const t = memo.trustFacts(trusts.ofRole.get(role.arn) as CompiledTrust, role.accountId);
    const explicitBy = new Set((graph.in.get(role.arn) ?? []).map((e) => e.from));
    const noMfaSet = new Set(graph.withoutMfa.get(role.arn) ?? []);
    const firstBy: string[] = [...explicitBy];
    let count = explicitBy.size;
    for (const s of graph.groupsInto.get(role.arn) ?? []) {
      const members = s.group.members;
      // Groups partition the callers, so the count is the group's size less the members
      // already counted (explicit edges) or the role itself: no walk over a group that may
      // hold every principal of the account, for each of its roles.
      let excluded = 0;
      for (const arn of new Set([...explicitBy, role.arn])) if (graph.groupOf.get(arn) === s.group) excluded++;
      count += members.length - excluded;
      let listed = 0;
      for (const p of members) {
        if (listed >= MAX_LISTED && (s.noMfa === 0 || noMfaSet.size >= MAX_LISTED * 4)) break;
        if (p.arn === role.arn || explicitBy.has(p.arn)) continue;
        if (listed++ < MAX_LISTED) firstBy.push(p.arn);
        if (s.noMfa !== 0 && noMfaSet.size < MAX_LISTED * 4) noMfaSet.add(p.arn);
      }
    }
    const by = [...new Set(firstBy)].sort();
    out.set(role.arn, {
      ...t,
      assumableBy: by.slice(0, MAX_LISTED),
      assumableByCount: count,
      assumableByUsersWithoutMfa: [...noMfaSet].sort().slice(0, MAX_LISTED),
      externallyAssumable: t.trustPublic || t.trustedAccounts.length > 0,
    });
  }
  return out;
}

export function groupFacts(ctx: IamContext): Map<string, Pick<PrincipalFacts, 'adminEquivalent' | 'adminGrants' | 'adminConditions'>> {
  const out = new Map<string, Pick<PrincipalFacts, 'adminEquivalent' | 'adminGrants' | 'adminConditions'>>();
  for (const g of ctx.principals.groups) {
    const a = ctx.admin.of(g.arn);
    out.set(g.arn, { adminEquivalent: a.admin, adminGrants: a.grants, adminConditions: a.conditions });
  }
  return out;
}
