import { resolve } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import { defineSource } from '../source.js';

// AWS IAM as the CLI sees it: live (default credential chain, --profile, --role-arn) or
// offline (the AWS CLI's exports). Nothing heavy here: the SDK loads only in load().

/** The SDK's endpoint overrides zt's calls use (LocalStack, proxies, tests). */
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_ORGANIZATIONS'] as const;

/**
 * An endpoint override that is not an http(s) URL with a host is the user's setting, exit
 * 2 naming the variable — not an API error per call after retries (`Invalid URL`, exit 3).
 */
export function checkEndpointVariables(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of ENDPOINT_VARIABLES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
      throw new ZtError('ZT_USAGE', `${name} is not an http(s) URL with a host`, {
        hint: `${name} overrides the AWS endpoint zt calls (LocalStack, a proxy): unset it, or set a URL such as https://iam.amazonaws.com.`,
      });
    }
  }
}

export const awsIamSource = defineSource({
  id: 'aws-iam',
  flags: [
    { flags: '--aws', description: 'AWS IAM, live: the default credential chain (environment, ~/.aws config and SSO, credential_process, instance or container role)' },
    {
      flags: '--profile <name>',
      description: 'AWS: the named profile from ~/.aws/config (SSO: run `aws sso login --profile <name>` first); repeatable: each account its own target',
      repeatable: true,
    },
    {
      flags: '--role-arn <arn>',
      description: 'AWS: assume this (read-only) role for the audit; repeatable: one role per account, assumed from the default credentials or the one --profile',
      repeatable: true,
    },
    { flags: '--external-id <id>', description: 'AWS: the external id the role to assume requires' },
    { flags: '--aws-last-accessed', description: 'AWS IAM, live: also read Access Advisor (services last used per user and role; slower)' },
    {
      flags: '--aws-authorization-details <file>',
      description: 'AWS IAM, offline: the JSON of `aws iam get-account-authorization-details`; repeatable: one file per account',
      repeatable: true,
    },
    {
      flags: '--aws-credential-report <file>',
      description: 'AWS IAM, offline: the credential report (CSV, or the JSON of `aws iam get-credential-report`); repeatable: matched to its account',
      repeatable: true,
    },
    { flags: '--aws-account-summary <file>', description: 'AWS IAM, offline: the JSON of `aws iam get-account-summary`' },
    { flags: '--aws-password-policy <file>', description: 'AWS IAM, offline: the JSON of `aws iam get-account-password-policy` ({} when there is none)' },
    { flags: '--aws-virtual-mfa <file>', description: 'AWS IAM, offline: the JSON of `aws iam list-virtual-mfa-devices`; repeatable: matched to its account', repeatable: true },
  ],
  settings: (options) => ({
    // --org hands the account collectors to the aws-organizations source (one per member account).
    org: options.flag('org'),
    live: options.flag('aws'),
    profiles: [...new Set(options.strings('profile').filter((p) => p !== ''))],
    roleArns: [...new Set(options.strings('roleArn').filter((r) => r !== ''))],
    externalId: options.nonEmpty('externalId'),
    lastAccessed: options.flag('awsLastAccessed'),
    authorizationDetails: [...new Set(options.strings('awsAuthorizationDetails').filter((f) => f !== ''))],
    credentialReports: [...new Set(options.strings('awsCredentialReport').filter((f) => f !== ''))],
    accountSummary: options.nonEmpty('awsAccountSummary'),
    passwordPolicy: options.nonEmpty('awsPasswordPolicy'),
    virtualMfa: [...new Set(options.strings('awsVirtualMfa').filter((f) => f !== ''))],
  }),
  chosen: (settings) => !settings.org && (settings.live || settings.profiles.length > 0 || settings.roleArns.length > 0 || settings.authorizationDetails.length > 0),
  async load() {
    const [{ liveCollector, offlineCollector }, { offlineAccounts }] = await Promise.all([import('./collector.js'), import('./offline-accounts.js')]);
    return (settings, site) => {
      const { authorizationDetails, credentialReports, accountSummary, passwordPolicy, virtualMfa } = settings;
      if (authorizationDetails.length > 0) {
        if (settings.live || settings.profiles.length > 0 || settings.roleArns.length > 0 || settings.lastAccessed) {
          throw new ZtError('ZT_USAGE', 'AWS: choose live (--aws, --profile, --role-arn) or offline (--aws-authorization-details), not both');
        }
        // Offline files are read now, so a bad export stops the run (exit 2) before anything is collected.
        const resolvePath = (p: string): string => resolve(site.cwd, p);
        return offlineAccounts({ authorizationDetails, credentialReports, accountSummary, passwordPolicy, virtualMfa }, resolvePath).map((paths) =>
          offlineCollector(paths, resolvePath),
        );
      }
      if (credentialReports.length > 0 || accountSummary || passwordPolicy || virtualMfa.length > 0) {
        throw new ZtError('ZT_USAGE', 'AWS: the offline export flags need --aws-authorization-details <file>');
      }
      if (settings.externalId && settings.roleArns.length === 0) {
        throw new ZtError('ZT_USAGE', 'AWS: --external-id needs --role-arn <arn>');
      }
      if (settings.roleArns.length > 0 && settings.profiles.length > 1) {
        throw new ZtError('ZT_USAGE', `AWS: --role-arn is assumed from one set of credentials, and ${settings.profiles.length} profiles were given`, {
          hint: 'Give one --profile as the credentials to assume the roles from, or several --profile (each an account) without --role-arn.',
        });
      }
      checkEndpointVariables(site.env);
      const common = { ...(settings.lastAccessed ? { lastAccessed: true } : {}) };
      // One collector per account: each role (from the one profile or the default chain), else each profile, else the default chain.
      if (settings.roleArns.length > 0) {
        const base = settings.profiles[0];
        return settings.roleArns.map((roleArn) =>
          liveCollector({ ...(base ? { profile: base } : {}), roleArn, ...(settings.externalId ? { externalId: settings.externalId } : {}), ...common }),
        );
      }
      if (settings.profiles.length > 0) return settings.profiles.map((profile) => liveCollector({ profile, ...common }));
      return [liveCollector(common)];
    };
  },
  async loadDoctor() {
    const { awsProbes } = await import('./doctor.js');
    return (settings, site) => {
      if (settings.authorizationDetails.length === 0) checkEndpointVariables(site.env);
      return awsProbes(settings, site);
    };
  },
});
