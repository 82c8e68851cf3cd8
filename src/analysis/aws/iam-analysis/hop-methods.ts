import { normaliseContext } from '../conditions.js';
import { COMPUTE_METHODS, EXISTING_COMPUTE_METHODS } from '../escalation-methods.js';
import type { Decision } from '../policy-evaluator.js';
import type { Principal } from '../principals.js';
import { type CompiledTrust, trustsService } from '../trust.js';
import type { EscalationStep } from '../iam-analysis.js';
import type { AssumeGraph } from './assume-graph.js';
import type { CallerGroup } from './caller-groups.js';
import { type IamContext, sortedUnique } from './context.js';

/**
 * Hops of the escalation search (step 5): ways a caller gets to act as a role. The search
 * walks backwards from roles that are, or can make themselves, administrators; for each
 * such role every hop method reports the callers that can act as it (`reached`).
 *
 * TO ADD A HOP: write a HopMethod and list it in HOP_METHODS (the order is the order in
 * which a role's callers are reached, which decides ties). A new compute service for
 * iam:PassRole is only an entry in COMPUTE_METHODS (../escalation-methods.ts).
 */

/** Reports that `from` can act as the role being expanded, by `step`. */
export type Reached = (from: Principal, step: EscalationStep) => void;

/** What a hop may ask of the search. */
export interface SearchState {
  /** The principal already holds MAX_PATHS alternatives: offering more changes nothing (saturation only grows). */
  saturated(arn: string): boolean;
}

export interface HopMethod {
  readonly name: string;
  /** Called once, after the single-step seeds; returns the hop for one role of the frontier. */
  readonly prepare: (ctx: IamContext, graph: AssumeGraph, search: SearchState) => (roleArn: string, reached: Reached) => void;
}

/** sts:AssumeRole over the explicit edges of the assume-role graph. */
const assumeRoleExplicit: HopMethod = {
  name: 'sts:AssumeRole (explicit edges)',
  prepare: ({ principals }, graph) => (roleArn, reached) => {
    for (const edge of graph.in.get(roleArn) ?? []) reached(principals.byArn.get(edge.from) as Principal, edge.step);
  },
};

/** sts:AssumeRole by every non-admin member of a caller group reaching the role; a group whose members are all saturated is skipped from then on. */
const assumeRoleAsGroup: HopMethod = {
  name: 'sts:AssumeRole (caller groups)',
  prepare: ({ admin }, graph, search) => {
    const nonAdmin = new Map<CallerGroup, Principal[]>([...graph.groups.values()].map((g) => [g, g.members.filter((p) => !admin.isAdmin(p.arn))]));
    const saturatedGroups = new Set<CallerGroup>();
    return (roleArn, reached) => {
      for (const shared of graph.groupsInto.get(roleArn) ?? []) {
        if (saturatedGroups.has(shared.group)) continue;
        const step: EscalationStep = { method: 'sts:AssumeRole', actions: ['sts:AssumeRole'], target: roleArn, conditionKeys: shared.keys, conditions: shared.conditions };
        let all = true;
        for (const p of nonAdmin.get(shared.group) ?? []) {
          reached(p, step);
          if (!search.saturated(p.arn)) all = false;
        }
        if (all) saturatedGroups.add(shared.group);
      }
    };
  },
};

/** The decisions of every action of a method for a caller (on the compute it creates or changes), or undefined when one cannot be allowed. */
function methodDecisions(memo: IamContext['memo'], c: Principal, actions: readonly string[]): Decision[] | undefined {
  const out: Decision[] = [];
  for (const a of actions) {
    const d = memo.stepDecision(c, a);
    if (!d) return undefined;
    out.push(d);
  }
  return out;
}

/** A service-linked role belongs to its service: it cannot be passed to compute, and customer compute does not run as it. */
function serviceLinked(principals: IamContext['principals'], roleArn: string): boolean {
  const resource = principals.byArn.get(roleArn)?.resource;
  return resource?.kind === 'aws.iam.role' && (resource.attributes as { serviceLinked?: boolean }).serviceLinked === true;
}

/** A caller able to use a method, with the method's own conditions for it (computed once, not per role). */
interface Able {
  readonly c: Principal;
  readonly decisions: readonly Decision[];
  readonly keys: readonly string[];
  readonly conditions: readonly string[];
}

function ableCallers(memo: IamContext['memo'], candidates: readonly Principal[], actions: readonly string[]): Able[] {
  const out: Able[] = [];
  for (const c of candidates) {
    const decisions = methodDecisions(memo, c, actions);
    if (!decisions) continue;
    const conditional = decisions.some((d) => d.conditionKeys.length > 0);
    out.push({
      c,
      decisions,
      keys: conditional ? sortedUnique(decisions.flatMap((d) => d.conditionKeys)) : [],
      conditions: conditional ? sortedUnique(decisions.flatMap((d) => d.conditions)) : [],
    });
  }
  return out;
}

