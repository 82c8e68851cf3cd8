import type { KindAttributes } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import type { CollectionIssue } from '../../model/coverage.js';
import { normalisePolicyDocument, PolicyParseError } from '../aws-iam/map.js';

// The Organizations API's answers (as the SDK returns them and as `aws organizations …
// --output json` writes them: the same PascalCase fields) mapped into zt's kinds. Shared by
// the live collector and the offline export reader.

export const COLLECTOR_ID = 'aws-organizations';

export interface RawOrganization {
  Id: string;
  MasterAccountId: string;
  Arn?: string;
  FeatureSet?: string;
}
export interface RawAccount {
  Id?: string;
  Arn?: string;
  Name?: string;
  Email?: string;
  State?: string;
  Status?: string;
}
export interface RawRoot {
  Id?: string;
  Arn?: string;
  Name?: string;
  PolicyTypes?: { Type?: string; Status?: string }[];
}
export interface RawOu {
  Id?: string;
  Arn?: string;
  Name?: string;
}
export interface RawPolicySummary {
  Id?: string;
  Arn?: string;
  Name?: string;
  Description?: string;
  Type?: string;
  AwsManaged?: boolean;
}
export interface RawPolicy {
  PolicySummary: RawPolicySummary;
  Content: string;
}
export interface RawTarget {
  TargetId?: string;
  Arn?: string;
  Name?: string;
  Type?: string;
}

type Parent = NonNullable<KindAttributes<'aws.organization.account'>['path']>[number];

/** What was read of one organisation; `undefined` for a part that could not be read. */
export interface OrganizationInputs {
  readonly organization: RawOrganization;
  readonly accounts: readonly RawAccount[];
  /** Each account's path from the root (the OU tree); undefined when the tree was not read. */
  readonly paths: ReadonlyMap<string, readonly Parent[]> | undefined;
  /** The SCPs with their documents and targets; undefined when they were not read. */
  readonly policies: readonly { readonly policy: RawPolicy; readonly targets: readonly RawTarget[] }[] | undefined;
  /** Whether the root has the SCP policy type enabled; null when the root was not read. */
  readonly scpsEnabled: boolean | null;
}

/** An account's lifecycle state: `State` (current API), else the older `Status`. */
export function accountState(account: RawAccount): string {
  return account.State ?? account.Status ?? 'UNKNOWN';
}

/** The partition of the organisation's ARNs (aws, aws-cn, aws-us-gov), for the member roles' ARNs. */
export function partitionOf(organization: RawOrganization, accounts: readonly RawAccount[]): string {
  const arn = organization.Arn ?? accounts.find((a) => a.Arn)?.Arn ?? '';
  return /^arn:(aws[\w-]*):/.exec(arn)?.[1] ?? 'aws';
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface OrganizationMap {
  readonly resources: Resource[];
  readonly issues: CollectionIssue[];
  /** SCPs whose document did not parse: left out, and the SCP kind is partial. */
  readonly unparsed: readonly string[];
}

export function mapOrganization(inputs: OrganizationInputs, source: string, file?: string): OrganizationMap {
  const { organization } = inputs;
  const orgId = organization.Id;
  const provenance = { collector: COLLECTOR_ID, source, ...(file ? { file } : {}) };
  const partition = partitionOf(organization, inputs.accounts);
  const resources: Resource[] = [];
  const issues: CollectionIssue[] = [];
  const unparsed: string[] = [];
  for (const account of [...inputs.accounts].sort((a, b) => byString(a.Id ?? '', b.Id ?? ''))) {
    if (!account.Id || !/^\d{12}$/.test(account.Id)) continue;
    const attributes: KindAttributes<'aws.organization.account'> = {
      accountId: account.Id,
      organizationId: orgId,
      state: accountState(account),
      managementAccount: account.Id === organization.MasterAccountId,
      scpsEnabled: inputs.scpsEnabled,
      path: inputs.paths ? [...(inputs.paths.get(account.Id) ?? [])] : null,
    };
    resources.push({
      kind: 'aws.organization.account',
      id: account.Arn ?? `arn:${partition}:organizations::${organization.MasterAccountId}:account/${orgId}/${account.Id}`,
      name: account.Name ?? account.Id,
      attributes,
      provenance,
    });
  }
  for (const { policy, targets } of inputs.policies ?? []) {
    const summary = policy.PolicySummary;
    const id = summary.Id as string;
    const name = summary.Name ?? id;
    let document;
    try {
      document = normalisePolicyDocument(policy.Content);
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error;
      unparsed.push(name);
      issues.push({
        collector: COLLECTOR_ID,
        severity: 'warning',
        code: 'ZT_AWS_POLICY_UNPARSEABLE',
        message: `service control policy ${name} (${id}): ${error.message}; it was left out, so what SCPs allow is not known`,
        kinds: ['aws.scp'],
      });
      continue;
    }
    const attributes: KindAttributes<'aws.scp'> = {
      policyId: id,
      organizationId: orgId,
      description: summary.Description ?? '',
      awsManaged: summary.AwsManaged === true,
      document,
      targets: targets
        .filter((t): t is RawTarget & { TargetId: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' } => typeof t.TargetId === 'string' && (t.Type === 'ROOT' || t.Type === 'ORGANIZATIONAL_UNIT' || t.Type === 'ACCOUNT'))
        .map((t) => ({ targetId: t.TargetId, type: t.Type, name: t.Name ?? t.TargetId }))
        .sort((a, b) => byString(a.targetId, b.targetId)),
    };
    // AWS-managed SCPs (FullAWSAccess) have one ARN for every organisation; this one's attachments are its own.
    const arn = summary.Arn ?? `arn:${partition}:organizations::${organization.MasterAccountId}:policy/${orgId}/service_control_policy/${id}`;
    resources.push({ kind: 'aws.scp', id: attributes.awsManaged ? `${arn}#${orgId}` : arn, name, attributes, provenance });
  }
  return { resources, issues, unparsed };
}
