import type { PolicyDocument } from '../../inventory/kinds/common.js';
import {
  type ConditionEntry,
  compileCondition,
  contextOf,
  type ContextValues,
  describeCondition,
  evaluateConditions,
  FALSE,
  TRUE,
  type Tri,
  UNKNOWN,
} from './conditions.js';
import { wildcardMatcher } from './wildcard.js';

/**
 * Role trust policies (the resource policy of sts:AssumeRole*): who may assume a role,
 * under which conditions, and the posture facts rules test (public principal,
 * other accounts without an external id, OIDC federation without a pinned `sub`).
 */

export interface TrustStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notAction: boolean;
  readonly aws: readonly string[];
  readonly federated: readonly string[];
  readonly service: readonly string[];
  /** Any principal at all (`*` or `{"AWS":"*"}`). */
  readonly anyone: boolean;
  readonly notPrincipal: boolean;
  readonly conditions: readonly ConditionEntry[];
  readonly raw: PolicyDocument['Statement'][number];
}

export interface CompiledTrust {
  readonly statements: readonly TrustStatement[];
}

export function compileTrust(document: PolicyDocument): CompiledTrust {
  return {
    statements: document.Statement.map((s) => {
      const principal = s.Principal ?? s.NotPrincipal ?? {};
      const aws = principal.AWS ?? [];
      const federated = principal.Federated ?? [];
      const service = principal.Service ?? [];
      const anyone = Object.values(principal).some((list) => list.includes('*'));
      return {
        effect: s.Effect,
        actions: s.Action ?? s.NotAction ?? [],
        notAction: s.Action === undefined && s.NotAction !== undefined,
        aws,
        federated,
        service,
        anyone,
        notPrincipal: s.Principal === undefined && s.NotPrincipal !== undefined,
        conditions: compileCondition(s.Condition),
        raw: s,
      };
    }),
  };
}

function actionMatches(statement: TrustStatement, action: string): boolean {
  const hit = statement.actions.some((p) => wildcardMatcher(p, true)(action));
  return statement.notAction ? !hit : hit;
}

/** An IAM caller as trust policies see it. */
export interface Caller {
  readonly arn: string;
  readonly accountId: string;
  readonly kind: 'user' | 'role';
  readonly name: string;
  /** Any member of a group (the group's ARN and name are not the member's: left unknown). */
  readonly anyMember?: boolean;
  /** The caller's own context keys (built once per caller by `callerContext`). */
  context?: ContextValues;
}

export function callerContext(caller: Caller): ContextValues {
  caller.context ??= caller.anyMember
    ? new Map<string, readonly string[] | null>([
        ['aws:principalaccount', [caller.accountId]],
        ['aws:principaltype', ['User']],
      ])
    : new Map<string, readonly string[] | null>([
        ['aws:principalarn', [caller.arn]],
        ['aws:principalaccount', [caller.accountId]],
        ['aws:principaltype', [caller.kind === 'user' ? 'User' : 'AssumedRole']],
        ['aws:username', caller.kind === 'user' ? [caller.name] : null],
      ]);
  return caller.context;
}

const ACCOUNT_ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;
const ASSUMED_ROLE = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//;

/** How a trust `AWS` principal entry names a caller: 'named' (its ARN), 'account', or no match. */
export function awsPrincipalMatch(entry: string, caller: Caller): 'named' | 'account' | 'anyone' | undefined {
  if (entry === '*') return 'anyone';
  if (/^\d{12}$/.test(entry)) return entry === caller.accountId ? 'account' : undefined;
  const root = ACCOUNT_ROOT.exec(entry);
  if (root) return root[1] === caller.accountId ? 'account' : undefined;
  if (entry === caller.arn) return 'named';
  const assumed = ASSUMED_ROLE.exec(entry);
  if (assumed && caller.kind === 'role' && assumed[1] === caller.accountId && assumed[2] === caller.name) return 'named';
  return undefined;
}

export interface TrustDecision {
  readonly result: Tri;
  /** The caller is named by ARN (same account: no identity-policy Allow needed). */
  readonly named: boolean;
  readonly conditionKeys: readonly string[];
  /** The exact trust conditions it depends on, readable ("trust: …"). */
  readonly conditions: readonly string[];
}

const NO: TrustDecision = { result: FALSE, named: false, conditionKeys: [], conditions: [] };
const trustText = (effect: 'Allow' | 'Deny', entries: readonly ConditionEntry[]): string[] =>
  // Trust conditions name OIDC and SAML keys the catalogue does not list: no catalogue note.
  entries.map((e) => `trust: ${describeCondition(e, effect, true)}`);

