import { resolve } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import type { SourceDefinition } from '../source.js';

// AWS IAM as the CLI sees it: live (default credential chain, --profile, --role-arn) or
// offline (the AWS CLI's exports). Nothing heavy here: the SDK loads only in load().

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export const awsIamSource: SourceDefinition = {
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
  chosen(options) {
    return options.aws === true || str(options.profile) !== undefined || str(options.roleArn) !== undefined || str(options.awsAuthorizationDetails) !== undefined;
  },
  async load() {
    const { liveCollector, offlineCollector } = await import('./collector.js');
    return (options) => {
      const offlineFile = str(options.awsAuthorizationDetails);
      const extras = ['awsCredentialReport', 'awsAccountSummary', 'awsPasswordPolicy', 'awsVirtualMfa'].filter((k) => str(options[k]));
      if (offlineFile) {
        if (options.aws === true || str(options.profile) || str(options.roleArn) || options.awsLastAccessed === true) {
          throw new ZtError('ZT_USAGE', 'AWS: choose live (--aws, --profile, --role-arn) or offline (--aws-authorization-details), not both');
        }
        // Offline files are read now, so a bad export stops the run (exit 2) before anything is collected.
        return [
          offlineCollector(
            {
              authorizationDetails: offlineFile,
              ...(str(options.awsCredentialReport) ? { credentialReport: str(options.awsCredentialReport) } : {}),
              ...(str(options.awsAccountSummary) ? { accountSummary: str(options.awsAccountSummary) } : {}),
              ...(str(options.awsPasswordPolicy) ? { passwordPolicy: str(options.awsPasswordPolicy) } : {}),
              ...(str(options.awsVirtualMfa) ? { virtualMfa: str(options.awsVirtualMfa) } : {}),
            },
            (p) => resolve(p),
          ),
        ];
      }
      if (extras.length > 0) {
        throw new ZtError('ZT_USAGE', 'AWS: the offline export flags need --aws-authorization-details <file>');
      }
      if (str(options.externalId) && !str(options.roleArn)) {
        throw new ZtError('ZT_USAGE', 'AWS: --external-id needs --role-arn <arn>');
      }
      return [
        liveCollector({
          ...(str(options.profile) ? { profile: str(options.profile) } : {}),
          ...(str(options.roleArn) ? { roleArn: str(options.roleArn) } : {}),
          ...(str(options.externalId) ? { externalId: str(options.externalId) } : {}),
          ...(options.awsLastAccessed === true ? { lastAccessed: true } : {}),
        }),
      ];
    };
  },
};
