// Offline input: an export folder holding the REST API's own answers, one JSON file per read
// (docs/plugins.md lists the files and the `gh api` command for each). A file that is absent
// is a read not made (its kind's coverage says so); a file holding GitHub's error body
// ({ "message", "status" }) is that error; a file of the wrong shape stops the run (exit 2)
// naming the file and the place.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the mapper reads of each file, by file name (repos/<name>/… by their last part). */
function shapes(z) {
  const login = z.object({ login: z.string() });
  return {
    'org.json': z.object({ login: z.string() }).loose(),
    'members-admin.json': z.array(login),
    'members.json': z.array(login),
    'members-2fa-disabled.json': z.array(login),
    'outside-collaborators.json': z.array(login),
    'installations.json': z.object({ installations: z.array(z.object({ id: z.number().int(), app_slug: z.string(), permissions: z.record(z.string(), z.string()).optional(), repository_selection: z.string().optional() })) }),
    'actions-permissions.json': z.object({ enabled_repositories: z.enum(['all', 'none', 'selected']), allowed_actions: z.enum(['all', 'local_only', 'selected']).optional() }),
    'actions-workflow-permissions.json': z.object({ default_workflow_permissions: z.enum(['read', 'write']), can_approve_pull_request_reviews: z.boolean() }),
    'oidc-sub.json': z.object({ use_default: z.boolean().optional(), include_claim_keys: z.array(z.string()).optional() }),
    'saml.json': z.object({ data: z.object({ organization: z.object({ samlIdentityProvider: z.object({ id: z.string() }).nullable() }) }) }),
    'repos.json': z.array(z.object({ name: z.string(), full_name: z.string().optional(), default_branch: z.string(), private: z.boolean().optional(), visibility: z.enum(['public', 'private', 'internal']).optional(), archived: z.boolean().optional() })),
    'protection.json': z.object({}).loose(),
    'rules.json': z.array(z.object({ type: z.string() }).loose()),
    'keys.json': z.array(z.object({ id: z.number().int(), title: z.string().optional(), read_only: z.boolean() })),
    'outside-collaborators-repo.json': z.array(z.object({ login: z.string(), permissions: z.object({ admin: z.boolean() }).loose().optional() })),
  };
}

const errorBody = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.message === 'string' && typeof value.status === 'string' && /^\d{3}$/.test(value.status);

/** A reader with the live client's methods, over the files of `dir`. */
export function exportReader(dir, given, z, errors) {
  if (!existsSync(join(dir, 'org.json'))) throw errors.usage(`--github-export ${given}: no org.json in ${dir}`, 'An export holds org.json (GET /orgs/{org}) and the other reads as JSON files (docs/plugins.md: GitHub export).');
  const byName = shapes(z);
  function read(name) {
    const file = join(dir, name);
    if (!existsSync(file)) return { ok: false, status: 0, reason: 'input_missing', detail: `${name}: not in the export` };
    let value;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw errors.usage(`${join(given, name)}: not valid JSON: ${error.message}`);
    }
    if (errorBody(value)) {
      const status = Number(value.status);
      const reason = status === 404 ? 'not_found' : status === 403 ? (/upgrade to github/i.test(value.message) ? 'license_missing' : 'permission_denied') : 'api_error';
      return { ok: false, status, reason, detail: `${name}: ${value.message}` };
    }
    const base = name.split('/').at(-1);
    const schema = byName[name.startsWith('repos/') && base === 'outside-collaborators.json' ? 'outside-collaborators-repo.json' : base];
    const checked = schema?.safeParse(value);
    if (checked && !checked.success) {
      const issue = checked.error.issues[0];
      const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      throw errors.usage(`${join(given, name)}: ${path || '(top level)'}: ${issue?.message ?? 'unexpected shape'}`, 'Export files hold the GitHub REST API\'s answers unchanged (docs/plugins.md: GitHub export).');
    }
    return { ok: true, value };
  }
  return {
    get: async (name, _path, how) => {
      const outcome = read(name);
      return !outcome.ok && outcome.reason === 'not_found' && how?.notFoundMeans ? { ...outcome, reason: how.notFoundMeans } : outcome;
    },
    list: async (name, _path, options) => {
      const outcome = read(name);
      if (!outcome.ok) return !outcome.ok && outcome.reason === 'not_found' && options?.notFoundMeans ? { ...outcome, reason: options.notFoundMeans } : outcome;
      return options?.field ? { ok: true, value: outcome.value[options.field] } : outcome;
    },
    graphql: async () => {
      const outcome = read('saml.json');
      return outcome.ok ? { ok: true, value: outcome.value.data } : outcome;
    },
  };
}