/** Does the trust policy let `caller` call `action` (sts:AssumeRole) on the role? */
export function evaluateTrust(trust: CompiledTrust, caller: Caller, action: string, context?: ContextValues): TrustDecision {
  const ctx = contextOf(context, callerContext(caller));
  let allow: Tri = FALSE;
  let named = false;
  let deny: Tri = FALSE;
  const keys: string[] = [];
  const texts: string[] = [];
  for (const statement of trust.statements) {
    if (!actionMatches(statement, action)) continue;
    let match: ReturnType<typeof awsPrincipalMatch>;
    for (const entry of statement.aws) {
      const m = awsPrincipalMatch(entry, caller);
      if (m === 'named' || (m && match !== 'named')) match = m;
    }
    if (!match && statement.anyone) match = 'anyone';
    if (statement.notPrincipal) match = match ? undefined : 'anyone';
    if (!match) continue;
    const stmtKeys: string[] = [];
    const stmtEntries: ConditionEntry[] = [];
    const c = statement.conditions.length === 0 ? TRUE : evaluateConditions(statement.conditions, ctx, stmtKeys, stmtEntries);
    if (c === FALSE) continue;
    if (statement.effect === 'Deny') {
      if (c === TRUE) deny = TRUE;
      else if (deny !== TRUE) {
        deny = UNKNOWN;
        keys.push(...stmtKeys);
        texts.push(...trustText('Deny', stmtEntries));
      }
      continue;
    }
    if (c === TRUE) {
      if (allow !== TRUE || (match === 'named' && !named)) named = match === 'named';
      allow = TRUE;
    } else if (allow !== TRUE) {
      allow = UNKNOWN;
      named = named || match === 'named';
      keys.push(...stmtKeys);
      texts.push(...trustText('Allow', stmtEntries));
    }
  }
  if (deny === TRUE || allow === FALSE) return NO;
  const result: Tri = allow === TRUE && deny === FALSE ? TRUE : UNKNOWN;
  return { result, named, conditionKeys: result === UNKNOWN ? [...new Set(keys)].sort() : [], conditions: result === UNKNOWN ? [...new Set(texts)].sort() : [] };
}

// ---- posture facts ----

/**
 * Whether a condition value names known callers, per key. An exact operator (StringEquals)
 * admits at most the value it names. A pattern operator (StringLike, ArnLike, and ArnEquals,
 * which takes wildcards too) pins only when the part that identifies the caller has no
 * wildcard: `StringLike aws:PrincipalOrgID "*"`, `ArnLike aws:PrincipalArn
 * arn:aws:iam::*:role/deployer` or `StringLike sts:ExternalId "*"` admit anyone (IAM
 * condition operators and global condition keys reference).
 */
const WILDCARD = /[*?]/;
/** The account field of an ARN (arn:partition:service:region:account:resource). */
const arnAccount = (arn: string): string => arn.split(':')[4] ?? '';
const identifyingPart: Readonly<Record<string, (value: string) => string>> = {
  'aws:principalaccount': (v) => v,
  'aws:sourceaccount': (v) => v,
  'aws:principalorgid': (v) => v,
  'aws:sourceorgid': (v) => v,
  // Paths start with the organisation id (o-…/r-…/ou-…/); what follows may be a wildcard.
  'aws:principalorgpaths': (v) => v.split('/')[0] ?? '',
  'aws:sourceorgpaths': (v) => v.split('/')[0] ?? '',
  'aws:principalarn': arnAccount,
  'aws:sourcearn': arnAccount,
  'sts:externalid': (v) => v,
};
const pinningValue = (key: string, value: string, pattern: boolean): boolean => {
  const part = identifyingPart[key]?.(value);
  return part !== undefined && part !== '' && !(pattern && WILDCARD.test(part));
};

const PINNING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']);

/**
 * Does this condition entry admit only callers named by its values? Only a positive
 * operator that the caller cannot escape by leaving the key out (not …IfExists, not
 * ForAllValues, not negated, not Null) over a key and values that name known callers.
 * `ForAnyValue:` is how the multi-valued aws:PrincipalOrgPaths is tested.
 */
function pins(entry: ConditionEntry, keys?: ReadonlySet<string>): boolean {
  if (entry.unsupported || entry.ifExists || entry.negate || entry.set === 'all' || !PINNING_OPERATORS.has(entry.base)) return false;
  if (keys && !keys.has(entry.lowerKey)) return false;
  if (entry.values.length === 0) return false;
  const pattern = entry.base === 'stringlike' || entry.base === 'arnlike' || entry.base === 'arnequals';
  return entry.values.every((value) => pinningValue(entry.lowerKey, value, pattern));
}

/** The statement admits only callers some condition names (an account, organisation, source or exact external id). */
function pinsCallers(statement: TrustStatement, keys?: ReadonlySet<string>): boolean {
  return statement.conditions.some((entry) => pins(entry, keys));
}

/** The keys that prove a cross-account caller is expected: an exact external id, or the caller's organisation. */
const CROSS_ACCOUNT_KEYS: ReadonlySet<string> = new Set(['sts:externalid', 'aws:principalorgid', 'aws:principalorgpaths']);

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];

function assumeStatements(trust: CompiledTrust): TrustStatement[] {
  return trust.statements.filter((s) => s.effect === 'Allow' && ASSUME_ACTIONS.some((a) => actionMatches(s, a)));
}

