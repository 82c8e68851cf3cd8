import { DATA_READ_PROBES, isComputeMethod } from '../escalation-methods.js';
import { expandActionPattern } from '../iam-catalogue.js';
import { ALL_RESOURCES, evaluate, mayBeAllowed } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import type { CompiledTrust } from '../trust.js';
import type { EscalationFacts, GroupFacts, PrincipalFacts, RoleFacts } from '../iam-analysis.js';
import type { CallerGroup } from './caller-groups.js';
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

/** Escalation facts of a user, role or group (a group: what its own policies let any member do). */
function escalationFacts(ctx: IamContext, search: EscalationSearch, undecided: ReadonlyMap<string, readonly string[]>, p: Principal): EscalationFacts {
  const a = ctx.admin.of(p.arn);
  const paths = (search.alternatives.get(p.arn) ?? []).map((alt) => describePath(ctx.admin, search, p.arn, alt.step, alt.next));
  const compute = paths.find((path) => path.steps.some((s) => isComputeMethod(s.method))) ?? null;
  return {
    canBecomeAdmin: a.admin === true || paths.length > 0 ? true : p.unknown.length > 0 || undecided.has(p.arn) ? null : false,
    // Filled by scp-blocked.ts once every principal's facts are known.
    escalationBlockedByScp: [],
    privilegeEscalation: paths,
    escalationSummary: paths[0]?.path ?? null,
    escalationPath: paths[0] ?? null,
    escalationUndecided: [...(undecided.get(p.arn) ?? [])],
    computeEscalation: compute?.path ?? null,
    computeEscalationPath: compute,
  };
}

/**
 * The `limit` smallest distinct values offered, however many are offered, kept sorted:
 * once `limit` are held, a value not below the largest is refused (`offer` returns false,
 * so a caller walking a sorted list can stop there).
 */
class Smallest {
  private readonly values: string[] = [];
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }

  offer(value: string): boolean {
    const values = this.values;
    if (values.length === this.limit && value >= (values[values.length - 1] as string)) return false;
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((values[mid] as string) < value) lo = mid + 1;
      else hi = mid;
    }
    if (values[lo] === value) return true;
    values.splice(lo, 0, value);
    if (values.length > this.limit) values.pop();
    return true;
  }

  sorted(): string[] {
    return [...this.values];
  }
}

/** sts:AssumeRole allowed on every resource (`Resource: "*"`): any role whose trust admits the account, now or later. */
const assumeAnywhere = (p: Principal): boolean => mayBeAllowed(evaluate(p.policies, { action: 'sts:AssumeRole', resource: ALL_RESOURCES }));

export function principalFacts(ctx: IamContext, graph: AssumeGraph, search: EscalationSearch, undecided: ReadonlyMap<string, readonly string[]>): Map<string, PrincipalFacts> {
  const { admin, memo } = ctx;
  const callers = ctx.callers.filter((p) => p.kind !== 'group');
  const facts = new Map<string, PrincipalFacts>();
  const iamActions = expandActionPattern('iam:*');
  // Shared by principals whose policies read the same (the admin part is per principal: labels and unknowns differ).
  const readFacts = (p: Principal): SharedReadFacts => ({
    iamFull: admin.of(p.arn).admin !== false && probeAll(p.policies, iamActions).ok,
    data: DATA_READ_PROBES.filter((action) => mayBeAllowed(evaluate(p.policies, { action, resource: ALL_RESOURCES }))),
    assumeAnywhere: assumeAnywhere(p),
  });
  for (const p of callers) {
    const a = admin.of(p.arn);
    const shared = memo.readFacts(p, readFacts);
    const iamFull = a.admin !== false && shared.iamFull;
    const data = shared.data;
    const explicitTargets = (graph.out.get(p.arn) ?? []).map((e) => e.to);
    const group = graph.groupOf.get(p.arn);
    const assumable = group
      ? mergeSorted(group.reach.sortedRoles, group.reach.roleSet, explicitTargets, p.arn, MAX_LISTED)
      : { list: sortedUnique(explicitTargets), count: new Set(explicitTargets).size };
    facts.set(p.arn, {
      adminEquivalent: a.admin,
      adminGrants: a.grants,
      adminConditions: a.conditions,
      adminSummary: a.summary,
      adminBlockedByScp: a.blockedByScp,
      iamFullAccess: iamFull ? (p.boundaryUnknown ? null : true) : p.unknown.length > 0 ? null : false,
      dataReadEverywhere: data,
      ...escalationFacts(ctx, search, undecided, p),
      assumeRoleAnywhere: shared.assumeAnywhere ? true : p.unknown.length > 0 ? null : false,
      assumableRoles: assumable.list.slice(0, MAX_LISTED),
      assumableRoleCount: assumable.count,
    });
  }
  return facts;
}

