import { matchesAccount, type ZtConfig } from '../../config/config.js';
import { kindsProducedBy, type Kind } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import { worseCoverage } from '../../model/coverage.js';
import type { CollectionIssue, KindCoverage } from '../../model/coverage.js';
import type { CollectorOutput } from '../types.js';
import { methodChainFacts } from './method-chain.js';
import { threatExemption } from './threat-exemption.js';
import { evaluationOrder, rulesOf, type Directory, type RuleStanding } from './policy-order.js';
import {
  policyTypes,
  sectionNeeds,
  type OktaApp,
  type OktaEnrollment,
  type OktaFactor,
  type OktaGroup,
  type OktaPeopleCondition,
  type OktaPolicy,
  type OktaPolicyRule,
  type OktaUser,
  type OktaRaw,
  type OktaRole,
  type Section,
} from './types.js';

// Pure mapping from the Okta API's shapes (live or exported) into zt's kinds.

type Strength = 'phishing_resistant' | 'mfa' | 'weak';

const factorStrengths: Record<string, Strength> = {
  webauthn: 'phishing_resistant',
  u2f: 'phishing_resistant',
  push: 'mfa',
  token: 'mfa',
  'token:hardware': 'mfa',
  'token:hotp': 'mfa',
  'token:software:totp': 'mfa',
  web: 'mfa',
  sms: 'weak',
  call: 'weak',
  email: 'weak',
  question: 'weak',
};

/** Authenticator-enrollment keys (Identity Engine) → the factor type they stand for. */
const enrollmentTypes: Record<string, { type: string; strength: Strength } | null> = {
  okta_password: null, // a knowledge factor, not an authenticator for MFA purposes
  webauthn: { type: 'webauthn', strength: 'phishing_resistant' },
  security_key: { type: 'u2f', strength: 'phishing_resistant' },
  smart_card_idp: { type: 'smart_card', strength: 'phishing_resistant' },
  okta_verify: { type: 'okta_verify', strength: 'mfa' },
  google_otp: { type: 'token:software:totp', strength: 'mfa' },
  yubikey_token: { type: 'token:hardware', strength: 'mfa' },
  duo: { type: 'web', strength: 'mfa' },
  symantec_vip: { type: 'token', strength: 'mfa' },
  custom_otp: { type: 'token:hotp', strength: 'mfa' },
  onprem_mfa: { type: 'token', strength: 'mfa' },
  rsa_token: { type: 'token', strength: 'mfa' },
  custom_app: { type: 'push', strength: 'mfa' },
  phone_number: { type: 'sms', strength: 'weak' },
  okta_email: { type: 'email', strength: 'weak' },
  security_question: { type: 'question', strength: 'weak' },
};

export function factorStrength(factorType: string, config: ZtConfig): Strength {
  if (factorType === 'signed_nonce') return config.identity.fastPassIsPhishingResistant ? 'phishing_resistant' : 'mfa';
  // Unknown types are counted weak: never stronger than the evidence.
  return factorStrengths[factorType] ?? 'weak';
}

/** Okta admin role types that can change identity or security settings (catalogue "privileged"). */
const privilegedRoles = new Set(['SUPER_ADMIN', 'ORG_ADMIN', 'APP_ADMIN', 'USER_ADMIN', 'GROUP_MEMBERSHIP_ADMIN', 'API_ACCESS_MANAGEMENT_ADMIN', 'MOBILE_ADMIN', 'CUSTOM']);

const userStatus = (status: string): 'active' | 'staged' | 'suspended' | 'locked' | 'deprovisioned' => {
  switch (status) {
    case 'ACTIVE':
    case 'RECOVERY':
    case 'PASSWORD_EXPIRED':
      return 'active';
    case 'LOCKED_OUT':
      return 'locked';
    case 'SUSPENDED':
      return 'suspended';
    case 'DEPROVISIONED':
      return 'deprovisioned';
    default:
      return 'staged'; // STAGED, PROVISIONED
  }
};

const isoOrNull = (value: string | null | undefined): string | null => {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
};

/** The id at the end of an href such as https://acme.okta.com/api/v1/policies/rst1…. */
const lastSegment = (href: string | undefined): string | null => (href ? (href.split('?')[0]!.split('/').filter(Boolean).pop() ?? null) : null);


const isActive = (status: string | undefined): boolean => (status ?? 'ACTIVE') === 'ACTIVE';

