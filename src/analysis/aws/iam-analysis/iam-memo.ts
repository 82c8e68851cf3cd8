import type { PolicyDocument } from '../../../inventory/kinds/common.js';
import { type ContextValues, type Situation, withResourceTags } from '../conditions.js';
import { takesRequestTags } from '../iam-catalogue.js';
import { allowResourceFilter, ANY_RESOURCE, type CompiledPolicy, type Decision, evaluate, mayBeAllowed, type PolicySet } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import { type Caller, type CompiledTrust, compileTrust, type TrustFacts, trustFacts } from '../trust.js';
import type { AdminResult } from './admin.js';

/**
 * Every cache of one IAM analysis, behind intention-revealing methods. One instance per
 * analysis (per inventory); nothing here outlives it.
 *
 * What makes the sharing sound: a principal's answers depend only on the text of its
 * identity policies and boundary, except where a policy variable or a principal condition
 * key (aws:username, aws:PrincipalArn, …) makes them depend on who asks — such principals
 * get a signature of their own. A new policy layer (SCPs, session policies, …) must be
 * added to the PolicySet *and* to `PolicySignatures.content`, or principals that differ
 * only in that layer would share answers.
 *
 * The memo owns the keys (what may share with what); the steps own the computations, and
 * pass them in where an answer is not a single evaluator call.
 */
export class IamMemo {
  private readonly signatures = new PolicySignatures();
  /** Admin answers by labelled signature and unknowns (step 1). */
  private readonly adminByKey = new Map<string, AdminResult>();
  /** Per content signature: "allowed on some resource" and Allow resource filters, by action. */
  private readonly permissionsBySignature = new Map<string, Permissions>();
  private readonly permissionsOfPrincipal = new Map<Principal, Permissions>();
  /** Trust policies by JSON text: roles often share one (a service's, the account's SSO one). */
  private readonly trustByText = new Map<string, CompiledTrust>();
  private readonly trustFactsByTrust = new Map<CompiledTrust, Map<string, TrustFacts>>();
  private readonly callers = new Map<string, Caller>();
  private readonly groupTrusts = new Map<string, GroupTrust>();
  private readonly situations = new Map<string, Situation | undefined>();
  private readonly readFactsBySignature = new Map<string, SharedReadFacts>();
  /** The tags of a user or role of the snapshot, by ARN (undefined: not one, or its tags unknown). */
  private readonly tagsOf: (arn: string) => Readonly<Record<string, string>> | undefined;
  private readonly tagLayers = new Map<string, ContextValues | undefined>();

  constructor(tagsOf: (arn: string) => Readonly<Record<string, string>> | undefined = () => undefined) {
    this.tagsOf = tagsOf;
  }

  /** Equal for principals whose identity policies and boundary read the same (and have no policy variables). */
  contentSignature(set: PolicySet): string {
    return this.signatures.content(set);
  }

  /**
   * Admin of `p`, computed once per labelled signature and unknowns: principals with the
   * same policies under the same labels, and the same missing documents, get the same
   * answer (grants name the policies, so labels are part of the key).
   */
  admin(p: Principal, compute: (p: Principal) => AdminResult): AdminResult {
    const key = `${this.signatures.labelled(p.policies)}\u0006${p.unknown.length > 0}\u0006${p.boundaryUnknown}`;
    let result = this.adminByKey.get(key);
    if (!result) this.adminByKey.set(key, (result = compute(p)));
    return result;
  }

  /** Is `action` allowed on some resource at all (any resource, conditions unknown)? Per content signature and action. */
  anyAllowed(p: Principal, action: string): boolean {
    const permissions = this.permissionsOf(p);
    const m = permissions.any;
    let v = m.get(action);
    if (v === undefined) {
      // No Allow statement that could name the service: no evaluation needed.
      const service = action.slice(0, action.indexOf(':')).toLowerCase();
      permissions.services ??= servicesAllowed(p.policies);
      v = (permissions.services === 'any' || permissions.services.has(service)) && mayBeAllowed(evaluate(p.policies, { action, resource: ANY_RESOURCE }));
      m.set(action, v);
    }
    return v;
  }

  /** Could an Allow for `action` match this ARN at all (cheap pattern pre-check)? */
  couldAllow(p: Principal, action: string, resource: string): boolean {
    const m = this.permissionsOf(p).filter;
    let f = m.get(action);
    if (f === undefined) m.set(action, (f = allowResourceFilter(p.policies, action)));
    return f === 'any' || (f !== null && f.some((matcher) => matcher(resource)));
  }

