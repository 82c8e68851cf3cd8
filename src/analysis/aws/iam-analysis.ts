import type { InventoryIndex } from '../../inventory/index.js';
import type { TrustFacts } from './trust.js';
import { buildPrincipals } from './principals.js';
import { findAdmins } from './iam-analysis/admin.js';
import { buildAssumeGraph } from './iam-analysis/assume-graph.js';
import type { IamContext, IamInputs } from './iam-analysis/context.js';
import { groupFacts, principalFacts, roleFacts } from './iam-analysis/emit-facts.js';
import { searchEscalation } from './iam-analysis/escalation-search.js';
import { IamMemo } from './iam-analysis/iam-memo.js';
import { findSingleStepMethods } from './iam-analysis/single-step-methods.js';
import { indexTrusts } from './iam-analysis/trust-index.js';
import { scpBlockedEscalation } from './iam-analysis/scp-blocked.js';
import { findUnknowns, type UnknownFields } from './iam-analysis/unknown-facts.js';

/**
 * The AWS IAM analysis, computed once per inventory and shared by the per-kind
 * analysers: effective admin, privilege escalation (single step and through
 * sts:AssumeRole / iam:PassRole chains) and trust-policy facts.
 *
 * It runs as named steps over one context (iam-analysis/context.ts), each in its own file
 * under iam-analysis/, with every cache of the analysis in one IamMemo:
 *
 *   1. admin.ts                administrator-equivalence of every principal
 *   2. trust-index.ts          trust policies compiled and indexed by whom they admit
 *   3. assume-graph.ts         who can assume which role (caller-groups.ts: shared edges)
 *   4. single-step-methods.ts  one-step escalation per non-admin caller (SINGLE_STEP_METHODS)
 *   5. escalation-search.ts    backward BFS over the hops of hop-methods.ts (HOP_METHODS)
 *   6. emit-facts.ts           principal, role and group facts (describe-path.ts: paths)
 *   7. unknown-facts.ts        the facts a missing policy document leaves undecided
 *   8. scp-blocked.ts          escalation the SCPs stop, and which SCP (organisation read only)
 *
 * Cost: every policy compiles once; admin and method checks first ask "is the action
 * allowed on any resource at all" (statements are indexed by service prefix, so a
 * principal without IAM grants answers in a few lookups); the assume-role graph is
 * built once from trust-policy indexes (named principal, account, anyone) and
 * escalation is a backward BFS from the roles that are, or can directly make
 * themselves, administrators — linear in principals plus edges, never principal ×
 * principal × action.
 */

export { MAX_HOPS, MAX_PATHS } from './iam-analysis/context.js';
export { shortArn } from './iam-analysis/describe-path.js';

export interface EscalationStep {
  readonly method: string;
  readonly actions: readonly string[];
  readonly target: string;
  readonly conditionKeys: readonly string[];
  /** The exact conditions the step holds under, readable; empty when it is allowed outright. */
  readonly conditions: readonly string[];
  /** What the step uses besides its target, e.g. the policy it attaches. */
  readonly detail?: string;
  /** What the step assumes that the snapshot cannot show (compute that already runs as the role). */
  readonly assumption?: string;
}

/** One step of a path, structured (JSON and SARIF carry it as is). */
export interface PathStep {
  /** Who acts: the principal, then each role reached. */
  readonly principal: string;
  readonly method: string;
  readonly actions: readonly string[];
  readonly target: string;
  /** `conditional` when some condition of the step is undecided. */
  readonly outcome: 'allowed' | 'conditional';
  readonly conditions: readonly string[];
  readonly detail: string | null;
  readonly assumption: string | null;
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
  /** True when some step holds only under a condition (then `conditions` says which). */
  readonly conditional: boolean;
  /** The exact conditions of every step, readable. */
  readonly conditions: readonly string[];
  /** What the path assumes that the snapshot cannot show. */
  readonly assumptions: readonly string[];
  /** The path step by step, from the principal to administrator. */
  readonly steps: readonly PathStep[];
  /** One readable line: `user/bob → sts:AssumeRole role/deploy → iam:AttachRolePolicy on role/deploy → administrator`. */
  readonly path: string;
}

export interface EscalationFacts {
  canBecomeAdmin: boolean | null;
  /** Paths the principal's own policies allow but the SCPs stop, each naming the SCP that does. */
  escalationBlockedByScp: string[];
  privilegeEscalation: EscalationPath[];
  escalationSummary: string | null;
  escalationPath: EscalationPath | null;
  computeEscalation: string | null;
  computeEscalationPath: EscalationPath | null;
  escalationUndecided: string[];
}