interface RuleFacts {
  action: 'allow' | 'block';
  requiresMfa: boolean;
  requiresPhishingResistantMfa: boolean;
  requiresCompliantDevice: boolean;
}

export function accessRuleFacts(rule: OktaPolicyRule): RuleFacts {
  const signon = rule.actions?.signon;
  if (signon) {
    return {
      action: signon.access === 'DENY' ? 'block' : 'allow',
      requiresMfa: signon.access !== 'DENY' && signon.requireFactor === true,
      requiresPhishingResistantMfa: false, // a global session rule cannot demand a phishing-resistant factor
      requiresCompliantDevice: false,
    };
  }
  const app = rule.actions?.appSignOn;
  const method = app?.verificationMethod;
  const allow = app?.access !== 'DENY';
  const device = rule.conditions?.device;
  const requiresCompliantDevice = allow && (device?.managed === true || (device?.assurance?.include?.length ?? 0) > 0);
  const type = method?.type ?? 'ASSURANCE';
  if (type === 'AUTH_METHOD_CHAIN') {
    const chain = methodChainFacts(method?.chains);
    return {
      action: allow ? 'allow' : 'block',
      requiresMfa: allow && chain.requiresMfa,
      requiresPhishingResistantMfa: allow && chain.requiresPhishingResistantMfa,
      requiresCompliantDevice,
    };
  }
  const constraints = method?.constraints ?? [];
  // An unknown verification method type demands nothing we can read.
  const mfa = allow && type === 'ASSURANCE' && method?.factorMode === '2FA';
  return {
    action: allow ? 'allow' : 'block',
    requiresMfa: mfa,
    // Constraints are OR-ed: every alternative must demand a phishing-resistant possession factor.
    requiresPhishingResistantMfa: mfa && constraints.length > 0 && constraints.every((c) => c.possession?.phishingResistant === 'REQUIRED'),
    requiresCompliantDevice,
  };
}

interface Accumulator {
  resources: Resource[];
  coverage: Partial<Record<Kind, KindCoverage>>;
  issues: CollectionIssue[];
}

function setCoverage(acc: Accumulator, kind: Kind, entry: KindCoverage): void {
  acc.coverage[kind] = worseCoverage(acc.coverage[kind], entry);
}

/**
 * Records what a failed or partial read means: coverage `missing` for every kind it feeds
 * (a kind read without, say, its admin roles could pass rules it should fail, so it is not
 * evaluated at all) and one issue naming the scope or role needed. Returns whether the
 * value is usable.
 */
function account<T>(acc: Accumulator, name: string, section: Section<T>): section is Extract<Section<T>, { ok: true }> {
  const need = sectionNeeds[name]!;
  if (section.ok) {
    if (section.partial) {
      for (const kind of need.kinds) setCoverage(acc, kind, { state: 'partial', reason: 'api_error', detail: section.partial });
      acc.issues.push({ collector: 'okta', severity: 'warning', code: 'ZT_COLLECT_THROTTLED', message: section.partial, kinds: [...need.kinds] });
    }
    return true;
  }
  const kinds = need.kinds;
  for (const kind of kinds) {
    setCoverage(acc, kind, { state: 'missing', reason: section.reason, detail: section.detail });
  }
  const denied = section.reason === 'permission_denied';
  acc.issues.push({
    collector: 'okta',
    severity: 'warning',
    code: denied
      ? 'ZT_COLLECT_ACCESS_DENIED'
      : section.reason === 'input_missing'
        ? 'ZT_COLLECT_INPUT_MISSING'
        : section.detail.includes(' 429 ')
          ? 'ZT_COLLECT_THROTTLED'
          : 'ZT_COLLECT_API_ERROR',
    message: denied
      ? `${section.detail}: grant the ${need.scope} scope (OAuth service app) or use a Read-Only Administrator token; ${kinds.length ? `${kinds.join(', ')} not evaluated` : 'nothing else affected'}`
      : `${section.detail}${kinds.length ? `; ${kinds.join(', ')} incomplete` : ''}`,
    kinds: [...kinds],
  });
  return false;
}

function peopleAll(people: OktaPeopleCondition | null | undefined, everyoneId: string | undefined): boolean {
  if (!people) return true;
  const users = people.users?.include ?? [];
  const groups = people.groups?.include ?? [];
  if (users.length === 0 && groups.length === 0) return true;
  return everyoneId !== undefined && groups.includes(everyoneId);
}

