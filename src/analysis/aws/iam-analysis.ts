import type { PolicyDocument } from '../../inventory/kinds/common.js';
import type { InventoryIndex } from '../../inventory/index.js';
import { normaliseContext } from './conditions.js';
import { ADMIN_PROBES, COMPUTE_METHODS, type ComputeMethod, DATA_READ_PROBES } from './escalation-methods.js';
import { expandActionPattern } from './iam-catalogue.js';
import {
  ALL_RESOURCES,
  allowResourceFilter,
  ANY_RESOURCE,
  type CompiledPolicy,
  matchesAction,
  type Decision,
  evaluate,
  mayBeAllowed,
  type PolicySet,
} from './policy-evaluator.js';
import { buildPrincipals, type Principal, type PrincipalIndex } from './principals.js';
import { type Caller, type CompiledTrust, compileTrust, evaluateTrust, type TrustFacts, trustFacts, trustedAwsEntries, trustsService } from './trust.js';

/**
 * The AWS IAM analysis, computed once per inventory and shared by the per-kind
 * analysers: effective admin, privilege escalation (single step and through
 * sts:AssumeRole / iam:PassRole chains) and trust-policy facts.
 *
 * Cost: every policy compiles once; admin and method checks first ask "is the action
 * allowed on any resource at all" (statements are indexed by service prefix, so a
 * principal without IAM grants answers in a few lookups); the assume-role graph is
 * built once from trust-policy indexes (named principal, account, anyone) and
 * escalation is a backward BFS from the roles that are, or can directly make
 * themselves, administrators — linear in principals plus edges, never principal ×
 * principal × action.
 */

export const MAX_HOPS = 5;
export const MAX_PATHS = 10;
const MAX_LISTED = 50;

export interface EscalationStep {
  readonly method: string;
  readonly actions: readonly string[];
  readonly target: string;
  readonly conditionKeys: readonly string[];
}

export interface EscalationPath {
  /** The step that yields administrator permissions. */
  readonly method: string;
  readonly actions: readonly string[];
  /** Roles assumed (or passed to compute) before that step, in order. */
  readonly via: readonly string[];
  /** What the final step acts on: the admin role reached, the policy edited, the admin user taken over… */
  readonly target: string;
  /** Condition keys some step depends on (e.g. aws:MultiFactorAuthPresent on a trust). */
  readonly conditionKeys: readonly string[];
  /** One readable line: `user/bob → sts:AssumeRole role/deploy → iam:AttachRolePolicy on role/deploy → administrator`. */
  readonly path: string;
}

export interface PrincipalFacts {
  adminEquivalent: boolean | null;
  adminGrants: string[];
  adminConditions: string[];
  iamFullAccess: boolean | null;
  dataReadEverywhere: string[];
  canBecomeAdmin: boolean | null;
  privilegeEscalation: EscalationPath[];
  escalationSummary: string | null;
  assumableRoles: string[];
  assumableRoleCount: number;
}

export interface RoleFacts extends TrustFacts {
  assumableBy: string[];
  assumableByCount: number;
  assumableByUsersWithoutMfa: string[];
  externallyAssumable: boolean;
}

export interface IamAnalysis {
  readonly principals: PrincipalIndex;
  readonly facts: ReadonlyMap<string, PrincipalFacts>;
  readonly roleFacts: ReadonlyMap<string, RoleFacts>;
  readonly groupFacts: ReadonlyMap<string, Pick<PrincipalFacts, 'adminEquivalent' | 'adminGrants' | 'adminConditions'>>;
}

const cache = new WeakMap<InventoryIndex, IamAnalysis>();

export function analyseIam(inventory: InventoryIndex): IamAnalysis {
  let result = cache.get(inventory);
  if (!result) {
    result = run(inventory);
    cache.set(inventory, result);
  }
  return result;
}

/** `arn:aws:iam::1:role/ci/deploy` → `role/ci/deploy`. */
export function shortArn(arn: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(arn);
  return m ? (m[1] as string) : arn;
}

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** First `limit` of (a sorted shared list ∪ a few extra values) without `exclude`, and the total count. */
function mergeSorted(sorted: readonly string[], set: ReadonlySet<string>, extra: readonly string[], exclude: string, limit: number): { list: string[]; count: number } {
  const extras = new Set(extra.filter((v) => v !== exclude && !set.has(v)));
  const count = sorted.length - (set.has(exclude) ? 1 : 0) + extras.size;
  const list = sortedUnique([...sorted.slice(0, limit + 1), ...extras]).filter((v) => v !== exclude).slice(0, limit);
  return { list, count };
}

