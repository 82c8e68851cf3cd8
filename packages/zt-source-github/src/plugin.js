// zt-source-github: a zt plugin (docs/plugins.md in zt). zt imports this module when the
// plugin is configured, checks `apiVersion` against its plugin API, and calls setup(api)
// with its own zod and error constructors.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { githubKinds } from './kinds.js';
import { oidcAnalyser } from './oidc-analysis.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const DEFAULT_API = 'https://api.github.com';

/** @type {import('zt-audit/plugin').ZtPlugin} */
export const ztPlugin = {
  apiVersion: manifest.ztPlugin.apiVersion,
  setup(api) {
    const { z, errors } = api;
    return {
      namespace: 'github',
      kinds: githubKinds(z),
      // Cross-plane: AWS roles trusting GitHub Actions, judged against the repositories' protection.
      analysers: [oidcAnalyser(z)],
      rules: fileURLToPath(new URL('../rules', import.meta.url)),
      // `zt audit --demo` with this plugin: the demo organisation's GitHub (acme), collected from demo/export.
      demo: fileURLToPath(new URL('../demo/github.json', import.meta.url)),
      sources: [
        {
          id: 'github',
          flags: [
            { flags: '--github-org <org>', description: 'audit a GitHub organisation live (token in GITHUB_TOKEN; zt-source-github plugin)' },
            { flags: '--github-api-url <url>', description: `GitHub API base URL for GitHub Enterprise Server, e.g. https://github.example.com/api/v3 (default: ${DEFAULT_API})` },
            { flags: '--github-export <dir>', description: 'read a GitHub organisation export instead: the REST API\'s JSON answers, one file per read' },
          ],
          settings(options, site) {
            const org = options.string('githubOrg');
            const exportDir = options.string('githubExport');
            const apiUrl = options.string('githubApiUrl');
            if (org !== undefined && exportDir !== undefined) throw errors.usage('--github-org and --github-export both given: choose live or offline');
            if (org !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) throw errors.usage(`--github-org ${JSON.stringify(org)}: not a GitHub organisation login`);
            if (apiUrl !== undefined) {
              let url;
              try {
                url = new URL(apiUrl);
              } catch {
                throw errors.usage(`--github-api-url ${JSON.stringify(apiUrl)}: not a URL`);
              }
              if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))) {
                throw errors.usage(`--github-api-url ${apiUrl}: must be https (the token is sent to it)`);
              }
            }
            return { org, exportDir: exportDir === undefined ? undefined : { given: exportDir, dir: resolve(site.cwd, exportDir) }, apiUrl: apiUrl ?? DEFAULT_API, token: site.env.GITHUB_TOKEN };
          },
          chosen: (settings) => settings.org !== undefined || settings.exportDir !== undefined,
          async collectors(settings) {
            const { collectGithub } = await import('./collector.js');
            if (settings.exportDir !== undefined) {
              const { exportReader } = await import('./export.js');
              // Checked now: a malformed export stops the run (exit 2) before anything is collected.
              const reader = exportReader(settings.exportDir.dir, settings.exportDir.given, z, errors);
              const org = JSON.parse(readFileSync(resolve(settings.exportDir.dir, 'org.json'), 'utf8')).login;
              const exportedAt = exportTime(settings.exportDir.dir, settings.exportDir.given, errors);
              return [{ id: 'github', description: `github:${org}`, mode: 'offline', collect: (context) => collectGithub({ reader, org, exportedAt }, context, errors) }];
            }
            if (!settings.token) throw errors.usage('--github-org needs a token: set GITHUB_TOKEN', 'A classic token with read:org and repo, or a fine-grained token with Administration, Members and Metadata read (docs/plugins.md: GitHub).');
            return [{ id: 'github', description: `github:${settings.org}`, mode: 'live', collect: (context) => collectGithub({ live: { apiUrl: settings.apiUrl, token: settings.token }, org: settings.org }, context, errors) }];
          },
        },
      ],
    };
  },
};

export const version = manifest.version;

/** export.json's `exportedAt` (when the reads were made: the source's as-of time), if the export records it. */
function exportTime(dir, given, errors) {
  const file = resolve(dir, 'export.json');
  if (!existsSync(file)) return undefined;
  let value;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw errors.usage(`${given}/export.json: not valid JSON: ${error.message}`);
  }
  const at = value?.exportedAt;
  if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(at) || Number.isNaN(Date.parse(at))) {
    throw errors.usage(`${given}/export.json: exportedAt must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:00:00Z`);
  }
  return new Date(Date.parse(at)).toISOString();
}
