import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOktaExport } from '../../../src/collectors/okta/export.js';
import { mapOkta } from '../../../src/collectors/okta/map.js';
import { evaluationOrder, type Directory } from '../../../src/collectors/okta/policy-order.js';
import type { OktaPolicy, OktaPolicyRule, OktaRaw } from '../../../src/collectors/okta/types.js';
import { defaultConfig } from '../../../src/config/config.js';
import { exportDir } from './support.js';

// Okta's Policy API, "Policy evaluation": policies of a type are considered in policy
// priority order; a policy whose conditions the user does not meet is skipped; otherwise
// its rules are considered in rule priority order and the first rule whose conditions are
// all met applies; if none does, the next policy is considered. INACTIVE policies and
// rules are not evaluated. Each row restates one consequence.

const EVERYONE = '00gEveryone';
const ADMINS = '00gAdmins';
const CONTRACTORS = '00gContractors';

/** alice is an admin, bob a contractor, carol in neither; all can sign in. */
const directory: Directory = {
  everyoneId: EVERYONE,
  groupName: (id) => ({ [EVERYONE]: 'Everyone', [ADMINS]: 'Admins', [CONTRACTORS]: 'Contractors' })[id] ?? id,
  userLogin: (id) => `${id}@acme.example`,
  members: [
    { id: 'alice', groups: new Set([EVERYONE, ADMINS]) },
    { id: 'bob', groups: new Set([EVERYONE, CONTRACTORS]) },
    { id: 'carol', groups: new Set([EVERYONE]) },
  ],
};

type Conditions = NonNullable<OktaPolicyRule['conditions']>;
const rule = (id: string, priority: number, conditions: Conditions | null = null, status = 'ACTIVE'): OktaPolicyRule => ({ id, name: id, priority, status, conditions, actions: {} });
const policy = (id: string, priority: number, rules: OktaPolicyRule[], people: OktaPolicy['conditions'] = null, status = 'ACTIVE'): OktaPolicy => ({
  id,
  name: id,
  type: 'OKTA_SIGN_ON',
  priority,
  status,
  conditions: people,
  rules,
});
const groups = (include: string[], exclude: string[] = []) => ({ people: { groups: { include, exclude } } });
const zone = { network: { connection: 'ZONE', include: ['nzoCorp'] } } as unknown as Conditions;

interface Row {
  readonly name: string;
  readonly policies: OktaPolicy[];
  readonly across?: boolean;
  /** rule id → the rule that always precedes it (null: it can apply). */
  readonly shadowed: Record<string, string | null>;
  /** rule id → users reaching it. */
  readonly reached?: Record<string, number>;
}

