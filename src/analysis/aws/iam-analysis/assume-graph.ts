import type { ContextValues } from '../conditions.js';
import { evaluate, mayBeAllowed } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import { type CompiledTrust, evaluateTrust } from '../trust.js';
import type { EscalationStep } from '../iam-analysis.js';
import { type CallerGroup, groupReachOf, stsSignature } from './caller-groups.js';
import { type IamContext, pushTo, sortedUnique } from './context.js';
import { noMfaMask } from './no-mfa.js';

/**
 * Step 3 — the assume-role graph: who can sts:AssumeRole which role, and which users can
 * do so without MFA.
 *
 * A caller can assume a role when the role's trust admits it (its ARN, its account, or
 * anyone, with the trust's conditions evaluated for it) and its own policies allow
 * sts:AssumeRole on the role — except that a same-account trust naming the caller's ARN
 * needs no identity-policy Allow (a boundary must still allow it; an explicit Deny still
 * blocks).
 *
 * Explicit edges for trusts that name the caller, for trusts that depend on who the caller
 * is, and for callers whose statements do; every other caller joins a CallerGroup
 * (caller-groups.ts) whose shared edges stand for one edge per member. Linear in callers
 * plus edges, never caller × role for callers that allow sts:AssumeRole everywhere.
 */

/** An explicit edge caller → role. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly step: EscalationStep;
}

/** A shared edge into a role: every member of `group` can assume it. */
export interface GroupEdgeIn {
  readonly group: CallerGroup;
  readonly keys: readonly string[];
  readonly conditions: readonly string[];
  readonly noMfa: number;
}

export interface AssumeGraph {
  /** Caller ARN → explicit edges out of it. */
  readonly out: ReadonlyMap<string, readonly Edge[]>;
  /** Role ARN → explicit edges into it. */
  readonly in: ReadonlyMap<string, readonly Edge[]>;
  /** Role ARN → users with an explicit edge that holds without MFA. */
  readonly withoutMfa: ReadonlyMap<string, readonly string[]>;
  /** Group key → group, in order of first member. */
  readonly groups: ReadonlyMap<string, CallerGroup>;
  /** Caller ARN → its group (callers evaluated one by one have none). */
  readonly groupOf: ReadonlyMap<string, CallerGroup>;
  /** Role ARN → the groups that reach it. */
  readonly groupsInto: ReadonlyMap<string, readonly GroupEdgeIn[]>;
}

export function buildAssumeGraph(ctx: IamContext): AssumeGraph {
  const { principals, callers, memo, trusts } = ctx;
  const out = new Map<string, Edge[]>();
  const into = new Map<string, Edge[]>();
  const withoutMfa = new Map<string, string[]>();

  const boundaryAllows = (p: Principal, action: string, resource: string, context?: ContextValues): boolean =>
    !p.policies.boundary || mayBeAllowed(evaluate({ identity: [p.policies.boundary] }, { action, resource, context: memo.resourceContext(resource, context) }));

  /** Edge caller → role, evaluated both ways (identity and trust); undefined when not assumable. */
  const tryEdge = (caller: Principal, roleArn: string): Edge | undefined => {
    const role = principals.byArn.get(roleArn) as Principal;
    const trust = trusts.ofRole.get(roleArn) as CompiledTrust;
    const asCaller = memo.caller(caller);
    const t = evaluateTrust(trust, asCaller, 'sts:AssumeRole');
    if (t.result === 0) return undefined;
    const sameAccount = role.accountId === caller.accountId;
    const identityOk = (context?: ContextValues, named = t.named): { ok: boolean; keys: readonly string[]; conditions: readonly string[] } => {
      const d = evaluate(caller.policies, { action: 'sts:AssumeRole', resource: roleArn, context: memo.resourceContext(roleArn, context) });
      if (d.decision === 'denied') return { ok: false, keys: [], conditions: [] };
      if (mayBeAllowed(d)) return { ok: true, keys: d.conditionKeys, conditions: d.conditions };
      // Same account, trust names the caller's ARN: the identity policy need not allow it, but a boundary must.
      if (named && sameAccount && boundaryAllows(caller, 'sts:AssumeRole', roleArn, context)) return { ok: true, keys: [], conditions: [] };
      return { ok: false, keys: [], conditions: [] };
    };
    const a = identityOk();
    if (!a.ok) return undefined;
    if (caller.kind === 'user') {
      const ok = noMfaMask((context) => {
        const tNoMfa = evaluateTrust(trust, asCaller, 'sts:AssumeRole', context);
        return tNoMfa.result !== 0 && identityOk(context, tNoMfa.named).ok;
      });
      if (ok !== 0) pushTo(withoutMfa, roleArn, caller.arn);
    }
    return {
      from: caller.arn,
      to: roleArn,
      step: {
        method: 'sts:AssumeRole',
        actions: ['sts:AssumeRole'],
        target: roleArn,
        conditionKeys: sortedUnique([...t.conditionKeys, ...a.keys]),
        conditions: sortedUnique([...t.conditions, ...a.conditions]),
      },
    };
  };
  const addEdge = (edge: Edge | undefined) => {
    if (!edge) return;
    pushTo(out, edge.from, edge);
    pushTo(into, edge.to, edge);
  };

  const reachOf = groupReachOf(ctx);
  const groups = new Map<string, CallerGroup>();
  const groupOf = new Map<string, CallerGroup>();

  for (const caller of callers) {
    // Trusts that name the caller (its ARN, or its assumed-role session ARN).
    const named = new Set<string>([
      ...(trusts.byNamed.get(caller.arn) ?? []),
      ...(caller.kind === 'role' ? (trusts.byNamed.get(`assumed:${caller.accountId}:${caller.name}`) ?? []) : []),
    ]);
    for (const roleArn of named) if (roleArn !== caller.arn) addEdge(tryEdge(caller, roleArn));
    if (!memo.anyAllowed(caller, 'sts:AssumeRole')) continue;
    const signature = stsSignature(caller);
    if (signature !== undefined) {
      // A member of a group: shared edges to the roles trusting its account or anyone,
      // explicit ones to the principal-specific trusts among them.
      const key = `${caller.accountId}|${caller.kind}|${signature}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { key, reach: reachOf(caller), members: [] }));
      groupOf.set(caller.arn, group);
      group.members.push(caller);
      for (const roleArn of trusts.principalSpecific) {
        if (named.has(roleArn) || roleArn === caller.arn) continue;
        const role = principals.byArn.get(roleArn) as Principal;
        if (role.accountId === caller.accountId || trusts.anyoneSet.has(roleArn)) addEdge(tryEdge(caller, roleArn));
      }
      continue;
    }
    // Statements that depend on who the caller is: every candidate evaluated for this caller.
    const seen = new Set<string>();
    for (const list of [trusts.byAccount.get(caller.accountId) ?? [], trusts.anyone]) {
      for (const roleArn of list) {
        if (roleArn === caller.arn || named.has(roleArn) || seen.has(roleArn)) continue;
        if (!memo.couldAllow(caller, 'sts:AssumeRole', roleArn)) continue;
        seen.add(roleArn);
        addEdge(tryEdge(caller, roleArn));
      }
    }
  }

  const groupsInto = new Map<string, GroupEdgeIn[]>();
  for (const group of groups.values()) {
    for (const e of group.reach.edges) pushTo(groupsInto, e.role, { group, keys: e.keys, conditions: e.conditions, noMfa: e.noMfa });
  }
  return { out, in: into, withoutMfa, groups, groupOf, groupsInto };
}
