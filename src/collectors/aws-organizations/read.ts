import type { Kind } from '../../inventory/kinds/index.js';
import type { CollectionIssue, KindCoverage } from '../../model/coverage.js';
import { COLLECTOR_ID, mapOrganization, type OrganizationMap, type RawAccount, type RawOrganization, type RawOu, type RawPolicy, type RawPolicySummary, type RawRoot, type RawTarget } from './map.js';
import type { OrganizationsAction } from './reads.js';

// What zt reads of an organisation beyond its account list — the OU tree and the service
// control policies — the same way whether it comes from the API (client.ts) or from the
// AWS CLI's exports (offline.ts): both are an OrganizationReader, and both are read here,
// each part whole or not at all.

/** Why a read failed, as the collector reports it. */
export type OrganizationsFailure =
  | { readonly kind: 'denied'; readonly detail: string }
  | { readonly kind: 'throttled'; readonly detail: string }
  | { readonly kind: 'not-in-organization'; readonly detail: string }
  | { readonly kind: 'input-missing'; readonly detail: string }
  | { readonly kind: 'failed'; readonly detail: string };

/** The reads of reads.ts, from the API or from export files. */
export interface OrganizationReader {
  describeOrganization(): Promise<RawOrganization>;
  listAccounts(): Promise<RawAccount[]>;
  listRoots(): Promise<RawRoot[]>;
  /** The OUs directly under a root or OU. */
  organizationalUnitsOf(parentId: string): Promise<RawOu[]>;
  /** The accounts directly under a root or OU. */
  accountsOf(parentId: string): Promise<RawAccount[]>;
  listServiceControlPolicies(): Promise<RawPolicySummary[]>;
  describePolicy(policyId: string): Promise<RawPolicy>;
  targetsOf(policyId: string): Promise<RawTarget[]>;
  /** Sorts a failed read; throws what must stop the collector (credentials that cannot be used, a malformed export). */
  failure(error: unknown, action: OrganizationsAction): Promise<OrganizationsFailure>;
}

type Parent = { id: string; type: 'ROOT' | 'ORGANIZATIONAL_UNIT'; name: string };

/** A read that failed, with the action it was. */
class ReadFailed extends Error {
  readonly action: OrganizationsAction;
  readonly error: unknown;
  constructor(action: OrganizationsAction, error: unknown) {
    super(action);
    this.action = action;
    this.error = error;
  }
}

async function as<T>(action: OrganizationsAction, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new ReadFailed(action, error);
  }
}

/** Runs `task` over `items`, at most `width` at a time. */
async function pool<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export interface OrganizationRead extends OrganizationMap {
  readonly coverage: Partial<Record<Kind, KindCoverage>>;
}

/**
 * The OU tree and the SCPs of an organisation whose accounts were listed, mapped. A part
 * that cannot be read leaves its kind partial (the accounts' paths unknown) or missing
 * (no SCP known: the IAM analysis then narrows nothing by SCPs and claims nothing about
 * them), with an issue naming the action.
 */
