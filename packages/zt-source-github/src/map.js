// Pure mapping of what read.js read into resources, coverage and issues. A read that failed
// leaves its kind partial or missing, and the fields it feeds null and named in
// `unknownFields`: rules reading them are not evaluated (never a pass).

const COLLECTOR = 'github';
const WRITE = new Set(['write', 'admin']);
const PROTECTION_FIELDS = ['branchProtected', 'requiredApprovingReviews', 'dismissStaleReviews', 'requireCodeOwnerReviews', 'requiredStatusChecks', 'requiredSignatures', 'forcePushBlocked', 'deletionBlocked'];

const worse = (a, b) => {
  const order = { complete: 0, partial: 1, missing: 2 };
  return !a || order[b.state] > order[a.state] ? b : a;
};

/** Classic branch protection (GET …/branches/{b}/protection) and the rules applying to the branch (GET …/rules/branches/{b}), combined. */
export function effectiveProtection(classic, rules) {
  const byType = (type) => rules.filter((r) => r?.type === type);
  const pr = byType('pull_request').map((r) => r.parameters ?? {});
  const reviews = classic?.required_pull_request_reviews;
  const checks = new Set([
    ...(classic?.required_status_checks?.contexts ?? []),
    ...(classic?.required_status_checks?.checks ?? []).map((c) => c.context),
    ...byType('required_status_checks').flatMap((r) => (r.parameters?.required_status_checks ?? []).map((c) => c.context)),
  ]);
  return {
    branchProtected: classic !== null || rules.length > 0,
    requiredApprovingReviews: Math.max(reviews?.required_approving_review_count ?? 0, ...pr.map((p) => p.required_approving_review_count ?? 0)),
    dismissStaleReviews: Boolean(reviews?.dismiss_stale_reviews) || pr.some((p) => p.dismiss_stale_reviews_on_push === true),
    requireCodeOwnerReviews: Boolean(reviews?.require_code_owner_reviews) || pr.some((p) => p.require_code_owner_review === true),
    requiredStatusChecks: [...checks].filter((c) => typeof c === 'string').sort(),
    requiredSignatures: Boolean(classic?.required_signatures?.enabled) || byType('required_signatures').length > 0,
    forcePushBlocked: (classic !== null && classic.allow_force_pushes?.enabled !== true) || byType('non_fast_forward').length > 0,
    deletionBlocked: (classic !== null && classic.allow_deletions?.enabled !== true) || byType('deletion').length > 0,
  };
}

/** A protection read: the classic protection object, null when the branch has none, or the failure. */
function classicOf(outcome) {
  if (outcome.ok) return { ok: true, value: outcome.value };
  if (outcome.status === 404 && /branch not protected/i.test(outcome.detail)) return { ok: true, value: null };
  // A 404 that is not "Branch not protected": the plan lacks branch protection for this repository.
  if (outcome.status === 404) return { ...outcome, reason: 'license_missing' };
  return outcome;
}

/** Outcome reasons as zt coverage reasons. */
const coverageReason = (outcome) => (outcome.reason === 'not_found' ? 'api_error' : outcome.reason);

