import type { OktaPeopleCondition, OktaPolicy, OktaPolicyRule } from './types.js';

// Okta's policy evaluation order, as the Policy API documents it: policies of one type are
// considered in policy priority order; a policy whose conditions the user does not meet is
// skipped; otherwise its rules are considered in rule priority order and the first rule
// whose conditions are all met applies; when none does, the next policy is considered.
// INACTIVE policies and rules never match. Authentication (ACCESS_POLICY) policies are
// picked by the app, not by conditions, so only their rule order matters.
//
// What follows decides which rules can ever apply (a rule behind an earlier one that
// always matches the same people in the same circumstances never does) and whom each rule
// reaches. "Never applies" must be certain: zt stops judging such a rule, so every
// approximation here errs towards "may apply".

/** Who a people condition admits: include lists (empty = everyone) minus the exclude lists. */
interface People {
  readonly everyone: boolean;
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly excludedUsers: ReadonlySet<string>;
  readonly excludedGroups: ReadonlySet<string>;
}

function peopleOf(condition: OktaPeopleCondition | null | undefined, everyoneId: string | undefined): People {
  const users = new Set(condition?.users?.include ?? []);
  const groups = new Set(condition?.groups?.include ?? []);
  const everyone = (users.size === 0 && groups.size === 0) || (everyoneId !== undefined && groups.has(everyoneId));
  return {
    everyone,
    users: everyone ? new Set() : users,
    groups: everyone ? new Set() : groups,
    excludedUsers: new Set(condition?.users?.exclude ?? []),
    excludedGroups: new Set(condition?.groups?.exclude ?? []),
  };
}

const subset = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].every((x) => b.has(x));

/**
 * Whether everyone admitted by all of `conditions` is admitted by `a` whatever the group
 * memberships are: `a` includes everyone or one condition's include lists, and each of
 * `a`'s exclusions is excluded by one of `conditions` too.
 */
function admitsAllOf(a: People, conditions: readonly People[]): boolean {
  const included = a.everyone || conditions.some((c) => !c.everyone && subset(c.users, a.users) && subset(c.groups, a.groups));
  if (!included) return false;
  const excludedUsers = new Set(conditions.flatMap((c) => [...c.excludedUsers]));
  const excludedGroups = new Set(conditions.flatMap((c) => [...c.excludedGroups]));
  return subset(a.excludedUsers, excludedUsers) && subset(a.excludedGroups, excludedGroups);
}

/** Condition values that admit every request (the API's explicit "any"). */
function admitsEverything(name: string, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).filter((k) => v[k] !== null && v[k] !== undefined && !(Array.isArray(v[k]) && (v[k] as unknown[]).length === 0));
  if (keys.length === 0) return true;
  if (keys.length !== 1) return false;
  const only = v[keys[0]!];
  switch (name) {
    case 'network':
      return keys[0] === 'connection' && only === 'ANYWHERE';
    case 'riskScore':
    case 'risk':
      return keys[0] === 'level' && only === 'ANY';
    case 'authContext':
      return keys[0] === 'authType' && only === 'ANY';
    case 'identityProvider':
      return keys[0] === 'provider' && only === 'ANY';
    default:
      return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The circumstances a policy's or rule's conditions need besides who the user is (network
 * zone, device, platform, risk, auth provider, …), as one comparable key; '' when they need
 * none. Two with the same key match in exactly the same circumstances.
 */
function circumstancesOf(conditions: Readonly<Record<string, unknown>> | null | undefined): string {
  const all = conditions ?? {};
  const needed = Object.keys(all)
    .filter((name) => name !== 'people' && !admitsEverything(name, all[name]))
    .sort();
  return needed.length === 0 ? '' : canonical(Object.fromEntries(needed.map((name) => [name, all[name]])));
}

/** A step's circumstances: its policy's (an auth provider, say) and its rule's, together. */
function stepCircumstances(policy: OktaPolicy, rule: OktaPolicyRule): string {
  const own = circumstancesOf(policy.conditions);
  const ruleOwn = circumstancesOf(rule.conditions);
  return own === '' && ruleOwn === '' ? '' : canonical({ policy: own, rule: ruleOwn });
}

const isActive = (status: string | undefined): boolean => (status ?? 'ACTIVE') === 'ACTIVE';

/** Lower priority first; the API's order breaks ties (Array.prototype.sort is stable). */
const byPriority = <T extends { priority?: number }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER));

/** Rules of a policy, as the API returns them or embeds them. */
export const rulesOf = (policy: OktaPolicy): OktaPolicyRule[] => policy.rules ?? policy._embedded?.rules ?? [];

/** One ACTIVE rule in evaluation order, with what it takes to reach it. */
interface Step {
  readonly policy: OktaPolicy;
  readonly rule: OktaPolicyRule;
  /** The policy's people condition, then the rule's. */
  readonly people: readonly [People, People];
  readonly circumstances: string;
  readonly label: string;
}

