import { matchesAccount, type ZtConfig } from '../../config/config.js';
import { entraPrivilegedRoleTemplates as privilegedRoleTemplates } from '../../inventory/kinds/entra.js';
import type { Kind, KindAttributes } from '../../inventory/kinds/index.js';
import type { Resource, ResourceOf } from '../../inventory/snapshot.js';

// Pure mapping from Microsoft Graph's own JSON shapes to zt kinds, shared by the live
// collector and the offline export. Nothing here does I/O or keeps more than the
// compact indexes it returns, so a 50,000-user tenant maps page by page.

export type Json = Record<string, unknown>;

export interface MapContext {
  readonly tenant: string;
  readonly config: ZtConfig;
  /** Provenance source, `entra:<tenant>`. */
  readonly source: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
/** Graph date-times sometimes lack the zone ("2025-05-20T10:00:00"); they are UTC. */
function date(v: unknown): string | null {
  const s = str(v);
  if (!s) return null;
  const withZone = /[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(withZone);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function resource(ctx: MapContext, kind: Resource['kind'], type: string, id: string, name: string, attributes: Json): Resource {
  return { kind, id: id ? `entra://${ctx.tenant}/${type}/${id}` : `entra://${ctx.tenant}/${type}`, name, attributes, provenance: { collector: 'entra', source: ctx.source } };
}

/** As resource(), with the attributes checked against the kind's schema type by the compiler. */
function kindResource<K extends Kind>(ctx: MapContext, kind: K, type: string, id: string, name: string, attributes: KindAttributes<K>): ResourceOf<K> {
  return { kind, id: id ? `entra://${ctx.tenant}/${type}/${id}` : `entra://${ctx.tenant}/${type}`, name, attributes, provenance: { collector: 'entra', source: ctx.source } };
}

// ---------------------------------------------------------------------------------------
// Authentication methods

export type MethodStrength = 'phishing_resistant' | 'mfa' | 'weak';

const phishingResistantMethods = new Set([
  'fido2SecurityKey',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
  'certificateBasedAuthentication',
]);
const mfaMethods = new Set([
  'microsoftAuthenticatorPush',
  'microsoftAuthenticatorPasswordless',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'externalAuthMethod',
]);
const weakMethods = new Set(['mobilePhone', 'alternateMobilePhone', 'officePhone', 'email', 'securityQuestion']);
/** Registered but not a sign-in factor of its own (a temporary onboarding pass). */
const ignoredMethods = new Set(['temporaryAccessPass']);

/**
 * Strength of one `methodsRegistered` value; `other` for values zt does not know yet
 * (Graph keeps adding them): those are reported, never counted, never fatal.
 */
export function methodStrength(method: string, config: ZtConfig): MethodStrength | 'ignored' | 'other' {
  if (phishingResistantMethods.has(method) || method.startsWith('passKeyDeviceBound')) return 'phishing_resistant';
  if (method === 'passKeySynced') return config.identity.syncedPasskeysArePhishingResistant ? 'phishing_resistant' : 'mfa';
  if (mfaMethods.has(method)) return 'mfa';
  if (weakMethods.has(method)) return 'weak';
  if (ignoredMethods.has(method)) return 'ignored';
  return 'other';
}

/** What zt keeps of one userRegistrationDetails row until the user list arrives. */
export interface Registration {
  readonly methods: readonly string[];
  readonly isMfaCapable: boolean | null;
}

const interned = new Map<string, string>();
const intern = (s: string): string => {
  let v = interned.get(s);
  if (v === undefined) interned.set(s, (v = s));
  return v;
};

/** Indexes one page of userRegistrationDetails by user object id (join on id, never on UPN). */
export function indexRegistrations(page: readonly unknown[], into: Map<string, Registration>): void {
  for (const raw of page) {
    const row = obj(raw);
    const id = str(row?.id);
    if (!row || !id) continue;
    into.set(id, { methods: strings(row.methodsRegistered).map(intern), isMfaCapable: bool(row.isMfaCapable) });
  }
}

// ---------------------------------------------------------------------------------------
// Directory roles

export { entraPrivilegedRoleTemplates as privilegedRoleTemplates } from '../../inventory/kinds/entra.js';

export interface RoleInfo {
  readonly name: string;
  readonly templateId: string | null;
  readonly privileged: boolean;
}

export function indexRoleDefinitions(page: readonly unknown[], into: Map<string, RoleInfo>): void {
  for (const raw of page) {
    const row = obj(raw);
    const id = str(row?.id);
    if (!row || !id) continue;
    const templateId = str(row.templateId) ?? (row.isBuiltIn === true ? id : null);
    const privileged = Object.hasOwn(privilegedRoleTemplates, templateId ?? id) || row.isPrivileged === true;
    into.set(id, { name: str(row.displayName) ?? privilegedRoleTemplates[templateId ?? id] ?? id, templateId, privileged });
  }
}

function roleFor(roles: ReadonlyMap<string, RoleInfo>, roleDefinitionId: string): RoleInfo {
  const known = roles.get(roleDefinitionId);
  if (known) return known;
  const builtIn = privilegedRoleTemplates[roleDefinitionId];
  return { name: builtIn ?? roleDefinitionId, templateId: builtIn ? roleDefinitionId : null, privileged: builtIn !== undefined };
}

function principalOf(raw: Json): { type: 'user' | 'group' | 'servicePrincipal' | 'unknown'; name: string | null } {
  const principal = obj(raw.principal);
  const odataType = str(principal?.['@odata.type']) ?? '';
  const type = odataType.endsWith('.user') ? 'user' : odataType.endsWith('.group') ? 'group' : odataType.endsWith('.servicePrincipal') ? 'servicePrincipal' : 'unknown';
  return { type, name: str(principal?.userPrincipalName) ?? str(principal?.displayName) };
}

function classOf(config: ZtConfig, ...names: (string | null | undefined)[]): 'human' | 'service' | 'break_glass' {
  if (matchesAccount(config.identity.breakGlass, ...names)) return 'break_glass';
  if (matchesAccount(config.identity.serviceAccounts, ...names)) return 'service';
  return 'human';
}

const memberTypes = { Direct: 'direct', Group: 'group', Inherited: 'inherited' } as const;

/** A mutable role assignment record: user details are filled in when the user list arrives. */
export type RoleAssignmentRecord = Resource & { attributes: Json };

/** The fields an active and an eligible role assignment share: who holds which role, where. */
function assignmentBase(
  ctx: MapContext,
  row: Record<string, unknown>,
  principalId: string,
  roleDefinitionId: string,
  role: ReturnType<typeof roleFor>,
  principal: ReturnType<typeof principalOf>,
) {
  return {
    tenant: ctx.tenant,
    principalId,
    principalType: principal.type,
    principalName: principal.name,
    principalAccountClass: principal.type === 'user' ? classOf(ctx.config, principal.name, principalId) : null,
    principalOnPremisesSynced: null,
    roleDefinitionId,
    roleTemplateId: role.templateId,
    roleName: role.name,
    privileged: role.privileged,
    directoryScopeId: str(row.directoryScopeId) ?? '/',
  };
}

/**
 * PIM's longest time-bound assignment, when a role's settings do not allow permanent ones,
 * is one year (the "Expire … assignments after" choices: 15 days to 1 year). An assignment
 * that ends later than that after it starts was made where permanent assignments are
 * allowed: it stands as long as a permanent one, so zt treats it as permanent (an end
 * date in 2099 is not time-bound access). 366 days allows for a leap year.
 */
const longestTimeBoundMs = 366 * 24 * 60 * 60 * 1000;

/** Whether an active assignment is permanent: no end date, an unknown start, or an end over a year after its start. */
export function standsPermanently(startAt: string | null, endAt: string | null): boolean {
  if (endAt === null) return true;
  if (startAt === null) return true;
  return Date.parse(endAt) - Date.parse(startAt) > longestTimeBoundMs;
}

/**
 * Maps an active assignment: a `roleAssignmentScheduleInstances` row (Assigned or
 * Activated), or with `fallback` a plain `roleAssignments` row (tenants without PIM,
 * where every assignment is standing).
 */
export function mapActiveAssignment(ctx: MapContext, raw: unknown, roles: ReadonlyMap<string, RoleInfo>, fallback = false): RoleAssignmentRecord | null {
  const row = obj(raw);
  const id = str(row?.id);
  const principalId = str(row?.principalId);
  const roleDefinitionId = str(row?.roleDefinitionId);
  if (!row || !id || !principalId || !roleDefinitionId) return null;
  const role = roleFor(roles, roleDefinitionId);
  const principal = principalOf(row);
  const endAt = fallback ? null : date(row.endDateTime);
  const startAt = fallback ? null : date(row.startDateTime);
  const type = fallback ? 'assigned' : str(row.assignmentType)?.toLowerCase() === 'activated' ? 'activated' : 'assigned';
  return resource(ctx, 'entra.roleAssignment', 'roleAssignment', id, `${principal.name ?? principalId}: ${role.name}`, {
    ...assignmentBase(ctx, row, principalId, roleDefinitionId, role, principal),
    state: 'active',
    assignmentType: type,
    memberType: memberTypes[str(row.memberType) as keyof typeof memberTypes] ?? (fallback ? 'direct' : 'unknown'),
    permanent: standsPermanently(startAt, endAt),
    startAt,
    endAt,
  });
}

/** Maps a `roleEligibilitySchedules` (or `roleEligibilityScheduleInstances`) row. */
export function mapEligibleAssignment(ctx: MapContext, raw: unknown, roles: ReadonlyMap<string, RoleInfo>): RoleAssignmentRecord | null {
  const row = obj(raw);
  const id = str(row?.id);
  const principalId = str(row?.principalId);
  const roleDefinitionId = str(row?.roleDefinitionId);
  if (!row || !id || !principalId || !roleDefinitionId) return null;
  const status = str(row.status);
  if (status && !['Provisioned', 'Granted', 'ScheduleCreated'].includes(status)) return null;
  const role = roleFor(roles, roleDefinitionId);
  const principal = principalOf(row);
  const schedule = obj(row.scheduleInfo);
  const expiration = obj(schedule?.expiration);
  const endAt = schedule ? date(expiration?.endDateTime) : date(row.endDateTime);
  const startAt = date(schedule?.startDateTime ?? row.startDateTime);
  // Eligibility is not access (activation asks for MFA, a reason, maybe approval), so any
  // expiry, a date or a duration, gets it re-approved: permanent only without one.
  const permanent = schedule ? str(expiration?.type) === 'noExpiration' || (endAt === null && !str(expiration?.duration)) : endAt === null;
  return resource(ctx, 'entra.roleAssignment', 'roleEligibility', id, `${principal.name ?? principalId}: ${role.name} (eligible)`, {
    ...assignmentBase(ctx, row, principalId, roleDefinitionId, role, principal),
    state: 'eligible',
    assignmentType: null,
    memberType: memberTypes[str(row.memberType) as keyof typeof memberTypes] ?? 'unknown',
    permanent,
    startAt,
    endAt,
  });
}

/** A group zt read because a policy excludes it or it holds a directory role. */
/** `owners`: the group's owners (ownersOf), null when they could not be read, undefined when not read. */
export function groupResource(ctx: MapContext, id: string, displayName: string | null, memberIds: readonly string[], adminRoles: readonly string[], owners?: readonly string[] | null): Resource {
  return resource(ctx, 'idp.group', 'group', id, displayName ?? id, {
    provider: 'entra',
    tenant: ctx.tenant,
    memberIds: [...memberIds].sort(),
    adminRoles: [...adminRoles],
    ...(owners === undefined ? {} : { owners: owners === null ? null : [...owners] }),
  });
}

/**
 * A group's owners from `GET /groups/{id}/owners` (directory objects): a user by its
 * userPrincipalName, a service principal as `app <displayName>`, anything else by its
 * display name or id; sorted, each once.
 */
export function ownersOf(objects: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const raw of objects) {
    const o = obj(raw);
    const id = str(o?.id);
    if (!o || !id) continue;
    const type = str(o['@odata.type']);
    if (type === '#microsoft.graph.servicePrincipal') out.add(`app ${str(o.displayName) ?? id}`);
    else out.add(str(o.userPrincipalName) ?? str(o.displayName) ?? id);
  }
  return [...out].sort();
}

// ---------------------------------------------------------------------------------------
// Users

export interface UserMapping {
  readonly resource: Resource;
  /** methodsRegistered values zt does not recognise (reported, not counted). */
  readonly unknownMethods: readonly string[];
}

/** A user's factors from its registration details (methods registered); none when unknown. */
export function factorsOf(
  ctx: MapContext,
  registration: Registration | undefined,
): { factors: { type: string; strength: MethodStrength; status: 'active' }[]; unknownMethods: string[] } {
  const factors: { type: string; strength: MethodStrength; status: 'active' }[] = [];
  const unknownMethods: string[] = [];
  for (const method of registration?.methods ?? []) {
    const strength = methodStrength(method, ctx.config);
    if (strength === 'other') unknownMethods.push(method);
    else if (strength !== 'ignored') factors.push({ type: method, strength, status: 'active' });
  }
  return { factors, unknownMethods };
}

/**
 * Maps one `/users` row, joined with its registration details (by object id) and the
 * role names of its active direct assignments. `registrations` null means the report is
 * unavailable (or not read yet: the collector then joins it with factorsOf later); the
 * user then has no factors.
 */
export function mapUser(
  ctx: MapContext,
  raw: unknown,
  registrations: ReadonlyMap<string, Registration> | null,
  activeRoles: ReadonlyMap<string, { names: Set<string>; privileged: boolean }>,
): UserMapping | null {
  const row = obj(raw);
  const id = str(row?.id);
  if (!row || !id) return null;
  const login = str(row.userPrincipalName) ?? id;
  const email = str(row.mail);
  const { factors, unknownMethods } = factorsOf(ctx, registrations?.get(id));
  const activity = obj(row.signInActivity);
  const interactive = date(activity?.lastSignInDateTime);
  const nonInteractive = date(activity?.lastNonInteractiveSignInDateTime);
  const lastSignInAt = interactive && nonInteractive ? (interactive > nonInteractive ? interactive : nonInteractive) : (interactive ?? nonInteractive);
  const roles = activeRoles.get(id);
  const userType = str(row.userType)?.toLowerCase() === 'guest' ? 'guest' : 'member';
  return {
    resource: resource(ctx, 'idp.user', 'user', id, login, {
      provider: 'entra',
      tenant: ctx.tenant,
      login,
      email,
      status: row.accountEnabled === false ? 'disabled' : 'active',
      userType,
      accountClass: classOf(ctx.config, login, email, id),
      adminRoles: roles ? [...roles.names].sort() : [],
      privileged: roles?.privileged ?? false,
      factors,
      lastSignInAt,
      createdAt: date(row.createdDateTime),
    }),
    unknownMethods,
  };
}

// ---------------------------------------------------------------------------------------
// Conditional access

const PHISHING_RESISTANT_COMBINATIONS = new Set(['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']);
const BUILT_IN_PHISHING_RESISTANT = '00000000-0000-0000-0000-000000000004';

/** A strength's id and allowed combinations: the policy's own, else those of the strengths read (none when unknown). */
function combinationsOf(strength: Json, known: ReadonlyMap<string, readonly string[]>): { id: string | null; combinations: readonly string[] } {
  const id = str(strength.id);
  const own = strings(strength.allowedCombinations);
  return { id, combinations: own.length > 0 || !id ? own : (known.get(id) ?? []) };
}

/**
 * An authentication strength is phishing-resistant when every allowed combination is
 * (classified by allowedCombinations, not by id: custom strengths are common).
 */
export function strengthIsPhishingResistant(strength: Json, known: ReadonlyMap<string, readonly string[]>): boolean {
  const { id, combinations } = combinationsOf(strength, known);
  if (combinations.length === 0) return id === BUILT_IN_PHISHING_RESISTANT;
  return combinations.every((c) => PHISHING_RESISTANT_COMBINATIONS.has(c));
}

/** Microsoft's built-in authentication strengths (MFA, passwordless MFA, phishing-resistant MFA): known without the strengths file. */
const BUILT_IN_STRENGTHS = new Set(['00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', BUILT_IN_PHISHING_RESISTANT]);

/**
 * Authentication method modes that are multifactor on their own (Graph's
 * authenticationMethodModes, as Microsoft's built-in MFA strength lists them): passkeys and
 * Windows Hello, certificate-based MFA, passwordless phone sign-in, federated MFA and the
 * Temporary Access Pass. A combination of two modes ("password,sms") is multifactor too;
 * `password`, `sms`, `voice`, `email`, `federatedSingleFactor`,
 * `x509CertificateSingleFactor` and OATH codes alone are single factors.
 */
const MULTIFACTOR_MODES = new Set([
  'fido2',
  'windowsHelloForBusiness',
  'x509CertificateMultiFactor',
  'deviceBasedPush',
  'federatedMultiFactor',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
]);
const isMultifactor = (combination: string): boolean => combination.includes(',') || MULTIFACTOR_MODES.has(combination.trim());

/**
 * Whether an authentication strength demands more than one factor: every combination it
 * allows is multifactor. A custom strength allowing `password` or `federatedSingleFactor`
 * lets a single factor through. Unknown combinations (a custom strength not read) are not
 * MFA here; the collector marks the policy's MFA fields unknown for them.
 */
export function strengthRequiresMfa(strength: Json, known: ReadonlyMap<string, readonly string[]>): boolean {
  const { id, combinations } = combinationsOf(strength, known);
  if (combinations.length === 0) return id !== null && BUILT_IN_STRENGTHS.has(id);
  return combinations.every(isMultifactor);
}

/**
 * Whether a conditional access policy requires a custom authentication strength whose
 * combinations are neither in the policy nor among the strengths read: what it demands is
 * then unknown (the strengths file or endpoint is needed), not "MFA".
 */
export function requiresUnknownStrength(raw: unknown, known: ReadonlyMap<string, readonly string[]>): boolean {
  const strength = obj(obj(obj(raw)?.grantControls)?.authenticationStrength);
  if (!strength) return false;
  const id = str(strength.id);
  if (strings(strength.allowedCombinations).length > 0 || (id !== null && (known.has(id) || BUILT_IN_STRENGTHS.has(id)))) return false;
  return true;
}

export function indexStrengths(page: readonly unknown[], into: Map<string, readonly string[]>): void {
  for (const raw of page) {
    const row = obj(raw);
    const id = str(row?.id);
    if (row && id) into.set(id, strings(row.allowedCombinations));
  }
}

const caStates = { enabled: 'enabled', disabled: 'disabled', enabledForReportingButNotEnforced: 'report_only' } as const;

/**
 * Normalises a conditional access policy. "Requires X" means every way of satisfying
 * the grant includes X: with operator OR, `[mfa, compliantDevice]` requires neither
 * (a compliant device alone lets a password through).
 */
export function mapConditionalAccessPolicy(ctx: MapContext, raw: unknown, strengths: ReadonlyMap<string, readonly string[]>): ResourceOf<'idp.accessPolicy'> | null {
  const row = obj(raw);
  const id = str(row?.id);
  if (!row || !id) return null;
  const conditions = obj(row.conditions) ?? {};
  const users = obj(conditions.users) ?? {};
  const apps = obj(conditions.applications) ?? {};
  const grant = obj(row.grantControls);
  const session = obj(row.sessionControls);
  const controls = strings(grant?.builtInControls);
  const strength = obj(grant?.authenticationStrength);
  // Each grant path is the set of controls one sign-in must satisfy.
  const strengthControl = !strength
    ? []
    : strengthIsPhishingResistant(strength, strengths)
      ? ['strength:phishing_resistant']
      : strengthRequiresMfa(strength, strengths)
        ? ['strength:mfa']
        : ['strength:single_factor'];
  const all = [...controls, ...strengthControl];
  const paths: string[][] = all.length === 0 ? [[]] : str(grant?.operator) === 'AND' ? [all] : all.map((c) => [c]);
  const every = (test: (path: string[]) => boolean): boolean => paths.every(test);
  const requiresPhishingResistantMfa = every((p) => p.includes('strength:phishing_resistant'));
  const requiresMfa = every((p) => p.includes('mfa') || p.includes('strength:mfa') || p.includes('strength:phishing_resistant'));
  const requiresCompliantDevice = every((p) => p.includes('compliantDevice') || p.includes('domainJoinedDevice'));

  const frequency = obj(session?.signInFrequency);
  let sessionLifetimeMinutes: number | null = null;
  if (frequency?.isEnabled === true) {
    if (str(frequency.frequencyInterval) === 'everyTime') sessionLifetimeMinutes = 0;
    else if (typeof frequency.value === 'number') sessionLifetimeMinutes = Math.round(frequency.value * (str(frequency.type) === 'days' ? 1440 : 60));
  }
  const persistent = obj(session?.persistentBrowser);
  const narrowedBy: string[] = [];
  const platforms = obj(conditions.platforms);
  if (platforms && (strings(platforms.includePlatforms).some((p) => p !== 'all') || strings(platforms.excludePlatforms).length > 0)) narrowedBy.push('platforms');
  const locations = obj(conditions.locations);
  if (locations && (strings(locations.includeLocations).some((l) => l !== 'All') || strings(locations.excludeLocations).length > 0)) narrowedBy.push('locations');
  if (strings(conditions.signInRiskLevels).length > 0) narrowedBy.push('signInRisk');
  if (strings(conditions.userRiskLevels).length > 0) narrowedBy.push('userRisk');
  if (strings(conditions.servicePrincipalRiskLevels).length > 0) narrowedBy.push('servicePrincipalRisk');
  // insiderRiskLevels is a flags value ("minor,moderate,elevated"): the policy then reaches only users at those levels.
  if (str(conditions.insiderRiskLevels) || strings(conditions.insiderRiskLevels).length > 0) narrowedBy.push('insiderRisk');
  // An application filter (custom security attributes) includes or excludes apps: no longer every app.
  if (obj(apps.applicationFilter)) narrowedBy.push('applicationFilter');
  if (obj(obj(conditions.devices)?.deviceFilter)) narrowedBy.push('deviceFilter');
  if (obj(conditions.authenticationFlows)) narrowedBy.push('authenticationFlows');
  if (strings(apps.excludeApplications).length > 0) narrowedBy.push('excludedApplications');
  if (strings(apps.includeUserActions).length > 0) narrowedBy.push('userActions');

  const excludedUsers = strings(users.excludeUsers);
  if (obj(users.excludeGuestsOrExternalUsers)) excludedUsers.push('GuestsOrExternalUsers');
  const clientAppTypes = strings(conditions.clientAppTypes);
  return kindResource(ctx, 'idp.accessPolicy', 'conditionalAccessPolicy', id, str(row.displayName) ?? id, {
    provider: 'entra',
    tenant: ctx.tenant,
    state: caStates[str(row.state) as keyof typeof caStates] ?? 'disabled',
    appliesToAllUsers: strings(users.includeUsers).includes('All'),
    appliesToAllApps: strings(apps.includeApplications).includes('All'),
    includedRoles: strings(users.includeRoles),
    excludedUsers,
    // Excluded directory roles are exclusions too; they cannot be resolved to break-glass accounts.
    excludedGroups: [...strings(users.excludeGroups), ...strings(users.excludeRoles).map((r) => `role:${r}`)],
    clientAppTypes: clientAppTypes.length > 0 ? clientAppTypes : ['all'],
    action: controls.includes('block') ? 'block' : 'allow',
    requiresMfa: !controls.includes('block') && grant !== null && requiresMfa,
    requiresPhishingResistantMfa: !controls.includes('block') && grant !== null && requiresPhishingResistantMfa,
    requiresCompliantDevice: !controls.includes('block') && grant !== null && requiresCompliantDevice,
    sessionLifetimeMinutes,
    sessionIdleMinutes: null,
    // Conditional access has no idle timeout; sign-in frequency and persistence are its session controls.
    idleTimeoutSupported: false,
    persistentSession: persistent?.isEnabled === true ? str(persistent.mode) === 'always' : null,
    narrowedBy,
    audience: audienceOf(users),
  });
}

const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Whom a conditional access policy targets, in words: its user, group and role includes
 * (roles by name where zt knows them), then everything it excludes. Exclusions win over
 * inclusions in conditional access, so they are always named.
 */
function audienceOf(users: Record<string, unknown>): string {
  const includeUsers = strings(users.includeUsers);
  const roles = strings(users.includeRoles).map((r) => privilegedRoleTemplates[r] ?? `role ${r}`);
  const included = includeUsers.includes('All')
    ? ['all users']
    : [
        ...(includeUsers.includes('GuestsOrExternalUsers') || obj(users.includeGuestsOrExternalUsers) ? ['guests and external users'] : []),
        ...(includeUsers.filter((u) => u !== 'GuestsOrExternalUsers' && u !== 'None').length > 0 ? [counted(includeUsers.filter((u) => u !== 'GuestsOrExternalUsers' && u !== 'None').length, 'user')] : []),
        ...(strings(users.includeGroups).length > 0 ? [counted(strings(users.includeGroups).length, 'group')] : []),
        ...(roles.length > 0 ? [`role${roles.length === 1 ? '' : 's'} ${[...roles].sort().join(', ')}`] : []),
      ];
  const excludeUsers = strings(users.excludeUsers).filter((u) => u !== 'GuestsOrExternalUsers');
  const excluded = [
    ...(excludeUsers.length > 0 ? [counted(excludeUsers.length, 'user')] : []),
    ...(obj(users.excludeGuestsOrExternalUsers) || strings(users.excludeUsers).includes('GuestsOrExternalUsers') ? ['guests and external users'] : []),
    ...(strings(users.excludeGroups).length > 0 ? [counted(strings(users.excludeGroups).length, 'group')] : []),
    ...(strings(users.excludeRoles).length > 0 ? [counted(strings(users.excludeRoles).length, 'role')] : []),
  ];
  const who = included.length > 0 ? included.join(', ') : 'nobody';
  return excluded.length > 0 ? `${who} except ${excluded.join(', ')}` : who;
}

// ---------------------------------------------------------------------------------------
// Domains

const INT32_MAX = 2147483647;
/** Graph's passwordValidityPeriodInDays for "passwords never expire". */
const PASSWORD_NEVER_EXPIRES = INT32_MAX;
/** What Entra applies when a domain's passwordValidityPeriodInDays is not set. */
const DEFAULT_PASSWORD_VALIDITY_DAYS = 90;
/** A Graph Int32 field; anything else (text, fractions, 1e30) is read as not set. */
const wholeNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= INT32_MAX ? v : null);

/** Maps one `/domains` row; null without an id (the domain name). */
export function mapDomain(ctx: MapContext, raw: unknown): ResourceOf<'entra.domain'> | null {
  const row = obj(raw);
  const id = str(row?.id);
  if (!row || !id) return null;
  const validity = wholeNumber(row.passwordValidityPeriodInDays);
  const type = str(row.authenticationType)?.toLowerCase();
  return kindResource(ctx, 'entra.domain', 'domain', id, id, {
    tenant: ctx.tenant,
    // Graph documents Managed and Federated; anything else is left unknown (null).
    authenticationType: type === 'managed' || type === 'federated' ? type : null,
    isVerified: bool(row.isVerified),
    isDefault: bool(row.isDefault),
    isRoot: bool(row.isRoot),
    passwordValidityPeriodInDays: validity,
    passwordExpiresAfterDays: validity === PASSWORD_NEVER_EXPIRES ? null : (validity ?? DEFAULT_PASSWORD_VALIDITY_DAYS),
    passwordNotificationWindowInDays: wholeNumber(row.passwordNotificationWindowInDays),
    supportedServices: strings(row.supportedServices),
  });
}

// ---------------------------------------------------------------------------------------
// Tenant

const RESTRICTED_GUEST_ROLE = '2af84b1e-32c8-42b7-82bc-daa82404023b';

export interface TenantInputs {
  readonly authorizationPolicy: Json | null;
  readonly authenticationMethodsPolicy: Json | null;
  readonly securityDefaults: Json | null;
}

/** A single-object endpoint may also arrive as `{ value: [object] }` (older exports, beta). */
export function single(body: unknown): Json | null {
  const o = obj(body);
  if (!o) return null;
  if (Array.isArray(o.value)) return obj(o.value[0]);
  return o;
}

export function mapTenant(ctx: MapContext, inputs: TenantInputs): Resource {
  const auth = inputs.authorizationPolicy;
  const defaults = obj(auth?.defaultUserRolePermissions);
  // The consent policies assigned to the default user role: Graph v1.0 puts them in
  // defaultUserRolePermissions.permissionGrantPoliciesAssigned, beta at the top level
  // (permissionGrantPolicyIdsAssignedToDefaultUserRole). Neither present: unknown, never "none".
  const assigned = Array.isArray(defaults?.permissionGrantPoliciesAssigned)
    ? defaults.permissionGrantPoliciesAssigned
    : Array.isArray(auth?.permissionGrantPolicyIdsAssignedToDefaultUserRole)
      ? auth.permissionGrantPolicyIdsAssignedToDefaultUserRole
      : null;
  const grants = assigned === null ? null : strings(assigned);
  const methods = inputs.authenticationMethodsPolicy
    ? (Array.isArray(inputs.authenticationMethodsPolicy.authenticationMethodConfigurations) ? inputs.authenticationMethodsPolicy.authenticationMethodConfigurations : [])
        .map(obj)
        .filter((c): c is Json => c !== null && str(c.state) === 'enabled' && str(c.id) !== null)
        .map((c) => str(c.id) as string)
        .sort()
    : null;
  const guestRole = str(auth?.guestUserRoleId);
  return resource(ctx, 'entra.tenant', 'tenant', '', `Entra tenant ${ctx.tenant}`, {
    tenantId: ctx.tenant,
    securityDefaultsEnabled: inputs.securityDefaults ? bool(inputs.securityDefaults.isEnabled) : null,
    enabledAuthenticationMethods: methods,
    // User consent is restricted when no self-grant policy is assigned, or only the
    // "verified publishers, low-impact permissions" one.
    usersCanConsentToApps:
      grants === null ? null : grants.some((g) => g.startsWith('ManagePermissionGrantsForSelf.') && g !== 'ManagePermissionGrantsForSelf.microsoft-user-default-low'),
    usersCanCreateApps: bool(defaults?.allowedToCreateApps),
    usersCanCreateTenants: bool(defaults?.allowedToCreateTenants),
    guestInvitesFrom: str(auth?.allowInvitesFrom),
    guestAccessRestricted: guestRole ? guestRole === RESTRICTED_GUEST_ROLE : null,
  });
}

/**
 * Users' managers from `GET /users?$expand=manager($select=id,userPrincipalName)`: each row's
 * `manager` is the expanded directory object (a user, or an org contact without a
 * userPrincipalName: then its id), absent or null when the user has none.
 */
export function managersOf(page: readonly unknown[]): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const raw of page) {
    const row = obj(raw);
    const id = str(row?.id);
    if (!row || !id) continue;
    const manager = obj(row.manager);
    out.push([id, manager ? (str(manager.userPrincipalName) ?? str(manager.id)) : null]);
  }
  return out;
}