export async function readOrganization(reader: OrganizationReader, organization: RawOrganization, accounts: readonly RawAccount[], source: string, progress: (message: string) => void, file?: string): Promise<OrganizationRead> {
  const issues: CollectionIssue[] = [];
  const coverage: Partial<Record<Kind, KindCoverage>> = { 'aws.organization.account': { state: 'complete' }, 'aws.scp': { state: 'complete' } };
  const problem = async (kind: Kind, state: 'partial' | 'missing', error: unknown, unknownFields?: string[]) => {
    const failed = error instanceof ReadFailed ? error : new ReadFailed('ListRoots', error);
    const failure = await reader.failure(failed.error, failed.action);
    const reason = failure.kind === 'denied' ? 'permission_denied' : failure.kind === 'input-missing' ? 'input_missing' : 'api_error';
    coverage[kind] = { state, reason, detail: failure.detail, ...(unknownFields ? { unknownFields } : {}) };
    issues.push({
      collector: COLLECTOR_ID,
      severity: 'warning',
      code: failure.kind === 'denied' ? 'ZT_COLLECT_ACCESS_DENIED' : failure.kind === 'throttled' ? 'ZT_COLLECT_THROTTLED' : failure.kind === 'input-missing' ? 'ZT_AWS_EXPORT_PARTIAL' : 'ZT_COLLECT_API_ERROR',
      message: `${failure.detail}; ${kind === 'aws.scp' ? 'the service control policies are not known, so no IAM permission is narrowed by them and nothing is claimed about them' : "the accounts' OU paths are not known"}`,
      kinds: [kind],
    });
  };

  // The OU tree, root down (all of it or none: a path read in part would place an account wrongly).
  let roots: RawRoot[] = [];
  let paths: Map<string, Parent[]> | undefined = new Map();
  try {
    roots = await as('ListRoots', () => reader.listRoots());
    const queue: Parent[][] = roots.filter((r) => r.Id).map((r) => [{ id: r.Id as string, type: 'ROOT' as const, name: r.Name ?? 'Root' }]);
    progress('AWS Organizations: reading the OU tree');
    while (queue.length > 0) {
      const level = queue.splice(0, queue.length);
      await pool(level, 4, async (path) => {
        const parent = path[path.length - 1] as Parent;
        const [ous, members] = await Promise.all([as('ListOrganizationalUnitsForParent', () => reader.organizationalUnitsOf(parent.id)), as('ListAccountsForParent', () => reader.accountsOf(parent.id))]);
        for (const a of members) if (a.Id) paths?.set(a.Id, path);
        for (const ou of ous) if (ou.Id) queue.push([...path, { id: ou.Id, type: 'ORGANIZATIONAL_UNIT', name: ou.Name ?? ou.Id }]);
      });
    }
  } catch (error) {
    await problem('aws.organization.account', 'partial', error, ['path']);
    paths = undefined;
  }

  // The SCPs with their documents and targets, all or none: a missing Allow SCP would block
  // what is allowed, a missing Deny allow what is denied.
  let policies: { policy: RawPolicy; targets: RawTarget[] }[] | undefined = [];
  const scpType = roots.flatMap((r) => r.PolicyTypes ?? []).find((t) => t.Type === 'SERVICE_CONTROL_POLICY');
  const enabled = roots.length > 0 ? scpType?.Status === 'ENABLED' : undefined;
  if (enabled === undefined) {
    const reason = coverage['aws.organization.account']?.reason ?? 'api_error';
    coverage['aws.scp'] = { state: 'missing', reason, detail: 'the organisation\'s root was not read, so whether SCPs are enabled is not known' };
    policies = undefined;
  } else if (enabled) {
    try {
      progress('AWS Organizations: reading the service control policies');
      const summaries = (await as('ListPolicies', () => reader.listServiceControlPolicies())).filter((p) => p.Id);
      const read: { policy: RawPolicy; targets: RawTarget[] }[] = [];
      await pool(summaries, 4, async (summary) => {
        const id = summary.Id as string;
        const [policy, targets] = await Promise.all([as('DescribePolicy', () => reader.describePolicy(id)), as('ListTargetsForPolicy', () => reader.targetsOf(id))]);
        read.push({ policy, targets });
      });
      policies = read.sort((a, b) => ((a.policy.PolicySummary.Id ?? '') < (b.policy.PolicySummary.Id ?? '') ? -1 : 1));
    } catch (error) {
      await problem('aws.scp', 'missing', error);
      policies = undefined;
    }
  }

  const mapped = mapOrganization({ organization, accounts, paths, policies, scpsEnabled: enabled ?? null }, source, file);
  if (mapped.unparsed.length > 0) coverage['aws.scp'] = { state: 'partial', reason: 'api_error', detail: `not parsed: ${mapped.unparsed.join(', ')}` };
  return { ...mapped, coverage, issues: [...issues, ...mapped.issues] };
}
