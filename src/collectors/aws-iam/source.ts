import { resolve } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import { defineSource } from '../source.js';

// AWS IAM as the CLI sees it: live (default credential chain, --profile, --role-arn) or
// offline (the AWS CLI's exports). Nothing heavy here: the SDK loads only in load().

/** The SDK's endpoint overrides zt's calls use (LocalStack, proxies, tests). */
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_STS'] as const;

/**
 * An endpoint override that is not an http(s) URL with a host is the user's setting, exit
 * 2 naming the variable — not an API error per call after retries (`Invalid URL`, exit 3).
 */
function checkEndpointVariables(env: Readonly<Record<string, string | undefined>>): void {
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
    { flags: '--profile <name>', description: 'AWS: the named profile from ~/.aws/config (SSO: run `aws sso login --profile <name>` first)' },
    { flags: '--role-arn <arn>', description: 'AWS: assume this (read-only) role for the audit' },
    { flags: '--external-id <id>', description: 'AWS: the external id the role to assume requires' },
    { flags: '--aws-last-accessed', description: 'AWS IAM, live: also read Access Advisor (services last used per user and role; slower)' },
    { flags: '--aws-authorization-details <file>', description: 'AWS IAM, offline: the JSON of `aws iam get-account-authorization-details`' },
    { flags: '--aws-credential-report <file>', description: 'AWS IAM, offline: the credential report (CSV, or the JSON of `aws iam get-credential-report`)' },
    { flags: '--aws-account-summary <file>', description: 'AWS IAM, offline: the JSON of `aws iam get-account-summary`' },
    { flags: '--aws-password-policy <file>', description: 'AWS IAM, offline: the JSON of `aws iam get-account-password-policy` ({} when there is none)' },
    { flags: '--aws-virtual-mfa <file>', description: 'AWS IAM, offline: the JSON of `aws iam list-virtual-mfa-devices`' },
  ],
  settings: (options) => ({
    live: options.flag('aws'),
    profile: options.nonEmpty('profile'),
    roleArn: options.nonEmpty('roleArn'),
    externalId: options.nonEmpty('externalId'),
    lastAccessed: options.flag('awsLastAccessed'),
    authorizationDetails: options.nonEmpty('awsAuthorizationDetails'),
    credentialReport: options.nonEmpty('awsCredentialReport'),
    accountSummary: options.nonEmpty('awsAccountSummary'),
    passwordPolicy: options.nonEmpty('awsPasswordPolicy'),
    virtualMfa: options.nonEmpty('awsVirtualMfa'),
  }),
  chosen: (settings) => settings.live || settings.profile !== undefined || settings.roleArn !== undefined || settings.authorizationDetails !== undefined,
  async load() {
    const { liveCollector, offlineCollector } = await import('./collector.js');
    return (settings, site) => {
      const { authorizationDetails, credentialReport, accountSummary, passwordPolicy, virtualMfa } = settings;
      if (authorizationDetails !== undefined) {
        if (settings.live || settings.profile || settings.roleArn || settings.lastAccessed) {
          throw new ZtError('ZT_USAGE', 'AWS: choose live (--aws, --profile, --role-arn) or offline (--aws-authorization-details), not both');
        }
        // Offline files are read now, so a bad export stops the run (exit 2) before anything is collected.
        return [
          offlineCollector(
            {
              authorizationDetails,
              ...(credentialReport ? { credentialReport } : {}),
              ...(accountSummary ? { accountSummary } : {}),
              ...(passwordPolicy ? { passwordPolicy } : {}),
              ...(virtualMfa ? { virtualMfa } : {}),
            },
            (p) => resolve(site.cwd, p),
          ),
        ];
      }
      if (credentialReport || accountSummary || passwordPolicy || virtualMfa) {
        throw new ZtError('ZT_USAGE', 'AWS: the offline export flags need --aws-authorization-details <file>');
      }
      if (settings.externalId && !settings.roleArn) {
        throw new ZtError('ZT_USAGE', 'AWS: --external-id needs --role-arn <arn>');
      }
      checkEndpointVariables(site.env);
      return [
        liveCollector({
          ...(settings.profile ? { profile: settings.profile } : {}),
          ...(settings.roleArn ? { roleArn: settings.roleArn } : {}),
          ...(settings.externalId ? { externalId: settings.externalId } : {}),
          ...(settings.lastAccessed ? { lastAccessed: true } : {}),
        }),
      ];
    };
  },
  async loadDoctor() {
    const { awsProbes } = await import('./doctor.js');
    return (settings, site) => {
      if (settings.authorizationDetails === undefined) checkEndpointVariables(site.env);
      return awsProbes(settings, site);
    };
  },
});
