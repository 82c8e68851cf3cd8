import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient, type ServiceInputTypes as StsInput, type ServiceOutputTypes as StsOutput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { asAwsError, baseCredentials, credentialError, isDenied, THROTTLED, UnexpectedAnswer, type LiveSettings } from '../aws-iam/client.js';
import { networkReason } from '../aws-iam/sts-client.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, WireError, wireCheck, wireConfig } from '../aws-iam/wire.js';
import type { OrganizationReader, OrganizationsFailure } from './read.js';
import type { OrganizationsAction } from './reads.js';
import type { RawAccount, RawOu, RawPolicySummary, RawRoot, RawTarget } from './map.js';

// The only file that talks to AWS Organizations (JSON 1.1, through the SDK's
// OrganizationsClient on zt's wire: the proxy and extra CAs, deadlines, a check that a 2xx
// body is a JSON object), plus STS GetCallerIdentity to know which listed account the
// caller's own credentials are in. Every call is read-only (reads.ts). Paged calls are
// read to the end or not at all; a NextToken given twice is an unexpected answer, not a
// loop.

export interface OrganizationsSession extends OrganizationReader {
  /** The credentials the run starts from (resolved once, shared with every member account's collector). */
  readonly base: AwsCredentialIdentityProvider;
  /** The account the starting credentials belong to (STS GetCallerIdentity, which needs no permission). */
  callerAccount(): Promise<string>;
  destroy(): void;
}

function pagesOf<T>(out: object, key: string): T[] {
  const value = (out as Record<string, unknown>)[key];
  if (!Array.isArray(value)) throw new UnexpectedAnswer(`${key} is ${value === undefined ? 'missing' : 'not a list'}`);
  return value as T[];
}

/** Every page of a NextToken-paged call. */
async function allPages<T>(key: string, page: (token: string | undefined) => Promise<object>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const out = await page(token);
    items.push(...pagesOf<T>(out, key));
    const next = (out as { NextToken?: unknown }).NextToken;
    if (next === undefined || next === null || next === '') token = undefined;
    else if (typeof next !== 'string') throw new UnexpectedAnswer('NextToken is not a string');
    else if (seen.has(next)) throw new UnexpectedAnswer('a NextToken came back twice (the pages would loop)');
    else seen.add((token = next));
  } while (token);
  return items;
}