/**
 * iam:PassRole of the role to a compute service it trusts, plus the service's actions
 * that start code running as it (COMPUTE_METHODS); iam:PassedToService is set in the
 * context, and the caller chooses the tags of what it creates. A role can be passed only
 * within its own account. Candidates are the non-admin callers that may pass some role
 * and hold every action of the method; saturated ones are dropped from the list as they
 * are met.
 */
const passRoleToCompute: HopMethod = {
  name: 'iam:PassRole + compute',
  prepare: ({ callers, admin, memo, trusts, principals }, _graph, search) => {
    const passers = new Map<string, Able[]>();
    const mayPass = callers.filter((c) => !admin.isAdmin(c.arn) && memo.anyAllowed(c, 'iam:PassRole') && !search.saturated(c.arn));
    for (const m of COMPUTE_METHODS) passers.set(m.id, ableCallers(memo, mayPass, m.actions));
    const passContext = new Map(COMPUTE_METHODS.map((m) => [m.id, normaliseContext({ 'iam:PassedToService': m.servicePrincipal })]));
    return (roleArn, reached) => {
      if (serviceLinked(principals, roleArn)) return;
      const trust = trusts.ofRole.get(roleArn) as CompiledTrust;
      const roleAccount = principals.byArn.get(roleArn)?.accountId;
      for (const m of COMPUTE_METHODS) {
        if (!trustsService(trust, m.servicePrincipal)) continue;
        const list = passers.get(m.id) ?? [];
        // Saturated passers are dropped from the list as they are met (saturation only grows).
        let kept = 0;
        const actions = ['iam:PassRole', ...m.actions];
        for (const able of list) {
          const c = able.c;
          if (search.saturated(c.arn)) continue;
          list[kept++] = able;
          if (c.arn === roleArn || c.accountId !== roleAccount) continue;
          const d = memo.allowedOn(c, 'iam:PassRole', roleArn, passContext.get(m.id));
          if (!d) continue;
          const plain = d.conditionKeys.length === 0;
          reached(c, {
            method: `iam:PassRole+${m.id}`,
            actions,
            target: roleArn,
            conditionKeys: plain ? able.keys : sortedUnique([...d.conditionKeys, ...able.keys]),
            conditions: plain ? able.conditions : sortedUnique([...d.conditions, ...able.conditions]),
          });
        }
        list.length = kept;
      }
    };
  },
};

/**
 * Changing compute that already runs as the role (EXISTING_COMPUTE_METHODS): no PassRole,
 * only the service's own actions. The snapshot has no compute, so every role of the
 * caller's account that trusts the service is taken to have some, and the step carries
 * that assumption. Candidates as for PassRole: non-admin callers holding every action.
 */
const modifyExistingCompute: HopMethod = {
  name: 'change existing compute',
  prepare: ({ callers, admin, memo, trusts, principals }, _graph, search) => {
    const changers = new Map<string, Able[]>();
    const nonAdmin = callers.filter((c) => !admin.isAdmin(c.arn) && !search.saturated(c.arn));
    for (const m of EXISTING_COMPUTE_METHODS) changers.set(m.id, ableCallers(memo, nonAdmin, m.actions));
    const assumptions = new Map(EXISTING_COMPUTE_METHODS.map((m) => [m.id, `${m.assumption} (compute is not collected: any role trusting ${m.servicePrincipal} is taken to have some)`]));
    return (roleArn, reached) => {
      if (serviceLinked(principals, roleArn)) return;
      const trust = trusts.ofRole.get(roleArn) as CompiledTrust;
      const roleAccount = principals.byArn.get(roleArn)?.accountId;
      for (const m of EXISTING_COMPUTE_METHODS) {
        if (!trustsService(trust, m.servicePrincipal)) continue;
        const list = changers.get(m.id) ?? [];
        let kept = 0;
        for (const able of list) {
          const c = able.c;
          if (search.saturated(c.arn)) continue;
          list[kept++] = able;
          // Compute runs as a role of its own account.
          if (c.arn === roleArn || c.accountId !== roleAccount) continue;
          reached(c, { method: m.id, actions: m.actions, target: roleArn, conditionKeys: able.keys, conditions: able.conditions, assumption: assumptions.get(m.id) });
        }
        list.length = kept;
      }
    };
  },
};

/** Every hop, in the order a role's callers are reached (ties: assuming a role, then new compute, then existing compute). */
export const HOP_METHODS: readonly HopMethod[] = [assumeRoleExplicit, assumeRoleAsGroup, passRoleToCompute, modifyExistingCompute];
