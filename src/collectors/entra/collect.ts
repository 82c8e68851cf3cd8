import { kindsProducedBy, type Kind } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import { coverageRank } from '../../model/coverage.js';
import type { CollectionIssue, KindCoverage } from '../../model/coverage.js';
import type { CollectorContext, CollectorOutput } from '../types.js';
import { EndpointError, endpoints, type Endpoint, type EndpointFailure, type GraphReader } from './endpoints.js';
import {
  indexRegistrations,
  indexRoleDefinitions,
  indexStrengths,
  mapActiveAssignment,
  mapConditionalAccessPolicy,
  mapDomain,
  requiresUnknownStrength,
  mapEligibleAssignment,
  groupResource,
  mapTenant,
  mapUser,
  managersOf,
  ownersOf,
  factorsOf,
  single,
  type Json,
  type MapContext,
  type Registration,
  type RoleAssignmentRecord,
  type RoleInfo,
} from './map.js';

const issueCodes: Record<EndpointFailure['reason'], string> = {
  license_missing: 'ZT_COLLECT_LICENSE_MISSING',
  permission_denied: 'ZT_COLLECT_ACCESS_DENIED',
  api_error: 'ZT_COLLECT_API_ERROR',
  input_missing: 'ZT_COLLECT_INPUT_MISSING',
  throttled: 'ZT_COLLECT_THROTTLED',
};

/**
 * Reads one tenant through a reader (live Graph or an export folder) and maps it.
 * The two long page chains, registration details and users, run side by side (each is
 * sequential: a page names the next), so a large tenant takes about one chain's time, not
 * two. Memory stays bounded: registrations go into a compact index, users are streamed
 * page by page and mapped as they arrive (only mapped resources are kept), and their
 * factors are joined from the index once both chains are done.
 */
/** The user attributes that come from role assignments (directly or through groups). */
const ADMIN_FIELDS: readonly string[] = ['adminRoles', 'privileged'];
/** The access-policy attributes an authentication strength decides. */
const STRENGTH_FIELDS: readonly string[] = ['requiresMfa', 'requiresPhishingResistantMfa'];