export function organizationsSession(settings: LiveSettings): OrganizationsSession {
  const env = settings.env;
  const base = baseCredentials(settings);
  const timeoutMs = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const orgs = new OrganizationsClient({ ...wireConfig(settings, env.AWS_ENDPOINT_URL_ORGANIZATIONS ?? env.AWS_ENDPOINT_URL, settings.maxAttempts ?? 8), credentials: base });
  orgs.middlewareStack.add(wireCheck<ServiceInputTypes, ServiceOutputTypes>(timeoutMs, 'json'), { step: 'deserialize', priority: 'low', name: 'ztWireCheck' });
  const sts = new STSClient({ ...wireConfig(settings, env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL, Math.min(settings.maxAttempts ?? 3, 3)), credentials: base });
  sts.middlewareStack.add(wireCheck<StsInput, StsOutput>(timeoutMs), { step: 'deserialize', priority: 'low', name: 'ztWireCheck' });
  const opts = { abortSignal: settings.signal };
  let caller: Promise<string> | undefined;

  return {
    base,
    callerAccount() {
      caller ??= sts.send(new GetCallerIdentityCommand({}), opts).then((out) => {
        if (typeof out.Account !== 'string' || !/^\d{12}$/.test(out.Account)) throw new UnexpectedAnswer('GetCallerIdentity answered without an Account');
        return out.Account;
      });
      return caller;
    },
    async describeOrganization() {
      const out = await orgs.send(new DescribeOrganizationCommand({}), opts);
      const org = out.Organization;
      if (!org?.Id || !org.MasterAccountId) throw new UnexpectedAnswer(`Organization${org ? '.Id or .MasterAccountId' : ''} is missing`);
      return { Id: org.Id, MasterAccountId: org.MasterAccountId, ...(org.Arn ? { Arn: org.Arn } : {}), ...(org.FeatureSet ? { FeatureSet: org.FeatureSet } : {}) };
    },
    listAccounts: () => allPages<RawAccount>('Accounts', (NextToken) => orgs.send(new ListAccountsCommand({ ...(NextToken ? { NextToken } : {}) }), opts)),
    listRoots: () => allPages<RawRoot>('Roots', (NextToken) => orgs.send(new ListRootsCommand({ ...(NextToken ? { NextToken } : {}) }), opts)),
    organizationalUnitsOf: (ParentId) =>
      allPages<RawOu>('OrganizationalUnits', (NextToken) => orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId, ...(NextToken ? { NextToken } : {}) }), opts)),
    accountsOf: (ParentId) => allPages<RawAccount>('Accounts', (NextToken) => orgs.send(new ListAccountsForParentCommand({ ParentId, ...(NextToken ? { NextToken } : {}) }), opts)),
    listServiceControlPolicies: () =>
      allPages<RawPolicySummary>('Policies', (NextToken) => orgs.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', ...(NextToken ? { NextToken } : {}) }), opts)),
    async describePolicy(PolicyId) {
      const policy = (await orgs.send(new DescribePolicyCommand({ PolicyId }), opts)).Policy;
      if (!policy?.PolicySummary?.Id || typeof policy.Content !== 'string') throw new UnexpectedAnswer(`Policy${policy ? '.PolicySummary or .Content' : ''} is missing`);
      return { PolicySummary: policy.PolicySummary, Content: policy.Content };
    },
    targetsOf: (PolicyId) => allPages<RawTarget>('Targets', (NextToken) => orgs.send(new ListTargetsForPolicyCommand({ PolicyId, ...(NextToken ? { NextToken } : {}) }), opts)),
    failure: (error, action) => organizationsFailure(error, action, settings),
    destroy() {
      orgs.destroy();
      sts.destroy();
    },
  };
}

/**
 * Sorts a failed call: credentials that cannot be used and an unreachable endpoint are the
 * caller's ZtError (thrown: nothing can be read); the rest is a failure of this call only.
 */
export async function organizationsFailure(error: unknown, action: OrganizationsAction, settings: LiveSettings): Promise<OrganizationsFailure> {
  if (settings.signal.aborted) throw error;
  const fatal = await credentialError(error, settings);
  if (fatal) throw fatal;
  if (error instanceof UnexpectedAnswer) return { kind: 'failed', detail: `organizations:${action} answered with an unexpected shape: ${error.message}` };
  if (error instanceof WireError) {
    const tries = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
    return { kind: 'failed', detail: `organizations:${action} failed: ${error.message}${tries && tries > 1 ? ` (${tries} attempts)` : ''}` };
  }
  const network = networkReason(error, settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  if (network) return { kind: 'failed', detail: `organizations:${action} failed: ${network}` };
  const e = asAwsError(error);
  if (e.name === 'AWSOrganizationsNotInUseException') return { kind: 'not-in-organization', detail: `organizations:${action}: ${e.name}` };
  if (e.name === 'Unknown' && e.status !== undefined) {
    return e.status === 429
      ? { kind: 'throttled', detail: `organizations:${action} was still throttled after retries: HTTP 429 without an Organizations error in the body (a proxy?)` }
      : { kind: 'failed', detail: `organizations:${action} failed: HTTP ${e.status} without an Organizations error in the body (a proxy?)` };
  }
  if (isDenied(e)) return { kind: 'denied', detail: `organizations:${action} was denied (${e.name})` };
  if (THROTTLED.has(e.name)) return { kind: 'throttled', detail: `organizations:${action} was still throttled after retries (${e.name})` };
  return { kind: 'failed', detail: `organizations:${action} failed: ${e.name}${e.message ? `: ${e.message.split('\n')[0]}` : ''}` };
}