  /**
   * The decision for `action` on `resource` when it may be allowed, else undefined. The
   * two memoised pre-checks answer most "no"s before the evaluator runs.
   */
  allowedOn(p: Principal, action: string, resource: string, context?: ContextValues): Decision | undefined {
    if (!this.anyAllowed(p, action) || !this.couldAllow(p, action, resource)) return undefined;
    const situation = this.situationOf(action);
    const d = evaluate(p.policies, { action, resource, context: this.resourceContext(resource, context), ...(situation ? { situation } : {}) });
    return mayBeAllowed(d) ? d : undefined;
  }

  /**
   * The request context for a step on `resource`: when the resource is a user or role of
   * the snapshot, its tags decide aws:ResourceTag/… and iam:ResourceTag/… (a key it does
   * not carry is absent); for anything else those keys stay unknown.
   */
  resourceContext(resource: string, context?: ContextValues): ContextValues | undefined {
    if (context) {
      const tags = this.tagsOf(resource);
      return tags ? withResourceTags(context, tags) : context;
    }
    // The common case, no context of the step's own: one layer per resource.
    if (!this.tagLayers.has(resource)) {
      const tags = this.tagsOf(resource);
      this.tagLayers.set(resource, tags ? withResourceTags(undefined, tags) : undefined);
    }
    return this.tagLayers.get(resource);
  }

  /**
   * The attack step's situation for one action: a caller sets the tags of its own request,
   * so aws:RequestTag/… and aws:TagKeys are its choice for an action that takes them
   * (AWS's catalogue says which). Other keys keep the principal's situation.
   */
  situationOf(action: string): Situation | undefined {
    const key = action.toLowerCase();
    if (!this.situations.has(key)) this.situations.set(key, takesRequestTags(action) ? CALLER_TAGS : undefined);
    return this.situations.get(key);
  }

  /**
   * The decision for `action` on some resource of the caller's choosing (compute that runs
   * as a role: functions, instances, stacks…, which the snapshot does not hold), in the
   * step's situation; undefined when it cannot be allowed. Per content signature and action.
   */
  stepDecision(p: Principal, action: string): Decision | undefined {
    const m = this.permissionsOf(p).step;
    let d = m.get(action);
    if (d === undefined) {
      const situation = this.situationOf(action);
      const decision = this.anyAllowed(p, action) ? evaluate(p.policies, { action, resource: ANY_RESOURCE, ...(situation ? { situation } : {}) }) : undefined;
      m.set(action, (d = decision && mayBeAllowed(decision) ? decision : null));
    }
    return d ?? undefined;
  }

  /** A trust policy compiled once per distinct text. */
  compiledTrust(document: PolicyDocument): CompiledTrust {
    const text = JSON.stringify(document);
    let trust = this.trustByText.get(text);
    if (!trust) this.trustByText.set(text, (trust = compileTrust(document)));
    return trust;
  }

  /** Trust-policy facts, once per compiled trust and owning account. */
  trustFacts(trust: CompiledTrust, accountId: string): TrustFacts {
    let byAccount = this.trustFactsByTrust.get(trust);
    if (!byAccount) this.trustFactsByTrust.set(trust, (byAccount = new Map<string, TrustFacts>()));
    let facts = byAccount.get(accountId);
    if (!facts) byAccount.set(accountId, (facts = trustFacts(trust, accountId)));
    return facts;
  }

  /** The principal as trust policies see it (one object per principal: it carries its own context once built). */
  caller(p: Principal): Caller {
    let c = this.callers.get(p.arn);
    if (!c) this.callers.set(p.arn, (c = { arn: p.arn, accountId: p.accountId, kind: p.kind === 'role' ? 'role' : 'user', name: p.name, ...(p.kind === 'group' ? { anyMember: true } : {}) }));
    return c;
  }

  /** A role's trust outcome for "some caller of this account and kind" (named principals aside), once per role, account and kind. */
  groupTrust(roleArn: string, accountId: string, kind: 'user' | 'role', compute: (roleArn: string, accountId: string, kind: 'user' | 'role') => GroupTrust): GroupTrust {
    const key = `${roleArn}\u0000${accountId}\u0000${kind}`;
    let t = this.groupTrusts.get(key);
    if (!t) this.groupTrusts.set(key, (t = compute(roleArn, accountId, kind)));
    return t;
  }