/** Users and groups by id, to say whom a rule reaches; null when they were not read completely. */
export interface Directory {
  readonly everyoneId: string | undefined;
  readonly groupName: (id: string) => string;
  readonly userLogin: (id: string) => string;
  /** Users who can sign in (ACTIVE, RECOVERY, PASSWORD_EXPIRED), with their group ids. */
  readonly members: readonly { readonly id: string; readonly groups: ReadonlySet<string> }[] | null;
}

/** Where one ACTIVE rule stands in its policy type's evaluation order. */
export interface RuleStanding {
  /** The earlier rule ("Policy / Rule") that always applies first to everyone this rule admits; null when this rule can apply. */
  readonly shadowedBy: string | null;
  /** Whom the rule applies to, in words: its and its policy's people conditions, and how many users can reach it when known. */
  readonly audience: string;
  /** Users who can sign in and reach this rule in some circumstances; null when users or group members were not read. */
  readonly reachedUsers: number | null;
}

const label = (policy: OktaPolicy, rule: OktaPolicyRule): string => `${policy.name ?? policy.id} / ${rule.name ?? rule.id}`;

/**
 * The evaluation order of one policy type: for sign-on (global session) policies one
 * sequence across policies; for authentication policies one sequence per policy.
 */
function sequences(policies: readonly OktaPolicy[], acrossPolicies: boolean, everyoneId: string | undefined): Step[][] {
  const out: Step[][] = [];
  let current: Step[] = [];
  for (const policy of byPriority(policies.filter((p) => isActive(p.status)))) {
    if (!acrossPolicies) current = [];
    const policyPeople = peopleOf(policy.conditions?.people, everyoneId);
    for (const rule of byPriority(rulesOf(policy).filter((r) => isActive(r.status)))) {
      current.push({ policy, rule, people: [policyPeople, peopleOf(rule.conditions?.people, everyoneId)], circumstances: stepCircumstances(policy, rule), label: label(policy, rule) });
    }
    if (!acrossPolicies) out.push(current);
  }
  if (acrossPolicies) out.push(current);
  return out;
}

/** Whether `earlier` applies whenever `later` could: it admits everyone `later` admits, needing no circumstances `later` does not. */
function alwaysFirst(earlier: Step, later: Step): boolean {
  if (earlier.circumstances !== '' && earlier.circumstances !== later.circumstances) return false;
  return earlier.people.every((p) => admitsAllOf(p, later.people));
}

function admits(people: People, user: { readonly id: string; readonly groups: ReadonlySet<string> }, everyoneId: string | undefined): boolean {
  const inGroup = (g: string): boolean => user.groups.has(g) || g === everyoneId;
  if (people.excludedUsers.has(user.id) || [...people.excludedGroups].some(inGroup)) return false;
  return people.everyone || people.users.has(user.id) || [...people.groups].some(inGroup);
}

function describe(people: readonly People[], directory: Directory): string {
  const included = people.filter((p) => !p.everyone);
  const includeText = included.length === 0 ? 'everyone' : included.map((p) => [...[...p.groups].sort().map((g) => `group ${directory.groupName(g)}`), ...[...p.users].sort().map((u) => `user ${directory.userLogin(u)}`)].join(' or ')).join(' and ');
  const excluded = [
    ...[...new Set(people.flatMap((p) => [...p.excludedGroups]))].sort().map((g) => `group ${directory.groupName(g)}`),
    ...[...new Set(people.flatMap((p) => [...p.excludedUsers]))].sort().map((u) => `user ${directory.userLogin(u)}`),
  ];
  return excluded.length === 0 ? includeText : `${includeText} except ${excluded.join(', ')}`;
}

/**
 * Every ACTIVE rule of these policies (all of one type) → where it stands in Okta's
 * evaluation order. INACTIVE policies and rules are left out: they never apply.
 */
export function evaluationOrder(policies: readonly OktaPolicy[], acrossPolicies: boolean, directory: Directory): Map<string, RuleStanding> {
  const out = new Map<string, RuleStanding>();
  const { everyoneId, members } = directory;
  for (const steps of sequences(policies, acrossPolicies, everyoneId)) {
    // Users reaching each step: walk the order per user, as Okta does at sign-in. A rule
    // needing no circumstances ends the walk; one needing some may or may not match, so
    // the walk goes on, skipping later rules needing the very same circumstances.
    const reached = new Map<Step, number>();
    if (members) {
      for (const user of members) {
        const settled = new Set<string>();
        for (const step of steps) {
          if (!step.people.every((p) => admits(p, user, everyoneId))) continue;
          if (settled.has(step.circumstances)) continue;
          reached.set(step, (reached.get(step) ?? 0) + 1);
          if (step.circumstances === '') break;
          settled.add(step.circumstances);
        }
      }
    }
    steps.forEach((step, index) => {
      const shadow = steps.slice(0, index).find((earlier) => alwaysFirst(earlier, step));
      const count = members ? (reached.get(step) ?? 0) : null;
      const who = describe(step.people, directory);
      out.set(step.rule.id, {
        shadowedBy: shadow?.label ?? null,
        audience: count === null ? `${who} (users not counted: users or group members were not read)` : `${who} (${count} user${count === 1 ? '' : 's'} can reach it)`,
        reachedUsers: count,
      });
    });
  }
  return out;
}
