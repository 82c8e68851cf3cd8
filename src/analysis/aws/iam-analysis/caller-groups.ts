import { ALL_RESOURCES, type CompiledPolicy, evaluate, matchesAction, mayBeAllowed } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import { type Caller, type CompiledTrust, evaluateTrust } from '../trust.js';
import { type IamContext, sortedUnique } from './context.js';
import type { GroupTrust } from './iam-memo.js';
import { noMfaMask } from './no-mfa.js';
import { PRINCIPAL_KEYS } from './trust-index.js';

/**
 * Part of step 3 (the assume-role graph): callers grouped by what decides their
 * sts:AssumeRole, so admins × roles never becomes a list of edges.
 *
 * Callers whose sts:AssumeRole-relevant statements (identity and boundary) have the same
 * text, in the same account and of the same kind, get the same answers for the roles that
 * trust their account or anyone: one representative is evaluated per group, and the group
 * shares the resulting role list. A caller whose statements depend on who it is (policy
 * variables, principal-specific condition keys) has no signature and is evaluated alone;
 * roles whose trust depends on who the caller is (TrustIndex.principalSpecific) are never
 * shared and get explicit edges.
 */

/** One shared edge of a group: a role its members can assume, the condition keys, the no-MFA mask (users). */
export interface GroupEdge {
  readonly role: string;
  readonly keys: readonly string[];
  readonly conditions: readonly string[];
  readonly noMfa: number;
}

/** Roles trusting the account (or anyone) that the members of a group can assume. */
export interface GroupReach {
  readonly edges: readonly GroupEdge[];
  /** The edges' roles, sorted. */
  readonly sortedRoles: readonly string[];
  readonly roleSet: ReadonlySet<string>;
}

/** Callers that share one evaluation: key `<account>|<kind>|<signature>`. */
export interface CallerGroup {
  readonly key: string;
  readonly reach: GroupReach;
  /** Member callers, in caller order. */
  readonly members: Principal[];
}

/**
 * What decides a caller's sts:AssumeRole: the text of its statements that can match
 * it (identity and boundary). Callers with the same text, account and kind get the same
 * answers for roles that trust their account or anyone, so each such group is evaluated
 * once. Undefined when a statement depends on who the caller is (policy variables,
 * principal-specific condition keys): such callers are evaluated one by one.
 */
export function stsSignature(p: Principal): string | undefined {
  const parts: string[] = [];
  const collect = (policies: readonly CompiledPolicy[], prefix: string): boolean => {
    for (const pol of policies) {
      for (const list of [pol.byService.get('sts'), pol.anyService]) {
        for (const st of list ?? []) {
          if (!matchesAction(st, 'sts:assumerole')) continue;
          if (st.resources?.templated.length || st.conditions.some((c) => PRINCIPAL_KEYS.test(c.lowerKey))) return false;
          parts.push(prefix + st.key);
        }
      }
    }
    return true;
  };
  if (!collect(p.policies.identity, '')) return undefined;
  if (p.policies.boundary && !collect([p.policies.boundary], 'B')) return undefined;
  return `${p.policies.boundary ? 'bounded' : 'free'}|${[...new Set(parts)].sort().join('\n')}`;
}

const hasStsDeny = (p: Principal): boolean =>
  [...p.policies.identity, ...(p.policies.boundary ? [p.policies.boundary] : [])].some(
    (pol) => pol.hasDeny && [...(pol.byService.get('sts') ?? []), ...pol.anyService].some((st) => st.effect === 'Deny'),
  );

/** A function computing the reach of a group from one representative member (its first caller). */
export function groupReachOf(ctx: IamContext): (rep: Principal) => GroupReach {
  const { memo, trusts } = ctx;
  /** Trust outcome for "some caller of this account and kind" (named principals aside). */
  const genericTrust = (roleArn: string, accountId: string, kind: 'user' | 'role'): GroupTrust => {
    const generic: Caller = { arn: `arn:aws:iam::${accountId}:${kind}/\u0000zt-generic`, accountId, kind, name: '\u0000zt-generic' };
    const trust = trusts.ofRole.get(roleArn) as CompiledTrust;
    const d = evaluateTrust(trust, generic, 'sts:AssumeRole');
    const noMfa = kind === 'user' && d.result !== 0 ? noMfaMask((context) => evaluateTrust(trust, generic, 'sts:AssumeRole', context).result !== 0) : 0;
    return { result: d.result, keys: d.conditionKeys, conditions: d.conditions, noMfa };
  };
  return (rep) => {
    // A group's member is a user.
    const kind = rep.kind === 'role' ? 'role' : 'user';
    // sts:AssumeRole on every resource with no Deny that could touch it: no per-role identity evaluation.
    const everywhere = evaluate(rep.policies, { action: 'sts:AssumeRole', resource: ALL_RESOURCES }).decision === 'allowed' && !hasStsDeny(rep);
    const everywhereNoMfa = everywhere && kind === 'user'
      ? noMfaMask((context) => evaluate(rep.policies, { action: 'sts:AssumeRole', resource: ALL_RESOURCES, context }).decision === 'allowed')
      : 0;
    const edges: GroupEdge[] = [];
    for (const roleArn of sortedUnique([...(trusts.byAccount.get(rep.accountId) ?? []), ...trusts.anyone])) {
      if (trusts.principalSpecific.has(roleArn) || !memo.couldAllow(rep, 'sts:AssumeRole', roleArn)) continue;
      const t = memo.groupTrust(roleArn, rep.accountId, kind, genericTrust);
      if (t.result === 0) continue;
      if (everywhere) {
        edges.push({ role: roleArn, keys: t.keys, conditions: t.conditions, noMfa: t.noMfa & everywhereNoMfa });
        continue;
      }
      // The role's tags decide iam:ResourceTag/… and aws:ResourceTag/… conditions on sts:AssumeRole.
      const d = evaluate(rep.policies, { action: 'sts:AssumeRole', resource: roleArn, context: memo.resourceContext(roleArn) });
      if (!mayBeAllowed(d)) continue;
      const noMfa =
        t.noMfa === 0 ? 0 : t.noMfa & noMfaMask((context) => mayBeAllowed(evaluate(rep.policies, { action: 'sts:AssumeRole', resource: roleArn, context: memo.resourceContext(roleArn, context) })));
      edges.push({
        role: roleArn,
        keys: d.conditionKeys.length === 0 ? t.keys : sortedUnique([...t.keys, ...d.conditionKeys]),
        conditions: d.conditions.length === 0 ? t.conditions : sortedUnique([...t.conditions, ...d.conditions]),
        noMfa,
      });
    }
    const roles = edges.map((e) => e.role);
    return { edges, sortedRoles: roles, roleSet: new Set(roles) };
  };
}
