/**
 * Every AWS Organizations action `--org` calls in the account zt starts from (the
 * management account or a delegated administrator), with what it feeds; and what each
 * member account needs. The collector names its calls by these (`OrganizationsAction`),
 * `zt doctor` checks them for the caller, and docs/permissions.md renders them.
 */

export interface OrganizationsRead {
  /** The Organizations action without its service prefix, as the API names the call. */
  readonly action: string;
  readonly why: string;
}

export const organizationsReads = [
  { action: 'DescribeOrganization', why: 'the organisation\'s id and its management account (SCPs never apply to it)' },
  { action: 'ListAccounts', why: 'the member accounts to audit (every page), with their state' },
  { action: 'ListRoots', why: 'the root, first level of the SCP hierarchy' },
  { action: 'ListOrganizationalUnitsForParent', why: 'the OU tree under the root, for each account\'s OU path' },
  { action: 'ListAccountsForParent', why: 'which root or OU each account sits in' },
  { action: 'ListPolicies', why: 'the service control policies (Filter SERVICE_CONTROL_POLICY)' },
  { action: 'DescribePolicy', why: 'each SCP\'s document' },
  { action: 'ListTargetsForPolicy', why: 'where each SCP is attached (root, OUs, accounts)' },
] as const satisfies readonly OrganizationsRead[];

export type OrganizationsAction = (typeof organizationsReads)[number]['action'];

/** The role zt assumes in each member account, unless --org-role names another (docs/aws.md says why not OrganizationAccountAccessRole). */
export const DEFAULT_ORG_ROLE = 'zt-audit';

/** What the starting credentials need on each member account's role (its trust policy must allow it too). */
export const MEMBER_ASSUME_ACTION = 'sts:AssumeRole';
