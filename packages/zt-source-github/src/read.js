// The walk over an organisation: which reads, in which order, through a reader that is the
// live client (client.js) or an export folder (export.js). Each read is an outcome; the
// mapper (map.js) turns failures into coverage, never into an empty answer.

const SAML_QUERY = 'query($org: String!) { organization(login: $org) { samlIdentityProvider { id } } }';

async function pool(items, size, work) {
  const results = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(runners);
  return results;
}

/**
 * @param {{ get: Function, list: Function, graphql: Function }} reader
 * @param {string} org
 * @param {(m: string) => void} progress
 */
export async function readOrganization(reader, org, progress, errors) {
  const o = encodeURIComponent(org);
  progress(`GitHub ${org}: organisation`);
  const settings = await reader.get('org.json', `/orgs/${o}`);
  if (!settings.ok) {
    if (settings.reason === 'not_found') throw errors.usage(`GitHub organisation ${org} was not found (${settings.detail})`, 'Check --github-org, and for GitHub Enterprise Server --github-api-url.');
    throw errors.accessDenied(`GitHub organisation ${org} cannot be read: ${settings.detail}`, 'The token needs read:org (classic) or Organization "Members: read" and "Administration: read" (fine-grained).');
  }
  const [admins, members, twoFactorDisabled, outside, installations, actions, workflow, oidc, saml] = [
    await reader.list('members-admin.json', `/orgs/${o}/members?role=admin`),
    await reader.list('members.json', `/orgs/${o}/members`),
    await reader.list('members-2fa-disabled.json', `/orgs/${o}/members?filter=2fa_disabled`),
    await reader.list('outside-collaborators.json', `/orgs/${o}/outside_collaborators`),
    await reader.list('installations.json', `/orgs/${o}/installations`, { field: 'installations' }),
    await reader.get('actions-permissions.json', `/orgs/${o}/actions/permissions`, { notFoundMeans: 'license_missing' }),
    await reader.get('actions-workflow-permissions.json', `/orgs/${o}/actions/permissions/workflow`, { notFoundMeans: 'license_missing' }),
    await reader.get('oidc-sub.json', `/orgs/${o}/actions/oidc/customization/sub`, { notFoundMeans: 'license_missing' }),
    await reader.graphql('saml.json', SAML_QUERY, { org }),
  ];
  progress(`GitHub ${org}: repositories`);
  const repos = await reader.list('repos.json', `/orgs/${o}/repos?type=all`);
  const perRepo = repos.ok
    ? await pool(repos.value, 4, async (repo, index) => {
        if (index % 50 === 0) progress(`GitHub ${org}: repositories (${index + 1}/${repos.value.length})`);
        const r = `/repos/${o}/${encodeURIComponent(repo.name)}`;
        const branch = encodeURIComponent(repo.default_branch ?? 'main');
        const dir = `repos/${repo.name}`;
        return {
          protection: await reader.get(`${dir}/protection.json`, `${r}/branches/${branch}/protection`),
          rules: await reader.list(`${dir}/rules.json`, `${r}/rules/branches/${branch}`, { notFoundMeans: 'license_missing' }),
          keys: await reader.list(`${dir}/keys.json`, `${r}/keys`),
          collaborators: await reader.list(`${dir}/outside-collaborators.json`, `${r}/collaborators?affiliation=outside`),
        };
      })
    : [];
  return { org, settings, admins, members, twoFactorDisabled, outside, installations, actions, workflow, oidc, saml, repos, perRepo };
}