const contentKeys = new WeakMap<CompiledPolicy, string>();
const contentKey = (policy: CompiledPolicy): string => {
  let key = contentKeys.get(policy);
  if (key === undefined) contentKeys.set(policy, (key = policy.statements.map((s) => s.key).join('\n')));
  return key;
};
// Policy variables and principal condition keys make answers depend on who asks.
const PERSONAL_TEXT = /\$\{|aws:(username|userid|principalarn|principaltag|principaltype|principalaccount)/i;

/**
 * Short names for what decides a principal's answers, so principals that read the same
 * (common: the same managed policies) are evaluated once. Per analysis: each distinct
 * policy text gets a number.
 */
class PolicySignatures {
  private readonly ids = new Map<string, number>();
  private readonly info = new WeakMap<CompiledPolicy, { readonly id: number; readonly personal: boolean }>();
  private readonly bySet = new WeakMap<PolicySet, string>();

  private of(policy: CompiledPolicy): { readonly id: number; readonly personal: boolean } {
    let info = this.info.get(policy);
    if (!info) {
      const text = contentKey(policy);
      let id = this.ids.get(text);
      if (id === undefined) this.ids.set(text, (id = this.ids.size));
      this.info.set(policy, (info = { id, personal: PERSONAL_TEXT.test(text) }));
    }
    return info;
  }

  /** Equal text of identity policies and boundary (and no policy variables) → equal answers. */
  content(set: PolicySet): string {
    let signature = this.bySet.get(set);
    if (signature === undefined) {
      const identity = set.identity.map((policy) => this.of(policy));
      const boundary = set.boundary ? this.of(set.boundary) : undefined;
      // Policy variables make answers depend on who asks: keep those principals apart.
      const personal = identity.some((i) => i.personal) || boundary?.personal ? `|${set.context?.get('aws:principalarn')?.[0] ?? ''}` : '';
      signature = `${identity.map((i) => i.id).sort((a, b) => a - b).join(',')}/${boundary ? boundary.id : ''}${personal}`;
      this.bySet.set(set, signature);
    }
    return signature;
  }

  /** content() plus which policy (by label) holds which text: answers that name the granting policies. */
  labelled(set: PolicySet): string {
    const labels = set.identity.map((policy) => `${policy.label}\u0005${this.of(policy).id}`).sort().join('\u0001');
    return `${this.content(set)}\u0004${labels}\u0004${set.boundary?.label ?? ''}`;
  }
}

// ---- admin ----

interface AdminResult {
  admin: boolean | null;
  grants: string[];
  conditions: string[];
}

function probeAll(set: PolicySet, actions: readonly string[]): { ok: boolean; decisions: Decision[] } {
  const decisions: Decision[] = [];
  for (const action of actions) {
    const d = evaluate(set, { action, resource: ALL_RESOURCES });
    if (!mayBeAllowed(d)) return { ok: false, decisions };
    decisions.push(d);
  }
  return { ok: true, decisions };
}

/** Admin of a principal; equal for principals with the same labelled policies and the same unknowns. */
function adminOf(p: Principal): AdminResult {
  const { ok, decisions } = probeAll(p.policies, ADMIN_PROBES);
  if (ok) {
    const conditions = sortedUnique(decisions.flatMap((d) => d.conditionKeys));
    // A boundary we could not read might narrow this away.
    return { admin: p.boundaryUnknown ? null : true, grants: sortedUnique(decisions.flatMap((d) => d.allowedBy)), conditions };
  }
  return { admin: p.unknown.length > 0 ? null : false, grants: [], conditions: [] };
}

// ---- the analysis ----

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly step: EscalationStep;
}

interface Best {
  /** Steps up to (not including) the target's own path. */
  readonly first: EscalationStep;
  /** The role continued from; undefined when `first` itself yields admin. */
  readonly next: string | undefined;
}

