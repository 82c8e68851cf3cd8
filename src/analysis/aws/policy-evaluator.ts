import type { PolicyDocument } from '../../inventory/kinds/common.js';
import {
  type Context,
  type ContextInput,
  type ContextValues,
  compileCondition,
  type ConditionEntry,
  contextOf,
  describeCondition,
  evaluateConditions,
  FALSE,
  normaliseContext,
  type Situation,
  situatedContext,
  TRUE,
  type Tri,
  UNKNOWN,
} from './conditions.js';
import { conditionKeyKnown } from './iam-catalogue.js';
import { type GlobToken, globCovers, globIntersects, globTokens, ONE, STAR } from './glob-sets.js';
import { type Home, resourceUniverse, type Universe } from './resource-universe.js';
import { hasWildcard, isMatchAll, type Matcher, wildcardMatcher } from './wildcard.js';

/**
 * zt's own evaluator of AWS identity policies (no AGPL code): for one principal's
 * identity policies and permissions boundary, decide one request.
 *
 *   1. an explicit Deny (identity policies or boundary) that applies wins: `denied`;
 *   2. otherwise an identity policy must Allow and, when there is a boundary, the
 *      boundary must Allow too, else `implicitlyDenied`;
 *   3. when the outcome hinges on condition keys the context does not give, the answer
 *      is `conditional` with those keys.
 *
 *   4. with service control policies over the account (`PolicySet.scps`): an explicit
 *      Deny in any of them wins (`denied`), and each level of the hierarchy — the root,
 *      every OU down to the account, the account — must have an SCP that allows the
 *      request, else `implicitlyDenied` with the level that does not (`blockedBy`).
 *
 * Not modelled (see docs/aws-analysis.md): RCPs, resource-based policies (other
 * than role trust policies, handled by the trust analysis), session policies, VPC
 * endpoint policies, and the resource-type/ARN validity of a request.
 */

export type DecisionKind = 'allowed' | 'denied' | 'implicitlyDenied' | 'conditional';

export interface Decision {
  readonly decision: DecisionKind;
  /** Condition keys the decision depends on (empty unless `conditional`). */
  readonly conditionKeys: readonly string[];
  /** The exact conditions it depends on, readable (describeCondition): empty unless `conditional`. */
  readonly conditions: readonly string[];
  /** Labels of the identity policies with an Allow that applies (or may apply). */
  readonly allowedBy: readonly string[];
  /** Labels of the policies with a Deny that applies (or, when conditional, may apply). */
  readonly deniedBy: readonly string[];
  /**
   * The SCP levels (root, OU, account) where no attached SCP allows the request (or, when
   * conditional, may not): what keeps an identity Allow from counting. Empty otherwise.
   */
  readonly blockedBy?: readonly string[];
}

/**
 * Request resource: an ARN, `ALL_RESOURCES` ("every resource": an Allow must cover all
 * of them) or `ANY_RESOURCE` ("some resource": an Allow that names any of them counts).
 * "Every resource" is the action's universe for the principal (resource-universe.ts: the
 * ARN formats of its resource types, in the principal's partition, and for IAM its
 * account), so `arn:aws:*` or `arn:aws:iam::<own account>:*` cover it as `*` does. A Deny
 * counts for the two set forms only when it covers the whole universe: Deny statements
 * scoped to particular ARNs take only those resources away and leave "allowed on every
 * resource" standing (the questions about one ARN see them).
 */
export const ALL_RESOURCES = '*';
export const ANY_RESOURCE = '\u0000any';

export interface Request {
  /** A concrete action, e.g. `iam:PassRole` (case-insensitive). */
  readonly action: string;
  readonly resource: string;
  /** Request context; a key absent here is unknown unless the principal's context has it. */
  readonly context?: ContextInput | ContextValues;
  /** The attack step's situation: keys the caller chooses (tags it sets), keys with a few possible values. */
  readonly situation?: Situation;
}

// ---- compiled policies ----

interface PatternSet {
  /** Matches every value (a `*` entry). */
  readonly all: boolean;
  readonly patterns: readonly string[];
  readonly matchers: readonly Matcher[];
  /** Patterns with policy variables (`${aws:username}`), matched per request. */
  readonly templated: readonly string[];
}

export interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly sid: string | undefined;
  readonly index: number;
  readonly notAction: boolean;
  readonly actions: PatternSet;
  readonly notResource: boolean;
  /** `null` when the statement names neither Resource nor NotResource (never matches). */
  readonly resources: PatternSet | null;
  readonly conditions: readonly ConditionEntry[];
  /** The statement's content as JSON: equal text means equal behaviour (used to share work). */
  readonly key: string;
}

export interface CompiledPolicy {
  /** Shown in explanations, e.g. `group admins → managed policy AdministratorAccess`. */
  readonly label: string;
  readonly statements: readonly CompiledStatement[];
  /** Statements whose Action names one service prefix, by lower-case prefix. */
  readonly byService: ReadonlyMap<string, readonly CompiledStatement[]>;
  /** Statements that may match any service (`*`, `*:…`, wildcards in the prefix, NotAction). */
  readonly anyService: readonly CompiledStatement[];
  readonly hasDeny: boolean;
}

/** `variables`: the document's Version is 2012-10-17, the only one in which `${…}` is a policy variable (elsewhere it is literal text). */
function patternSet(patterns: readonly string[], ignoreCase: boolean, variables = false): PatternSet {
  const plain: string[] = [];
  const templated: string[] = [];
  let all = false;
  for (const p of patterns) {
    if (isMatchAll(p)) all = true;
    else if (variables && p.includes('${')) templated.push(p);
    else plain.push(p);
  }
  return { all, patterns, matchers: plain.map((p) => wildcardMatcher(p, ignoreCase)), templated };
}

function serviceOf(actionPattern: string): string | undefined {
  const colon = actionPattern.indexOf(':');
  if (colon <= 0) return undefined;
  const service = actionPattern.slice(0, colon).toLowerCase();
  return hasWildcard(service) ? undefined : service;
}

/** Compiles a normalised policy document once; evaluation then only matches. */
export function compilePolicy(document: PolicyDocument, label: string): CompiledPolicy {
  const statements: CompiledStatement[] = [];
  const byService = new Map<string, CompiledStatement[]>();
  const anyService: CompiledStatement[] = [];
  // IAM policy elements reference: policy variables exist only in Version 2012-10-17
  // documents; in 2008-10-17 or without a Version, `${aws:username}` is matched literally.
  const variables = document.Version === '2012-10-17';
  document.Statement.forEach((s, index) => {
    const notAction = s.Action === undefined && s.NotAction !== undefined;
    const actionList = (notAction ? s.NotAction : s.Action) ?? [];
    const notResource = s.Resource === undefined && s.NotResource !== undefined;
    const resourceList = notResource ? s.NotResource : s.Resource;
    const statement: CompiledStatement = {
      effect: s.Effect,
      sid: s.Sid,
      index,
      notAction,
      actions: patternSet(actionList, true),
      notResource,
      resources: resourceList ? patternSet(resourceList, false, variables) : null,
      conditions: compileCondition(s.Condition),
      key: JSON.stringify(s),
    };
    statements.push(statement);
    if (actionList.length === 0) return;
    const prefixes = notAction ? undefined : actionList.map(serviceOf);
    if (!prefixes || prefixes.some((p) => p === undefined)) {
      anyService.push(statement);
      return;
    }
    for (const prefix of new Set(prefixes as string[])) {
      let list = byService.get(prefix);
      if (!list) byService.set(prefix, (list = []));
      list.push(statement);
    }
  });
  return { label, statements, byService, anyService, hasDeny: statements.some((s) => s.effect === 'Deny') };
}

// ---- matching ----

export function matchesAction(statement: CompiledStatement, action: string): boolean {
  const set = statement.actions;
  const hit = set.all || set.matchers.some((m) => m(action));
  return statement.notAction ? !hit : hit;
}

/** `${aws:username}` → value from the context; `${*}`, `${?}`, `${$}` are literal. */
function substitute(pattern: string, context: Context, unknownKeys: string[]): string | undefined {
  let missing = false;
  const out = pattern.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return `\u0001${name}`;
    const [key, fallback] = name.split(/,\s*/, 2);
    const values = context.get((key ?? '').trim().toLowerCase());
    if (values && values.length === 1) return (values[0] as string).replace(/[*?]/g, '\u0002');
    if (values === null && fallback !== undefined) return fallback.replace(/^'|'$/g, '');
    missing = true;
    unknownKeys.push((key ?? '').trim());
    return '';
  });
  return missing ? undefined : out;
}

