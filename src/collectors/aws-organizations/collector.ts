import { ZtError } from '../../errors/zt-error.js';
import type { CollectionIssue } from '../../model/coverage.js';
import { liveCollector, type LiveOptions } from '../aws-iam/collector.js';
import type { LiveSettings } from '../aws-iam/client.js';
import type { Collector, CollectorContext, CollectorOutput } from '../types.js';
import type { OrganizationsSession } from './client.js';
import { readOrganization, type OrganizationsFailure } from './read.js';
import { accountState, COLLECTOR_ID, partitionOf, type RawAccount, type RawOrganization } from './map.js';
import type { OrganizationsAction } from './reads.js';
import { selectAccounts, type AccountFilter } from './select.js';

// `--org`: from the credentials zt starts with (the management account or a delegated
// administrator), list the organisation's accounts, read its OU tree and service control
// policies, and hand the run one AWS IAM collector per ACTIVE account chosen: the role
// --org-role assumed in it (the caller's own account with the caller's credentials). The
// organisation is its own target (`aws-org:<id>`: its accounts and SCPs); each account
// is another, whose failure (a role that cannot be assumed, a session that expired) is
// that account's collection issue, never a silent gap.

export interface OrganizationOptions {
  readonly profile?: string;
  readonly orgRole: string;
  readonly externalId?: string;
  readonly filter: AccountFilter;
  readonly lastAccessed?: boolean;
  /** Tests: the member collectors' (and Organizations') retry budget and deadlines. */
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
  readonly retryDelayMs?: number;
  readonly reportPollMs?: number;
}

/** A call the collector cannot do without (the organisation, its accounts): its failure stops this collector (exit 3). */
function fatalOf(failure: OrganizationsFailure): ZtError {
  const grant = 'Run zt from the management account or a delegated administrator for AWS Organizations, with the read-only policy of docs/aws.md ("Organizations").';
  switch (failure.kind) {
    case 'denied':
      return new ZtError('ZT_COLLECT_ACCESS_DENIED', `AWS Organizations: ${failure.detail}`, { hint: grant });
    case 'not-in-organization':
      return new ZtError('ZT_COLLECT_CONFIG', `AWS Organizations: the account of these credentials is not in an organisation (${failure.detail})`, {
        hint: 'Drop --org and give each account (--profile or --role-arn, repeatable), or run from the organisation\'s management account.',
      });
    case 'throttled':
      return new ZtError('ZT_COLLECT_THROTTLED', `AWS Organizations: ${failure.detail}`);
    case 'failed':
    case 'input-missing':
      return new ZtError('ZT_COLLECT_API_ERROR', `AWS Organizations: ${failure.detail}`);
  }
}