export function roleFacts(ctx: IamContext, graph: AssumeGraph): Map<string, RoleFacts> {
  const { principals, memo, trusts, admin } = ctx;
  const out = new Map<string, RoleFacts>();
  // Who can assume a role is said of users and roles; a group's "any member" is not one more assumer.
  const isGroup = (arn: string) => principals.byArn.get(arn)?.kind === 'group';
  const nonAdminMembers = new Map<CallerGroup, Principal[]>();
  const nonAdminOf = (g: CallerGroup): Principal[] => {
    let list = nonAdminMembers.get(g);
    if (!list) nonAdminMembers.set(g, (list = g.members.filter((p) => !admin.isAdmin(p.arn))));
    return list;
  };
  for (const role of principals.roles) {
    const t = memo.trustFacts(trusts.ofRole.get(role.arn) as CompiledTrust, role.accountId);
    const explicitBy = new Set((graph.in.get(role.arn) ?? []).map((e) => e.from).filter((arn) => !isGroup(arn)));
    const noMfaSet = new Set(graph.withoutMfa.get(role.arn) ?? []);
    const firstBy = new Smallest(MAX_LISTED);
    for (const arn of explicitBy) firstBy.offer(arn);
    const nonAdminBy = new Smallest(MAX_LISTED);
    let nonAdminCount = 0;
    for (const arn of explicitBy) {
      if (admin.isAdmin(arn)) continue;
      nonAdminCount++;
      nonAdminBy.offer(arn);
    }
    let count = explicitBy.size;
    for (const s of graph.groupsInto.get(role.arn) ?? []) {
      const members = s.group.members;
      if (members[0]?.kind === 'group') continue;
      const nonAdmin = nonAdminOf(s.group);
      // Groups partition the callers, so the count is the group's size less the members
      // already counted (explicit edges) or the role itself: no walk over a group that may
      // hold every principal of the account, for each of its roles.
      let excluded = 0;
      let nonAdminExcluded = 0;
      for (const arn of explicitBy) {
        if (graph.groupOf.get(arn) !== s.group) continue;
        excluded++;
        if (!admin.isAdmin(arn)) nonAdminExcluded++;
      }
      if (!explicitBy.has(role.arn) && graph.groupOf.get(role.arn) === s.group) {
        excluded++;
        if (!admin.isAdmin(role.arn)) nonAdminExcluded++;
      }
      count += members.length - excluded;
      nonAdminCount += nonAdmin.length - nonAdminExcluded;
      // Members are in ARN order: once one is refused, the rest would be too.
      let listedNonAdmin = 0;
      for (const p of nonAdmin) {
        if (listedNonAdmin >= MAX_LISTED) break;
        if (p.arn === role.arn || explicitBy.has(p.arn)) continue;
        if (!nonAdminBy.offer(p.arn)) break;
        listedNonAdmin++;
      }
      // Members are in ARN order: listing stops at the first one the smallest-50 refuses.
      let listing = true;
      for (const p of members) {
        const wantNoMfa = s.noMfa !== 0 && noMfaSet.size < MAX_LISTED * 4;
        if (!listing && !wantNoMfa) break;
        if (p.arn === role.arn || explicitBy.has(p.arn)) continue;
        if (listing && !firstBy.offer(p.arn)) listing = false;
        if (wantNoMfa) noMfaSet.add(p.arn);
      }
    }
    const by = firstBy.sorted();
    out.set(role.arn, {
      ...t,
      assumableBy: by.slice(0, MAX_LISTED),
      assumableByCount: count,
      assumableByUsersWithoutMfa: [...noMfaSet].sort().slice(0, MAX_LISTED),
      assumableByNonAdmins: nonAdminBy.sorted(),
      assumableByNonAdminCount: nonAdminCount,
      externallyAssumable: t.trustPublic || t.trustedAccounts.length > 0,
    });
  }
  return out;
}

/** Per group: its admin answer and what its own policies let any member do (members inherit both). */
export function groupFacts(ctx: IamContext, search: EscalationSearch, undecided: ReadonlyMap<string, readonly string[]>): Map<string, GroupFacts> {
  const out = new Map<string, GroupFacts>();
  for (const g of ctx.principals.groups) {
    const a = ctx.admin.of(g.arn);
    out.set(g.arn, {
      adminEquivalent: a.admin,
      adminGrants: a.grants,
      adminConditions: a.conditions,
      adminSummary: a.summary,
      adminBlockedByScp: a.blockedByScp,
      ...escalationFacts(ctx, search, undecided, g),
      assumeRoleAnywhere: assumeAnywhere(g) ? true : g.unknown.length > 0 ? null : false,
      members: [...(ctx.principals.groupMembers.get(g.arn) ?? [])].sort().slice(0, MAX_LISTED),
      memberCount: ctx.principals.groupMembers.get(g.arn)?.length ?? 0,
    });
  }
  return out;
}