const rows: Row[] = [
  {
    name: 'rules run in priority order, not in the order listed: an unconditioned priority-1 rule hides the catch-all listed before it',
    policies: [policy('P', 1, [rule('catchAll', 99), rule('twoFactor', 1)])],
    shadowed: { twoFactor: null, catchAll: 'P / twoFactor' },
    reached: { twoFactor: 3, catchAll: 0 },
  },
  {
    name: 'a rule for one group does not hide the catch-all: everyone else reaches it',
    policies: [policy('P', 1, [rule('admins', 1, groups([ADMINS])), rule('catchAll', 99)])],
    shadowed: { admins: null, catchAll: null },
    reached: { admins: 1, catchAll: 2 },
  },
  {
    name: 'an INACTIVE rule never matches, so it hides nothing and is not listed',
    policies: [policy('P', 1, [rule('old', 1, null, 'INACTIVE'), rule('catchAll', 99)])],
    shadowed: { catchAll: null },
    reached: { catchAll: 3 },
  },
  {
    name: 'a rule needing a network zone may not match: the next rule stays reachable for the same people',
    policies: [policy('P', 1, [rule('office', 1, zone), rule('catchAll', 99)])],
    shadowed: { office: null, catchAll: null },
    reached: { office: 3, catchAll: 3 },
  },
  {
    name: 'a later rule needing the same zone for a subset of the people is hidden',
    policies: [policy('P', 1, [rule('office', 1, zone), rule('officeAdmins', 2, { ...zone, ...groups([ADMINS]) }), rule('catchAll', 99)])],
    shadowed: { office: null, officeAdmins: 'P / office', catchAll: null },
    reached: { officeAdmins: 0 },
  },
  {
    name: 'explicit "any" values (network ANYWHERE, risk score ANY) are no conditions',
    policies: [policy('P', 1, [rule('anywhere', 1, { network: { connection: 'ANYWHERE' }, riskScore: { level: 'ANY' } }), rule('catchAll', 99)])],
    shadowed: { anywhere: null, catchAll: 'P / anywhere' },
  },
  {
    name: 'a risk level is a condition',
    policies: [policy('P', 1, [rule('risky', 1, { riskScore: { level: 'HIGH' } }), rule('catchAll', 99)])],
    shadowed: { risky: null, catchAll: null },
  },
  {
    name: 'an earlier rule that excludes someone leaves the catch-all reachable for them',
    policies: [policy('P', 1, [rule('allButContractors', 1, groups([EVERYONE], [CONTRACTORS])), rule('catchAll', 99)])],
    shadowed: { allButContractors: null, catchAll: null },
    reached: { allButContractors: 2, catchAll: 1 },
  },
  {
    name: 'an earlier rule for a group hides a later rule for the same group minus an exclusion',
    policies: [policy('P', 1, [rule('admins', 1, groups([ADMINS])), rule('adminsButContractors', 2, groups([ADMINS], [CONTRACTORS]))])],
    shadowed: { admins: null, adminsButContractors: 'P / admins' },
  },
  {
    name: 'an earlier rule for one group does not hide a later rule for that group and another',
    policies: [policy('P', 1, [rule('admins', 1, groups([ADMINS])), rule('adminsAndContractors', 2, groups([ADMINS, CONTRACTORS]))])],
    shadowed: { admins: null, adminsAndContractors: null },
    reached: { admins: 1, adminsAndContractors: 1 },
  },
  {
    name: 'global session policies: an earlier policy for everyone whose rule always matches hides every later policy',
    across: true,
    policies: [policy('Default Policy', 2, [rule('Default Rule', 99)]), policy('Everyone', 1, [rule('all', 1)], groups([EVERYONE]))],
    shadowed: { all: null, 'Default Rule': 'Everyone / all' },
    reached: { all: 3, 'Default Rule': 0 },
  },
  {
    name: 'global session policies: when no rule of a policy matches, the next policy is considered',
    across: true,
    policies: [policy('Office', 1, [rule('office', 1, zone)]), policy('Default Policy', 2, [rule('Default Rule', 99)])],
    shadowed: { office: null, 'Default Rule': null },
    reached: { office: 3, 'Default Rule': 3 },
  },
  {
    name: 'global session policies: a policy whose people condition the user does not meet is skipped',
    across: true,
    policies: [policy('Admins', 1, [rule('admins', 1)], groups([ADMINS])), policy('Default Policy', 2, [rule('Default Rule', 99)])],
    shadowed: { admins: null, 'Default Rule': null },
    reached: { admins: 1, 'Default Rule': 2 },
  },
  {
    name: 'global session policies: a policy with a condition besides people (an auth provider) may not match, so it hides no later policy',
    across: true,
    policies: [
      { ...policy('AD users', 1, [rule('ad', 1)]), conditions: { people: { groups: { include: [EVERYONE] } }, authProvider: { provider: 'ACTIVE_DIRECTORY' } } },
      policy('Default Policy', 2, [rule('Default Rule', 99)]),
    ],
    shadowed: { ad: null, 'Default Rule': null },
    reached: { ad: 3, 'Default Rule': 3 },
  },
  {
    name: 'global session policies: an INACTIVE policy is not evaluated',
    across: true,
    policies: [policy('Paused', 1, [rule('paused', 1)], null, 'INACTIVE'), policy('Default Policy', 2, [rule('Default Rule', 99)])],
    shadowed: { 'Default Rule': null },
    reached: { 'Default Rule': 3 },
  },
  {
    name: 'authentication policies are chosen by the app: one policy never hides another',
    across: false,
    policies: [policy('App A', 1, [rule('a', 1)]), policy('App B', 2, [rule('b', 1)])],
    shadowed: { a: null, b: null },
    reached: { a: 3, b: 3 },
  },
];

