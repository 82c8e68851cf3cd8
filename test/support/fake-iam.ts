import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for the IAM query API (and STS AssumeRole), so tests run the real
// @aws-sdk/client-iam against it: form-encoded POSTs in, XML out, Marker/IsTruncated
// paging, the error envelope with Throttling / AccessDenied / NoSuchEntity, and the
// credential report's generate → not-ready → complete cycle.

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface FakeIamData {
  /** GetAccountAuthorizationDetails in SDK shape (URL-encoded documents). */
  readonly gaad: { UserDetailList: unknown[]; GroupDetailList: unknown[]; RoleDetailList: unknown[]; Policies: unknown[] };
  readonly credentialReportCsv: string;
  readonly summary: Record<string, number>;
  /** `null`: no custom password policy (NoSuchEntity). */
  readonly passwordPolicy: Record<string, unknown> | null;
  readonly virtualMfa: unknown[];
  /** ListMFADevices serials per user name. */
  readonly mfaDevices: Record<string, string[]>;
  readonly oidc: { Arn: string; Url: string; ClientIDList: string[]; ThumbprintList: string[]; CreateDate: string }[];
  readonly saml: unknown[];
  readonly aliases: string[];
  /** Managed policies only GetPolicy/GetPolicyVersion know (not returned by GAAD). */
  /** Access Advisor services per principal ARN. */
  readonly lastAccessed?: Record<string, { ServiceName: string; ServiceNamespace: string; LastAuthenticated?: string }[]>;
  readonly extraPolicies?: { Arn: string; PolicyName: string; DefaultVersionId: string; Document: string }[];
}

export interface FakeIamOptions {
  /** Items per GetAccountAuthorizationDetails page (the server's own limit). */
  readonly pageSize?: number;
  /** Actions answered with AccessDenied (403) every time. */
  readonly deny?: readonly string[];
  /** Error codes to answer, in order, before serving an action normally (e.g. Throttling). */
  readonly faults?: Readonly<Record<string, readonly string[]>>;
  /** States GenerateCredentialReport returns in turn; the last repeats. */
  readonly reportStates?: readonly string[];
  /** Answer every call with this error (e.g. ExpiredToken). */
  readonly everything?: string;
  /** STS AssumeRole: the external id the role requires. */
  readonly requiredExternalId?: string;
}

export interface RecordedRequest {
  readonly action: string;
  readonly params: URLSearchParams;
  readonly authorization: string;
  readonly attempt: string;
}

export interface FakeIam {
  readonly url: string;
  readonly requests: RecordedRequest[];
  count(action: string): number;
  close(): Promise<void>;
}

const errors: Record<string, { status: number; message: string }> = {
  Throttling: { status: 400, message: 'Rate exceeded' },
  AccessDenied: { status: 403, message: 'User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: iam:{action}' },
  NoSuchEntity: { status: 404, message: 'The Password Policy with domain name 111122223333 cannot be found.' },
  ReportInProgress: { status: 404, message: 'Report is being generated' },
  ReportNotPresent: { status: 410, message: 'Report not present' },
  ExpiredToken: { status: 403, message: 'The security token included in the request is expired' },
  InvalidClientTokenId: { status: 403, message: 'The security token included in the request is invalid.' },
  ServiceFailure: { status: 500, message: 'Internal failure' },
};

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Query-protocol XML: arrays as <member>, objects as elements, `SummaryMap` as entries. */
function xml(value: unknown, name?: string): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${xml(v)}</member>`).join('');
  if (typeof value === 'object') {
    if (name === 'SummaryMap') {
      return Object.entries(value).map(([k, v]) => `<entry><key>${escape(k)}</key><value>${String(v)}</value></entry>`).join('');
    }
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `<${k}>${xml(v, k)}</${k}>`)
      .join('');
  }
  return escape(typeof value === 'string' ? value : JSON.stringify(value));
}

function respond(action: string, result: Record<string, unknown>): string {
  return `<${action}Response xmlns="${NS}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ResponseMetadata></${action}Response>`;
}

