import { resolve } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import { checkEndpointVariables } from '../aws-iam/source.js';
import { defineSource } from '../source.js';
import { DEFAULT_ORG_ROLE } from './reads.js';
import { patternsOf } from './select.js';

// AWS Organizations as the CLI sees it: `--org` lists the organisation's accounts from the
// credentials zt starts with (--profile or the default chain) and audits each through
// --org-role. It reads --profile, --external-id and --aws-last-accessed, which the AWS IAM
// source declares; with --org that source steps aside (its `chosen`), and the member
// accounts' IAM collectors come from here. Nothing heavy: the SDK loads only in collect().

/** An IAM role name, optionally under a path (`security/zt-audit`), as IAM allows them. */
const ROLE_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export const awsOrganizationsSource = defineSource({
  id: 'aws-organizations',
  flags: [
    { flags: '--org', description: 'AWS Organizations: audit every ACTIVE member account (listed from the management or a delegated-administrator account) and read the SCPs' },
    { flags: '--org-role <name>', description: `AWS Organizations: the read-only role to assume in each member account (default ${DEFAULT_ORG_ROLE})` },
    { flags: '--accounts <ids-or-globs>', description: 'AWS Organizations: only these accounts (ids or names; globs; comma-separated or repeated)', repeatable: true },
    { flags: '--exclude-accounts <ids-or-globs>', description: 'AWS Organizations: leave these accounts out (ids or names; globs; comma-separated or repeated)', repeatable: true },
    { flags: '--aws-organization <dir>', description: 'AWS Organizations, offline: a folder of `aws organizations … --output json` exports (accounts, OU tree, SCPs; docs/aws.md)' },
  ],
  settings: (options) => ({
    org: options.flag('org'),
    orgRole: options.nonEmpty('orgRole'),
    accounts: patternsOf(options.strings('accounts')),
    excludeAccounts: patternsOf(options.strings('excludeAccounts')),
    profiles: [...new Set(options.strings('profile').filter((p) => p !== ''))],
    roleArns: options.strings('roleArn').filter((r) => r !== ''),
    externalId: options.nonEmpty('externalId'),
    lastAccessed: options.flag('awsLastAccessed'),
    offline: options.strings('awsAuthorizationDetails').length > 0,
    exportDir: options.nonEmpty('awsOrganization'),
  }),
  // Chosen by any of its flags, so that one given without --org is refused rather than ignored.
  chosen: (s) => s.org || s.exportDir !== undefined || s.orgRole !== undefined || s.accounts.length > 0 || s.excludeAccounts.length > 0,
  async load() {
    const [{ organizationCollector }, { offlineOrganizationCollector, readOrganizationExport }] = await Promise.all([import('./collector.js'), import('./offline.js')]);
    return (settings, site) => {
      if (settings.exportDir !== undefined) {
        if (settings.org) throw new ZtError('ZT_USAGE', 'AWS: choose live (--org) or offline (--aws-organization), not both');
        if (settings.orgRole !== undefined || settings.accounts.length > 0 || settings.excludeAccounts.length > 0) {
          throw new ZtError('ZT_USAGE', 'AWS: --org-role, --accounts and --exclude-accounts choose the accounts --org audits live; offline, give each account\'s export (--aws-authorization-details)');
        }
        // Read and checked now: a bad export stops the run (exit 2) before anything is collected.
        return [offlineOrganizationCollector(readOrganizationExport(resolve(site.cwd, settings.exportDir), settings.exportDir))];
      }
      if (!settings.org) {
        throw new ZtError('ZT_USAGE', 'AWS: --org-role, --accounts and --exclude-accounts choose accounts of an organisation, and need --org');
      }
      if (settings.offline) throw new ZtError('ZT_USAGE', 'AWS: choose live (--org) or offline (--aws-authorization-details), not both');
      if (settings.roleArns.length > 0) {
        throw new ZtError('ZT_USAGE', 'AWS: --org assumes --org-role in each member account; --role-arn names accounts one by one', {
          hint: 'Drop --role-arn. To list the organisation from a role in the management account, use a profile with role_arn and source_profile (--profile).',
        });
      }
      if (settings.profiles.length > 1) {
        throw new ZtError('ZT_USAGE', `AWS: --org lists the accounts with one set of credentials, and ${settings.profiles.length} profiles were given`, {
          hint: 'Give the management (or delegated-administrator) account\'s profile once.',
        });
      }
      const orgRole = settings.orgRole ?? DEFAULT_ORG_ROLE;
      if (!ROLE_NAME.test(orgRole)) {
        throw new ZtError('ZT_USAGE', `AWS: --org-role ${JSON.stringify(orgRole)} is not an IAM role name`, { hint: 'Give the role\'s name (with its path if it has one, e.g. security/zt-audit), not its ARN.' });
      }
      checkEndpointVariables(site.env);
      const [profile] = settings.profiles;
      return [
        organizationCollector({
          ...(profile ? { profile } : {}),
          orgRole,
          ...(settings.externalId ? { externalId: settings.externalId } : {}),
          filter: { include: settings.accounts, exclude: settings.excludeAccounts },
          ...(settings.lastAccessed ? { lastAccessed: true } : {}),
        }),
      ];
    };
  },
  async loadDoctor() {
    const { organizationProbes } = await import('./doctor.js');
    return (settings, site) => {
      if (!settings.org) return [];
      checkEndpointVariables(site.env);
      return organizationProbes({ profile: settings.profiles[0], orgRole: settings.orgRole ?? DEFAULT_ORG_ROLE }, site);
    };
  },
});