/** Maps everything read from one Okta org into resources, coverage and issues. */
export function mapOkta(raw: OktaRaw, config: ZtConfig): Pick<CollectorOutput, 'resources' | 'coverage' | 'issues'> {
  const acc: Accumulator = { resources: [], coverage: {}, issues: [] };
  const host = raw.host;
  const provenance = { collector: 'okta', source: `okta:${host}` };
  const rid = (type: string, id: string): string => `okta://${host}/${type}/${id}`;
  const push = (kind: Kind, id: string, name: string, attributes: Record<string, unknown>): void => {
    acc.resources.push({ kind, id, name, attributes, provenance });
  };

  // Complete unless a read below says otherwise.
  for (const kind of kindsProducedBy('okta')) acc.coverage[kind] = { state: 'complete' };

  const groupsOk = account(acc, 'groups', raw.groups);
  const groups = groupsOk ? raw.groups.value : [];
  const everyoneId = groups.find((g) => g.type === 'BUILT_IN' || g.profile?.name === 'Everyone')?.id;
  const membersOk = account(acc, 'groupMembers', raw.groupMembers);
  const members = membersOk ? raw.groupMembers.value : new Map<string, string[]>();
  const groupRolesOk = account(acc, 'groupRoles', raw.groupRoles);
  const groupRoles = groupRolesOk ? raw.groupRoles.value : new Map<string, OktaRole[]>();
  const userRolesOk = account(acc, 'userRoles', raw.userRoles);
  const userRoles = userRolesOk ? raw.userRoles.value : new Map<string, OktaRole[]>();

  // Users
  const usersOk = account(acc, 'users', raw.users);
  const factorsOk = account(acc, 'factors', raw.factors);
  const users = usersOk ? raw.users.value : [];
  type Enrolled = { kind: 'factor'; items: OktaFactor[] } | { kind: 'enrollment'; items: OktaEnrollment[] };
  const factors: ReadonlyMap<string, Enrolled> = factorsOk ? (raw.factors.value) : new Map<string, Enrolled>();
  const loginOf = new Map<string, string>();
  for (const user of users) loginOf.set(user.id, user.profile?.login ?? user.id);
  let breakGlass = 0;
  let service = 0;
  for (const user of users) {
    const login = user.profile?.login ?? user.id;
    loginOf.set(user.id, login);
    const email = user.profile?.email ?? null;
    const accountClass = matchesAccount(config.identity.breakGlass, login, email, user.id)
      ? 'break_glass'
      : matchesAccount(config.identity.serviceAccounts, login, email, user.id)
        ? 'service'
        : 'human';
    if (accountClass === 'break_glass') breakGlass++;
    if (accountClass === 'service') service++;
    const roles = [...new Set((userRoles.get(user.id) ?? []).filter((r) => isActive(r.status)).map((r) => r.type))].sort();
    const enrolled = factors.get(user.id);
    const mapped: { type: string; strength: Strength; status: 'active' | 'inactive' }[] = [];
    if (enrolled?.kind === 'factor') {
      for (const f of enrolled.items) mapped.push({ type: f.factorType, strength: factorStrength(f.factorType, config), status: f.status === 'ACTIVE' ? 'active' : 'inactive' });
    } else if (enrolled?.kind === 'enrollment') {
      for (const e of enrolled.items) {
        const known = e.key in enrollmentTypes ? enrollmentTypes[e.key] : { type: e.key, strength: 'weak' as const };
        if (known) mapped.push({ ...known, status: e.status === 'ACTIVE' ? 'active' : 'inactive' });
      }
    }
    mapped.sort((a, b) => a.type.localeCompare(b.type) || a.status.localeCompare(b.status));
    push('idp.user', rid('user', user.id), login, {
      provider: 'okta',
      tenant: host,
      login,
      email,
      status: userStatus(user.status),
      userType: 'member',
      accountClass,
      adminRoles: roles,
      privileged: roles.some((r) => privilegedRoles.has(r)),
      factors: mapped,
      lastSignInAt: isoOrNull(user.lastLogin),
      createdAt: isoOrNull(user.created),
      manager: oktaManager(user, loginOf),
    });
  }
  if (usersOk && (breakGlass > 0 || service > 0)) {
    acc.issues.push({
      collector: 'okta',
      severity: 'info',
      code: 'ZT_OKTA_ACCOUNT_CLASSES',
      message: `${breakGlass} break-glass and ${service} service account(s) matched the config; they are listed as such and left out of human-user denominators`,
      kinds: ['idp.user'],
    });
  }
  if (usersOk && factorsOk && users.some((u) => (factors.get(u.id)?.items ?? []).some((f) => 'factorType' in f && f.factorType === 'signed_nonce'))) {
    acc.issues.push({
      collector: 'okta',
      severity: 'info',
      code: 'ZT_OKTA_FASTPASS',
      message: `Okta FastPass (signed_nonce) is counted as ${config.identity.fastPassIsPhishingResistant ? '' : 'not '}phishing-resistant (identity.fastPassIsPhishingResistant: ${config.identity.fastPassIsPhishingResistant})`,
      kinds: ['idp.user'],
    });
  }

  // Groups, with their owners when read (null: unknown, never "no owner").
  const owners = groupsOk ? groupOwnersOf(acc, raw.groupOwners, groups, loginOf) : undefined;
  for (const group of groups) {
    push('idp.group', rid('group', group.id), group.profile?.name ?? group.id, {
      provider: 'okta',
      tenant: host,
      memberIds: [...(members.get(group.id) ?? [])].sort(),
      adminRoles: [...new Set((groupRoles.get(group.id) ?? []).filter((r) => isActive(r.status)).map((r) => r.type))].sort(),
      ...(owners === undefined ? {} : { owners: owners === null ? null : (owners.get(group.id) ?? null) }),
    });
  }

  // Admin roles, org-wide: from the role reads and group members (coverage says which
  // failed). Not from the user list: it only names holders (ids otherwise), and a failed user
  // list used to drop this resource while its coverage said complete, so the rules on it
  // were "not applicable" instead of not evaluated (fault matrix).
  if (userRolesOk && groupRolesOk && membersOk) {
    const superAdmins = new Set<string>();
    let userAssignments = 0;
    for (const [userId, roles] of userRoles) {
      for (const role of roles) {
        if (!isActive(role.status)) continue;
        if ((role.assignmentType ?? 'USER') === 'USER') userAssignments++;
        if (role.type === 'SUPER_ADMIN') superAdmins.add(loginOf.get(userId) ?? userId);
      }
    }
    let groupAssignments = 0;
    for (const [groupId, roles] of groupRoles) {
      for (const role of roles) {
        if (!isActive(role.status)) continue;
        groupAssignments++;
        if (role.type === 'SUPER_ADMIN') for (const member of members.get(groupId) ?? []) superAdmins.add(loginOf.get(member) ?? member);
      }
    }
    const total = userAssignments + groupAssignments;
    const list = [...superAdmins].sort();
    push('okta.adminRoles', rid('adminRoles', 'org'), `${host} admin roles`, {
      orgUrl: raw.orgUrl,
      superAdmins: list,
      superAdminCount: list.length,
      userAssignments,
      groupAssignments,
      assignments: total,
      groupAssignmentPercent: total === 0 ? null : Math.round((groupAssignments * 100) / total),
    });
  }

  // Policies
  const policies = new Map<string, OktaPolicy>();
  const policiesOk: Record<string, boolean> = {};
  for (const type of policyTypes) {
    const section = raw.policies[type];
    policiesOk[type] = account(acc, type, section);
    if (section.ok) for (const p of section.value) policies.set(p.id, p);
  }
  // Rules in Okta's evaluation order: a rule that never applies (an earlier one always
  // matches first) is not a configuration anyone lives under, so it is not judged; the
  // rest say whom they reach.
  const complete = (section: Section<unknown>): boolean => section.ok && !section.partial;
  const directory: Directory = {
    everyoneId,
    groupName: (id) => groups.find((g) => g.id === id)?.profile?.name ?? id,
    userLogin: (id) => loginOf.get(id) ?? id,
    members: complete(raw.users) && complete(raw.groups) && complete(raw.groupMembers) ? signInMembers(users, members) : null,
  };
  const standings = new Map<string, RuleStanding>();
  const shadowed: string[] = [];
  const assuranceRefs = new Map<string, number>();
  for (const type of ['OKTA_SIGN_ON', 'ACCESS_POLICY'] as const) {
    const section = raw.policies[type];
    if (!section.ok) continue;
    // Global session policies are one sequence; an authentication policy is chosen by the app.
    for (const [id, standing] of evaluationOrder(section.value, type === 'OKTA_SIGN_ON', directory)) standings.set(id, standing);
    for (const policy of section.value) {
      if (!isActive(policy.status)) continue;
      const policyAll = peopleAll(policy.conditions?.people, everyoneId);
      for (const rule of rulesOf(policy)) {
        const standing = standings.get(rule.id);
        if (!isActive(rule.status) || !standing) continue;
        if (standing.shadowedBy !== null) {
          shadowed.push(`${policy.name ?? policy.id} / ${rule.name ?? rule.id} (always preceded by ${standing.shadowedBy})`);
          continue;
        }
        const facts = accessRuleFacts(rule);
        if (type === 'ACCESS_POLICY' && facts.action === 'allow') {
          for (const id of rule.conditions?.device?.assurance?.include ?? []) assuranceRefs.set(id, (assuranceRefs.get(id) ?? 0) + 1);
        }
        const people = rule.conditions?.people;
        const session = rule.actions?.signon?.session;
        const lifetime = session?.maxSessionLifetimeMinutes;
        const idle = session?.maxSessionIdleMinutes;
        push('idp.accessPolicy', `${rid('policy', policy.id)}/rule/${rule.id}`, `${policy.name ?? policy.id} / ${rule.name ?? rule.id}`, {
          provider: 'okta',
          tenant: host,
          state: 'enabled',
          appliesToAllUsers: policyAll && peopleAll(people, everyoneId),
          // The default (system) authentication policy covers every app without its own.
          appliesToAllApps: type === 'ACCESS_POLICY' && policy.system === true,
          includedRoles: [],
          excludedUsers: [...(people?.users?.exclude ?? [])].sort(),
          excludedGroups: [...(people?.groups?.exclude ?? [])].sort(),
          clientAppTypes: ['all'],
          ...facts,
          // No limit (0 or absent) is recorded as null, the weakest value: session rules fail it.
          sessionLifetimeMinutes: session ? (lifetime && lifetime > 0 ? lifetime : null) : null,
          sessionIdleMinutes: session ? (idle && idle > 0 ? idle : null) : null,
          persistentSession: session ? (session.usePersistentCookie ?? false) : null,
          idleTimeoutSupported: session !== undefined && session !== null,
          audience: standing.audience,
        });
      }
    }
  }
  if (shadowed.length > 0) {
    acc.issues.push({
      collector: 'okta',
      severity: 'info',
      code: 'ZT_OKTA_RULES_NEVER_APPLY',
      message: `${shadowed.length} active policy rule(s) can never apply, so they are not judged: ${shadowed.sort().join('; ')}`,
      kinds: ['idp.accessPolicy'],
    });
  }

  if (raw.policies.PASSWORD.ok) {
    for (const policy of raw.policies.PASSWORD.value) {
      const pw = policy.settings?.password;
      const lockout = pw?.lockout?.maxAttempts;
      push('okta.passwordPolicy', rid('policy', policy.id), policy.name ?? policy.id, {
        orgUrl: raw.orgUrl,
        status: isActive(policy.status) ? 'active' : 'inactive',
        priority: policy.priority ?? null,
        authProvider: policy.conditions?.authProvider?.provider ?? null,
        minLength: pw?.complexity?.minLength ?? null,
        excludeCommonPasswords: pw?.complexity?.dictionary?.common?.exclude ?? null,
        historyCount: pw?.age?.historyCount ?? null,
        lockoutMaxAttempts: lockout && lockout > 0 ? lockout : null,
        maxAgeDays: pw?.age?.maxAgeDays ?? null,
      });
    }
  }

  // Apps
  const appsOk = account(acc, 'apps', raw.apps);
  if (appsOk) {
    const accessOk = policiesOk.ACCESS_POLICY === true;
    for (const app of raw.apps.value) push('okta.app', rid('app', app.id), app.label ?? app.name ?? app.id, appAttributes(raw.orgUrl, app, policies, accessOk, standings));
  }

  // Device assurance
  if (account(acc, 'deviceAssurances', raw.deviceAssurances)) {
    for (const d of raw.deviceAssurances.value) {
      const desktop = ['MACOS', 'WINDOWS', 'CHROMEOS'].includes(d.platform);
      push('okta.deviceAssurance', rid('deviceAssurance', d.id), d.name ?? d.id, {
        orgUrl: raw.orgUrl,
        platform: d.platform,
        osMinimum: d.osVersion?.minimum ?? null,
        diskEncryptionRequired: desktop ? (d.diskEncryptionType?.include?.length ?? 0) > 0 : null,
        screenLockRequired: (d.screenLockType?.include?.length ?? 0) > 0,
        secureHardwareRequired: d.secureHardwarePresent === true,
        jailbreakBlocked: desktop ? null : d.jailbreak === false,
        referencedByActiveRules: assuranceRefs.get(d.id) ?? 0,
      });
    }
  }

  // The org
  const authOk = account(acc, 'authenticators', raw.authenticators);
  const threatOk = account(acc, 'threatInsight', raw.threatInsight);
  const streamsOk = account(acc, 'logStreams', raw.logStreams);
  if (authOk) {
    const action = threatOk ? raw.threatInsight.value.action : undefined;
    const exemption = threatOk ? threatExemption(raw.threatInsight.value, raw.zones) : null;
    if (exemption?.unknownBecause) {
      const detail = `ThreatInsight's exempt network zones are unknown: ${exemption.unknownBecause}`;
      const reason = raw.zones.ok ? 'unsupported' : raw.zones.reason;
      setCoverage(acc, 'okta.org', { state: 'partial', reason, detail, unknownFields: ['threatInsightExemptZones', 'threatInsightExemptsEveryAddress'] });
      acc.issues.push({
        collector: 'okta',
        severity: 'warning',
        code: raw.zones.ok ? 'ZT_OKTA_EXEMPT_ZONES_UNKNOWN' : reason === 'permission_denied' ? 'ZT_COLLECT_ACCESS_DENIED' : reason === 'input_missing' ? 'ZT_COLLECT_INPUT_MISSING' : 'ZT_COLLECT_API_ERROR',
        message: `${detail}; the ThreatInsight checks are not evaluated${raw.zones.ok ? '' : ` (grant ${sectionNeeds.zones!.scope}, or add zones.json to an export)`}`,
        kinds: ['okta.org'],
      });
    }
    push('okta.org', `okta://${host}/org`, host, {
      orgUrl: raw.orgUrl,
      activeAuthenticators: [...new Set(raw.authenticators.value.filter((a) => a.status === 'ACTIVE').map((a) => a.key))].sort(),
      threatInsightAction: action === 'none' || action === 'audit' || action === 'block' ? action : null,
      threatInsightExemptZones: exemption?.zones ? [...exemption.zones] : null,
      threatInsightExemptsEveryAddress: exemption?.everyAddress ?? null,
      activeLogStreams: streamsOk ? raw.logStreams.value.filter((s) => s.status === 'ACTIVE').length : null,
    });
  }

  acc.resources.sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind.localeCompare(b.kind)));
  return acc;
}