/** Matches a request resource against a set of patterns: TRUE, FALSE or UNKNOWN (variables). */
function matchPatternSet(set: PatternSet, resource: string, context: Context, unknownKeys: string[]): Tri {
  if (set.all) return TRUE;
  if (set.matchers.some((m) => m(resource))) return TRUE;
  let result: Tri = FALSE;
  for (const template of set.templated) {
    const keys: string[] = [];
    const concrete = substitute(template, context, keys);
    if (concrete === undefined) {
      result = UNKNOWN;
      unknownKeys.push(...keys);
      continue;
    }
    // Substituted values are literal: compare them with wildcards disabled.
    const literal = concrete.includes('\u0002') || concrete.includes('\u0001');
    const matcher = literal ? literalAwareMatcher(concrete) : wildcardMatcher(concrete);
    if (matcher(resource)) return TRUE;
  }
  return result;
}

function literalAwareMatcher(pattern: string): Matcher {
  const source = [...pattern]
    .map((ch, i, all) => {
      if (ch === '\u0002') return '[*?]';
      if (ch === '\u0001') return '';
      if (all[i - 1] === '\u0001') return `\\${ch}`;
      if (ch === '*') return '.*';
      if (ch === '?') return '.';
      return ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => regex.test(value);
}

function matchesResource(statement: CompiledStatement, resource: string, context: Context, unknownKeys: string[], universe: Universe | undefined): Tri {
  const set = statement.resources;
  if (!set) return FALSE;
  const setRequest = resource === ALL_RESOURCES || resource === ANY_RESOURCE;
  if (setRequest) {
    const some = statement.effect === 'Allow' && resource === ANY_RESOURCE;
    if (universe) return matchUniverse(set, statement.notResource, universe, some, context, unknownKeys);
    // No universe (an action outside the catalogue, or one without resource types): only `*` covers it.
    const coversSome = statement.notResource ? !set.all : true;
    const coversAll = statement.notResource ? false : set.all;
    if (some) return coversSome ? TRUE : FALSE;
    return coversAll ? TRUE : FALSE;
  }
  const hit = matchPatternSet(set, resource, context, unknownKeys);
  if (!statement.notResource) return hit;
  return hit === UNKNOWN ? UNKNOWN : hit === TRUE ? FALSE : TRUE;
}

interface SetAnswers {
  readonly tokens: readonly (readonly GlobToken[])[];
  /** By universe (universes are memoised objects), one answer per ARN format. */
  readonly covers: Map<Universe, (boolean | undefined)[]>;
  readonly intersects: Map<Universe, (boolean | undefined)[]>;
}
const setAnswers = new WeakMap<PatternSet, SetAnswers>();
/** Answers by pattern text: equal Resource lists in different policies (inline copies) share them. */
const answersByText = new Map<string, SetAnswers>();

function answersOf(set: PatternSet): SetAnswers {
  let a = setAnswers.get(set);
  if (!a) {
    const plain = set.patterns.filter((p) => !set.templated.includes(p));
    const text = plain.join('\u0000');
    a = answersByText.get(text);
    if (!a) {
      if (answersByText.size > 50_000) answersByText.clear();
      answersByText.set(text, (a = { tokens: plain.map(globTokens), covers: new Map(), intersects: new Map() }));
    }
    setAnswers.set(set, a);
  }
  return a;
}

/** Policy-variable patterns with the context's values: substituted values are literal text. Undefined entries: a key the context lacks. */
function resolvedTemplates(set: PatternSet, context: Context, unknownKeys: string[]): { tokens: GlobToken[][]; unresolved: boolean } {
  const tokens: GlobToken[][] = [];
  let unresolved = false;
  for (const template of set.templated) {
    const keys: string[] = [];
    const concrete = substitute(template, context, keys);
    if (concrete === undefined) {
      unresolved = true;
      unknownKeys.push(...keys);
      continue;
    }
    const out: GlobToken[] = [];
    const chars = [...concrete];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i] as string;
      if (ch === '\u0001') out.push(chars[++i] ?? '');
      else if (ch === '\u0002') out.push('*');
      else out.push(ch === '*' ? STAR : ch === '?' ? ONE : ch);
    }
    tokens.push(out);
  }
  return { tokens, unresolved };
}