describe("Okta's policy evaluation order (restating the Policy API's documented order)", () => {
  for (const row of rows) {
    it(row.name, () => {
      const order = evaluationOrder(row.policies, row.across ?? false, directory);
      expect(Object.fromEntries([...order].map(([id, s]) => [id, s.shadowedBy]))).toEqual(row.shadowed);
      for (const [id, count] of Object.entries(row.reached ?? {})) expect(order.get(id)?.reachedUsers, id).toBe(count);
    });
  }

  it('says whom a rule reaches in words, and that users were not counted when membership is unknown', () => {
    const policies = [policy('P', 1, [rule('contractors', 1, { people: { groups: { include: [CONTRACTORS] }, users: { include: ['carol'], exclude: ['bob'] } } })])];
    expect(evaluationOrder(policies, false, directory).get('contractors')?.audience).toBe('group Contractors or user carol@acme.example except user bob@acme.example (1 user can reach it)');
    const unknown = evaluationOrder(policies, false, { ...directory, members: null }).get('contractors')!;
    expect(unknown.reachedUsers).toBeNull();
    expect(unknown.audience).toMatch(/users not counted/);
  });
});

describe('Okta mapping in evaluation order', () => {
  const base = readOktaExport(resolve(exportDir), 'export');
  const withPolicies = (type: 'OKTA_SIGN_ON' | 'ACCESS_POLICY', value: OktaPolicy[]): OktaRaw => ({ ...base, policies: { ...base.policies, [type]: { ok: true, value } } });
  const appSignOn = (factorMode: '1FA' | '2FA') => ({ appSignOn: { access: 'ALLOW', verificationMethod: { type: 'ASSURANCE', factorMode, constraints: [] } } });
  const adminConsole = (rules: OktaPolicyRule[]): OktaPolicy => ({ id: 'rst1adminConsole01', type: 'ACCESS_POLICY', name: 'Okta Admin Console', status: 'ACTIVE', priority: 2, rules });
  const console_ = (raw: OktaRaw) => mapOkta(raw, defaultConfig).resources.find((r) => r.kind === 'okta.app' && r.attributes.appName === 'saasure')!.attributes;

  it('a one-factor catch-all behind an unconditioned two-factor rule never applies: the Admin Console requires two factors', () => {
    const raw = withPolicies('ACCESS_POLICY', [adminConsole([{ ...rule('everyone2FA', 1), actions: appSignOn('2FA') }, { ...rule('Catch-all Rule', 99), actions: appSignOn('1FA') }])]);
    expect(console_(raw)).toMatchObject({ allowRulesRequireMfa: true, allowRulesWithoutMfa: [] });
  });

  it('a two-factor rule for admins only leaves everyone else on the one-factor catch-all, named with whom it reaches', () => {
    const raw = withPolicies('ACCESS_POLICY', [adminConsole([{ ...rule('admins2FA', 1, groups(['00g1oktaadmins000002'])), actions: appSignOn('2FA') }, { ...rule('Catch-all Rule', 99), actions: appSignOn('1FA') }])]);
    expect(console_(raw)).toMatchObject({ allowRulesRequireMfa: false, allowRulesWithoutMfa: [expect.stringMatching(/^Catch-all Rule — everyone \(\d+ users? can reach it\)$/)] });
  });

  it('a session rule without an idle limit is recorded as unlimited; a Default Rule behind a policy for everyone is not judged', () => {
    const session = (idle: number | null) => ({ signon: { access: 'ALLOW', requireFactor: true, session: { maxSessionIdleMinutes: idle, maxSessionLifetimeMinutes: 720, usePersistentCookie: false } } });
    const raw = withPolicies('OKTA_SIGN_ON', [
      policy('Everyone', 1, [{ ...rule('noIdle', 1), actions: session(null) }], groups(['00g1everyone00000001'])),
      policy('Default Policy', 2, [{ ...rule('Default Rule', 99), actions: session(720) }]),
    ]);
    const out = mapOkta(raw, defaultConfig);
    const sessions = out.resources.filter((r) => r.kind === 'idp.accessPolicy' && (r.id.includes('/policy/Everyone/') || r.id.includes('/policy/Default Policy/')));
    expect(sessions.map((r) => [r.name, r.attributes.sessionIdleMinutes, r.attributes.idleTimeoutSupported])).toEqual([['Everyone / noIdle', null, true]]);
    expect(out.issues.find((i) => i.code === 'ZT_OKTA_RULES_NEVER_APPLY')?.message).toMatch(/Default Policy \/ Default Rule \(always preceded by Everyone \/ noIdle\)/);
  });
});