/** Host of an OIDC provider ARN (`…:oidc-provider/token.actions.githubusercontent.com` → host). */
function oidcHost(federated: string): string | undefined {
  const m = /:oidc-provider\/(.+)$/.exec(federated);
  if (m) return m[1];
  if (federated.includes(':saml-provider/')) return undefined;
  // Web identity providers named by host: accounts.google.com, cognito-identity.amazonaws.com, graph.facebook.com.
  return /^[a-z0-9.-]+\.[a-z]{2,}(\/.*)?$/i.test(federated) ? federated : undefined;
}

/** Is the OIDC `sub` claim pinned: a positive string condition whose every value names one subject? */
function subPinned(statement: TrustStatement, host: string): boolean {
  // Cognito identity pools are pinned by the pool id in :aud (AWS's documented condition).
  const cognito = host.toLowerCase() === 'cognito-identity.amazonaws.com';
  const subKey = `${host.toLowerCase()}:${cognito ? 'aud' : 'sub'}`;
  const github = host.toLowerCase() === 'token.actions.githubusercontent.com';
  const entries = statement.conditions.filter(
    (c) => c.lowerKey === subKey && !c.ifExists && !c.negate && c.set === null && (c.base === 'stringequals' || c.base === 'stringlike'),
  );
  if (entries.length === 0) return false;
  return entries.every(
    (c) =>
      c.values.length > 0 &&
      c.values.every((v) => {
        if (c.base === 'stringequals' || !/[*?]/.test(v)) return v.trim() !== '';
        // GitHub: owner and repository exact; branch, tag or environment may be a wildcard.
        return github && /^repo:[^/:*?]+\/[^/:*?]+:.+$/.test(v);
      }),
  );
}

export interface TrustFacts {
  /** Some Allow admits any principal with no condition restricting the caller. */
  readonly trustPublic: boolean;
  /** Other AWS accounts (ids, or `*`) trusted by an Allow, sorted. */
  readonly trustedAccounts: readonly string[];
  /** Those of trustedAccounts whose statement requires neither an exact sts:ExternalId nor the caller's organisation (aws:PrincipalOrgID/OrgPaths). */
  readonly crossAccountWithoutExternalId: readonly string[];
  /** Federated principals (OIDC hosts, SAML provider ARNs) the role trusts. */
  readonly federatedProviders: readonly string[];
  /** OIDC hosts trusted without a pinned `<host>:sub` (missing, IfExists, or wildcarded). */
  readonly oidcSubjectUnpinned: readonly string[];
  /** Service principals (`lambda.amazonaws.com`) that may assume the role. */
  readonly trustedServices: readonly string[];
}

export function trustFacts(trust: CompiledTrust, ownAccount: string): TrustFacts {
  let trustPublic = false;
  const accounts = new Set<string>();
  const withoutExternalId = new Set<string>();
  const federated = new Set<string>();
  const unpinned = new Set<string>();
  const services = new Set<string>();
  for (const s of assumeStatements(trust)) {
    // A federated `*` with a pinned subject is restricted too (the subject names the caller).
    const restricted = pinsCallers(s) || s.federated.some((f) => f !== '*' && oidcHost(f) !== undefined && subPinned(s, oidcHost(f) as string));
    if (s.anyone && !restricted) trustPublic = true;
    for (const service of s.service) services.add(service);
    for (const entry of s.aws) {
      const id = entry === '*' ? '*' : /^\d{12}$/.test(entry) ? entry : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(entry)?.[1];
      if (!id || id === ownAccount) continue;
      accounts.add(id);
      if (!pinsCallers(s, CROSS_ACCOUNT_KEYS)) withoutExternalId.add(id);
    }
    for (const f of s.federated) {
      if (f === '*') continue;
      federated.add(f);
      const host = oidcHost(f);
      if (host && !subPinned(s, host)) unpinned.add(host);
    }
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    trustPublic,
    trustedAccounts: sorted(accounts),
    crossAccountWithoutExternalId: sorted(withoutExternalId),
    federatedProviders: sorted(federated),
    oidcSubjectUnpinned: sorted(unpinned),
    trustedServices: sorted(services),
  };
}

/** Which AWS principal entries of Allow sts:AssumeRole statements a role trusts (for indexing). */
export function trustedAwsEntries(trust: CompiledTrust): { named: string[]; accounts: string[]; anyone: boolean } {
  const named: string[] = [];
  const accounts: string[] = [];
  let anyone = false;
  for (const s of trust.statements) {
    if (s.effect !== 'Allow' || !actionMatches(s, 'sts:AssumeRole')) continue;
    if (s.notPrincipal || s.anyone) anyone = true;
    for (const entry of s.aws) {
      if (entry === '*') anyone = true;
      else if (/^\d{12}$/.test(entry)) accounts.push(entry);
      else {
        const root = ACCOUNT_ROOT.exec(entry);
        if (root) accounts.push(root[1] as string);
        else named.push(entry);
      }
    }
  }
  return { named, accounts, anyone };
}

/** Trust of a service principal (`lambda.amazonaws.com`) for sts:AssumeRole, conditions aside. */
export function trustsService(trust: CompiledTrust, service: string): boolean {
  return trust.statements.some((s) => s.effect === 'Allow' && (s.service.includes(service) || s.anyone) && actionMatches(s, 'sts:AssumeRole'));
}
