import type { Principal } from '../principals.js';
import type { EscalationStep } from '../iam-analysis.js';
import type { AssumeGraph } from './assume-graph.js';
import { type IamContext, MAX_HOPS, MAX_PATHS, sortedUnique } from './context.js';
import { HOP_METHODS, type Reached, type SearchState } from './hop-methods.js';

/**
 * Step 5 — the escalation search: a backward breadth-first search from the roles that are
 * administrators or have a single-step method (step 4), over the hops of hop-methods.ts,
 * at most MAX_HOPS deep.
 *
 * Per principal it keeps the first step of its shortest path (`best`, which describes the
 * whole path by following `next`) and up to MAX_PATHS alternative first steps, shortest
 * first. Single-step methods come first, sorted by method then target; hops follow in the
 * order they are found. Roles are expanded in ARN order per hop, so output is
 * deterministic. Linear in principals plus edges: a principal holding MAX_PATHS
 * alternatives is "saturated" and no longer offered any.
 */

/** A first step: `next` is the role continued from, undefined when the step itself yields admin. */
export interface FirstStep {
  readonly step: EscalationStep;
  readonly next: string | undefined;
}

export interface EscalationSearch {
  /** Principal ARN → the first step of its shortest path. */
  readonly best: ReadonlyMap<string, FirstStep>;
  /** Principal ARN → up to MAX_PATHS first steps, shortest first. */
  readonly alternatives: ReadonlyMap<string, readonly FirstStep[]>;
}

export function searchEscalation(ctx: IamContext, graph: AssumeGraph, direct: ReadonlyMap<string, readonly EscalationStep[]>): EscalationSearch {
  const { principals, callers, admin } = ctx;
  const best = new Map<string, FirstStep>();
  const alternatives = new Map<string, FirstStep[]>();
  const offer = (from: string, step: EscalationStep, next: string | undefined) => {
    let list = alternatives.get(from);
    if (!list) alternatives.set(from, (list = []));
    if (list.length < MAX_PATHS) list.push({ step, next });
  };

  // Seeds: the single-step methods, sorted by method then target.
  for (const p of callers) {
    const steps = direct.get(p.arn);
    if (!steps) continue;
    const sorted = [...steps].sort((a, b) => (a.method === b.method ? (a.target < b.target ? -1 : 1) : a.method < b.method ? -1 : 1));
    best.set(p.arn, { step: sorted[0] as EscalationStep, next: undefined });
    for (const s of sorted) offer(p.arn, s, undefined);
  }

  const state: SearchState = { saturated: (arn) => best.has(arn) && (alternatives.get(arn)?.length ?? 0) >= MAX_PATHS };
  const hops = HOP_METHODS.map((h) => h.prepare(ctx, graph, state));

  let frontier = principals.roles.filter((r) => admin.isAdmin(r.arn) || best.has(r.arn)).map((r) => r.arn);
  for (let hop = 1; hop <= MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const roleArn of frontier) {
      const reached: Reached = (from: Principal, step: EscalationStep) => {
        if (admin.isAdmin(from.arn) || from.arn === roleArn) return;
        offer(from.arn, step, roleArn);
        if (best.has(from.arn)) return;
        best.set(from.arn, { step, next: roleArn });
        if (from.kind === 'role') next.push(from.arn);
      };
      for (const expand of hops) expand(roleArn, reached);
    }
    frontier = sortedUnique(next);
  }
  return { best, alternatives };
}
