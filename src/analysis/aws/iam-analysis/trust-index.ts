import type { PolicyDocument } from '../../../inventory/kinds/common.js';
import { type CompiledTrust, trustedAwsEntries } from '../trust.js';
import { type IamInputs, pushTo } from './context.js';

/**
 * Step 2 — every role's trust policy, compiled (once per distinct text, see IamMemo), and
 * indexed by whom it admits: a named principal, an account, or anyone. The assume-role
 * graph (step 3) looks callers up here instead of testing every caller against every role.
 */

/** Condition keys that make a statement's outcome depend on who exactly the caller is (not only its account and kind). */
export const PRINCIPAL_KEYS = /^(aws:principalarn|aws:username|aws:userid|aws:principaltag\/|aws:sourceidentity|aws:federatedprovider)/;

export interface TrustIndex {
  /** Role ARN → its compiled trust policy. */
  readonly ofRole: ReadonlyMap<string, CompiledTrust>;
  /** Principal ARN, or `assumed:<account>:<role name>` for an assumed-role session ARN → roles whose trust names it. */
  readonly byNamed: ReadonlyMap<string, readonly string[]>;
  /** Account id → roles whose trust admits that account (root or id). */
  readonly byAccount: ReadonlyMap<string, readonly string[]>;
  /** Roles whose trust admits any AWS principal (`*`). */
  readonly anyone: readonly string[];
  readonly anyoneSet: ReadonlySet<string>;
  /** Roles whose trust has a principal-specific condition (PRINCIPAL_KEYS): never shared by a caller group. */
  readonly principalSpecific: ReadonlySet<string>;
}

export function indexTrusts({ principals, memo }: IamInputs): TrustIndex {
  const ofRole = new Map<string, CompiledTrust>();
  const byNamed = new Map<string, string[]>();
  const byAccount = new Map<string, string[]>();
  const anyone: string[] = [];
  for (const role of principals.roles) {
    // The schema's policy document is JSON-shaped; the evaluator's PolicyDocument is its parsed form.
    const trust = memo.compiledTrust(role.resource.attributes.trustPolicy as PolicyDocument);
    ofRole.set(role.arn, trust);
    const entries = trustedAwsEntries(trust);
    for (const n of entries.named) {
      const assumed = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(n);
      pushTo(byNamed, assumed ? `assumed:${assumed[1]}:${assumed[2]}` : n, role.arn);
    }
    for (const a of new Set(entries.accounts)) pushTo(byAccount, a, role.arn);
    if (entries.anyone) anyone.push(role.arn);
  }
  const principalSpecific = new Set<string>();
  for (const [roleArn, trust] of ofRole) {
    if (trust.statements.some((st) => st.conditions.some((c) => PRINCIPAL_KEYS.test(c.lowerKey)))) principalSpecific.add(roleArn);
  }
  return { ofRole, byNamed, byAccount, anyone, anyoneSet: new Set(anyone), principalSpecific };
}
