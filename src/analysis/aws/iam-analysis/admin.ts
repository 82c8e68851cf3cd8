import { ADMIN_PROBES } from '../escalation-methods.js';
import { ALL_RESOURCES, type Decision, evaluate, mayBeAllowed, type PolicySet } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import { type IamInputs, sortedUnique } from './context.js';

/**
 * Step 1 — administrator-equivalence of every principal, groups included
 * (iam:AddUserToGroup targets admin groups).
 *
 * A principal is admin when every ADMIN_PROBES action may be allowed on every resource
 * after Deny and boundary; conditions (e.g. MFA) do not make it less so, they are listed.
 * Unknown documents turn a "no" into null, and an unreadable boundary turns a "yes" into
 * null (it might narrow the grant away).
 */

export interface AdminResult {
  admin: boolean | null;
  grants: string[];
  conditions: string[];
  /**
   * The grant in words, with the exact conditions it holds under: `through managed policy
   * AdministratorAccess`, or `… [conditional: holds only with MFA (Bool aws:MultiFactorAuthPresent true)]`;
   * null when the principal is not (or not known to be) administrator.
   */
  summary: string | null;
  /** What the principal's own policies make admin but the SCPs over its account stop: each SCP (or level without an Allow) that does. */
  blockedByScp: string[];
}

/** Every action may be allowed on every resource; the decisions of those that may (stops at the first that may not). */
export function probeAll(set: PolicySet, actions: readonly string[]): { ok: boolean; decisions: Decision[]; refused?: Decision } {
  const decisions: Decision[] = [];
  for (const action of actions) {
    const d = evaluate(set, { action, resource: ALL_RESOURCES });
    if (!mayBeAllowed(d)) return { ok: false, decisions, refused: d };
    decisions.push(d);
  }
  return { ok: true, decisions };
}

/** The SCPs that stop an admin the principal's own policies would grant: empty when none do (or none apply). */
function scpBlocks(p: Principal, refused: Decision | undefined): string[] {
  if (!p.policies.scps || !refused) return [];
  const { scps: _scps, ...own } = p.policies;
  if (!probeAll(own, ADMIN_PROBES).ok) return [];
  return sortedUnique([...refused.deniedBy.filter((d) => d.startsWith('SCP ')), ...(refused.blockedBy ?? [])]);
}

/** Admin of a principal; equal for principals with the same labelled policies and the same unknowns. */
function adminOf(p: Principal): AdminResult {
  const { ok, decisions, refused } = probeAll(p.policies, ADMIN_PROBES);
  if (ok) {
    const conditions = sortedUnique(decisions.flatMap((d) => d.conditionKeys));
    const grants = sortedUnique(decisions.flatMap((d) => d.allowedBy));
    const exact = sortedUnique(decisions.flatMap((d) => d.conditions));
    // A boundary we could not read might narrow this away.
    const admin = p.boundaryUnknown ? null : true;
    const summary = admin ? `through ${grants.join(', ')}${exact.length > 0 ? ` [conditional: ${exact.join('; ')}]` : ' (unconditional)'}` : null;
    return { admin, grants, conditions, summary, blockedByScp: [] };
  }
  return { admin: p.unknown.length > 0 ? null : false, grants: [], conditions: [], summary: null, blockedByScp: scpBlocks(p, refused) };
}

/** The admin answers of one analysis, and the administrators by kind (escalation targets). */
export class Admins {
  /** Administrator users, roles and groups, each sorted by ARN. */
  readonly users: readonly Principal[];
  readonly roles: readonly Principal[];
  readonly groups: readonly Principal[];

  private readonly byArn: ReadonlyMap<string, AdminResult>;

  constructor(byArn: ReadonlyMap<string, AdminResult>, inputs: IamInputs) {
    this.byArn = byArn;
    this.users = inputs.principals.users.filter((u) => this.isAdmin(u.arn));
    this.roles = inputs.principals.roles.filter((r) => this.isAdmin(r.arn));
    this.groups = inputs.principals.groups.filter((g) => this.isAdmin(g.arn));
  }

  /** The admin answer of a principal of the snapshot. */
  of(arn: string): AdminResult {
    return this.byArn.get(arn) as AdminResult;
  }

  /** Certainly administrator (null, unknown, is not). */
  isAdmin(arn: string): boolean {
    return this.byArn.get(arn)?.admin === true;
  }
}

export function findAdmins(inputs: IamInputs): Admins {
  const byArn = new Map<string, AdminResult>();
  for (const p of inputs.principals.all) byArn.set(p.arn, inputs.memo.admin(p, adminOf));
  return new Admins(byArn, inputs);
}
