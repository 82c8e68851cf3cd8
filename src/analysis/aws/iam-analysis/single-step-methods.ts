import type { Decision } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import type { EscalationStep } from '../iam-analysis.js';
import { normaliseContext } from '../conditions.js';
import { ADMIN_PROBES } from '../escalation-methods.js';
import { probeAll } from './admin.js';
import { adminPolicyArns, chooseAttach } from './attachable-policies.js';
import { type IamContext, sortedUnique } from './context.js';

/**
 * Step 4 — single-step escalation methods: one action (or a fixed pair) by which a
 * non-administrator user or role makes itself administrator, each checked with the
 * evaluator on the specific target ARN (the memo's "allowed anywhere at all" pre-check
 * first, so a caller without IAM grants answers in a few lookups).
 *
 * TO ADD A METHOD: write a `find` function below and list it in SINGLE_STEP_METHODS with
 * the actions it checks (the unit tests validate them against the catalogue; order in the
 * list matters only for ties, which the search breaks by method then target). Set
 * `selfModifying` when the method grows the caller's own permissions: it is then capped
 * by a permissions boundary like the others. Methods that let the caller *act as another
 * role* (assume, pass to compute) are hops of the search instead: hop-methods.ts; a new
 * compute service is one entry in COMPUTE_METHODS (../escalation-methods.ts).
 */

/** One caller as the methods see it. */
export interface Candidate {
  readonly p: Principal;
  /** `User` or `Role`: the caller's own resource type in IAM action names. */
  readonly self: 'User' | 'Role';
  /** The boundary (if any) permits administration, so editing one's own permissions can reach it. */
  readonly boundaryPermitsAdmin: boolean;
  /** When it does not: the decision that lets the caller delete its own boundary, if any. */
  readonly boundaryDeletable: Decision | undefined;
  /** When it does not: the decision that lets the caller replace its boundary with AdministratorAccess (iam:PermissionsBoundary set to it), if any. */
  readonly boundaryReplaceable: Decision | undefined;
  /** Managed policies of the snapshot that grant administration (what an attach step may attach). */
  readonly adminPolicies: readonly string[];
  /** Notes a method the snapshot cannot decide (missing data: never a "no"). */
  readonly undecided: (what: string) => void;
}

/** Records a step: method name, actions in order, target ARN, the decisions whose conditions it depends on, and what it uses. */
export type Found = (method: string, actions: string[], target: string, decisions: (Decision | undefined)[], detail?: string) => void;

export interface SingleStepMethod {
  /** For the reader; paths are named by the actions found. */
  readonly name: string;
  /** Every IAM action `find` may check, User and Role forms both (validated against the catalogue by the unit tests). */
  readonly actions: readonly string[];
  /**
   * Grows the caller's own permissions, which helps only up to its permissions boundary:
   * skipped unless the boundary permits admin or the caller may delete it, in which case
   * the deletion becomes the step's first action (and its conditions count).
   */
  readonly selfModifying: boolean;
  readonly find: (ctx: IamContext, c: Candidate, found: Found) => void;
}

/** Attach (an administrator policy, iam:PolicyARN set to it: attachable-policies.ts) or put (an inline policy the caller writes) on `target`. */
function attachOrPut({ memo, principals }: IamContext, { p, adminPolicies }: Candidate, found: Found, kind: 'User' | 'Role' | 'Group', target: string): void {
  const attach = `iam:Attach${kind}Policy`;
  const choice = chooseAttach(memo, principals, adminPolicies, p, attach, target);
  if (choice) found(attach, [...choice.before, attach], target, [...choice.decisions], choice.detail);
  const put = `iam:Put${kind}Policy`;
  const d = memo.allowedOn(p, put, target);
  if (d) found(put, [put], target, [d]);
}

/**
 * iam:Attach<Self>Policy / iam:Put<Self>Policy on itself. A group stands for any member:
 * the request names `user/*` of its account, which only a grant covering every user
 * (not one named member) matches.
 */
function attachOrPutOwnPolicy(ctx: IamContext, c: Candidate, found: Found): void {
  const target = c.p.kind === 'group' ? `${c.p.arn.slice(0, c.p.arn.indexOf(':group/'))}:user/*` : c.p.arn;
  attachOrPut(ctx, c, found, c.self, target);
}

/** iam:AttachGroupPolicy / iam:PutGroupPolicy on a group the user belongs to. */
function attachOrPutGroupPolicy(ctx: IamContext, c: Candidate, found: Found): void {
  for (const groupArn of c.p.groupArns) attachOrPut(ctx, c, found, 'Group', groupArn);
}

/** iam:CreatePolicyVersion on a customer-managed policy attached to the caller or its groups. */
function createPolicyVersion({ memo }: IamContext, { p }: Candidate, found: Found): void {
  for (const policyArn of p.customerPolicies) {
    const d = memo.allowedOn(p, 'iam:CreatePolicyVersion', policyArn);
    if (d) found('iam:CreatePolicyVersion', ['iam:CreatePolicyVersion'], policyArn, [d]);
  }
}