export async function collectTenant(reader: GraphReader, tenant: string, context: CollectorContext, description: string): Promise<CollectorOutput> {
  const ctx: MapContext = { tenant, config: context.config, source: `entra:${tenant}` };
  const coverage: Partial<Record<Kind, KindCoverage>> = Object.fromEntries(kindsProducedBy('entra').map((k) => [k, { state: 'complete' }]));
  const issues: CollectionIssue[] = [];
  const resources: Resource[] = [];
  const groupIds = new Set<string>();

  /** `unknownFields`: attributes of the kinds that the failure leaves as placeholders (rules reading them are not evaluated). */
  const degrade = (kinds: readonly Kind[], state: 'partial' | 'missing', reason: KindCoverage['reason'], detail: string, unknownFields: readonly string[] = []): void => {
    for (const kind of kinds) {
      const current = coverage[kind];
      const fields = [...new Set([...(current?.unknownFields ?? []), ...unknownFields])].sort();
      const next = !current || coverageRank(state) > coverageRank(current.state) ? { state, ...(reason ? { reason } : {}), detail } : current;
      coverage[kind] = fields.length > 0 ? { ...next, unknownFields: fields } : next;
    }
  };
  const report = (endpoint: Endpoint, failure: EndpointFailure, kinds: readonly Kind[], state: 'partial' | 'missing', consequence: string, unknownFields: readonly string[] = []): void => {
    const reason = failure.reason === 'throttled' ? 'api_error' : failure.reason;
    degrade(kinds, state, reason, failure.detail, unknownFields);
    issues.push({
      collector: 'entra',
      severity: failure.reason === 'license_missing' || failure.reason === 'input_missing' ? 'warning' : 'error',
      code: issueCodes[failure.reason],
      message: `${failure.detail}; ${consequence}`,
      kinds: [...kinds],
    });
  };
  /** Runs a read; returns the failure (already reported by the caller) instead of throwing. */
  const attempt = async (run: () => Promise<void>): Promise<EndpointFailure | null> => {
    try {
      await run();
      return null;
    } catch (error) {
      if (error instanceof EndpointError) return error.failure;
      throw error;
    }
  };
  const eachPage = async (endpoint: Endpoint, handle: (page: readonly unknown[]) => void): Promise<EndpointFailure | null> =>
    attempt(async () => {
      let n = 0;
      for await (const page of reader.pages(endpoint)) {
        handle(page);
        n += page.length;
        context.progress(`Entra: ${endpoint.id} (${n})`);
      }
    });

  // Registration details: read while everything else is (see above); a compact index.
  const registrations = new Map<string, Registration>();
  const registrationsRead = eachPage(endpoints.userRegistrationDetails, (page) => indexRegistrations(page, registrations));
  // Awaited in step 5; marked handled now so a failure elsewhere first is not also an unhandled rejection.
  registrationsRead.catch(() => undefined);

  // 1. Directory roles: definitions, active assignments (PIM instances, or plain
  //    assignments without P2), eligible assignments.
  const roles = new Map<string, RoleInfo>();
  const roleFailure = await eachPage(endpoints.roleDefinitions, (page) => indexRoleDefinitions(page, roles));
  if (roleFailure) report(endpoints.roleDefinitions, roleFailure, ['entra.roleAssignment'], 'partial', 'role names fall back to built-in template names');

  const assignments: RoleAssignmentRecord[] = [];
  const byPrincipal = new Map<string, RoleAssignmentRecord[]>();
  const keep = (record: RoleAssignmentRecord | null): void => {
    if (!record) return;
    assignments.push(record);
    const id = String(record.attributes.principalId);
    const list = byPrincipal.get(id);
    if (list) list.push(record);
    else byPrincipal.set(id, [record]);
  };
  let activeFailure = await eachPage(endpoints.roleAssignmentScheduleInstances, (page) => {
    for (const raw of page) keep(mapActiveAssignment(ctx, raw, roles));
  });
  let pimAvailable = activeFailure === null;
  if (activeFailure?.reason === 'license_missing' || activeFailure?.reason === 'input_missing') {
    // Without P2 there is no PIM: every assignment is standing, read them plainly.
    const pimFailure = activeFailure;
    activeFailure = await eachPage(endpoints.roleAssignments, (page) => {
      for (const raw of page) keep(mapActiveAssignment(ctx, raw, roles, true));
    });
    if (!activeFailure) {
      pimAvailable = false;
      report(endpoints.roleAssignmentScheduleInstances, pimFailure, ['entra.roleAssignment'], 'partial', 'read standing assignments without PIM instead; eligibility is unknown');
    }
  }
  if (activeFailure) {
    report(endpoints.roleAssignmentScheduleInstances, activeFailure, ['entra.roleAssignment'], 'missing', 'role assignments are not evaluated');
    report(endpoints.roleAssignmentScheduleInstances, { ...activeFailure, detail: 'administrator roles of users are unknown' }, ['idp.user'], 'partial', 'rules on administrators are not evaluated', ADMIN_FIELDS);
    issues.pop(); // one issue per cause: the coverage note on idp.user is enough
  }
  if (pimAvailable) {
    const eligibleFailure = await eachPage(endpoints.roleEligibilitySchedules, (page) => {
      for (const raw of page) keep(mapEligibleAssignment(ctx, raw, roles));
    });
    if (eligibleFailure) report(endpoints.roleEligibilitySchedules, eligibleFailure, ['entra.roleAssignment'], 'partial', 'eligible (PIM) assignments are unknown');
  }
  const activeRoles = new Map<string, { names: Set<string>; privileged: boolean }>();
  for (const a of assignments) {
    const at = a.attributes;
    if (at.state !== 'active' || at.principalType !== 'user') continue;
    const id = String(at.principalId);
    const entry = activeRoles.get(id) ?? { names: new Set<string>(), privileged: false };
    entry.names.add(String(at.roleName));
    entry.privileged ||= at.privileged === true;
    activeRoles.set(id, entry);
  }

  // 2. Conditional access and authentication strengths.
  const strengths = new Map<string, readonly string[]>();
  const strengthFailure = await eachPage(endpoints.authenticationStrengthPolicies, (page) => indexStrengths(page, strengths));
  if (strengthFailure && strengthFailure.reason !== 'input_missing') {
    report(endpoints.authenticationStrengthPolicies, strengthFailure, ['idp.accessPolicy'], 'partial', 'custom authentication strengths are classified from the policy alone');
  }
  let unknownStrengths = 0;
  const caFailure = await eachPage(endpoints.conditionalAccessPolicies, (page) => {
    for (const raw of page) {
      if (requiresUnknownStrength(raw, strengths)) unknownStrengths++;
      const policy = mapConditionalAccessPolicy(ctx, raw, strengths);
      if (!policy) continue;
      resources.push(policy);
      for (const g of policy.attributes.excludedGroups) if (!g.startsWith('role:')) groupIds.add(g);
    }
  });
  if (caFailure) report(endpoints.conditionalAccessPolicies, caFailure, ['idp.accessPolicy'], 'missing', 'conditional access rules are not evaluated');
  else if (unknownStrengths > 0) {
    // Custom strengths referenced but not read: what those policies demand is unknown.
    const consequence = `${unknownStrengths} conditional access polic${unknownStrengths === 1 ? 'y requires' : 'ies require'} a custom authentication strength, so whether they require MFA or phishing-resistant MFA is unknown`;
    if (!strengthFailure) {
      // The strengths were read, yet a policy names one that is not among them (an export
      // cut short or taken at two moments): its demands are unknown, never "MFA".
      report(
        endpoints.authenticationStrengthPolicies,
        { reason: 'input_missing', detail: `${endpoints.authenticationStrengthPolicies.path} does not hold a custom authentication strength that conditional access names` },
        ['idp.accessPolicy'],
        'partial',
        consequence,
        STRENGTH_FIELDS,
      );
    } else if (strengthFailure.reason === 'input_missing') report(endpoints.authenticationStrengthPolicies, strengthFailure, ['idp.accessPolicy'], 'partial', consequence, STRENGTH_FIELDS);
    // Any other failure was reported above; the fields it leaves unknown are added.
    else degrade(['idp.accessPolicy'], 'partial', strengthFailure.reason === 'throttled' ? 'api_error' : strengthFailure.reason, consequence, STRENGTH_FIELDS);
  }

  // 3. Groups that matter: those excluded from conditional access (are they break-glass
  //    only?) and those holding directory roles (their members are administrators).
  for (const a of assignments) if (a.attributes.principalType === 'group' && a.attributes.state === 'active') groupIds.add(String(a.attributes.principalId));
  const groupRoles = new Map<string, { names: Set<string>; privileged: boolean }>();
  for (const a of assignments) {
    const at = a.attributes;
    if (at.state !== 'active' || at.principalType !== 'group') continue;
    const entry = groupRoles.get(String(at.principalId)) ?? { names: new Set<string>(), privileged: false };
    entry.names.add(String(at.roleName));
    entry.privileged ||= at.privileged === true;
    groupRoles.set(String(at.principalId), entry);
  }
  const MAX_GROUPS = 500;
  // Owners (optional): the access review's reviewers of grants held through a group. The
  // first failure leaves every group's owners unknown (null), never "no owner".
  let ownerFailure: EndpointFailure | null = null;
  const ownersOfGroup = async (id: string): Promise<string[] | null> => {
    if (ownerFailure) return null;
    let owners: string[] | null = null;
    ownerFailure = await attempt(async () => {
      owners = ownersOf(await reader.groupOwners(id));
    });
    return owners;
  };
  if (groupIds.size > 0) {
    let read = 0;
    let groupFailure: EndpointFailure | null = null;
    for (const id of [...groupIds].sort().slice(0, MAX_GROUPS)) {
      context.progress(`Entra: group members (${++read}/${Math.min(groupIds.size, MAX_GROUPS)})`);
      let group: Awaited<ReturnType<GraphReader['group']>> = null;
      // A group holding a directory role is required: not found, who holds its roles is
      // unknown, not "nobody" (taken as gone, its members stopped being administrators and
      // passed administrator rules on complete coverage). A conditional access exclusion
      // naming a deleted group is ordinary: that one is skipped.
      groupFailure = await attempt(async () => {
        group = await reader.group(id, groupRoles.has(id));
      });
      if (groupFailure) break;
      const found = group as Awaited<ReturnType<GraphReader['group']>>;
      if (!found) continue;
      const held = groupRoles.get(id);
      resources.push(groupResource(ctx, found.id, found.displayName, found.memberIds, held ? [...held.names].sort() : [], await ownersOfGroup(found.id)));
      if (held) {
        for (const member of found.memberIds) {
          const entry = activeRoles.get(member) ?? { names: new Set<string>(), privileged: false };
          for (const name of held.names) entry.names.add(name);
          entry.privileged ||= held.privileged;
          activeRoles.set(member, entry);
        }
      }
    }
    if (ownerFailure) {
      const failure: EndpointFailure = ownerFailure;
      // Owners unknown on every group: groups read before the failure too, so the answer does not depend on order.
      for (const r of resources) if (r.kind === 'idp.group') (r.attributes as Json).owners = null;
      issues.push({
        collector: 'entra',
        severity: 'info',
        code: issueCodes[failure.reason],
        message: `${failure.detail}; group owners are unknown, so they do not assign access reviewers`,
        kinds: ['idp.group'],
      });
    }
    if (groupFailure) {
      report(endpoints.groups, groupFailure, ['idp.group'], 'missing', 'excluded groups cannot be checked for break-glass-only membership');
      if (groupRoles.size > 0) {
        degrade(['idp.user'], 'partial', groupFailure.reason === 'throttled' ? 'api_error' : groupFailure.reason, 'members of role-holding groups are not known, so who is an administrator is unknown', ADMIN_FIELDS);
      }
    } else if (groupIds.size > MAX_GROUPS) {
      report(endpoints.groups, { reason: 'api_error', detail: `${groupIds.size} groups are referenced; zt read the first ${MAX_GROUPS}` }, ['idp.group'], 'partial', 'the rest are unknown');
    }
  }

  // 4. Users, streamed and mapped page by page; factors are joined in step 5.
  const unknownMethods = new Map<string, number>();
  const mappedUsers: { readonly id: string; readonly resource: Resource }[] = [];
  const users = new Map<string, { login: string; synced: boolean | null }>();
  let withActivity = 0;
  let userCount = 0;
  const mapPage = (page: readonly unknown[]): void => {
    for (const raw of page) {
      if (raw !== null && typeof raw === 'object' && 'signInActivity' in raw) withActivity++;
      const mapped = mapUser(ctx, raw, null, activeRoles);
      if (!mapped) continue;
      userCount++;
      resources.push(mapped.resource);
      const id = String((raw as Json).id);
      mappedUsers.push({ id, resource: mapped.resource });
      if (byPrincipal.has(id)) {
        const synced = (raw as Json).onPremisesSyncEnabled;
        users.set(id, { login: String(mapped.resource.attributes.login), synced: typeof synced === 'boolean' ? synced : false });
      }
    }
  };
  let userFailure = await eachPage(endpoints.users, mapPage);
  if (userFailure?.reason === 'license_missing' && reader.mode === 'live' && userCount === 0) {
    report(endpoints.users, userFailure, ['idp.user'], 'partial', 'users were listed without sign-in activity, so last sign-in is unknown');
    userFailure = await eachPage(endpoints.usersWithoutSignInActivity, mapPage);
  }
  if (userFailure) {
    report(endpoints.users, userFailure, ['idp.user'], userCount === 0 ? 'missing' : 'partial', userCount === 0 ? 'no users were read' : `only ${userCount} users were read`);
  }
  if (!userFailure && reader.mode === 'offline' && userCount > 0 && withActivity === 0) {
    report(
      endpoints.users,
      { reason: 'input_missing', detail: `${endpoints.users.file} has no signInActivity (export it with $select=…,signInActivity; needs Entra ID P1)` },
      ['idp.user'],
      'partial',
      'last sign-in is unknown',
    );
  }

  // 4b. Managers (optional): a user's manager is the access review's default reviewer.
  // Unread, `manager` stays absent (not collected), which never stands for "no manager".
  if (userCount > 0) {
    const managers = new Map<string, string | null>();
    const managerFailure = await eachPage(endpoints.userManagers, (page) => {
      for (const [id, manager] of managersOf(page)) managers.set(id, manager);
    });
    if (managerFailure) {
      issues.push({
        collector: 'entra',
        severity: 'info',
        code: issueCodes[managerFailure.reason],
        message: `${managerFailure.detail}; users' managers are unknown, so they do not assign access reviewers`,
        kinds: ['idp.user'],
      });
    } else {
      for (const { id, resource } of mappedUsers) (resource.attributes as Record<string, unknown>).manager = managers.get(id) ?? null;
    }
  }

  // 5. Join each user's factors from the registration index.
  const registrationFailure = await registrationsRead;
  if (registrationFailure) {
    report(endpoints.userRegistrationDetails, registrationFailure, ['idp.user'], 'missing', 'users are listed but their authentication methods are unknown, so user rules are not evaluated');
  } else {
    for (const { id, resource } of mappedUsers) {
      const joined = factorsOf(ctx, registrations.get(id));
      // The collector still owns the object it built: readers see attributes as read-only.
      (resource.attributes as Json).factors = joined.factors;
      for (const m of joined.unknownMethods) unknownMethods.set(m, (unknownMethods.get(m) ?? 0) + 1);
    }
  }
  if (unknownMethods.size > 0) {
    issues.push({
      collector: 'entra',
      severity: 'info',
      code: 'ZT_ENTRA_UNKNOWN_METHODS',
      message: `authentication methods zt does not recognise were counted as no factor ("other"): ${[...unknownMethods].map(([m, n]) => `${m} (${n} users)`).join(', ')}`,
      kinds: ['idp.user'],
    });
  }
  // Fill in what only the user list knows about role holders.
  for (const [id, user] of users) {
    for (const record of byPrincipal.get(id) ?? []) {
      record.attributes.principalOnPremisesSynced = user.synced;
      if (record.attributes.principalName === null) record.attributes.principalName = user.login;
    }
  }
  resources.push(...assignments);

  // 6. Tenant-wide policies.
  const readSingle = async (endpoint: Endpoint): Promise<Json | null> => {
    let value: Json | null = null;
    const failure = await attempt(async () => {
      value = single(await reader.single(endpoint));
    });
    if (failure) report(endpoint, failure, ['entra.tenant'], 'partial', 'the settings it holds are unknown (null)');
    return value;
  };
  const authorizationPolicy = await readSingle(endpoints.authorizationPolicy);
  const tenantResource = mapTenant(ctx, {
    authorizationPolicy,
    authenticationMethodsPolicy: await readSingle(endpoints.authenticationMethodsPolicy),
    securityDefaults: await readSingle(endpoints.identitySecurityDefaultsEnforcementPolicy),
  });
  resources.push(tenantResource);
  if (authorizationPolicy && tenantResource.attributes.usersCanConsentToApps === null) {
    // The policy was read but says nothing of user consent: unknown, not "users cannot consent".
    report(
      endpoints.authorizationPolicy,
      { reason: 'input_missing', detail: `${endpoints.authorizationPolicy.path} holds no permissionGrantPoliciesAssigned (the consent policies of the default user role)` },
      ['entra.tenant'],
      'partial',
      'whether users can consent to applications is unknown',
      ['usersCanConsentToApps'],
    );
  }

  // 7. Domains: how each one's users authenticate, and the password expiry of managed ones.
  let domainCount = 0;
  const domainFailure = await eachPage(endpoints.domains, (page) => {
    for (const raw of page) {
      const domain = mapDomain(ctx, raw);
      if (!domain) continue;
      domainCount++;
      resources.push(domain);
    }
  });
  if (domainFailure) {
    report(
      endpoints.domains,
      domainFailure,
      ['entra.domain'],
      domainCount === 0 ? 'missing' : 'partial',
      domainCount === 0 ? 'the password expiry of the domains is not evaluated' : `only ${domainCount} domains were read`,
    );
  }
  if (context.config.identity.syncedPasskeysArePhishingResistant) {
    issues.push({
      collector: 'entra',
      severity: 'info',
      code: 'ZT_ENTRA_SYNCED_PASSKEYS',
      message: 'synced passkeys (passKeySynced) are counted as phishing-resistant (identity.syncedPasskeysArePhishingResistant: true)',
      kinds: ['idp.user'],
    });
  }
  // The tenant's coverage figures (users with MFA, conditional access per admin role, active
  // Global Administrators) are derived from users, policies and role assignments: a tenant
  // whose users were not all read is not one where "every human user has MFA".
  const figureInputs: [string, EndpointFailure | null][] = [
    ['users', userFailure],
    ['authentication methods', registrationFailure],
    ['conditional access policies', caFailure],
    ['authentication strengths', strengthFailure && strengthFailure.reason !== 'input_missing' ? strengthFailure : null],
    ['role assignments', activeFailure],
  ];
  const unread = figureInputs.filter(([, failure]) => failure !== null);
  if (unread.length > 0) {
    const reason = unread[0]![1]!.reason;
    degrade(['entra.tenant'], 'partial', reason === 'throttled' ? 'api_error' : reason, `the figures derived from ${unread.map(([name]) => name).join(', ')} are incomplete`);
  }
  return { source: { collector: 'entra', source: description, mode: reader.mode, ...(reader.asOf ? { asOf: reader.asOf } : {}) }, resources, coverage, issues };
}