export function organizationCollector(options: OrganizationOptions): Collector {
  const from = options.profile ? `profile ${options.profile}` : 'default credentials';
  return {
    id: COLLECTOR_ID,
    description: `AWS Organizations (${from})`,
    async collect(context): Promise<CollectorOutput> {
      const { organizationsSession, organizationsFailure } = await import('./client.js');
      // The external id is a shared secret between the roles' owner and zt's user: never printed.
      if (options.externalId) context.redactor.add(options.externalId);
      const settings: LiveSettings = {
        ...(options.profile ? { profile: options.profile } : {}),
        env: context.env,
        network: context.network,
        signal: context.signal,
        progress: context.progress,
        redactor: context.redactor,
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
        ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
        ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      };
      const session = organizationsSession(settings);
      const required = async <T>(action: OrganizationsAction, call: () => Promise<T>): Promise<T> => {
        try {
          return await call();
        } catch (error) {
          throw fatalOf(await organizationsFailure(error, action, settings));
        }
      };
      try {
        context.progress('AWS Organizations: listing the accounts');
        const organization = await required('DescribeOrganization', () => session.describeOrganization());
        const accounts = await required('ListAccounts', () => session.listAccounts());
        let caller: string;
        try {
          caller = await session.callerAccount();
        } catch (error) {
          throw fatalOf(await organizationsFailure(error, 'ListAccounts', settings));
        }
        return await organizationOutput(session, organization, accounts, caller, context);
      } finally {
        session.destroy();
      }
    },
  };

  async function organizationOutput(session: OrganizationsSession, organization: RawOrganization, accounts: RawAccount[], caller: string, context: CollectorContext): Promise<CollectorOutput> {
    const source = `aws-org:${organization.Id}`;
    const read = await readOrganization(session, organization, accounts, source, context.progress);
    const issues = [...read.issues];
    // One credential provider for every member account: the chain resolves once.
    const members = memberCollectors(organization, accounts, caller, issues, session.base);
    return { source: { collector: COLLECTOR_ID, source, mode: 'live' }, resources: read.resources, coverage: read.coverage, issues, members };
  }

  function memberCollectors(organization: RawOrganization, accounts: readonly RawAccount[], caller: string, issues: CollectionIssue[], base: OrganizationsSession['base']): Collector[] {
    const listed = accounts.filter((a): a is RawAccount & { Id: string } => typeof a.Id === 'string' && /^\d{12}$/.test(a.Id)).sort((a, b) => (a.Id < b.Id ? -1 : 1));
    const selection = selectAccounts(listed, options.filter, (a) => ({ id: a.Id, name: a.Name ?? '' }));
    for (const pattern of selection.unmatched) {
      issues.push({
        collector: COLLECTOR_ID,
        severity: 'warning',
        code: 'ZT_ORG_ACCOUNTS_UNMATCHED',
        message: `--accounts/--exclude-accounts ${pattern}: no account of organisation ${organization.Id} has that id or name`,
        kinds: [],
      });
    }
    const chosen: (RawAccount & { Id: string })[] = [];
    for (const account of selection.chosen) {
      const state = accountState(account);
      if (state === 'ACTIVE') chosen.push(account);
      else {
        issues.push({
          collector: COLLECTOR_ID,
          severity: 'info',
          code: 'ZT_ORG_ACCOUNT_NOT_ACTIVE',
          message: `account ${account.Id} (${account.Name ?? 'no name'}) is ${state}: listed, not audited (only ACTIVE accounts can be signed in to)`,
          kinds: [],
        });
      }
    }
    if (selection.filteredOut.length > 0) {
      issues.push({
        collector: COLLECTOR_ID,
        severity: 'info',
        code: 'ZT_ORG_ACCOUNTS_FILTERED',
        message: `${selection.filteredOut.length} account(s) left out by --accounts/--exclude-accounts: ${selection.filteredOut.map((a) => a.Id).join(', ')}`,
        kinds: [],
      });
    }
    const partition = partitionOf(organization, accounts);
    const common: Partial<LiveOptions> = {
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.lastAccessed ? { lastAccessed: true } : {}),
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      ...(options.reportPollMs !== undefined ? { reportPollMs: options.reportPollMs } : {}),
    };
    return chosen.map((account) => {
      const named = { id: account.Id, name: account.Name ?? account.Id };
      // The caller's own account is read with the caller's credentials: no role of its own needed.
      if (account.Id === caller) return liveCollector({ ...common, account: named, base });
      const roleArn = `arn:${partition}:iam::${account.Id}:role/${options.orgRole}`;
      return liveCollector({
        ...common,
        account: named,
        base,
        roleArn,
        ...(options.externalId ? { externalId: options.externalId } : {}),
        assumeHint: `Account ${account.Id}: check that role ${options.orgRole} exists there (--org-role; deploy it to every member, e.g. with a CloudFormation StackSet, docs/aws.md) and trusts the identity zt starts from${options.externalId ? ' with this external id' : ''}; an account closed or moved out of the organisation since it was listed cannot be signed in to either.`,
      });
    });
  }
}
