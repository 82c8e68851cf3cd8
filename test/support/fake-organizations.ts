import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for AWS Organizations, so tests run the real
// @aws-sdk/client-organizations against it: the JSON 1.1 protocol (POST /, `X-Amz-Target:
// AWSOrganizationsV20161128.<Action>`, `application/x-amz-json-1.1`), NextToken paging with
// the server's own page size, errors as `{"__type": …, "Message": …}` (AccessDenied,
// TooManyRequests, AWSOrganizationsNotInUse …), and faults below that (an HTML page, JSON
// cut short, a dropped connection). Pair it with the fake IAM/STS (fake-iam.ts `members`)
// for the member accounts.

export interface FakeOrgAccount {
  readonly Id: string;
  readonly Name: string;
  readonly State?: string;
  /** The root or OU the account sits in (default the first root). */
  readonly parent?: string;
}

export interface FakeOrgPolicy {
  readonly Id: string;
  readonly Name: string;
  readonly Description?: string;
  readonly AwsManaged?: boolean;
  /** The policy document as text (Organizations returns it as a JSON string). */
  readonly Content: string;
  /** Root, OU and account ids it is attached to. */
  readonly targets: readonly string[];
}

export interface FakeOrganizationData {
  readonly id: string;
  readonly managementAccount: string;
  readonly accounts: readonly FakeOrgAccount[];
  /** OUs with their parent (a root or OU id). */
  readonly ous?: readonly { readonly Id: string; readonly Name: string; readonly parent: string }[];
  readonly policies?: readonly FakeOrgPolicy[];
  /** Whether the root has SCPs enabled (default true). */
  readonly scpsEnabled?: boolean;
}

export interface FakeOrganizationsOptions {
  /** Items per page of every list (default 20, as ListAccounts' own maximum). */
  readonly pageSize?: number;
  /** Actions answered AccessDeniedException every time. */
  readonly deny?: readonly string[];
  /** Faults to answer, in order, before serving an action normally: an error type (TooManyRequestsException) or `wire:html`, `wire:reset`, `wire:cut-json`. */
  readonly faults?: Readonly<Record<string, readonly string[]>>;
  /** Every answer waits this long. */
  readonly latencyMs?: number;
  /** Error answers quote the request's Authorization and security token. */
  readonly echoCredentials?: boolean;
  /** The caller's account is not in an organisation: AWSOrganizationsNotInUseException. */
  readonly notInUse?: boolean;
}

export interface FakeOrganizations {
  readonly url: string;
  readonly requests: { readonly action: string; readonly body: Record<string, unknown> }[];
  count(action: string): number;
  close(): Promise<void>;
}

export const ROOT_ID = 'r-ab12';

const statusOf: Record<string, number> = { AccessDeniedException: 403, TooManyRequestsException: 400, AWSOrganizationsNotInUseException: 400, ServiceException: 500, PolicyNotFoundException: 400 };

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  readonly reset?: boolean;
}