/** Users who can sign in (so policies are evaluated for them), with the groups they belong to. */
function signInMembers(users: readonly OktaUser[], members: ReadonlyMap<string, readonly string[]>): Directory['members'] {
  const groupsOf = new Map<string, Set<string>>();
  for (const [groupId, ids] of members) {
    for (const id of ids) {
      let set = groupsOf.get(id);
      if (!set) groupsOf.set(id, (set = new Set()));
      set.add(groupId);
    }
  }
  return users.filter((u) => userStatus(u.status) === 'active').map((u) => ({ id: u.id, groups: groupsOf.get(u.id) ?? new Set<string>() }));
}

/** The app's authentication-policy facts, over the ALLOW rules that can apply (each named with whom it reaches when it falls short). */
function appAttributes(orgUrl: string, app: OktaApp, policies: Map<string, OktaPolicy>, accessOk: boolean, standings: ReadonlyMap<string, RuleStanding>): Record<string, unknown> {
  const mode = app.signOnMode ?? null;
  const policyId = lastSegment(app._links?.accessPolicy?.href);
  const policy = policyId ? policies.get(policyId) : undefined;
  const allowRules = policy
    ? rulesOf(policy)
        .filter((r) => isActive(r.status) && standings.get(r.id)?.shadowedBy === null)
        .map((r) => ({ named: `${r.name ?? r.id} — ${standings.get(r.id)?.audience ?? 'audience unknown'}`, facts: accessRuleFacts(r) }))
        .filter((r) => r.facts.action === 'allow')
    : [];
  // An INACTIVE policy's rules never match, so they prove nothing about how the app is
  // reached: its facts are unknown (null), never vacuously "every allow rule requires MFA".
  const known = accessOk && policy !== undefined && isActive(policy.status);
  const without = (test: (f: RuleFacts) => boolean): string[] | null => (known ? allowRules.filter((r) => !test(r.facts)).map((r) => r.named) : null);
  const withoutMfa = without((f) => f.requiresMfa);
  const withoutPhishingResistant = without((f) => f.requiresPhishingResistantMfa);
  const withoutManagedDevice = without((f) => f.requiresCompliantDevice);
  return {
    orgUrl,
    appName: app.name ?? app.id,
    status: isActive(app.status) ? 'active' : 'inactive',
    signOnMode: mode,
    federated: mode === 'SAML_2_0' || mode === 'SAML_1_1' || mode === 'OPENID_CONNECT' || mode === 'WS_FEDERATION',
    passwordVaulted: mode === 'AUTO_LOGIN' || mode === 'BROWSER_PLUGIN' || mode === 'SECURE_PASSWORD_STORE' || mode === 'BASIC_AUTH',
    accessPolicyId: policyId,
    accessPolicyName: policy?.name ?? null,
    accessPolicyIsDefault: known ? policy.system === true : null,
    allowRulesRequireMfa: withoutMfa === null ? null : withoutMfa.length === 0,
    allowRulesRequirePhishingResistant: withoutPhishingResistant === null ? null : withoutPhishingResistant.length === 0,
    allowRulesRequireManagedDevice: withoutManagedDevice === null ? null : withoutManagedDevice.length === 0,
    allowRulesWithoutMfa: withoutMfa,
    allowRulesWithoutPhishingResistant: withoutPhishingResistant,
    allowRulesWithoutManagedDevice: withoutManagedDevice,
  };
}