  /** iamFullAccess / dataReadEverywhere inputs, shared by principals whose policies read the same (common: the same managed policies). */
  readFacts(p: Principal, compute: (p: Principal) => SharedReadFacts): SharedReadFacts {
    const signature = this.signatures.content(p.policies);
    let shared = this.readFactsBySignature.get(signature);
    if (!shared) this.readFactsBySignature.set(signature, (shared = compute(p)));
    return shared;
  }

  private permissionsOf(p: Principal): Permissions {
    let c = this.permissionsOfPrincipal.get(p);
    if (!c) {
      const signature = this.signatures.content(p.policies);
      c = this.permissionsBySignature.get(signature);
      if (!c) this.permissionsBySignature.set(signature, (c = { any: new Map(), filter: new Map(), step: new Map() }));
      this.permissionsOfPrincipal.set(p, c);
    }
    return c;
  }
}

/** Service prefixes an identity Allow statement names, or 'any' when one may match any service (wildcards, NotAction). */
function servicesAllowed(set: PolicySet): ReadonlySet<string> | 'any' {
  const out = new Set<string>();
  for (const policy of set.identity) {
    if (policy.anyService.some((s) => s.effect === 'Allow')) return 'any';
    for (const [service, statements] of policy.byService) if (statements.some((s) => s.effect === 'Allow')) out.add(service);
  }
  return out;
}

interface Permissions {
  readonly any: Map<string, boolean>;
  /** Services the identity policies allow something of (servicesAllowed), once computed. */
  services?: ReadonlySet<string> | 'any';
  /** stepDecision answers by action (null: cannot be allowed). */
  readonly step: Map<string, Decision | null>;
  readonly filter: Map<string, ReturnType<typeof allowResourceFilter>>;
}

/** Trust outcome for a generic caller of an account and kind: result (Tri), condition keys, and the no-MFA mask (users). */
export interface GroupTrust {
  readonly result: number;
  readonly keys: readonly string[];
  readonly conditions: readonly string[];
  readonly noMfa: number;
}

/** What principals with the same policy text share in their facts (the admin-dependent part is applied per principal). */
export interface SharedReadFacts {
  readonly iamFull: boolean;
  readonly data: string[];
  readonly assumeAnywhere: boolean;
}

/** Tags in the caller's own request are the caller's choice. */
const CALLER_TAGS: Situation = { chosen: ['aws:requesttag/', 'aws:tagkeys'], key: 'caller-tags' };

// Policy variables and principal condition keys make answers depend on who asks.
const PERSONAL_TEXT = /\$\{|aws:(username|userid|principalarn|principaltag|principaltype|principalaccount)/i;

/**
 * Short names for what decides a principal's answers, so principals that read the same
 * (common: the same managed policies) are evaluated once. Per analysis: each distinct
 * policy text gets a number.
 */
class PolicySignatures {
  private readonly ids = new Map<string, number>();
  private readonly texts = new WeakMap<CompiledPolicy, string>();
  private readonly info = new WeakMap<CompiledPolicy, { readonly id: number; readonly personal: boolean }>();
  private readonly bySet = new WeakMap<PolicySet, string>();

  private text(policy: CompiledPolicy): string {
    let key = this.texts.get(policy);
    if (key === undefined) this.texts.set(policy, (key = policy.statements.map((s) => s.key).join('\n')));
    return key;
  }

  private of(policy: CompiledPolicy): { readonly id: number; readonly personal: boolean } {
    let info = this.info.get(policy);
    if (!info) {
      const text = this.text(policy);
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
      // The SCPs over the account, level by level (their labels too: a finding names the level that blocks).
      const scps = (set.scps ?? []).map((level) => ({ label: level.label, policies: level.policies.map((policy) => this.of(policy)) }));
      // Policy variables make answers depend on who asks: keep those principals apart.
      const personal =
        identity.some((i) => i.personal) || boundary?.personal || scps.some((l) => l.policies.some((p) => p.personal)) ? `|${set.context?.get('aws:principalarn')?.[0] ?? ''}` : '';
      const scpKey = scps.length > 0 ? `|scp:${scps.map((l) => `${l.label}=${l.policies.map((p) => p.id).sort((a, b) => a - b).join(',')}`).join(';')}` : '';
      // The situation (as-of time, kind) decides time, MFA and token conditions.
      // The partition and account decide what "every resource" is (resource-universe.ts).
      const home = set.home ? `|${set.home.partition}:${set.home.account}` : '';
      signature = `${identity.map((i) => i.id).sort((a, b) => a - b).join(',')}/${boundary ? boundary.id : ''}${personal}${scpKey}${home}|${set.situation?.key ?? ''}`;
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