/** The organisation's answers, whole (the server pages them; the CLI export holds them whole). */
function organizationModel(data: FakeOrganizationData) {
  const partition = 'aws';
  const orgArn = `arn:${partition}:organizations::${data.managementAccount}:organization/${data.id}`;
  const accountArn = (id: string) => `arn:${partition}:organizations::${data.managementAccount}:account/${data.id}/${id}`;
  const policyArn = (p: FakeOrgPolicy) =>
    p.AwsManaged ? `arn:${partition}:organizations::aws:policy/service_control_policy/${p.Id}` : `arn:${partition}:organizations::${data.managementAccount}:policy/${data.id}/service_control_policy/${p.Id}`;
  const accountJson = (a: FakeOrgAccount) => ({
    Id: a.Id,
    Arn: accountArn(a.Id),
    Name: a.Name,
    Email: `aws+${a.Id}@example.com`,
    State: a.State ?? 'ACTIVE',
    Status: a.State === 'CLOSED' || a.State === 'PENDING_ACTIVATION' ? 'SUSPENDED' : (a.State ?? 'ACTIVE'),
    JoinedMethod: 'CREATED',
    JoinedTimestamp: 1700000000,
  });
  const ouJson = (o: { Id: string; Name: string }) => ({ Id: o.Id, Arn: `arn:${partition}:organizations::${data.managementAccount}:ou/${data.id}/${o.Id}`, Name: o.Name });
  const summaryOf = (p: FakeOrgPolicy) => ({ Id: p.Id, Arn: policyArn(p), Name: p.Name, Description: p.Description ?? '', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: p.AwsManaged === true });

  const parentOf = (a: FakeOrgAccount) => a.parent ?? ROOT_ID;
  return {
    organization: () => ({ Id: data.id, Arn: orgArn, FeatureSet: 'ALL', MasterAccountArn: accountArn(data.managementAccount), MasterAccountId: data.managementAccount, MasterAccountEmail: 'root@example.com', AvailablePolicyTypes: [] }),
    accounts: () => data.accounts.map(accountJson),
    roots: () => [{ Id: ROOT_ID, Arn: `arn:${partition}:organizations::${data.managementAccount}:root/${data.id}/${ROOT_ID}`, Name: 'Root', PolicyTypes: data.scpsEnabled === false ? [] : [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }],
    ousOf: (parent: unknown) => (data.ous ?? []).filter((o) => o.parent === parent).map(ouJson),
    accountsOf: (parent: unknown) => data.accounts.filter((a) => parentOf(a) === parent).map(accountJson),
    policies: () => (data.policies ?? []).map(summaryOf),
    policy: (id: unknown) => {
      const p = (data.policies ?? []).find((x) => x.Id === id);
      return p ? { PolicySummary: summaryOf(p), Content: p.Content } : undefined;
    },
    targets: (id: unknown) => {
      const p = (data.policies ?? []).find((x) => x.Id === id);
      return p?.targets.map((target) => {
        if (target === ROOT_ID) return { TargetId: target, Arn: `arn:${partition}:organizations::${data.managementAccount}:root/${data.id}/${ROOT_ID}`, Name: 'Root', Type: 'ROOT' };
        const ou = (data.ous ?? []).find((o) => o.Id === target);
        if (ou) return { TargetId: target, Arn: ouJson(ou).Arn, Name: ou.Name, Type: 'ORGANIZATIONAL_UNIT' };
        const account = data.accounts.find((a) => a.Id === target);
        return { TargetId: target, Arn: accountArn(target), Name: account?.Name ?? target, Type: 'ACCOUNT' };
      });
    },
  };
}

/**
 * The organisation as `aws organizations … --output json` exports it (docs/aws.md,
 * "AWS Organizations offline"): file name → text, every list whole (the CLI follows the
 * pages), timestamps as ISO strings.
 */
export function cliExport(data: FakeOrganizationData): Record<string, string> {
  const m = organizationModel(data);
  const json = (value: unknown) => `${JSON.stringify(value, (key, v: unknown) => (key === 'JoinedTimestamp' ? '2023-11-14T22:13:20.000000+00:00' : v), 4)}\n`;
  const files: Record<string, string> = {
    'describe-organization.json': json({ Organization: m.organization() }),
    'list-accounts.json': json({ Accounts: m.accounts() }),
    'list-roots.json': json({ Roots: m.roots() }),
    'list-policies.json': json({ Policies: m.policies() }),
  };
  const walk = (parent: string): void => {
    files[`list-organizational-units-for-parent-${parent}.json`] = json({ OrganizationalUnits: m.ousOf(parent) });
    files[`list-accounts-for-parent-${parent}.json`] = json({ Accounts: m.accountsOf(parent) });
    for (const ou of m.ousOf(parent)) walk(ou.Id);
  };
  walk(ROOT_ID);
  for (const p of data.policies ?? []) {
    files[`describe-policy-${p.Id}.json`] = json({ Policy: m.policy(p.Id) });
    files[`list-targets-for-policy-${p.Id}.json`] = json({ Targets: m.targets(p.Id) });
  }
  return files;
}

export async function startFakeOrganizations(data: FakeOrganizationData, options: FakeOrganizationsOptions = {}): Promise<FakeOrganizations> {
  const requests: { action: string; body: Record<string, unknown> }[] = [];
  const faults = new Map(Object.entries(options.faults ?? {}).map(([k, v]) => [k, [...v]]));
  const pageSize = options.pageSize ?? 20;
  const m = organizationModel(data);

  /** One page of a list by NextToken (`t-<offset>`). */
  const page = (key: string, items: readonly unknown[], body: Record<string, unknown>): Answer => {
    const start = typeof body.NextToken === 'string' ? Number(body.NextToken.replace('t-', '')) : 0;
    const size = Math.min(pageSize, typeof body.MaxResults === 'number' ? body.MaxResults : pageSize);
    const more = start + size < items.length;
    return { status: 200, body: JSON.stringify({ [key]: items.slice(start, start + size), ...(more ? { NextToken: `t-${start + size}` } : {}) }) };
  };
  const error = (type: string, message: string, echo?: string): Answer => ({
    status: statusOf[type] ?? 400,
    body: JSON.stringify({ __type: type, Message: `${message}${echo ? ` (the request said ${echo})` : ''}` }),
    contentType: 'application/x-amz-json-1.1',
  });

  const serve = (action: string, body: Record<string, unknown>, echo: string | undefined): Answer => {
    if (options.notInUse) return error('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', echo);
    const notFound = () => error('PolicyNotFoundException', 'We can\'t find a policy with the PolicyId that you specified.', echo);
    switch (action) {
      case 'DescribeOrganization':
        return { status: 200, body: JSON.stringify({ Organization: m.organization() }) };
      case 'ListAccounts':
        return page('Accounts', m.accounts(), body);
      case 'ListRoots':
        return page('Roots', m.roots(), body);
      case 'ListOrganizationalUnitsForParent':
        return page('OrganizationalUnits', m.ousOf(body.ParentId), body);
      case 'ListAccountsForParent':
        return page('Accounts', m.accountsOf(body.ParentId), body);
      case 'ListPolicies':
        if (body.Filter !== 'SERVICE_CONTROL_POLICY') return error('InvalidInputException', 'only SERVICE_CONTROL_POLICY is served', echo);
        return page('Policies', m.policies(), body);
      case 'DescribePolicy': {
        const policy = m.policy(body.PolicyId);
        return policy ? { status: 200, body: JSON.stringify({ Policy: policy }) } : notFound();
      }
      case 'ListTargetsForPolicy': {
        const targets = m.targets(body.PolicyId);
        return targets ? page('Targets', targets, body) : notFound();
      }
      default:
        return error('UnknownOperationException', `unknown action ${action}`, echo);
    }
  };

  const handle = (action: string, body: Record<string, unknown>, echo: string | undefined): Answer => {
    const fault = faults.get(action)?.shift();
    if (fault === undefined) return options.deny?.includes(action) ? error('AccessDeniedException', `You don't have permissions to access this resource (organizations:${action}).`, echo) : serve(action, body, echo);
    switch (fault) {
      case 'wire:html':
        return { status: 200, body: '<!DOCTYPE html><html><body>Please sign in</body></html>', contentType: 'text/html' };
      case 'wire:cut-json': {
        const normal = serve(action, body, echo);
        return { ...normal, body: normal.body.slice(0, Math.floor(normal.body.length / 2)) };
      }
      case 'wire:reset':
        return { status: 0, body: '', reset: true };
      default:
        return error(fault, fault === 'TooManyRequestsException' ? 'AWS Organizations can\'t complete your request because another request is already in progress or the rate was exceeded.' : fault, echo);
    }
  };

  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const listener: RequestListener = async (req, res) => {
    const text = await readBody(req);
    const action = String(req.headers['x-amz-target'] ?? '').replace(/^AWSOrganizationsV20161128\./, '');
    let body: Record<string, unknown>;
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      body = {};
    }
    requests.push({ action, body });
    const echo = options.echoCredentials ? `Authorization: ${String(req.headers.authorization ?? '')}, X-Amz-Security-Token: ${String(req.headers['x-amz-security-token'] ?? '')}` : undefined;
    const answer = handle(action, body, echo);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (answer.reset) {
      req.socket.destroy();
      return;
    }
    const bytes = Buffer.from(answer.body);
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/x-amz-json-1.1', 'x-amzn-requestid': '00000000-0000-4000-8000-00000000000a', 'content-length': String(bytes.length) });
    res.end(bytes);
  };
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (action) => requests.filter((r) => r.action === action).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The AWS-managed SCP Organizations attaches everywhere when SCPs are enabled. */
export const FULL_AWS_ACCESS: FakeOrgPolicy = {
  Id: 'p-FullAWSAccess',
  Name: 'FullAWSAccess',
  Description: 'Allows access to every operation',
  AwsManaged: true,
  Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  targets: [ROOT_ID],
};