export interface PrincipalFacts extends EscalationFacts {
  adminEquivalent: boolean | null;
  adminGrants: string[];
  adminConditions: string[];
  adminSummary: string | null;
  adminBlockedByScp: string[];
  iamFullAccess: boolean | null;
  dataReadEverywhere: string[];
  assumeRoleAnywhere: boolean | null;
  assumableRoles: string[];
  assumableRoleCount: number;
}

export interface GroupFacts extends EscalationFacts {
  adminEquivalent: boolean | null;
  adminGrants: string[];
  adminConditions: string[];
  adminSummary: string | null;
  adminBlockedByScp: string[];
  assumeRoleAnywhere: boolean | null;
  members: string[];
  memberCount: number;
}

export interface RoleFacts extends TrustFacts {
  assumableBy: string[];
  assumableByCount: number;
  assumableByUsersWithoutMfa: string[];
  assumableByNonAdmins: string[];
  assumableByNonAdminCount: number;
  externallyAssumable: boolean;
}

/**
 * What the IAM analysers hand on. It is cached for the inventory's lifetime (three analysers
 * read it), so it holds the facts alone: the principal index, its compiled policies and
 * the memos are left to the garbage collector once the facts are derived (~9 MB an
 * account of 1,000 roles, which a merged audit of many accounts otherwise kept to the end).
 */
export interface IamAnalysis {
  /** The roles, in inventory order. */
  readonly roles: readonly { readonly arn: string; readonly accountId: string }[];
  /** The organisation an account belongs to (undefined when unknown or outside any organisation read). */
  readonly organizationOf: (accountId: string) => string | undefined;
  readonly facts: ReadonlyMap<string, PrincipalFacts>;
  readonly roleFacts: ReadonlyMap<string, RoleFacts>;
  readonly groupFacts: ReadonlyMap<string, GroupFacts>;
  /** Users' and roles' facts a missing policy document leaves undecided (iam-analysis/unknown-facts.ts), by ARN. */
  readonly unknowns: ReadonlyMap<string, UnknownFields>;
  readonly groupUnknowns: ReadonlyMap<string, UnknownFields>;
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

/** Tags of the users and roles, which decide aws:ResourceTag/… when a step targets one of them. */
function tagsOf(principals: ReturnType<typeof buildPrincipals>): (arn: string) => Readonly<Record<string, string>> | undefined {
  return (arn) => {
    const p = principals.byArn.get(arn);
    if (!p || p.kind === 'group') return undefined;
    const tags = (p.resource.attributes as { tags?: Readonly<Record<string, string>> }).tags;
    return tags ?? undefined;
  };
}

function run(inventory: InventoryIndex): IamAnalysis {
  const principals = buildPrincipals(inventory);
  const inputs: IamInputs = { principals, callers: [...principals.users, ...principals.roles, ...principals.groups], memo: new IamMemo(tagsOf(principals)) };
  const ctx: IamContext = { ...inputs, admin: findAdmins(inputs), trusts: indexTrusts(inputs) };
  const graph = buildAssumeGraph(ctx);
  const single = findSingleStepMethods(ctx);
  const search = searchEscalation(ctx, graph, single.direct);
  const facts = principalFacts(ctx, graph, search, single.undecided);
  const roles = roleFacts(ctx, graph);
  const groups = groupFacts(ctx, search, single.undecided);
  const unknowns = findUnknowns(ctx, graph, facts, roles, groups);
  // Paths the SCPs stop, named with the SCP (organisation read only).
  const escalation = new Map<string, EscalationFacts>([...facts, ...groups]);
  const blocked = scpBlockedEscalation(ctx, escalation);
  for (const [arn, f] of escalation) f.escalationBlockedByScp = blocked.get(arn) ?? [];
  return {
    roles: principals.roles.map((role) => ({ arn: role.arn, accountId: role.accountId })),
    // The function itself (it closes over the SCP index only), not a closure over the principal index.
    organizationOf: principals.organizationOf,
    facts,
    roleFacts: roles,
    groupFacts: groups,
    unknowns: unknowns.principals,
    groupUnknowns: unknowns.groups,
  };
}

export type { ComputeMethod } from './escalation-methods.js';