export function mapOrganization(read) {
  const { org } = read;
  const source = `github:${org}`;
  const idBase = `github://${org}`;
  const resources = [];
  const issues = [];
  const coverage = {};
  const gap = (kind, outcome, fields, state = 'partial') => {
    const entry = { state, reason: coverageReason(outcome), detail: outcome.detail, ...(fields?.length ? { unknownFields: fields } : {}) };
    const current = coverage[kind];
    coverage[kind] = current && current.state !== 'complete'
      ? { ...worse(current, entry), ...(current.unknownFields || fields ? { unknownFields: [...new Set([...(current.unknownFields ?? []), ...(fields ?? [])])].sort() } : {}) }
      : entry;
    issues.push({ collector: COLLECTOR, source, severity: 'warning', code: state === 'missing' ? 'ZT_COLLECT_ACCESS_DENIED' : 'ZT_COLLECT_API_ERROR', message: `${kind}: ${outcome.detail}`, kinds: [kind] });
  };
  for (const kind of ['github.organization', 'github.member', 'github.repository', 'github.appInstallation']) coverage[kind] = { state: 'complete' };
  const provenance = { collector: COLLECTOR, source };

  // Organisation.
  const s = read.settings.value;
  const actions = read.actions.ok ? read.actions.value : null;
  const workflow = read.workflow.ok ? read.workflow.value : null;
  const oidc = read.oidc.ok ? read.oidc.value : null;
  if (!read.actions.ok) { gap('github.organization', read.actions, ['actionsEnabledRepositories', 'actionsAllowedActions']); }
  if (!read.workflow.ok) { gap('github.organization', read.workflow, ['defaultWorkflowPermissions', 'actionsCanApprovePullRequestReviews']); }
  if (!read.oidc.ok) gap('github.organization', read.oidc, ['oidcSubjectClaimKeys']);
  if (!read.saml.ok) gap('github.organization', read.saml, ['samlSsoConfigured']);
  if (!read.admins.ok) gap('github.organization', read.admins, ['ownerCount']);
  // Fields the organisation object shows only to owners are absent for others: unknown, not false.
  const settingFields = { twoFactorRequirementEnabled: 'two_factor_requirement_enabled', defaultRepositoryPermission: 'default_repository_permission', membersCanCreatePublicRepositories: 'members_can_create_public_repositories' };
  const hidden = Object.entries(settingFields).filter(([, api]) => s[api] === undefined || s[api] === null).map(([field]) => field);
  if (hidden.length > 0) gap('github.organization', { reason: 'permission_denied', detail: `/orgs/${org}: ${hidden.join(', ')} not shown to this token (owners only)` }, hidden);
  resources.push({
    kind: 'github.organization',
    id: idBase,
    name: org,
    attributes: {
      login: s.login ?? org,
      twoFactorRequirementEnabled: s.two_factor_requirement_enabled ?? null,
      defaultRepositoryPermission: s.default_repository_permission ?? null,
      membersCanCreatePublicRepositories: s.members_can_create_public_repositories ?? null,
      samlSsoConfigured: read.saml.ok ? read.saml.value?.organization?.samlIdentityProvider != null : null,
      actionsEnabledRepositories: actions?.enabled_repositories ?? null,
      actionsAllowedActions: actions && actions.enabled_repositories !== 'none' ? (actions.allowed_actions ?? null) : null,
      defaultWorkflowPermissions: workflow?.default_workflow_permissions ?? null,
      actionsCanApprovePullRequestReviews: workflow?.can_approve_pull_request_reviews ?? null,
      oidcSubjectClaimKeys: oidc ? (oidc.use_default === true || !Array.isArray(oidc.include_claim_keys) ? ['repo', 'context'] : [...oidc.include_claim_keys]) : null,
      ownerCount: read.admins.ok ? read.admins.value.length : null,
    },
    provenance,
  });

  // Repositories.
  const outsideAdmin = new Map();
  if (!read.repos.ok) gap('github.repository', read.repos, undefined, 'missing');
  else {
    read.repos.value.forEach((repo, index) => {
      const reads = read.perRepo[index];
      const classic = classicOf(reads.protection);
      let protection = Object.fromEntries(PROTECTION_FIELDS.map((f) => [f, null]));
      if (classic.ok && reads.rules.ok) protection = effectiveProtection(classic.value, reads.rules.value);
      else {
        const failed = classic.ok ? reads.rules : classic;
        gap('github.repository', failed, PROTECTION_FIELDS);
      }
      if (!reads.keys.ok) gap('github.repository', reads.keys, ['deployKeys']);
      if (reads.collaborators.ok) {
        for (const c of reads.collaborators.value) if (c?.permissions?.admin === true) outsideAdmin.set(c.login, [...(outsideAdmin.get(c.login) ?? []), repo.name]);
      } else gap('github.member', reads.collaborators, ['adminRepositories']);
      resources.push({
        kind: 'github.repository',
        id: `${idBase}/repository/${repo.name}`,
        name: repo.full_name ?? `${org}/${repo.name}`,
        attributes: {
          org,
          name: repo.name,
          fullName: repo.full_name ?? `${org}/${repo.name}`,
          visibility: repo.visibility ?? (repo.private ? 'private' : 'public'),
          archived: repo.archived === true,
          defaultBranch: repo.default_branch ?? 'main',
          ...protection,
          deployKeys: reads.keys.ok ? reads.keys.value.map((k) => ({ id: k.id, title: k.title ?? '', readOnly: k.read_only === true })).sort((a, b) => a.id - b.id) : null,
        },
        provenance,
      });
    });
  }

  // Members: owners, members, outside collaborators.
  if (!read.members.ok) gap('github.member', read.members, undefined, 'missing');
  else {
    if (!read.admins.ok) gap('github.member', read.admins, ['role']);
    if (!read.outside.ok) gap('github.member', read.outside, undefined, 'partial');
    if (!read.twoFactorDisabled.ok) gap('github.member', read.twoFactorDisabled, ['twoFactorEnabled']);
    const owners = new Set(read.admins.ok ? read.admins.value.map((m) => m.login) : []);
    const noTwoFactor = new Set(read.twoFactorDisabled.ok ? read.twoFactorDisabled.value.map((m) => m.login) : []);
    const people = [
      ...read.members.value.map((m) => ({ login: m.login, role: owners.has(m.login) ? 'owner' : 'member' })),
      ...(read.outside.ok ? read.outside.value.map((m) => ({ login: m.login, role: 'outside_collaborator' })) : []),
    ];
    const seen = new Set();
    for (const person of people) {
      if (typeof person.login !== 'string' || seen.has(person.login)) continue;
      seen.add(person.login);
      resources.push({
        kind: 'github.member',
        id: `${idBase}/member/${person.login}`,
        name: person.login,
        attributes: {
          org,
          login: person.login,
          role: person.role,
          twoFactorEnabled: read.twoFactorDisabled.ok ? !noTwoFactor.has(person.login) : null,
          adminRepositories: (outsideAdmin.get(person.login) ?? []).sort(),
        },
        provenance,
      });
    }
  }

  // GitHub Apps.
  if (!read.installations.ok) gap('github.appInstallation', read.installations, undefined, 'missing');
  else {
    for (const installation of read.installations.value) {
      const permissions = Object.fromEntries(Object.entries(installation.permissions ?? {}).filter(([, v]) => typeof v === 'string').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      resources.push({
        kind: 'github.appInstallation',
        id: `${idBase}/app/${installation.id}`,
        name: installation.app_slug,
        attributes: {
          org,
          id: installation.id,
          appSlug: installation.app_slug,
          repositorySelection: installation.repository_selection === 'selected' ? 'selected' : 'all',
          permissions,
          writePermissions: Object.entries(permissions).filter(([, v]) => WRITE.has(v)).map(([k]) => k).sort(),
          suspended: installation.suspended_at != null,
        },
        provenance,
      });
    }
  }
  return { resources, coverage, issues };
}
