import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { ZtError } from '../errors/zt-error.js';
import { severities } from '../model/severity.js';
import { globToRegExp } from '../text/glob.js';
import { lineForPath } from '../text/source-lines.js';
import { yamlPathLines } from '../text/yaml-lines.js';
import { ztYamlSchema } from '../text/yaml-schema.js';
import { formatZodPath } from '../text/zod-problems.js';

const patterns = z.array(z.string().min(1));

/**
 * `audit:` — defaults for `zt audit`'s flags, under the flag's name in camelCase. A flag on
 * the command line wins, then its environment variable (ZT_FAIL_ON …), then this, then zt's
 * own default (cli/flag-defaults.ts). Paths are relative to the working directory, as on the
 * command line. Values are checked as the flags are (exit 2).
 */
export const auditDefaultsSchema = z.strictObject({
  format: z.string().min(1).optional(),
  output: patterns.optional(),
  failOn: z.enum([...severities, 'none']).optional(),
  minStage: patterns.optional(),
  minCoverage: z.union([z.number().min(0).max(1), z.string().min(1)]).optional(),
  gatePerTarget: z.boolean().optional(),
  allowIncomplete: z.boolean().optional(),
  includePasses: z.boolean().optional(),
  preferLatest: z.boolean().optional(),
  rules: patterns.optional(),
  onlyRules: z.boolean().optional(),
  waivers: z.string().min(1).optional(),
  baseline: z.string().min(1).optional(),
  rule: patterns.optional(),
  skipRule: patterns.optional(),
  namespace: patterns.optional(),
  excludeNamespace: patterns.optional(),
  severity: z.enum(severities).optional(),
  details: z.boolean().optional(),
  quiet: z.boolean().optional(),
  color: z.boolean().optional(),
});

export type AuditDefaults = z.infer<typeof auditDefaultsSchema>;

/**
 * What zt cannot know by itself, in `.zt/config.yaml` (or --config). Collectors apply
 * it when they map accounts, so every output lists break-glass and service accounts as
 * such: they are excluded from human denominators, never dropped silently.
 */
export const configSchema = z.strictObject({
  identity: z
    .strictObject({
      /** Break-glass (emergency) accounts: logins, emails, ids or globs. */
      breakGlass: z.array(z.string()).default([]),
      /** Non-human accounts kept in an identity provider: logins, emails, ids or globs. */
      serviceAccounts: z.array(z.string()).default([]),
      /** Okta FastPass (signed_nonce) counts as phishing-resistant (default true; shown in reports). */
      fastPassIsPhishingResistant: z.boolean().default(true),
      /** Synced (not device-bound) passkeys count as phishing-resistant (default false). */
      syncedPasskeysArePhishingResistant: z.boolean().default(false),
    })
    .prefault({}),
  review: z
    .strictObject({
      /**
       * Who reviews which grant in `zt access-review`, first matching rule wins (before the
       * IdP manager and the owner tag). Every criterion given must match; values are names
       * or globs (* and ?), case-insensitive.
       */
      reviewers: z
        .array(
          z.strictObject({
            reviewer: z.string().min(1, 'the reviewer (an email or login) is required'),
            plane: z.enum(['identity', 'aws', 'kubernetes']).optional(),
            /** The principal's source, e.g. okta:acme.okta.com, aws:111122223333, k8s:prod. */
            source: z.string().optional(),
            /** AWS account id the grant applies in. */
            account: z.union([z.string(), z.number().int()]).transform(String).optional(),
            /** Kubernetes cluster the grant applies in. */
            cluster: z.string().optional(),
            /** Kubernetes namespace the grant applies in (RoleBindings). */
            namespace: z.string().optional(),
            /** A group the principal is in (IdP or IAM group), or that the grant comes through. */
            group: z.string().optional(),
            /** The principal's name or id. */
            principal: z.string().optional(),
          }),
        )
        .default([]),
      /**
       * With --previous <campaign> and --start-campaign: keep decisions of the last campaign
       * carry over to grants that did not change (same principal, grant and privilege),
       * never to admin grants. Default false: every row is decided again.
       */
      carryOver: z.boolean().default(false),
    })
    .prefault({}),
  audit: auditDefaultsSchema.optional(),
  /** Plugins to load (docs/plugins.md): package names (project node_modules, then the global npm root) or paths. */
  plugins: z.array(z.string().min(1, 'a plugin is a package name or a path')).default([]),
});

export type ZtConfig = z.infer<typeof configSchema>;

export const defaultConfig: ZtConfig = configSchema.parse({});

export function parseConfig(text: string, file: string): ZtConfig {
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: ztYamlSchema });
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new ZtError('ZT_CONFIG_INVALID', (error as { reason?: string }).reason ?? String(error), {
      location: mark ? { file, line: mark.line + 1 } : { file },
    });
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatZodPath(issue?.path ?? []);
    const line = lineForPath(yamlPathLines(text), path);
    throw new ZtError('ZT_CONFIG_INVALID', `${path || '(document)'}: ${issue?.message ?? 'invalid'}`, {
      location: { file, path, ...(line !== undefined ? { line } : {}) },
    });
  }
  return parsed.data;
}

export async function readConfig(file: string, display = file): Promise<ZtConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read config ${display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file: display },
      cause: error,
    });
  }
  return parseConfig(text, display);
}

/** True when an account matches one of the configured names or globs (case-insensitive). */
export function matchesAccount(patterns: readonly string[], ...names: readonly (string | null | undefined)[]): boolean {
  return patterns.some((pattern) => {
    const regex = globToRegExp(pattern, { ignoreCase: true });
    return names.some((name) => typeof name === 'string' && regex.test(name));
  });
}