function errorBody(code: string, action: string): { status: number; body: string } {
  const known = errors[code] ?? { status: 400, message: code };
  return {
    status: known.status,
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(known.message.replace('{action}', action))}</Message></Error><RequestId>00000000-0000-4000-8000-000000000002</RequestId></ErrorResponse>`,
  };
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

export async function startFakeIam(data: FakeIamData, options: FakeIamOptions = {}): Promise<FakeIam> {
  const requests: RecordedRequest[] = [];
  const faults = new Map(Object.entries(options.faults ?? {}).map(([k, v]) => [k, [...v]]));
  const reportStates = [...(options.reportStates ?? ['COMPLETE'])];
  let reportComplete = false;
  const polled = new Map<string, number>();
  const pageSize = options.pageSize ?? 1000;
  const items = (['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const).flatMap((list) => data.gaad[list].map((item) => ({ list, item })));

  const handle = (action: string, params: URLSearchParams): { status: number; body: string } => {
    if (options.everything) return errorBody(options.everything, action);
    const queued = faults.get(action);
    if (queued && queued.length > 0) return errorBody(queued.shift() as string, action);
    if (options.deny?.includes(action)) return errorBody('AccessDenied', action);
    switch (action) {
      case 'GetAccountAuthorizationDetails': {
        const start = Number(params.get('Marker')?.replace('page-', '') ?? 0);
        const size = Math.min(pageSize, Number(params.get('MaxItems') ?? 100));
        const slice = items.slice(start, start + size);
        const result: Record<string, unknown> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
        for (const { list, item } of slice) (result[list] as unknown[]).push(item);
        const more = start + size < items.length;
        return { status: 200, body: respond(action, { ...result, IsTruncated: more, ...(more ? { Marker: `page-${start + size}` } : {}) }) };
      }
      case 'GenerateCredentialReport': {
        const state = reportStates.length > 1 ? (reportStates.shift() as string) : (reportStates[0] as string);
        if (state === 'COMPLETE') reportComplete = true;
        return { status: 200, body: respond(action, { State: state, Description: 'No report exists. Starting a new report generation task' }) };
      }
      case 'GetCredentialReport':
        if (!reportComplete) return errorBody('ReportInProgress', action);
        return {
          status: 200,
          body: respond(action, { Content: Buffer.from(data.credentialReportCsv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2025-05-22T06:00:00Z' }),
        };
      case 'GetAccountPasswordPolicy':
        return data.passwordPolicy ? { status: 200, body: respond(action, { PasswordPolicy: data.passwordPolicy }) } : errorBody('NoSuchEntity', action);
      case 'GetAccountSummary':
        return { status: 200, body: respond(action, { SummaryMap: data.summary }) };
      case 'ListVirtualMFADevices': {
        // Two pages, to exercise paging on a second operation.
        const start = params.get('Marker') ? 1 : 0;
        const page = data.virtualMfa.slice(start, start === 0 ? 1 : undefined);
        const more = start === 0 && data.virtualMfa.length > 1;
        return { status: 200, body: respond(action, { VirtualMFADevices: page, IsTruncated: more, ...(more ? { Marker: 'mfa-2' } : {}) }) };
      }
      case 'ListMFADevices': {
        const user = params.get('UserName') ?? '';
        const devices = (data.mfaDevices[user] ?? []).map((SerialNumber) => ({ UserName: user, SerialNumber, EnableDate: '2024-01-01T00:00:00Z' }));
        return { status: 200, body: respond(action, { MFADevices: devices, IsTruncated: false }) };
      }
      case 'ListOpenIDConnectProviders':
        return { status: 200, body: respond(action, { OpenIDConnectProviderList: data.oidc.map((p) => ({ Arn: p.Arn })) }) };
      case 'GetOpenIDConnectProvider': {
        const p = data.oidc.find((o) => o.Arn === params.get('OpenIDConnectProviderArn'));
        if (!p) return errorBody('NoSuchEntity', action);
        return { status: 200, body: respond(action, { Url: p.Url, ClientIDList: p.ClientIDList, ThumbprintList: p.ThumbprintList, CreateDate: p.CreateDate }) };
      }
      case 'ListSAMLProviders':
        return { status: 200, body: respond(action, { SAMLProviderList: data.saml }) };
      case 'GetPolicy':
      case 'GetPolicyVersion': {
        const p = (data.extraPolicies ?? []).find((e) => e.Arn === params.get('PolicyArn'));
        if (!p) return errorBody('NoSuchEntity', action);
        if (action === 'GetPolicy') {
          return { status: 200, body: respond(action, { Policy: { PolicyName: p.PolicyName, Arn: p.Arn, Path: '/', DefaultVersionId: p.DefaultVersionId, AttachmentCount: 0, PermissionsBoundaryUsageCount: 1 } }) };
        }
        if (params.get('VersionId') !== p.DefaultVersionId) return errorBody('NoSuchEntity', action);
        return { status: 200, body: respond(action, { PolicyVersion: { Document: p.Document, VersionId: p.DefaultVersionId, IsDefaultVersion: true } }) };
      }
      case 'GenerateServiceLastAccessedDetails':
        return { status: 200, body: respond(action, { JobId: `job:${params.get('Arn')}` }) };
      case 'GetServiceLastAccessedDetails': {
        const job = params.get('JobId') ?? '';
        // Each job is IN_PROGRESS on its first poll.
        polled.set(job, (polled.get(job) ?? 0) + 1);
        if (polled.get(job) === 1) return { status: 200, body: respond(action, { JobStatus: 'IN_PROGRESS', JobCreationDate: '2025-06-01T00:00:00Z', ServicesLastAccessed: [] }) };
        const services = data.lastAccessed?.[job.slice(4)] ?? [];
        return { status: 200, body: respond(action, { JobStatus: 'COMPLETED', JobType: 'SERVICE_LEVEL', JobCreationDate: '2025-06-01T00:00:00Z', JobCompletionDate: '2025-06-01T00:00:01Z', ServicesLastAccessed: services, IsTruncated: false }) };
      }
      case 'ListAccountAliases':
        return { status: 200, body: respond(action, { AccountAliases: data.aliases, IsTruncated: false }) };
      case 'AssumeRole': {
        if (options.requiredExternalId && params.get('ExternalId') !== options.requiredExternalId) return errorBody('AccessDenied', action);
        return {
          status: 200,
          body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKEASSUMED00001</AccessKeyId><SecretAccessKey>fakeAssumedSecretKey/ForTestsOnly0000000000</SecretAccessKey><SessionToken>FAKESESSIONTOKEN</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${escape(params.get('RoleArn') ?? '')}/zt-audit</Arn><AssumedRoleId>AROAFAKE:zt-audit</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
        };
      }
      default:
        return errorBody('InvalidAction', action);
    }
  };

  // A rejected handler fails the test that caused it (unhandled rejection): nothing to return to node:http.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    const params = new URLSearchParams(text);
    const action = params.get('Action') ?? '';
    requests.push({ action, params, authorization: String(req.headers.authorization ?? ''), attempt: String(req.headers['amz-sdk-request'] ?? '') });
    const { status, body: out } = handle(action, params);
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': '00000000-0000-4000-8000-000000000003' });
    res.end(out);
  });
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
