import { UnknownFact } from '../../../model/unknown-fact.js';
import type { GroupFacts, PrincipalFacts, RoleFacts } from '../iam-analysis.js';
import type { Principal } from '../principals.js';
import { type CompiledTrust, evaluateTrust } from '../trust.js';
import type { AssumeGraph } from './assume-graph.js';
import { type IamContext, MAX_HOPS } from './context.js';
import { shortArn as shortArnOf } from './describe-path.js';

/**
 * Step 7 — which derived facts the snapshot cannot decide because a policy document is
 * not in it (an attached managed policy, a group, a boundary the export left out).
 *
 * Missing data is never a pass: a "nothing found" answer (null, an empty list, zero, no
 * path) computed without a principal's whole policy set is unknown, so a rule reading it
 * is not evaluated. What was found despite the gap (administrator through a policy that
 * was read, a path, a non-empty list) stands: the missing document can only add to it.
 *
 * The gap reaches further than the principal itself:
 *  - whoever can assume a role whose own admin is unknown may become administrator
 *    through it (backwards over the assume edges, MAX_HOPS deep);
 *  - a role's "assumable by" lists may miss a principal with a missing document that its
 *    trust policy admits (that principal's sts:AssumeRole grant may be in the document).
 */

export type UnknownFields = Readonly<Record<string, UnknownFact>>;

const ESCALATION_FIELDS = ['canBecomeAdmin', 'privilegeEscalation', 'escalationSummary', 'escalationPath', 'computeEscalation', 'computeEscalationPath'] as const;
const OWN_FIELDS = ['adminEquivalent', 'adminGrants', 'adminConditions', 'adminSummary', 'iamFullAccess', 'dataReadEverywhere', 'assumeRoleAnywhere', 'assumableRoles', 'assumableRoleCount', ...ESCALATION_FIELDS] as const;
const ASSUMABLE_BY_FIELDS = ['assumableBy', 'assumableByCount', 'assumableByNonAdmins', 'assumableByNonAdminCount', 'assumableByUsersWithoutMfa'] as const;

/** The value answers "nothing found": the direction a missing document could change. */
const absent = (v: unknown): boolean => v === null || v === 0 || v === false || (Array.isArray(v) && v.length === 0);

const fact = (why: string): UnknownFact => new UnknownFact({ kind: 'aws.iam.policy', state: 'partial', reason: 'input_missing' }, why);

function missingOf(p: Principal): string {
  const list = p.unknown.map((u) => (u.startsWith('group ') || u.startsWith('boundary ') ? u : `managed policy ${u}`));
  return `${list.join(', ')} ${list.length === 1 ? 'is' : 'are'} not in the snapshot`;
}

function mark(out: Map<string, Record<string, UnknownFact>>, arn: string, record: object, fields: readonly string[], why: UnknownFact): void {
  let entry = out.get(arn);
  for (const field of fields) {
    if (!(field in record) || !absent((record as Record<string, unknown>)[field])) continue;
    if (!entry) out.set(arn, (entry = {}));
    entry[field] ??= why;
  }
}

export interface IamUnknowns {
  readonly principals: ReadonlyMap<string, UnknownFields>;
  readonly groups: ReadonlyMap<string, UnknownFields>;
}

export function findUnknowns(
  ctx: IamContext,
  graph: AssumeGraph,
  facts: ReadonlyMap<string, PrincipalFacts>,
  roleFacts: ReadonlyMap<string, RoleFacts>,
  groupFacts: ReadonlyMap<string, GroupFacts>,
): IamUnknowns {
  const principals = new Map<string, Record<string, UnknownFact>>();
  const groups = new Map<string, Record<string, UnknownFact>>();
  const gaps = ctx.principals.all.filter((p) => p.unknown.length > 0);
  if (gaps.length === 0) return { principals, groups };

  // The principal's own facts.
  for (const p of gaps) {
    const why = fact(`${missingOf(p)}: what ${shortArnOf(p.arn)} is allowed cannot be decided`);
    if (p.kind === 'group') mark(groups, p.arn, groupFacts.get(p.arn) ?? {}, OWN_FIELDS, why);
    else mark(principals, p.arn, facts.get(p.arn) ?? {}, OWN_FIELDS, why);
  }

  // Whoever can assume a role whose admin is unknown may become administrator through it.
  const callersOf = (roleArn: string): string[] => {
    const out = (graph.in.get(roleArn) ?? []).map((e) => e.from);
    for (const g of graph.groupsInto.get(roleArn) ?? []) for (const m of g.group.members) out.push(m.arn);
    return out;
  };
  let frontier = gaps.filter((p) => p.kind === 'role' && ctx.admin.of(p.arn).admin === null).map((p) => p.arn);
  const seen = new Set(frontier);
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const roleArn of frontier) {
      const why = fact(`can assume ${shortArnOf(roleArn)}, whose policies are not all in the snapshot: whether it leads to administrator cannot be decided`);
      for (const from of callersOf(roleArn)) {
        if (from === roleArn || facts.get(from)?.canBecomeAdmin !== false) continue;
        mark(principals, from, facts.get(from) ?? {}, ESCALATION_FIELDS, why);
        if (!seen.has(from) && ctx.principals.byArn.get(from)?.kind === 'role') {
          seen.add(from);
          next.push(from);
        }
      }
    }
    frontier = next;
  }

  // A role's "assumable by" lists may miss a principal whose sts:AssumeRole grant is in a missing document.
  const assumers = gaps.filter((p) => p.kind !== 'group');
  for (const role of ctx.principals.roles) {
    const record = roleFacts.get(role.arn);
    if (!record) continue;
    const trust = ctx.trusts.ofRole.get(role.arn) as CompiledTrust;
    const admitted = assumers.find((p) => p.arn !== role.arn && evaluateTrust(trust, ctx.memo.caller(p), 'sts:AssumeRole').result !== 0);
    if (!admitted) continue;
    const why = fact(`the trust policy admits ${shortArnOf(admitted.arn)}, and ${missingOf(admitted)}: whether it can assume the role cannot be decided`);
    mark(principals, role.arn, record, ASSUMABLE_BY_FIELDS, why);
  }
  return { principals, groups };
}
