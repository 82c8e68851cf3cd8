import { ZtError } from '../../errors/zt-error.js';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Kind } from '../../inventory/kinds/index.js';
import type { KindCoverage } from '../../model/coverage.js';
import type { Collector, CollectorOutput } from '../types.js';
import { AWS_KINDS, applyPartial, COLLECTOR_ID, findAccountId, mapAccount, type AwsKind } from './map.js';
import { readOfflineInputs, type OfflinePaths } from './offline.js';

export interface LiveOptions {
  /** An organisation's member account this collector reads (--org): names the target before anything is read. */
  readonly account?: { readonly id: string; readonly name: string };
  /** Credentials already resolved by the run (--org: the starting credentials, shared by every member). */
  readonly base?: AwsCredentialIdentityProvider;
  /** What to check when the role cannot be assumed (--org: the role may be missing in that account). */
  readonly assumeHint?: string;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly lastAccessed?: boolean;
  /** Tests: smaller retry budget, timeout and report polling (client.ts: LiveSettings). */
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
  readonly retryDelayMs?: number;
  readonly reportPollMs?: number;
  readonly reportTimeoutMs?: number;
  readonly jobPollMs?: number;
}

export function liveCollector(options: LiveOptions): Collector {
  const what = options.roleArn ? `role ${options.roleArn}` : options.profile ? `profile ${options.profile}` : 'default credentials';
  const { account } = options;
  return {
    id: COLLECTOR_ID,
    description: account ? `AWS account ${account.id} (${account.name}) through ${what}` : `AWS IAM (${what})`,
    ...(account ? { target: `aws:${account.id}` } : {}),
    async collect(context): Promise<CollectorOutput> {
      // The SDK loads only when a live AWS audit actually runs.
      const { readLive } = await import('./client.js');
      // The external id is a shared secret between the role's owner and zt's user: never printed.
      if (options.externalId) context.redactor.add(options.externalId);
      const live = await readLive({ ...options, env: context.env, network: context.network, signal: context.signal, progress: context.progress, redactor: context.redactor });
      if (!findAccountId(live.inputs)) {
        // Say why: refused reads need permissions; failed ones (timeouts, proxies, malformed answers) need the endpoint looked at.
        const denied = live.issues.some((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED');
        const failures = [...new Set(live.issues.map((i) => i.message.split(';')[0]))].slice(0, 3).join('; ');
        throw denied
          ? new ZtError('ZT_COLLECT_ACCESS_DENIED', `AWS IAM (${what}): nothing could be read that names the account`, {
              hint: 'Grant the read-only policy in docs/aws.md (at least iam:GetAccountAuthorizationDetails and iam:GenerateCredentialReport/GetCredentialReport).',
            })
          : new ZtError('ZT_COLLECT_API_ERROR', `AWS IAM (${what}): nothing could be read that names the account${failures ? ` (${failures})` : ''}`, {
              hint: 'Check the IAM endpoint (AWS_ENDPOINT_URL_IAM, any proxy in between) and re-run; docs/aws.md lists the timeouts and retries.',
            });
      }
      const mapped = mapAccount(live.inputs, 'aws');
      const source = `aws:${mapped.accountId}`;
      const coverage = { ...live.coverage };
      applyPartial(coverage, mapped.partial);
      return {
        source: { collector: COLLECTOR_ID, source, mode: 'live' },
        resources: mapped.resources.map((r) => ({ ...r, provenance: { ...r.provenance, source } })),
        coverage,
        issues: [...live.issues, ...mapped.issues],
      };
    },
  };
}

/** Reads and checks the files at once (bad input: ZtError, exit 2); maps at collection. */
export function offlineCollector(paths: OfflinePaths, resolvePath: (p: string) => string): Collector {
  const inputs = readOfflineInputs(paths, resolvePath);
  return {
    id: COLLECTOR_ID,
    description: `AWS IAM export ${paths.authorizationDetails}`,
    mode: 'offline',
    async collect(): Promise<CollectorOutput> {
      const fileOf = (kind: AwsKind): string | undefined =>
        kind === 'aws.account' ? (paths.credentialReport ?? paths.authorizationDetails) : kind === 'aws.iam.identityProvider' ? undefined : paths.authorizationDetails;
      const mapped = mapAccount(inputs, 'aws', fileOf);
      const source = `aws:${mapped.accountId}`;
      const coverage: Partial<Record<Kind, KindCoverage>> = {};
      for (const kind of AWS_KINDS) coverage[kind] = { state: 'complete' };
      const listKinds: Record<string, AwsKind> = { UserDetailList: 'aws.iam.user', GroupDetailList: 'aws.iam.group', RoleDetailList: 'aws.iam.role', Policies: 'aws.iam.policy' };
      for (const list of inputs.absentLists) {
        coverage[listKinds[list] as AwsKind] = { state: 'missing', reason: 'input_missing', detail: `${list} is not in ${paths.authorizationDetails}` };
      }
      const missingAccountFacts = [
        ...(paths.credentialReport ? [] : ['credential report']),
        ...(paths.accountSummary ? [] : ['account summary']),
        ...(paths.passwordPolicy ? [] : ['password policy']),
        ...(paths.virtualMfa ? [] : ['virtual MFA devices']),
      ];
      if (missingAccountFacts.length > 0) {
        coverage['aws.account'] = { state: 'partial', reason: 'input_missing', detail: `not in the offline inputs: ${missingAccountFacts.join(', ')}` };
      }
      if (!paths.credentialReport && coverage['aws.iam.user']?.state === 'complete') {
        coverage['aws.iam.user'] = { state: 'partial', reason: 'input_missing', detail: 'no credential report: passwords, MFA and access keys are unknown' };
      }
      coverage['aws.iam.identityProvider'] = { state: 'missing', reason: 'unsupported', detail: 'OIDC and SAML providers are not part of the offline exports' };
      applyPartial(coverage, mapped.partial);
      const issues = [...mapped.issues];
      if (missingAccountFacts.length > 0) {
        issues.push({
          collector: COLLECTOR_ID,
          severity: 'info',
          code: 'ZT_AWS_EXPORT_PARTIAL',
          message: `offline AWS inputs lack the ${missingAccountFacts.join(', ')}; the account checks that need them cannot pass (docs/aws.md lists the export commands)`,
          kinds: ['aws.account'],
        });
      }
      return {
        // The credential report is the AWS input that carries time (its GeneratedTime, in the
        // JSON form only) and the one the ages come from: the source is as of it.
        source: { collector: COLLECTOR_ID, source, mode: 'offline', ...(inputs.credentialReport?.generatedAt ? { asOf: inputs.credentialReport.generatedAt } : {}) },
        resources: mapped.resources.map((r) => {
          const line = r.provenance.file === paths.authorizationDetails ? inputs.lines.get(r.id) : undefined;
          return { ...r, provenance: { ...r.provenance, source, ...(line ? { line } : {}) } };
        }),
        coverage,
        issues,
      };
    },
  };
}
