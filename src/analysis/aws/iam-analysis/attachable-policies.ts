import { normaliseContext } from '../conditions.js';
import { ADMIN_PROBES } from '../escalation-methods.js';
import { homeOf } from '../resource-universe.js';
import { ALL_RESOURCES, conditionValues, type Decision, evaluate } from '../policy-evaluator.js';
import type { Principal, PrincipalIndex } from '../principals.js';
import { wildcardMatcher } from '../wildcard.js';
import type { IamMemo } from './iam-memo.js';

/**
 * Which administrator policy an iam:Attach{User,Role,Group}Policy step would attach, so
 * that an iam:PolicyARN condition is evaluated with the ARN of the attack (AWS: the key
 * holds the ARN of the managed policy being attached), not left unknown:
 *
 *   1. AdministratorAccess, the AWS-managed administrator policy every account can attach;
 *   2. a customer-managed policy of the caller's account that grants administration;
 *   3. a policy the caller can create (iam:CreatePolicy) at an ARN the condition admits;
 *   4. an existing policy of the account the condition admits, which the caller can
 *      rewrite (iam:CreatePolicyVersion) into an administrator policy first.
 *
 * The first that the attach allows outright wins, else the first that it may allow under
 * conditions; none: the step is not possible (a never-true condition drops the path).
 */

export interface AttachChoice {
  readonly policyArn: string;
  /** Actions needed before the attach (iam:CreatePolicy, iam:CreatePolicyVersion), in order. */
  readonly before: readonly string[];
  readonly decisions: readonly Decision[];
  readonly detail: string;
}

/** Managed policies that grant administration outright (every probe allowed, unconditionally), by ARN. */
export function adminPolicyArns(principals: PrincipalIndex): string[] {
  const out: string[] = [];
  for (const policy of principals.managedPolicies.values()) {
    // A customer-managed policy grants in its own account ("every resource" of IAM is that account's).
    const home = homeOf(policy.arn);
    const set = { identity: [policy.compiled], ...(home ? { home } : {}) };
    if (ADMIN_PROBES.every((action) => evaluate(set, { action, resource: ALL_RESOURCES }).decision === 'allowed')) out.push(policy.arn);
  }
  return out;
}

const partitionOf = (arn: string): string => arn.split(':')[1] ?? 'aws';

/** A concrete policy ARN in `accountId` that an ARN pattern admits (wildcards filled in). */
function instantiate(pattern: string, accountId: string): string | undefined {
  const parts = pattern.split(':');
  if (parts.length < 6 || !/^arn$/i.test(parts[0] ?? '')) return undefined;
  if (/[*?]/.test(parts[4] ?? '')) parts[4] = accountId;
  if (parts[4] !== accountId) return undefined;
  const arn = parts.join(':').replace(/\*/g, 'zt-escalation').replace(/\?/g, 'x');
  return wildcardMatcher(pattern)(arn) && /:policy\//.test(arn) ? arn : undefined;
}

const MAX_REVERSIONED = 20;

export function chooseAttach(memo: IamMemo, principals: PrincipalIndex, adminPolicies: readonly string[], p: Principal, action: string, target: string): AttachChoice | undefined {
  if (!memo.anyAllowed(p, action) || !memo.couldAllow(p, action, target)) return undefined;
  const admitted = conditionValues(p.policies, action, 'iam:policyarn');
  const candidates: { policyArn: string; before: string[]; prior: (Decision | undefined)[]; detail: string }[] = [];
  const awsAdmin = `arn:${partitionOf(p.arn)}:iam::aws:policy/AdministratorAccess`;
  candidates.push({ policyArn: awsAdmin, before: [], prior: [], detail: `attaching ${awsAdmin}` });
  for (const arn of adminPolicies) {
    const policy = principals.managedPolicies.get(arn);
    if (arn === awsAdmin || !policy || (policy.accountId !== null && policy.accountId !== p.accountId)) continue;
    candidates.push({ policyArn: arn, before: [], prior: [], detail: `attaching ${arn}, which grants administration` });
  }
  if (admitted.length > 0) {
    const matchers = admitted.map((v) => wildcardMatcher(v));
    if (memo.anyAllowed(p, 'iam:CreatePolicy')) {
      for (const pattern of admitted) {
        const arn = instantiate(pattern, p.accountId);
        if (!arn || principals.managedPolicies.has(arn)) continue;
        candidates.push({ policyArn: arn, before: ['iam:CreatePolicy'], prior: [memo.allowedOn(p, 'iam:CreatePolicy', arn)], detail: `creating and attaching ${arn}` });
      }
    }
    if (memo.anyAllowed(p, 'iam:CreatePolicyVersion')) {
      let n = 0;
      for (const policy of principals.managedPolicies.values()) {
        if (n >= MAX_REVERSIONED) break;
        if (policy.awsManaged || policy.accountId !== p.accountId || !matchers.some((m) => m(policy.arn))) continue;
        n++;
        candidates.push({
          policyArn: policy.arn,
          before: ['iam:CreatePolicyVersion'],
          prior: [memo.allowedOn(p, 'iam:CreatePolicyVersion', policy.arn)],
          detail: `rewriting ${policy.arn} into an administrator policy and attaching it`,
        });
      }
    }
  }
  let conditional: AttachChoice | undefined;
  for (const c of candidates) {
    if (c.prior.some((d) => d === undefined)) continue;
    const d = memo.allowedOn(p, action, target, normaliseContext({ 'iam:PolicyARN': c.policyArn }));
    if (!d) continue;
    const decisions = [...(c.prior as Decision[]), d];
    const choice: AttachChoice = { policyArn: c.policyArn, before: c.before, decisions, detail: c.detail };
    if (decisions.every((x) => x.decision === 'allowed')) return choice;
    conditional ??= choice;
  }
  return conditional;
}
