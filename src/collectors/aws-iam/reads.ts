/**
 * Every IAM action the live AWS collector calls, with what it feeds. The collector names
 * its calls by these (client.ts: `attempt(action, …)` takes an `AwsReadAction`), `zt doctor`
 * simulates each for the caller (iam:SimulatePrincipalPolicy), and docs/permissions.md
 * renders the policy from it; a test runs the collector against the fake IAM server and
 * compares the actions it called with these.
 */

export interface AwsRead {
  /** The IAM action without its service prefix, as the API names the call. */
  readonly action: string;
  readonly why: string;
  /** Called only when this flag is given. */
  readonly optIn?: '--aws-last-accessed';
}

export const awsReads = [
  { action: 'GetAccountAuthorizationDetails', why: 'users, groups, roles and policies with their documents' },
  { action: 'GenerateCredentialReport', why: 'asks IAM to build the credential report' },
  { action: 'GetCredentialReport', why: 'passwords, access keys and MFA per user' },
  { action: 'GetAccountPasswordPolicy', why: 'the password policy' },
  { action: 'GetAccountSummary', why: 'root MFA and access keys' },
  { action: 'ListVirtualMFADevices', why: 'virtual MFA devices (root MFA kind)' },
  { action: 'ListMFADevices', why: 'MFA devices per user' },
  { action: 'ListOpenIDConnectProviders', why: 'OIDC identity providers' },
  { action: 'GetOpenIDConnectProvider', why: 'each OIDC provider\'s audiences and URL' },
  { action: 'ListSAMLProviders', why: 'SAML identity providers' },
  { action: 'ListAccountAliases', why: 'the account alias (names the account)' },
  { action: 'GetPolicy', why: 'AWS-managed policies attached but not returned with the details' },
  { action: 'GetPolicyVersion', why: 'those policies\' documents (every version, for customer-managed ones)' },
  { action: 'ListPolicyVersions', why: 'the other versions of customer-managed policies fetched on their own (iam:SetDefaultPolicyVersion can make any of them the default)' },
  { action: 'GenerateServiceLastAccessedDetails', why: 'Access Advisor: services last used per user and role', optIn: '--aws-last-accessed' },
  { action: 'GetServiceLastAccessedDetails', why: 'Access Advisor results', optIn: '--aws-last-accessed' },
] as const satisfies readonly AwsRead[];

export type AwsReadAction = (typeof awsReads)[number]['action'];

/** The actions a run calls with these options. */
export function awsReadsFor(options: { readonly lastAccessed: boolean }): readonly AwsRead[] {
  return awsReads.filter((r: AwsRead) => r.optIn === undefined || options.lastAccessed);
}

/** With --role-arn, the base identity needs this on the role (checked by assuming it). */
export const ASSUME_ROLE_ACTION = 'sts:AssumeRole';