/**
 * A Resource/NotResource element against an action's universe: `some` asks whether it
 * names at least one resource of it, otherwise whether it names all of them.
 * Resource covers U when U ⊆ ∪patterns; NotResource covers U when U ∩ ∪patterns = ∅.
 */
function matchUniverse(set: PatternSet, notResource: boolean, universe: Universe, some: boolean, context: Context, unknownKeys: string[]): Tri {
  if (set.all) return notResource ? FALSE : TRUE;
  const answers = answersOf(set);
  const extra = set.templated.length > 0 ? resolvedTemplates(set, context, unknownKeys) : { tokens: [], unresolved: false };
  const patterns = extra.tokens.length > 0 ? [...answers.tokens, ...extra.tokens] : answers.tokens;
  const memo = extra.tokens.length === 0;
  const answer = (cache: Map<Universe, (boolean | undefined)[]>, i: number, compute: (u: readonly GlobToken[]) => boolean): boolean => {
    if (!memo) return compute(universe.globs[i] as readonly GlobToken[]);
    let list = cache.get(universe);
    if (!list) cache.set(universe, (list = []));
    let v = list[i];
    if (v === undefined) list[i] = v = compute(universe.globs[i] as readonly GlobToken[]);
    return v;
  };
  const covers = (i: number): boolean => answer(answers.covers, i, (u) => globCovers(patterns, u));
  const intersects = (i: number): boolean => answer(answers.intersects, i, (u) => globIntersects(patterns, u));
  const indexes = universe.globs.map((_, i) => i);
  // With a policy variable the context lacks, a pattern is missing: the answer is undecided unless the rest already decides it.
  const undecided = extra.unresolved ? UNKNOWN : FALSE;
  if (!notResource) {
    if (some) return indexes.some(intersects) ? TRUE : undecided;
    return indexes.every(covers) ? TRUE : undecided;
  }
  // NotResource: the listed resources are exactly the ones left out.
  if (some) {
    if (indexes.every(covers)) return FALSE;
    return extra.unresolved ? UNKNOWN : TRUE;
  }
  if (indexes.some(intersects)) return FALSE;
  return extra.unresolved ? UNKNOWN : TRUE;
}

interface Tally {
  allow: Tri;
  deny: Tri;
  allowedBy: string[] | undefined;
  deniedBy: string[] | undefined;
  keys: string[] | undefined;
  denyKeys: string[] | undefined;
  conditions: string[] | undefined;
  denyConditions: string[] | undefined;
}

const knownKeys = new Map<string, boolean>();
/** Readable conditions of the undecided entries (and of policy variables the context lacks). */
function describeUndecided(effect: 'Allow' | 'Deny', entries: readonly ConditionEntry[], variableKeys: readonly string[]): string[] {
  const out = entries.map((e) => {
    let known = knownKeys.get(e.lowerKey);
    if (known === undefined) knownKeys.set(e.lowerKey, (known = conditionKeyKnown(e.key)));
    return describeCondition(e, effect, known);
  });
  for (const key of variableKeys) out.push(`${effect === 'Deny' ? 'unless ' : ''}policy variable \${${key}} in Resource`);
  return out;
}

function tallyPolicies(policies: readonly CompiledPolicy[], action: string, service: string, resource: string, context: Context, universe?: Universe): Tally {
  const tally: Tally = { allow: FALSE, deny: FALSE, allowedBy: undefined, deniedBy: undefined, keys: undefined, denyKeys: undefined, conditions: undefined, denyConditions: undefined };
  const keys: string[] = [];
  const entries: ConditionEntry[] = [];
  for (const policy of policies) {
    const scoped = policy.byService.get(service);
    for (let pass = 0; pass < 2; pass++) {
      const list = pass === 0 ? scoped : policy.anyService;
      if (!list) continue;
      for (const statement of list) {
        if (tally.deny === TRUE && statement.effect === 'Allow') continue;
        if (!matchesAction(statement, action)) continue;
        keys.length = 0;
        entries.length = 0;
        const r = matchesResource(statement, resource, context, keys, universe);
        if (r === FALSE) continue;
        const variableKeys = keys.length > 0 ? [...keys] : [];
        const c = statement.conditions.length === 0 ? TRUE : evaluateConditions(statement.conditions, context, keys, entries);
        if (c === FALSE) continue;
        const outcome: Tri = r === TRUE && c === TRUE ? TRUE : UNKNOWN;
        if (statement.effect === 'Deny') {
          if (outcome === TRUE) {
            if (tally.deny !== TRUE) tally.deniedBy = [];
            tally.deny = TRUE;
            tally.deniedBy = addLabel(tally.deniedBy, policy.label);
          } else if (tally.deny !== TRUE) {
            tally.deny = UNKNOWN;
            tally.deniedBy = addLabel(tally.deniedBy, policy.label);
            (tally.denyKeys ??= []).push(...keys);
            (tally.denyConditions ??= []).push(...describeUndecided('Deny', entries, variableKeys));
          }
        } else {
          if (outcome === TRUE) {
            tally.allow = TRUE;
          } else if (tally.allow !== TRUE) {
            tally.allow = UNKNOWN;
            (tally.keys ??= []).push(...keys);
            (tally.conditions ??= []).push(...describeUndecided('Allow', entries, variableKeys));
          }
          tally.allowedBy = addLabel(tally.allowedBy, policy.label);
        }
      }
    }
  }
  if (resource === ALL_RESOURCES && universe && tally.allow === FALSE && tally.deny !== TRUE) unionCoverage(tally, policies, action, service, universe);
  return tally;
}