function run(inventory: InventoryIndex): IamAnalysis {
  const principals = buildPrincipals(inventory);
  const callers = [...principals.users, ...principals.roles];

  // 1. Admin, for every principal (groups too: AddUserToGroup targets admin groups).
  const admin = new Map<string, AdminResult>();
  const signatures = new PolicySignatures();
  const adminBySignature = new Map<string, AdminResult>();
  for (const p of principals.all) {
    const key = `${signatures.labelled(p.policies)}\u0006${p.unknown.length > 0}\u0006${p.boundaryUnknown}`;
    let result = adminBySignature.get(key);
    if (!result) adminBySignature.set(key, (result = adminOf(p)));
    admin.set(p.arn, result);
  }
  const isAdmin = (arn: string) => admin.get(arn)?.admin === true;

  // "Is this action allowed on some resource at all?" and the Allow resource patterns,
  // memoised per policy signature (principals with the same policies share them).
  const perSignature = new Map<string, { any: Map<string, boolean>; filter: Map<string, ReturnType<typeof allowResourceFilter>> }>();
  const cacheOfPrincipal = new Map<Principal, { any: Map<string, boolean>; filter: Map<string, ReturnType<typeof allowResourceFilter>> }>();
  const cacheOf = (p: Principal) => {
    let c = cacheOfPrincipal.get(p);
    if (!c) {
      const signature = signatures.content(p.policies);
      c = perSignature.get(signature);
      if (!c) perSignature.set(signature, (c = { any: new Map(), filter: new Map() }));
      cacheOfPrincipal.set(p, c);
    }
    return c;
  };
  const anyAllowed = (p: Principal, action: string): boolean => {
    const m = cacheOf(p).any;
    let v = m.get(action);
    if (v === undefined) {
      v = mayBeAllowed(evaluate(p.policies, { action, resource: ANY_RESOURCE }));
      m.set(action, v);
    }
    return v;
  };
  /** Could an Allow for `action` match this ARN at all (cheap pattern pre-check)? */
  const couldAllow = (p: Principal, action: string, resource: string): boolean => {
    const m = cacheOf(p).filter;
    let f = m.get(action);
    if (f === undefined) m.set(action, (f = allowResourceFilter(p.policies, action)));
    return f === 'any' || (f !== null && f.some((matcher) => matcher(resource)));
  };
  const on = (p: Principal, action: string, resource: string, context?: ReturnType<typeof normaliseContext>): Decision | undefined => {
    if (!anyAllowed(p, action) || !couldAllow(p, action, resource)) return undefined;
    const d = evaluate(p.policies, { action, resource, context });
    return mayBeAllowed(d) ? d : undefined;
  };

  // 2. Trust policies and their indexes. Roles often share a trust policy's text (a
  //    service's, or the account's SSO one): each distinct text compiles once.
  const compiledTrusts = new Map<string, CompiledTrust>();
  const trustOf = (document: PolicyDocument): CompiledTrust => {
    const text = JSON.stringify(document);
    let trust = compiledTrusts.get(text);
    if (!trust) compiledTrusts.set(text, (trust = compileTrust(document)));
    return trust;
  };
  const trustFactsOf = new Map<CompiledTrust, Map<string, TrustFacts>>();
  const trusts = new Map<string, CompiledTrust>();
  const byNamed = new Map<string, string[]>();
  const byAccount = new Map<string, string[]>();
  const anyone: string[] = [];
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(value);
  };
  for (const role of principals.roles) {
    const trust = trustOf(role.resource.attributes.trustPolicy as PolicyDocument);
    trusts.set(role.arn, trust);
    const entries = trustedAwsEntries(trust);
    for (const n of entries.named) {
      const assumed = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(n);
      push(byNamed, assumed ? `assumed:${assumed[1]}:${assumed[2]}` : n, role.arn);
    }
    for (const a of new Set(entries.accounts)) push(byAccount, a, role.arn);
    if (entries.anyone) anyone.push(role.arn);
  }

  // 3. Assume-role edges (caller → role), with the MFA-less view for users.
  //    Explicit edges for trusts that name the caller and for callers whose sts:AssumeRole
  //    Allow is scoped; "wide" callers (sts:AssumeRole on every resource, no Deny that
  //    could touch it) share one evaluation per account and kind of the roles that trust
  //    their account or anyone, so admins × roles never becomes a list of edges.
  const assumeOut = new Map<string, Edge[]>();
  const assumeIn = new Map<string, Edge[]>();
  const withoutMfa = new Map<string, string[]>();
  // "Without MFA": a console session without MFA (key false) or long-term access keys (key absent).
  const noMfaContexts = [
    normaliseContext({ 'aws:MultiFactorAuthPresent': 'false', 'aws:MultiFactorAuthAge': null }),
    normaliseContext({ 'aws:MultiFactorAuthPresent': null, 'aws:MultiFactorAuthAge': null }),
  ];
  /** Bit i set: allowed under noMfaContexts[i]. */
  const noMfaMask = (test: (context: ReturnType<typeof normaliseContext>) => boolean): number =>
    noMfaContexts.reduce((mask, context, i) => (test(context) ? mask | (1 << i) : mask), 0);
  const boundaryAllows = (p: Principal, action: string, resource: string, context?: ReturnType<typeof normaliseContext>): boolean =>
    !p.policies.boundary || mayBeAllowed(evaluate({ identity: [p.policies.boundary] }, { action, resource, context }));
  const callerCache = new Map<string, Caller>();
  const callerOf = (p: Principal): Caller => {
    let c = callerCache.get(p.arn);
    if (!c) callerCache.set(p.arn, (c = { arn: p.arn, accountId: p.accountId, kind: p.kind as 'user' | 'role', name: p.name }));
    return c;
  };

  /** Edge caller → role, evaluated both ways (identity and trust); undefined when not assumable. */
  const tryEdge = (caller: Principal, roleArn: string): Edge | undefined => {
    const role = principals.byArn.get(roleArn) as Principal;
    const trust = trusts.get(roleArn) as CompiledTrust;
    const asCaller = callerOf(caller);
    const t = evaluateTrust(trust, asCaller, 'sts:AssumeRole');
    if (t.result === 0) return undefined;
    const sameAccount = role.accountId === caller.accountId;
    const identityOk = (context?: ReturnType<typeof normaliseContext>, named = t.named): { ok: boolean; keys: readonly string[] } => {
      const d = evaluate(caller.policies, { action: 'sts:AssumeRole', resource: roleArn, context });
      if (d.decision === 'denied') return { ok: false, keys: [] };
      if (mayBeAllowed(d)) return { ok: true, keys: d.conditionKeys };
      // Same account, trust names the caller's ARN: the identity policy need not allow it, but a boundary must.
      if (named && sameAccount && boundaryAllows(caller, 'sts:AssumeRole', roleArn, context)) return { ok: true, keys: [] };
      return { ok: false, keys: [] };
    };
    const a = identityOk();
    if (!a.ok) return undefined;
    if (caller.kind === 'user') {
      const ok = noMfaMask((context) => {
        const tNoMfa = evaluateTrust(trust, asCaller, 'sts:AssumeRole', context);
        return tNoMfa.result !== 0 && identityOk(context, tNoMfa.named).ok;
      });
      if (ok !== 0) push(withoutMfa, roleArn, caller.arn);
    }
    return {
      from: caller.arn,
      to: roleArn,
      step: { method: 'sts:AssumeRole', actions: ['sts:AssumeRole'], target: roleArn, conditionKeys: sortedUnique([...t.conditionKeys, ...a.keys]) },
    };
  };
  const addEdge = (edge: Edge | undefined) => {
    if (!edge) return;
    push(assumeOut, edge.from, edge);
    push(assumeIn, edge.to, edge);
  };

  /** Trusts whose outcome depends on who exactly the caller is (not only its account and kind). */
  const PRINCIPAL_KEYS = /^(aws:principalarn|aws:username|aws:userid|aws:principaltag\/|aws:sourceidentity|aws:federatedprovider)/;
  const principalSpecific = new Set<string>();
  for (const [roleArn, trust] of trusts) {
    if (trust.statements.some((st) => st.conditions.some((c) => PRINCIPAL_KEYS.test(c.lowerKey)))) principalSpecific.add(roleArn);
  }

  /**
   * What decides a caller's sts:AssumeRole: the text of its statements that can match
   * it (identity and boundary). Callers with the same text, account and kind get the same
   * answers for roles that trust their account or anyone, so each such group is evaluated
   * once. Undefined when a statement depends on who the caller is (policy variables,
   * principal-specific condition keys): such callers are evaluated one by one.
   */
  const stsSignature = (p: Principal): string | undefined => {
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
  };

  interface Shared {
    readonly edges: readonly { role: string; keys: readonly string[]; noMfa: number }[];
    readonly sortedRoles: readonly string[];
    readonly roleSet: ReadonlySet<string>;
  }
  const shared = new Map<string, Shared>();
  /** Roles trusting the account (or anyone) that a representative caller of a group can assume. */
  /** Trust outcome for "some caller of this account and kind" (named principals aside), memoised. */
  const genericTrust = new Map<string, { result: number; keys: readonly string[]; noMfa: number }>();
  const trustForGroup = (roleArn: string, accountId: string, kind: 'user' | 'role') => {
    const key = `${roleArn}\u0000${accountId}\u0000${kind}`;
    let t = genericTrust.get(key);
    if (!t) {
      const generic: Caller = { arn: `arn:aws:iam::${accountId}:${kind}/\u0000zt-generic`, accountId, kind, name: '\u0000zt-generic' };
      const trust = trusts.get(roleArn) as CompiledTrust;
      const d = evaluateTrust(trust, generic, 'sts:AssumeRole');
      const noMfa = kind === 'user' && d.result !== 0 ? noMfaMask((context) => evaluateTrust(trust, generic, 'sts:AssumeRole', context).result !== 0) : 0;
      genericTrust.set(key, (t = { result: d.result, keys: d.conditionKeys, noMfa }));
    }
    return t;
  };
  const hasStsDeny = (p: Principal): boolean =>
    [...p.policies.identity, ...(p.policies.boundary ? [p.policies.boundary] : [])].some(
      (pol) => pol.hasDeny && [...(pol.byService.get('sts') ?? []), ...pol.anyService].some((st) => st.effect === 'Deny'),
    );
  /** Roles trusting the account (or anyone) that a representative caller of a group can assume. */
  const computeShared = (rep: Principal): Shared => {
    const kind = rep.kind as 'user' | 'role';
    // sts:AssumeRole on every resource with no Deny that could touch it: no per-role identity evaluation.
    const everywhere = evaluate(rep.policies, { action: 'sts:AssumeRole', resource: ALL_RESOURCES }).decision === 'allowed' && !hasStsDeny(rep);
    const everywhereNoMfa = everywhere && kind === 'user'
      ? noMfaMask((context) => evaluate(rep.policies, { action: 'sts:AssumeRole', resource: ALL_RESOURCES, context }).decision === 'allowed')
      : 0;
    const edges: { role: string; keys: readonly string[]; noMfa: number }[] = [];
    for (const roleArn of sortedUnique([...(byAccount.get(rep.accountId) ?? []), ...anyone])) {
      if (principalSpecific.has(roleArn) || !couldAllow(rep, 'sts:AssumeRole', roleArn)) continue;
      const t = trustForGroup(roleArn, rep.accountId, kind);
      if (t.result === 0) continue;
      if (everywhere) {
        edges.push({ role: roleArn, keys: t.keys, noMfa: t.noMfa & everywhereNoMfa });
        continue;
      }
      const d = evaluate(rep.policies, { action: 'sts:AssumeRole', resource: roleArn });
      if (!mayBeAllowed(d)) continue;
      const noMfa =
        t.noMfa === 0 ? 0 : t.noMfa & noMfaMask((context) => mayBeAllowed(evaluate(rep.policies, { action: 'sts:AssumeRole', resource: roleArn, context })));
      edges.push({ role: roleArn, keys: d.conditionKeys.length === 0 ? t.keys : sortedUnique([...t.keys, ...d.conditionKeys]), noMfa });
    }
    const roles = edges.map((e) => e.role);
    return { edges, sortedRoles: roles, roleSet: new Set(roles) };
  };
  /** Group key → member callers; caller → its group. */
  const wideCallers = new Map<string, Principal[]>();
  const wideOf = new Map<string, Shared>();
  const wideKeyOf = new Map<string, string>();
  const anyoneSet = new Set(anyone);

  for (const caller of callers) {
    const named = new Set<string>([
      ...(byNamed.get(caller.arn) ?? []),
      ...(caller.kind === 'role' ? (byNamed.get(`assumed:${caller.accountId}:${caller.name}`) ?? []) : []),
    ]);
    for (const roleArn of named) if (roleArn !== caller.arn) addEdge(tryEdge(caller, roleArn));
    if (!anyAllowed(caller, 'sts:AssumeRole')) continue;
    const signature = stsSignature(caller);
    if (signature !== undefined) {
      const key = `${caller.accountId}|${caller.kind}|${signature}`;
      let sh = shared.get(key);
      if (!sh) shared.set(key, (sh = computeShared(caller)));
      wideOf.set(caller.arn, sh);
      wideKeyOf.set(caller.arn, key);
      push(wideCallers, key, caller);
      for (const roleArn of principalSpecific) {
        if (named.has(roleArn) || roleArn === caller.arn) continue;
        const role = principals.byArn.get(roleArn) as Principal;
        if (role.accountId === caller.accountId || anyoneSet.has(roleArn)) addEdge(tryEdge(caller, roleArn));
      }
      continue;
    }
    // Statements that depend on who the caller is: every candidate evaluated for this caller.
    const seen = new Set<string>();
    for (const list of [byAccount.get(caller.accountId) ?? [], anyone]) {
      for (const roleArn of list) {
        if (roleArn === caller.arn || named.has(roleArn) || seen.has(roleArn)) continue;
        if (!couldAllow(caller, 'sts:AssumeRole', roleArn)) continue;
        seen.add(roleArn);
        addEdge(tryEdge(caller, roleArn));
      }
    }
  }
  /** Shared edges into each role: role → keys of the wide-caller groups that reach it. */
  const sharedIn = new Map<string, { key: string; keys: readonly string[]; noMfa: number }[]>();
  for (const [key, sh] of shared) {
    if (!wideCallers.has(key)) continue;
    for (const e of sh.edges) push(sharedIn, e.role, { key, keys: e.keys, noMfa: e.noMfa });
  }
  // 4. Single-step methods per non-admin caller.
  const adminUsers = principals.users.filter((u) => isAdmin(u.arn));
  const adminRoles = principals.roles.filter((r) => isAdmin(r.arn));
  const adminGroups = principals.groups.filter((g) => isAdmin(g.arn));
  const direct = new Map<string, EscalationStep[]>();
  for (const p of callers) {
    if (admin.get(p.arn)?.admin !== false && admin.get(p.arn)?.admin !== null) continue;
    const steps: EscalationStep[] = [];
    const add = (method: string, actions: string[], target: string, decisions: (Decision | undefined)[]) =>
      steps.push({ method, actions, target, conditionKeys: sortedUnique(decisions.flatMap((d) => d?.conditionKeys ?? [])) });
    const self = p.kind === 'user' ? 'User' : 'Role';
    // Editing one's own permissions only helps up to the boundary, unless the boundary can be deleted.
    let unboundedVia: Decision | undefined;
    const boundaryPermitsAdmin = !p.policies.boundary || probeAll({ identity: [p.policies.boundary] }, ADMIN_PROBES).ok;
    if (!boundaryPermitsAdmin) unboundedVia = on(p, `iam:Delete${self}PermissionsBoundary`, p.arn);
    const canGrowSelf = boundaryPermitsAdmin || unboundedVia !== undefined;
    const prefix = boundaryPermitsAdmin ? [] : [`iam:Delete${self}PermissionsBoundary`];
    if (canGrowSelf) {
      for (const verb of ['Attach', 'Put']) {
        const action = `iam:${verb}${self}Policy`;
        const d = on(p, action, p.arn);
        if (d) add(action, [...prefix, action], p.arn, [d, unboundedVia]);
      }
      for (const groupArn of p.groupArns) {
        for (const verb of ['Attach', 'Put']) {
          const action = `iam:${verb}GroupPolicy`;
          const d = on(p, action, groupArn);
          if (d) add(action, [...prefix, action], groupArn, [d, unboundedVia]);
        }
      }
      for (const policyArn of p.customerPolicies) {
        const d = on(p, 'iam:CreatePolicyVersion', policyArn);
        if (d) add('iam:CreatePolicyVersion', [...prefix, 'iam:CreatePolicyVersion'], policyArn, [d, unboundedVia]);
      }
      if (p.kind === 'user') {
        if (anyAllowed(p, 'iam:AddUserToGroup')) for (const g of adminGroups) {
          if (p.groupArns.includes(g.arn)) continue;
          const d = on(p, 'iam:AddUserToGroup', g.arn);
          if (d) add('iam:AddUserToGroup', [...prefix, 'iam:AddUserToGroup'], g.arn, [d, unboundedVia]);
        }
      }
    }
    // Identity policies already grant admin and only the boundary holds them back.
    if (!boundaryPermitsAdmin && unboundedVia && probeAll({ identity: p.policies.identity }, ADMIN_PROBES).ok) {
      add(`iam:Delete${self}PermissionsBoundary`, [`iam:Delete${self}PermissionsBoundary`], p.arn, [unboundedVia]);
    }
    if (anyAllowed(p, 'iam:UpdateAssumeRolePolicy')) for (const r of adminRoles) {
      if (r.arn === p.arn) continue;
      const d = on(p, 'iam:UpdateAssumeRolePolicy', r.arn);
      if (d) add('iam:UpdateAssumeRolePolicy', ['iam:UpdateAssumeRolePolicy'], r.arn, [d]);
    }
    const takeover = ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].filter((a) => anyAllowed(p, a));
    if (takeover.length > 0) for (const u of adminUsers) {
      if (u.arn === p.arn) continue;
      for (const action of takeover) {
        const d = on(p, action, u.arn);
        if (d) add(action, [action], u.arn, [d]);
      }
    }
    if (steps.length > 0) direct.set(p.arn, steps);
  }

  // 5. Backward BFS from administrators and roles with a direct method, over assume and pass-to-compute edges.
  const best = new Map<string, Best>();
  const alternatives = new Map<string, { step: EscalationStep; next: string | undefined }[]>();
  const offer = (from: string, step: EscalationStep, next: string | undefined) => {
    let list = alternatives.get(from);
    if (!list) alternatives.set(from, (list = []));
    if (list.length < MAX_PATHS) list.push({ step, next });
  };
  for (const p of callers) {
    const steps = direct.get(p.arn);
    if (!steps) continue;
    const sorted = [...steps].sort((a, b) => (a.method === b.method ? (a.target < b.target ? -1 : 1) : a.method < b.method ? -1 : 1));
    best.set(p.arn, { first: sorted[0] as EscalationStep, next: undefined });
    for (const s of sorted) offer(p.arn, s, undefined);
  }
  const inClosure = (arn: string) => isAdmin(arn) || best.has(arn);
  let frontier = principals.roles.filter((r) => inClosure(r.arn)).map((r) => r.arn);
  const saturated = (arn: string) => best.has(arn) && (alternatives.get(arn)?.length ?? 0) >= MAX_PATHS;
  // Callers that could pass some role to some compute service (the candidates for pass edges).
  const passers = new Map<string, Principal[]>();
  const mayPass = callers.filter((c) => !isAdmin(c.arn) && anyAllowed(c, 'iam:PassRole'));
  for (const m of COMPUTE_METHODS) passers.set(m.id, mayPass.filter((c) => m.actions.every((a) => anyAllowed(c, a))));
  const passContext = new Map(COMPUTE_METHODS.map((m) => [m.id, normaliseContext({ 'iam:PassedToService': m.servicePrincipal })]));
  const computeKeys = new Map<string, readonly string[]>();
  const computeKeysOf = (c: Principal, m: ComputeMethod): readonly string[] => {
    const key = `${c.arn}|${m.id}`;
    let keys = computeKeys.get(key);
    if (!keys) computeKeys.set(key, (keys = m.actions.flatMap((a) => evaluate(c.policies, { action: a, resource: ANY_RESOURCE }).conditionKeys)));
    return keys;
  };
  const saturatedGroups = new Set<string>();
  const wideNonAdmin = new Map<string, Principal[]>([...wideCallers].map(([key, list]) => [key, list.filter((p) => !isAdmin(p.arn))]));
  // Passers already holding MAX_PATHS alternatives are dropped as the search goes on.
  for (const [id, list] of passers) passers.set(id, list.filter((c) => !saturated(c.arn)));
  for (let hop = 1; hop <= MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const roleArn of frontier) {
      const reached = (from: Principal, step: EscalationStep) => {
        if (isAdmin(from.arn) || from.arn === roleArn) return;
        offer(from.arn, step, roleArn);
        if (best.has(from.arn)) return;
        best.set(from.arn, { first: step, next: roleArn });
        if (from.kind === 'role') next.push(from.arn);
      };
      for (const edge of assumeIn.get(roleArn) ?? []) reached(principals.byArn.get(edge.from) as Principal, edge.step);
      for (const shared of sharedIn.get(roleArn) ?? []) {
        if (saturatedGroups.has(shared.key)) continue;
        const step: EscalationStep = { method: 'sts:AssumeRole', actions: ['sts:AssumeRole'], target: roleArn, conditionKeys: shared.keys };
        let all = true;
        for (const p of wideNonAdmin.get(shared.key) ?? []) {
          reached(p, step);
          if (!saturated(p.arn)) all = false;
        }
        if (all) saturatedGroups.add(shared.key);
      }
      const trust = trusts.get(roleArn) as CompiledTrust;
      for (const m of COMPUTE_METHODS) {
        if (!trustsService(trust, m.servicePrincipal)) continue;
        const list = passers.get(m.id) ?? [];
        // Saturated passers are dropped from the list as they are met (saturation only grows).
        let kept = 0;
        for (const c of list) {
          if (saturated(c.arn)) continue;
          list[kept++] = c;
          if (c.arn === roleArn) continue;
          const d = on(c, 'iam:PassRole', roleArn, passContext.get(m.id));
          if (!d) continue;
          const keys = sortedUnique([...d.conditionKeys, ...computeKeysOf(c, m)]);
          reached(c, { method: `iam:PassRole+${m.id}`, actions: ['iam:PassRole', ...m.actions], target: roleArn, conditionKeys: keys });
        }
        list.length = kept;
      }
    }
    frontier = sortedUnique(next);
  }

  // 6. Paths and facts.
  const describe = (from: string, first: EscalationStep, next: string | undefined): EscalationPath => {
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
      const b = cont === undefined || isAdmin(cont) || seen.has(cont) ? undefined : best.get(cont);
      if (cont === undefined || !b) {
        parts.push('administrator');
        return { method: step.method, actions: step.actions, via, target: step.target, conditionKeys: sortedUnique(keys), path: parts.join(' → ') };
      }
      seen.add(cont);
      via.push(cont);
      keys.push(...b.first.conditionKeys);
      step = b.first;
      cont = b.next;
    }
  };

  const facts = new Map<string, PrincipalFacts>();
  const iamActions = expandActionPattern('iam:*');
  const bySignature = new Map<string, { iamFull: boolean; data: string[] }>();
  for (const p of callers) {
    const a = admin.get(p.arn) as AdminResult;
    // Principals whose policies read the same (common: the same managed policies) share the answers.
    const signature = signatures.content(p.policies);
    let shared = bySignature.get(signature);
    if (!shared) {
      shared = {
        iamFull: a.admin !== false && probeAll(p.policies, iamActions).ok,
        data: DATA_READ_PROBES.filter((action) => mayBeAllowed(evaluate(p.policies, { action, resource: ALL_RESOURCES }))),
      };
      bySignature.set(signature, shared);
    }
    const iamFull = a.admin !== false && shared.iamFull;
    const data = shared.data;
    const paths = (alternatives.get(p.arn) ?? []).map((alt) => describe(p.arn, alt.step, alt.next));
    const explicitTargets = (assumeOut.get(p.arn) ?? []).map((e) => e.to);
    const sh = wideOf.get(p.arn);
    const assumable = sh ? mergeSorted(sh.sortedRoles, sh.roleSet, explicitTargets, p.arn, MAX_LISTED) : { list: sortedUnique(explicitTargets), count: new Set(explicitTargets).size };
    facts.set(p.arn, {
      adminEquivalent: a.admin,
      adminGrants: a.grants,
      adminConditions: a.conditions,
      iamFullAccess: iamFull ? (p.boundaryUnknown ? null : true) : p.unknown.length > 0 ? null : false,
      dataReadEverywhere: data,
      canBecomeAdmin: a.admin === true || paths.length > 0 ? true : p.unknown.length > 0 ? null : false,
      privilegeEscalation: paths,
      escalationSummary: paths[0]?.path ?? null,
      assumableRoles: assumable.list.slice(0, MAX_LISTED),
      assumableRoleCount: assumable.count,
    });
  }

  const roleFacts = new Map<string, RoleFacts>();
  for (const role of principals.roles) {
    const trust = trusts.get(role.arn) as CompiledTrust;
    let factsByAccount = trustFactsOf.get(trust);
    if (!factsByAccount) trustFactsOf.set(trust, (factsByAccount = new Map<string, TrustFacts>()));
    let t = factsByAccount.get(role.accountId);
    if (!t) factsByAccount.set(role.accountId, (t = trustFacts(trust, role.accountId)));
    const explicitBy = new Set((assumeIn.get(role.arn) ?? []).map((e) => e.from));
    const noMfaSet = new Set(withoutMfa.get(role.arn) ?? []);
    const firstBy: string[] = [...explicitBy];
    let count = explicitBy.size;
    for (const s of sharedIn.get(role.arn) ?? []) {
      const members = wideCallers.get(s.key) ?? [];
      // Groups partition the callers, so the count is the group's size less the members
      // already counted (explicit edges) or the role itself: no walk over a group that may
      // hold every principal of the account, for each of its roles.
      let excluded = 0;
      for (const arn of new Set([...explicitBy, role.arn])) if (wideKeyOf.get(arn) === s.key) excluded++;
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
    roleFacts.set(role.arn, {
      ...t,
      assumableBy: by.slice(0, MAX_LISTED),
      assumableByCount: count,
      assumableByUsersWithoutMfa: [...noMfaSet].sort().slice(0, MAX_LISTED),
      externallyAssumable: t.trustPublic || t.trustedAccounts.length > 0,
    });
  }
  const groupFacts = new Map<string, Pick<PrincipalFacts, 'adminEquivalent' | 'adminGrants' | 'adminConditions'>>();
  for (const g of principals.groups) {
    const a = admin.get(g.arn) as AdminResult;
    groupFacts.set(g.arn, { adminEquivalent: a.admin, adminGrants: a.grants, adminConditions: a.conditions });
  }
  return { principals, facts, roleFacts, groupFacts };
}

export type { ComputeMethod };
