import { normaliseContext } from '../conditions.js';
import { COMPUTE_METHODS } from '../escalation-methods.js';
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
        const step: EscalationStep = { method: 'sts:AssumeRole', actions: ['sts:AssumeRole'], target: roleArn, conditionKeys: shared.keys };
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

/**
 * iam:PassRole of the role to a compute service it trusts, plus the service's actions
 * that start code running as it (COMPUTE_METHODS); iam:PassedToService is set in the
 * context. Candidates are the non-admin callers that may pass some role and hold every
 * action of the method somewhere; saturated ones are dropped from the list as they are met.
 */
const passRoleToCompute: HopMethod = {
  name: 'iam:PassRole + compute',
  prepare: ({ callers, admin, memo, trusts }, _graph, search) => {
    const passers = new Map<string, Principal[]>();
    const mayPass = callers.filter((c) => !admin.isAdmin(c.arn) && memo.anyAllowed(c, 'iam:PassRole'));
    for (const m of COMPUTE_METHODS) passers.set(m.id, mayPass.filter((c) => m.actions.every((a) => memo.anyAllowed(c, a))));
    const passContext = new Map(COMPUTE_METHODS.map((m) => [m.id, normaliseContext({ 'iam:PassedToService': m.servicePrincipal })]));
    for (const [id, list] of passers) passers.set(id, list.filter((c) => !search.saturated(c.arn)));
    return (roleArn, reached) => {
      const trust = trusts.ofRole.get(roleArn) as CompiledTrust;
      for (const m of COMPUTE_METHODS) {
        if (!trustsService(trust, m.servicePrincipal)) continue;
        const list = passers.get(m.id) ?? [];
        // Saturated passers are dropped from the list as they are met (saturation only grows).
        let kept = 0;
        for (const c of list) {
          if (search.saturated(c.arn)) continue;
          list[kept++] = c;
          if (c.arn === roleArn) continue;
          const d = memo.allowedOn(c, 'iam:PassRole', roleArn, passContext.get(m.id));
          if (!d) continue;
          const keys = sortedUnique([...d.conditionKeys, ...memo.computeConditionKeys(c, m)]);
          reached(c, { method: `iam:PassRole+${m.id}`, actions: ['iam:PassRole', ...m.actions], target: roleArn, conditionKeys: keys });
        }
        list.length = kept;
      }
    };
  },
};

/** Every hop, in the order a role's callers are reached. */
export const HOP_METHODS: readonly HopMethod[] = [assumeRoleExplicit, assumeRoleAsGroup, passRoleToCompute];