/**
 * "Every resource" from several unconditional Allow statements together (`iam:*` on
 * `user/*` in one, on `role/*` in another): the union of their Resource patterns covers the
 * universe although none does alone.
 */
function unionCoverage(tally: Tally, policies: readonly CompiledPolicy[], action: string, service: string, universe: Universe): void {
  const patterns: (readonly GlobToken[])[] = [];
  const labels: string[] = [];
  for (const policy of policies) {
    for (const list of [policy.byService.get(service), policy.anyService]) {
      for (const st of list ?? []) {
        if (st.effect !== 'Allow' || st.notResource || !st.resources || st.conditions.length > 0 || !matchesAction(st, action)) continue;
        const plain = answersOf(st.resources).tokens;
        if (plain.length === 0) continue;
        patterns.push(...plain);
        if (!labels.includes(policy.label)) labels.push(policy.label);
      }
    }
  }
  if (patterns.length > 1 && universe.globs.every((u) => globCovers(patterns, u))) {
    tally.allow = TRUE;
    tally.allowedBy = labels;
  }
}

function addLabel(list: string[] | undefined, label: string): string[] {
  if (!list) return [label];
  if (!list.includes(label)) list.push(label);
  return list;
}

function uniqueKeys(keys: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const k of keys) if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
  return [...seen.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

/** What a principal's permissions are made of. Compile once, evaluate many requests. */
export interface PolicySet {
  readonly identity: readonly CompiledPolicy[];
  /** The permissions boundary; undefined/null when there is none. */
  readonly boundary?: CompiledPolicy | null;
  /** The principal's own context (aws:username, aws:PrincipalArn, …), under the request's. */
  readonly context?: ContextValues;
  /** The principal's situation: the as-of time, its possible MFA and token states (principals.ts). */
  readonly situation?: Situation;
  /**
   * The service control policies over the principal's account, one level each from the
   * organisation's root down through its OUs to the account (scp-hierarchy.ts). Absent when
   * none apply (no organisation known, SCPs not read or not enabled, the management
   * account, a service-linked role): nothing is then narrowed by SCPs.
   */
  readonly scps?: readonly ScpLevel[];
  /**
   * The principal's partition and account: what "every resource" of an action is for it
   * (resource-universe.ts). Absent: any partition and account.
   */
  readonly home?: Home;
}

/** One level of the SCP hierarchy: the SCPs attached to that root, OU or account. */
export interface ScpLevel {
  /** The level as a finding names it, e.g. `OU Workloads (ou-ab12-workloads)`. */
  readonly label: string;
  readonly policies: readonly CompiledPolicy[];
}

const EMPTY: readonly string[] = [];
const NO_CONTEXT: Context = { get: () => undefined };
const principalContexts = new WeakMap<PolicySet, Context>();

/** The principal's own context as a lookup, built once per policy set. */
function principalContext(policies: PolicySet): Context {
  const values = policies.context;
  if ((!values || values.size === 0) && !policies.situation) return NO_CONTEXT;
  let context = principalContexts.get(policies);
  if (!context) principalContexts.set(policies, (context = policies.situation ? situatedContext([values], [policies.situation]) : contextOf(values)));
  return context;
}

export function evaluate(policies: PolicySet, request: Request): Decision {
  const action = request.action.toLowerCase();
  const colon = action.indexOf(':');
  if (colon <= 0) throw new Error(`not an IAM action: ${request.action}`);
  const service = action.slice(0, colon);
  const requestContext =
    request.context === undefined ? undefined : request.context instanceof Map ? (request.context as ContextValues) : normaliseContext(request.context as ContextInput);
  const context =
    requestContext === undefined && request.situation === undefined
      ? principalContext(policies)
      : situatedContext([requestContext, policies.context], [request.situation, policies.situation]);

  const universe = request.resource === ALL_RESOURCES || request.resource === ANY_RESOURCE ? resourceUniverse(action, policies.home) : undefined;
  const identity = tallyPolicies(policies.identity, action, service, request.resource, context, universe);
  const boundary = policies.boundary ? tallyPolicies([policies.boundary], action, service, request.resource, context, universe) : undefined;
  // AWS's evaluation: an explicit Deny in any SCP wins; otherwise every level of the hierarchy
  // must have an attached SCP that allows the request, or it is implicitly denied.
  const scps = policies.scps?.map((level) => ({ level, tally: tallyPolicies(level.policies, action, service, request.resource, context, universe) }));

  const allowedBy = identity.allowedBy ? identity.allowedBy.sort() : EMPTY;
  const scpDenied = scps?.filter((s) => s.tally.deny === TRUE) ?? [];
  if (identity.deny === TRUE || boundary?.deny === TRUE || scpDenied.length > 0) {
    const deniedBy = [
      ...(identity.deny === TRUE ? (identity.deniedBy ?? []) : []),
      ...(boundary?.deny === TRUE ? (boundary.deniedBy ?? []).map((l) => `boundary ${l}`) : []),
      ...scpDenied.flatMap((s) => (s.tally.deniedBy ?? []).map((l) => `${l} at ${s.level.label}`)),
    ];
    return { decision: 'denied', conditionKeys: EMPTY, conditions: EMPTY, allowedBy, deniedBy: [...new Set(deniedBy)].sort() };
  }
  const scpBlocked = scps?.filter((s) => s.tally.allow === FALSE) ?? [];
  if (identity.allow === FALSE || (boundary && boundary.allow === FALSE) || scpBlocked.length > 0) {
    const blockedBy = identity.allow !== FALSE && boundary?.allow !== FALSE ? scpBlocked.map((s) => `no SCP at ${s.level.label} allows ${request.action}`) : EMPTY;
    return { decision: 'implicitlyDenied', conditionKeys: EMPTY, conditions: EMPTY, allowedBy, deniedBy: EMPTY, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
  }
  const keys: string[] = [];
  const conditions: string[] = [];
  const deniedBy: string[] = [];
  if (identity.allow === UNKNOWN) {
    keys.push(...(identity.keys ?? []));
    conditions.push(...(identity.conditions ?? []));
  }
  if (identity.deny === UNKNOWN) {
    keys.push(...(identity.denyKeys ?? []));
    conditions.push(...(identity.denyConditions ?? []));
    deniedBy.push(...(identity.deniedBy ?? []));
  }
  if (boundary?.allow === UNKNOWN) {
    keys.push(...(boundary.keys ?? []));
    conditions.push(...(boundary.conditions ?? []).map((c) => `boundary: ${c}`));
  }
  if (boundary?.deny === UNKNOWN) {
    keys.push(...(boundary.denyKeys ?? []));
    conditions.push(...(boundary.denyConditions ?? []).map((c) => `boundary: ${c}`));
    deniedBy.push(...(boundary.deniedBy ?? []).map((l) => `boundary ${l}`));
  }
  const blockedBy: string[] = [];
  for (const { level, tally } of scps ?? []) {
    if (tally.allow === UNKNOWN) {
      keys.push(...(tally.keys ?? []));
      conditions.push(...(tally.conditions ?? []).map((c) => `SCP at ${level.label}: ${c}`));
      blockedBy.push(`no SCP at ${level.label} allows ${request.action} unless ${(tally.conditions ?? []).join('; ')}`);
    }
    if (tally.deny === UNKNOWN) {
      keys.push(...(tally.denyKeys ?? []));
      conditions.push(...(tally.denyConditions ?? []).map((c) => `SCP at ${level.label}: ${c}`));
      deniedBy.push(...(tally.deniedBy ?? []).map((l) => `${l} at ${level.label}`));
    }
  }
  if (keys.length === 0) return { decision: 'allowed', conditionKeys: EMPTY, conditions: EMPTY, allowedBy, deniedBy: EMPTY };
  if (blockedBy.length > 0) return { decision: 'conditional', conditionKeys: uniqueKeys(keys), conditions: [...new Set(conditions)].sort(), allowedBy, deniedBy: [...new Set(deniedBy)].sort(), blockedBy };
  return { decision: 'conditional', conditionKeys: uniqueKeys(keys), conditions: [...new Set(conditions)].sort(), allowedBy, deniedBy: deniedBy.sort() };
}

/**
 * Resource patterns of the Allow statements that could grant `action`: `null` when none
 * could, `'any'` when one covers resources in a way a pattern list cannot express
 * (`*`, NotResource, policy variables), else the matchers. A request whose ARN matches
 * none of them is not allowed, whatever the conditions and Deny statements say.
 */
export function allowResourceFilter(policies: PolicySet, action: string): readonly Matcher[] | 'any' | null {
  const lower = action.toLowerCase();
  const service = lower.slice(0, lower.indexOf(':'));
  const collect = (list: readonly CompiledPolicy[]): Matcher[] | 'any' | null => {
    let out: Matcher[] | null = null;
    for (const policy of list) {
      for (const statements of [policy.byService.get(service), policy.anyService]) {
        for (const st of statements ?? []) {
          if (st.effect !== 'Allow' || !matchesAction(st, lower) || !st.resources) continue;
          if (st.notResource || st.resources.all || st.resources.templated.length > 0) return 'any';
          (out ??= []).push(...st.resources.matchers);
        }
      }
    }
    return out;
  };
  const identity = collect(policies.identity);
  // A level of SCPs without any Allow for the action blocks it on every resource.
  if (identity !== null && policies.scps?.some((level) => collect(level.policies) === null)) return null;
  if (identity === null || !policies.boundary) return identity;
  const boundary = collect([policies.boundary]);
  if (boundary === null) return null;
  if (identity === 'any') return boundary;
  return identity;
}

/** Allowed, or allowed under some value of the condition keys. */
export function mayBeAllowed(decision: Decision): boolean {
  return decision.decision === 'allowed' || decision.decision === 'conditional';
}

/** Convenience for tests and one-off questions: compile documents and evaluate one request. */
export function evaluateDocuments(
  identity: readonly PolicyDocument[],
  request: Request,
  options: { boundary?: PolicyDocument | null; context?: ContextInput; situation?: Situation; home?: Home; scps?: readonly { readonly label: string; readonly policies: readonly { readonly name: string; readonly document: PolicyDocument }[] }[] } = {},
): Decision {
  return evaluate(
    {
      identity: identity.map((d, i) => compilePolicy(d, `policy ${i + 1}`)),
      ...(options.scps ? { scps: options.scps.map((level) => ({ label: level.label, policies: level.policies.map((p) => compilePolicy(p.document, `SCP ${p.name}`)) })) } : {}),
      boundary: options.boundary ? compilePolicy(options.boundary, 'boundary') : null,
      context: normaliseContext(options.context),
      ...(options.situation ? { situation: options.situation } : {}),
      ...(options.home ? { home: options.home } : {}),
    },
    request,
  );
}

export { normaliseContext } from './conditions.js';
export type { ContextInput, ContextValues, KeyWorlds, Situation } from './conditions.js';
export type { Home } from './resource-universe.js';

/**
 * Values the Allow statements for `action` compare `key` with (lower-case key), across the
 * identity policies: the ARNs an iam:PolicyARN condition admits, for instance, so the
 * analysis can try the policies a caller could attach. Deduplicated, in policy order.
 */
export function conditionValues(policies: PolicySet, action: string, key: string): string[] {
  const lower = action.toLowerCase();
  const service = lower.slice(0, lower.indexOf(':'));
  const out = new Set<string>();
  for (const policy of policies.identity) {
    for (const statements of [policy.byService.get(service), policy.anyService]) {
      for (const st of statements ?? []) {
        if (st.effect !== 'Allow' || !matchesAction(st, lower)) continue;
        for (const entry of st.conditions) if (entry.lowerKey === key && !entry.negate) for (const v of entry.values) out.add(v);
      }
    }
  }
  return [...out];
}