/**
 * iam:SetDefaultPolicyVersion on a customer-managed policy attached to the caller or its
 * groups, when one of its other versions would make the caller administrator (evaluated
 * with that version in place of the default, boundary and all). Versions not collected:
 * undecided, so the caller's canBecomeAdmin is unknown rather than false.
 */
function setDefaultPolicyVersion({ memo, principals }: IamContext, { p, undecided }: Candidate, found: Found): void {
  if (!memo.anyAllowed(p, 'iam:SetDefaultPolicyVersion')) return;
  for (const policyArn of p.customerPolicies) {
    const d = memo.allowedOn(p, 'iam:SetDefaultPolicyVersion', policyArn);
    if (!d) continue;
    const policy = principals.managedPolicies.get(policyArn);
    if (!policy?.otherVersions) {
      undecided(`whether another version of ${policyArn} grants administration (its versions were not collected)`);
      continue;
    }
    for (const version of policy.otherVersions) {
      // The relabelled copies of a policy (attached through a group) share its statements.
      const identity = p.policies.identity.map((c) => (c.statements === policy.compiled.statements ? version.compiled : c));
      if (probeAll({ ...p.policies, identity }, ADMIN_PROBES).ok) {
        found('iam:SetDefaultPolicyVersion', ['iam:SetDefaultPolicyVersion'], policyArn, [d], `making version ${version.versionId} the default`);
        break;
      }
    }
  }
}

/** iam:AddUserToGroup (users) into an administrator group it is not in yet. */
function addUserToAdminGroup({ memo, admin }: IamContext, { p }: Candidate, found: Found): void {
  if (p.kind === 'role' || !memo.anyAllowed(p, 'iam:AddUserToGroup')) return;
  for (const g of admin.groups) {
    // IAM actions change only the caller's own account.
    if (p.groupArns.includes(g.arn) || g.accountId !== p.accountId) continue;
    const d = memo.allowedOn(p, 'iam:AddUserToGroup', g.arn);
    if (d) found('iam:AddUserToGroup', ['iam:AddUserToGroup'], g.arn, [d]);
  }
}

/** iam:Delete<Self>PermissionsBoundary when the identity policies already grant admin and only the boundary holds them back. */
function deleteOwnBoundary(_ctx: IamContext, { p, self, boundaryPermitsAdmin, boundaryDeletable }: Candidate, found: Found): void {
  if (!boundaryPermitsAdmin && boundaryDeletable && probeAll({ identity: p.policies.identity }, ADMIN_PROBES).ok) {
    found(`iam:Delete${self}PermissionsBoundary`, [`iam:Delete${self}PermissionsBoundary`], p.arn, [boundaryDeletable]);
  }
}

/**
 * iam:Put<Self>PermissionsBoundary with AWS's AdministratorAccess as the new boundary
 * (iam:PermissionsBoundary is that policy's ARN in the request), when the identity
 * policies already grant admin and only the current boundary holds them back: a boundary
 * that allows everything is no boundary (IAM User Guide, permissions boundaries).
 */
function replaceOwnBoundary(_ctx: IamContext, { p, self, boundaryPermitsAdmin, boundaryReplaceable }: Candidate, found: Found): void {
  if (!boundaryPermitsAdmin && boundaryReplaceable && probeAll({ identity: p.policies.identity }, ADMIN_PROBES).ok) {
    found(`iam:Put${self}PermissionsBoundary`, [`iam:Put${self}PermissionsBoundary`], p.arn, [boundaryReplaceable], `boundary set to ${adminPolicyOf(p)}`);
  }
}

/** AWS's AdministratorAccess in the principal's partition. */
const adminPolicyOf = (p: Principal): string => `arn:${p.arn.split(':')[1] ?? 'aws'}:iam::aws:policy/AdministratorAccess`;

/** The decision to replace one's own boundary with AdministratorAccess, in that request's context. */
function replaceBoundaryDecision(ctx: IamContext, p: Principal, self: 'User' | 'Role'): Decision | undefined {
  return ctx.memo.allowedOn(p, `iam:Put${self}PermissionsBoundary`, p.arn, normaliseContext({ 'iam:PermissionsBoundary': adminPolicyOf(p) }));
}

/** iam:UpdateAssumeRolePolicy on an administrator role (trust oneself, then assume it). */
function updateAdminRoleTrust({ memo, admin }: IamContext, { p }: Candidate, found: Found): void {
  if (!memo.anyAllowed(p, 'iam:UpdateAssumeRolePolicy')) return;
  for (const r of admin.roles) {
    if (r.arn === p.arn || r.accountId !== p.accountId) continue;
    const d = memo.allowedOn(p, 'iam:UpdateAssumeRolePolicy', r.arn);
    if (d) found('iam:UpdateAssumeRolePolicy', ['iam:UpdateAssumeRolePolicy'], r.arn, [d]);
  }
}

/** Credentials for another administrator user: iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateLoginProfile. */
function takeOverAdminUser({ memo, admin }: IamContext, { p }: Candidate, found: Found): void {
  const takeover = ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].filter((a) => memo.anyAllowed(p, a));
  if (takeover.length === 0) return;
  for (const u of admin.users) {
    if (u.arn === p.arn || u.accountId !== p.accountId) continue;
    for (const action of takeover) {
      const d = memo.allowedOn(p, action, u.arn);
      if (d) found(action, [action], u.arn, [d]);
    }
  }
}