/**
 * The user's manager from Okta's base profile: `managerId` ("ID of a user's manager") is
 * often the manager's Okta user id, sometimes an HR number or a login; it becomes the
 * manager's login when it names a user of the org. Else `manager` (the manager's display
 * name), else the managerId as given. Null when the profile names no manager.
 */
export function oktaManager(user: OktaUser, loginOf: ReadonlyMap<string, string>): string | null {
  const managerId = user.profile?.managerId?.trim() || null;
  if (managerId) {
    const login = loginOf.get(managerId);
    if (login) return login;
  }
  return user.profile?.manager?.trim() || managerId;
}

/**
 * Each group's owners from `GET /api/v1/groups/{id}/owners` (Okta lists resolved owners by
 * default): a USER owner by its login when it is a user of the org, else its display name or
 * id; a GROUP owner as `group <name>`. Undefined: not read; null: the read failed — an info
 * issue says owners are unknown (no rule reads them; the access review does not take them as
 * "no owner"). A group the read did not cover is unknown too.
 */
function groupOwnersOf(
  acc: Accumulator,
  section: OktaRaw['groupOwners'],
  groups: readonly OktaGroup[],
  loginOf: ReadonlyMap<string, string>,
): ReadonlyMap<string, string[]> | null | undefined {
  if (section === undefined) return undefined;
  if (!section.ok) {
    acc.issues.push({
      collector: 'okta',
      severity: 'info',
      code: section.reason === 'permission_denied' ? 'ZT_COLLECT_ACCESS_DENIED' : section.reason === 'input_missing' ? 'ZT_COLLECT_INPUT_MISSING' : 'ZT_COLLECT_API_ERROR',
      message: `${section.detail}; group owners are unknown, so they do not assign access reviewers${section.reason === 'permission_denied' ? ' (grant okta.groups.read)' : ''}`,
      kinds: ['idp.group'],
    });
    return null;
  }
  const nameOf = new Map(groups.map((g) => [g.id, g.profile?.name ?? g.id]));
  const out = new Map<string, string[]>();
  for (const [groupId, list] of section.value) {
    const names = list
      .filter((o) => o.resolved !== false)
      .map((o) => (o.type === 'GROUP' ? `group ${o.displayName ?? nameOf.get(o.id) ?? o.id}` : (loginOf.get(o.id) ?? o.displayName ?? o.id)));
    out.set(groupId, [...new Set(names)].sort());
  }
  return out;
}