/** Every single-step method, in the order their steps are listed (before the search sorts them). */
export const SINGLE_STEP_METHODS: readonly SingleStepMethod[] = [
  {
    name: 'attach or put a policy on itself',
    actions: ['iam:AttachUserPolicy', 'iam:PutUserPolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
    selfModifying: true,
    find: attachOrPutOwnPolicy,
  },
  { name: 'attach or put a policy on its group', actions: ['iam:AttachGroupPolicy', 'iam:PutGroupPolicy'], selfModifying: true, find: attachOrPutGroupPolicy },
  { name: 'new default version of its customer-managed policy', actions: ['iam:CreatePolicyVersion'], selfModifying: true, find: createPolicyVersion },
  { name: 'make another version of its customer-managed policy the default', actions: ['iam:SetDefaultPolicyVersion'], selfModifying: true, find: setDefaultPolicyVersion },
  { name: 'join an administrator group', actions: ['iam:AddUserToGroup'], selfModifying: true, find: addUserToAdminGroup },
  {
    name: 'delete the boundary that holds back its admin policies',
    actions: ['iam:DeleteUserPermissionsBoundary', 'iam:DeleteRolePermissionsBoundary'],
    selfModifying: false,
    find: deleteOwnBoundary,
  },
  {
    name: 'replace the boundary that holds back its admin policies with AdministratorAccess',
    actions: ['iam:PutUserPermissionsBoundary', 'iam:PutRolePermissionsBoundary'],
    selfModifying: false,
    find: replaceOwnBoundary,
  },
  { name: 'trust itself on an administrator role', actions: ['iam:UpdateAssumeRolePolicy'], selfModifying: false, find: updateAdminRoleTrust },
  {
    name: 'take over an administrator user',
    actions: ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'],
    selfModifying: false,
    find: takeOverAdminUser,
  },
];

/** Caller ARN → its single-step methods, for every non-administrator caller that has one. */
/** Step 4's result: the single-step methods per caller, and what could not be decided per caller. */
export interface SingleSteps {
  readonly direct: ReadonlyMap<string, readonly EscalationStep[]>;
  readonly undecided: ReadonlyMap<string, readonly string[]>;
}

export function findSingleStepMethods(ctx: IamContext): SingleSteps {
  const { callers, admin, memo } = ctx;
  const direct = new Map<string, EscalationStep[]>();
  const undecided = new Map<string, string[]>();
  const adminPolicies = adminPolicyArns(ctx.principals);
  for (const p of callers) {
    // Non-administrators only; null (a document missing) is searched too.
    if (admin.isAdmin(p.arn)) continue;
    const self = p.kind === 'role' ? 'Role' : 'User';
    // Editing one's own permissions only helps up to the boundary, unless the boundary can be deleted.
    const boundaryPermitsAdmin = !p.policies.boundary || probeAll({ identity: [p.policies.boundary] }, ADMIN_PROBES).ok;
    const boundaryDeletable = boundaryPermitsAdmin ? undefined : memo.allowedOn(p, `iam:Delete${self}PermissionsBoundary`, p.arn);
    const boundaryReplaceable = boundaryPermitsAdmin || p.kind === 'group' ? undefined : replaceBoundaryDecision(ctx, p, self);
    const notes: string[] = [];
    const candidate: Candidate = { p, self, boundaryPermitsAdmin, boundaryDeletable, boundaryReplaceable, adminPolicies, undecided: (what) => notes.push(what) };
    // Deleting the boundary, else replacing it with AdministratorAccess, lifts the cap.
    const lift = boundaryDeletable ? `iam:Delete${self}PermissionsBoundary` : boundaryReplaceable ? `iam:Put${self}PermissionsBoundary` : undefined;
    const liftDecision = boundaryDeletable ?? boundaryReplaceable;
    const canGrowSelf = boundaryPermitsAdmin || lift !== undefined;
    const prefix = boundaryPermitsAdmin || !lift ? [] : [lift];

    const steps: EscalationStep[] = [];
    const add: Found = (method, actions, target, decisions, detail) =>
      steps.push({
        method,
        actions,
        target,
        conditionKeys: sortedUnique(decisions.flatMap((d) => d?.conditionKeys ?? [])),
        conditions: sortedUnique(decisions.flatMap((d) => d?.conditions ?? [])),
        ...(detail ? { detail } : {}),
      });
    // A self-modifying step starts with deleting the boundary when that is what lets it reach admin.
    const addSelf: Found = (method, actions, target, decisions, detail) => add(method, [...prefix, ...actions], target, [...decisions, liftDecision], detail);
    for (const m of SINGLE_STEP_METHODS) {
      if (m.selfModifying && !canGrowSelf) continue;
      m.find(ctx, candidate, m.selfModifying ? addSelf : add);
    }
    if (steps.length > 0) direct.set(p.arn, steps);
    if (notes.length > 0) undecided.set(p.arn, sortedUnique(notes));
  }
  return { direct, undecided };
}
