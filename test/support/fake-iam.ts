import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

// A local stand-in for the IAM query API (and STS AssumeRole), so tests run the real
// @aws-sdk/client-iam against it: form-encoded POSTs in, XML out, Marker/IsTruncated
// paging, the error envelope with Throttling / AccessDenied / NoSuchEntity, and the
// credential report's generate → not-ready → complete cycle. `faults` also breaks the
// wire (see WireFault): dropped connections, short bodies, hangs, captive-portal pages
// and well-formed answers of the wrong shape.

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
  readonly extraPolicies?: { Arn: string; PolicyName: string; DefaultVersionId: string; Document: string; otherVersions?: { VersionId: string; Document: string }[] }[];
}

export interface FakeIamOptions {
  /** Items per GetAccountAuthorizationDetails page (the server's own limit). */
  readonly pageSize?: number;
  /** Actions answered with AccessDenied (403) every time. */
  readonly deny?: readonly string[];
  /**
   * Faults to answer, in order, before serving an action normally: an IAM error code
   * (e.g. Throttling, ServiceFailure) or a WireFault.
   */
  readonly faults?: Readonly<Record<string, readonly string[]>>;
  /** States GenerateCredentialReport returns in turn; the last repeats. */
  readonly reportStates?: readonly string[];
  /** Answer every call with this error (e.g. ExpiredToken). */
  readonly everything?: string;
  /** STS AssumeRole: the external id the role requires. */
  readonly requiredExternalId?: string;
  /** Actions answered with this IAM error every time (e.g. ServiceFailure, InvalidInput). */
  readonly fail?: Readonly<Record<string, string>>;
  /**
   * Every error answer quotes the request's credentials, as a careless proxy might: the
   * error's Message and the HTTP status text carry the Authorization header and the
   * X-Amz-Security-Token (also bare), and the Message a secret key zt never sent
   * (ECHOED_FOREIGN_SECRET).
   */
  readonly echoCredentials?: boolean;
  /** STS GetCallerIdentity: who the static test credentials are (default an IAM user); after AssumeRole, the session of the role assumed. */
  readonly callerArn?: string;
  /** Serve HTTPS with this key and certificate (default: plain HTTP, as LocalStack does). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /**
   * An organisation's member accounts by id: STS AssumeRole of a role in one of them (with
   * the starting credentials) gives a session of that account (memberCredentials), and
   * every IAM call signed with it is answered from that account's own data and options.
   */
  readonly members?: Readonly<Record<string, FakeMember>>;
  /** Every answer waits this long (a far-away endpoint: the benchmark's 50 ms). */
  readonly latencyMs?: number;
}

export interface FakeMember {
  readonly data: FakeIamData;
  /** Its own IAM faults, denials, paging. */
  readonly options?: FakeIamOptions;
  /** The roles that exist in it (AssumeRole of another is AccessDenied, as STS answers for a missing role); any when absent. */
  readonly roles?: readonly string[];
  /** Its role's trust policy does not admit the caller: AssumeRole is AccessDenied. */
  readonly denyAssume?: boolean;
  /** Closed or gone from the organisation since it was listed: AssumeRole is AccessDenied. */
  readonly vanished?: boolean;
  /** After this many IAM calls, its session is refused as expired (ExpiredToken): a session that expires mid-run. */
  readonly expireAfter?: number;
  /** IAM's per-account rate limit: a token bucket (requests per second, burst); an empty bucket answers Throttling. */
  readonly throttle?: { readonly perSecond: number; readonly burst: number };
}

/** The session AssumeRole hands out for a member account: the access key names the account, the secrets are canaries of it. */
export function memberCredentials(account: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  return { accessKeyId: `ASIA${account}ZT01`, secretAccessKey: `memberSecret/${account}/DoNotPrint0123456`, sessionToken: `MemberSessionToken${account}DoNotPrint` };
}

/** A secret-access-key-shaped value the fake quotes with echoCredentials: zt does not know it, its shape must give it away. */
export const ECHOED_FOREIGN_SECRET = 'Zt9fOreignSecretKey/Canary+0123456789abcd';

/**
 * Faults below the IAM error envelope:
 * - `wire:reset`: the connection is dropped before any answer;
 * - `wire:truncated`: a 200 whose Content-Length promises more than is sent, then the connection closes;
 * - `wire:cut-xml`: a 200 with the normal body cut in half (the HTTP framing is right);
 * - `wire:hang`: no answer at all (until the server closes);
 * - `wire:stall-body`: 200 headers and half the body, then nothing;
 * - `wire:delay-<ms>`: the normal answer, after that many milliseconds;
 * - `wire:html`: a 200 captive-portal HTML page; `wire:empty`: a 200 with no body;
 * - `http:<status>-html`: that status with an HTML page instead of an IAM error (a proxy's 403, 429, 502);
 * - `shape:empty-result`: a well-formed answer with an empty `<ActionResult/>`;
 * - `shape:truncated-no-marker`: the normal page with IsTruncated=true and no Marker;
 * - `shape:repeat-marker`: the normal page, truncated, with the Marker it was asked for (a loop);
 * - `shape:not-a-report`: GetCredentialReport content that is not a credential report.
 */
export type WireFault =
  | 'wire:reset'
  | 'wire:truncated'
  | 'wire:cut-xml'
  | 'wire:hang'
  | 'wire:stall-body'
  | `wire:delay-${number}`
  | 'wire:html'
  | 'wire:empty'
  | `http:${number}-html`
  | 'shape:empty-result'
  | 'shape:truncated-no-marker'
  | 'shape:repeat-marker'
  | 'shape:not-a-report';

/** A captive portal's page: well-formed, so an XML parser reads it without complaint. */
const PORTAL = '<!DOCTYPE html>\n<html><head><title>Guest Wi-Fi</title></head><body><p>Please sign in to the guest network.</p></body></html>\n';

export interface RecordedRequest {
  readonly action: string;
  readonly params: URLSearchParams;
  readonly authorization: string;
  readonly attempt: string;
}

export interface FakeIam {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The PolicySourceArn of every SimulatePrincipalPolicy answered. */
  readonly simulated: readonly string[];
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

interface Answer {
  readonly status: number;
  readonly body: string;
  /** The HTTP status text, when not the standard one. */
  readonly statusText?: string;
  readonly contentType?: string;
  /** Break the wire: drop the connection, never answer, or send half the body (then drop or stall). */
  readonly wire?: 'reset' | 'hang' | 'truncated' | 'stall';
  readonly delayMs?: number;
}

function respond(action: string, result: Record<string, unknown>): string {
  return `<${action}Response xmlns="${NS}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ResponseMetadata></${action}Response>`;
}

/** What error answers quote (FakeIamOptions.echoCredentials): the request's credential headers, or undefined. */
type Echo = { readonly authorization: string; readonly securityToken: string } | undefined;

function errorOf(code: string, action: string, echo?: Echo): Answer {
  const known = errors[code] ?? { status: 400, message: code };
  const quoted = echo
    ? ` (the request said Authorization: ${echo.authorization}, X-Amz-Security-Token: ${echo.securityToken}, credential ${echo.securityToken}; upstream key ${ECHOED_FOREIGN_SECRET})`
    : '';
  return {
    status: known.status,
    ...(echo ? { statusText: `Refused X-Amz-Security-Token ${echo.securityToken}` } : {}),
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(known.message.replace('{action}', action) + quoted)}</Message></Error><RequestId>00000000-0000-4000-8000-000000000002</RequestId></ErrorResponse>`,
  };
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** What the accounts of one fake share: STS's record of the roles assumed, the simulations, who signed the last request. */
interface Shared {
  readonly assumedRoles: string[];
  readonly simulated: string[];
  signedAsAssumed: boolean;
}

type Handler = (action: string, params: URLSearchParams, echo: Echo) => Answer;

/** One account's IAM (and, for the account the static keys belong to, STS): its data, faults and report cycle. */
function accountHandler(data: FakeIamData, options: FakeIamOptions, shared: Shared): Handler {
  const faults = new Map(Object.entries(options.faults ?? {}).map(([k, v]) => [k, [...v]]));
  const reportStates = [...(options.reportStates ?? ['COMPLETE'])];
  let reportComplete = false;
  const polled = new Map<string, number>();
  const pageSize = options.pageSize ?? 1000;
  const items = (['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const).flatMap((list) => data.gaad[list].map((item) => ({ list, item })));

  const { assumedRoles, simulated } = shared;
  const serveAction = (action: string, params: URLSearchParams, echo: Echo): Answer => {
    const errorBody = (code: string, act: string): Answer => errorOf(code, act, echo);
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
      case 'ListPolicyVersions':
      case 'GetPolicyVersion': {
        const p = (data.extraPolicies ?? []).find((e) => e.Arn === params.get('PolicyArn'));
        if (!p) return errorBody('NoSuchEntity', action);
        if (action === 'GetPolicy') {
          return { status: 200, body: respond(action, { Policy: { PolicyName: p.PolicyName, Arn: p.Arn, Path: '/', DefaultVersionId: p.DefaultVersionId, AttachmentCount: 0, PermissionsBoundaryUsageCount: 1 } }) };
        }
        const versions = [{ VersionId: p.DefaultVersionId, Document: p.Document, IsDefaultVersion: true }, ...(p.otherVersions ?? []).map((v) => ({ ...v, IsDefaultVersion: false }))];
        if (action === 'ListPolicyVersions') {
          return { status: 200, body: respond(action, { Versions: versions.map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.IsDefaultVersion })), IsTruncated: false }) };
        }
        const version = versions.find((v) => v.VersionId === params.get('VersionId'));
        if (!version) return errorBody('NoSuchEntity', action);
        return { status: 200, body: respond(action, { PolicyVersion: version }) };
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
      case 'GetCallerIdentity': {
        const assumed = assumedRoles.at(-1);
        const arn = shared.signedAsAssumed && assumed ? assumed.replace(/^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/, 'arn:aws:sts::$1:assumed-role/$2/zt-audit') : (options.callerArn ?? 'arn:aws:iam::111122223333:user/auditor');
        return {
          status: 200,
          body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${escape(arn)}</Arn><UserId>AIDAFAKE</UserId><Account>${/::(\d{12}):/.exec(arn)?.[1] ?? '111122223333'}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000004</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        };
      }
      case 'SimulatePrincipalPolicy': {
        // IAM's answer for the principal: what `deny` refuses is an implicit deny, the rest allowed.
        const source = params.get('PolicySourceArn') ?? '';
        if (!/^arn:aws:iam::\d{12}:(user|role|group)\//.test(source)) return errorBody('NoSuchEntity', action);
        const names = [...params.entries()].filter(([k]) => /^ActionNames\.member\.\d+$/.test(k)).map(([, v]) => v);
        const results = names.map((name) => ({ EvalActionName: name, EvalResourceName: '*', EvalDecision: options.deny?.includes(name.replace(/^iam:/, '')) ? 'implicitDeny' : 'allowed' }));
        simulated.push(source);
        return { status: 200, body: respond(action, { EvaluationResults: results, IsTruncated: false }) };
      }
      case 'AssumeRole': {
        if (options.requiredExternalId && params.get('ExternalId') !== options.requiredExternalId) return errorBody('AccessDenied', action);
        assumedRoles.push(params.get('RoleArn') ?? '');
        return {
          status: 200,
          body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKEASSUMED00001</AccessKeyId><SecretAccessKey>fakeAssumedSecretKey/ForTestsOnly0000000000</SecretAccessKey><SessionToken>FAKESESSIONTOKEN</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${escape(params.get('RoleArn') ?? '')}/zt-audit</Arn><AssumedRoleId>AROAFAKE:zt-audit</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
        };
      }
      default:
        return errorBody('InvalidAction', action);
    }
  };

  const handle = (action: string, params: URLSearchParams, echo: Echo): Answer => {
    const errorBody = (code: string, act: string): Answer => errorOf(code, act, echo);
    const serve = (act: string, p: URLSearchParams): Answer => serveAction(act, p, echo);
    if (options.everything) return errorBody(options.everything, action);
    const failure = options.fail?.[action];
    if (failure) return errorBody(failure, action);
    const fault = faults.get(action)?.shift();
    if (fault === undefined) return options.deny?.includes(action) ? errorBody('AccessDenied', action) : serve(action, params);
    if (!/^(wire|http|shape):/.test(fault)) return errorBody(fault, action);
    const html = { status: 200, body: PORTAL, contentType: 'text/html; charset=utf-8' };
    const status = /^http:(\d+)-html$/.exec(fault)?.[1];
    if (status) return { ...html, status: Number(status) };
    const delay = /^wire:delay-(\d+)$/.exec(fault)?.[1];
    if (delay) return { ...serve(action, params), delayMs: Number(delay) };
    switch (fault) {
      case 'wire:reset':
        return { status: 0, body: '', wire: 'reset' };
      case 'wire:hang':
        return { status: 0, body: '', wire: 'hang' };
      case 'wire:truncated':
        return { ...serve(action, params), wire: 'truncated' };
      case 'wire:stall-body':
        return { ...serve(action, params), wire: 'stall' };
      case 'wire:cut-xml': {
        const normal = serve(action, params);
        return { ...normal, body: normal.body.slice(0, Math.floor(normal.body.length / 2)) };
      }
      case 'wire:html':
        return html;
      case 'wire:empty':
        return { status: 200, body: '' };
      case 'shape:empty-result':
        return { status: 200, body: `<${action}Response xmlns="${NS}"><${action}Result/><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ResponseMetadata></${action}Response>` };
      case 'shape:truncated-no-marker': {
        const normal = serve(action, params);
        return { ...normal, body: normal.body.replace(/<IsTruncated>false<\/IsTruncated>/, '<IsTruncated>true</IsTruncated>').replace(/<Marker>[^<]*<\/Marker>/, '') };
      }
      case 'shape:repeat-marker': {
        const normal = serve(action, params);
        const marker = `<Marker>${escape(params.get('Marker') ?? 'page-0')}</Marker>`;
        const body = normal.body.replace(/<IsTruncated>false<\/IsTruncated>/, '<IsTruncated>true</IsTruncated>');
        return { ...normal, body: /<Marker>[^<]*<\/Marker>/.test(body) ? body.replace(/<Marker>[^<]*<\/Marker>/, marker) : body.replace('<IsTruncated>', `${marker}<IsTruncated>`) };
      }
      case 'shape:not-a-report':
        return { status: 200, body: respond(action, { Content: Buffer.from(PORTAL).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2025-05-22T06:00:00Z' }) };
      default:
        throw new Error(`fake IAM: unknown fault ${fault}`);
    }
  };
  return handle;
}

export async function startFakeIam(data: FakeIamData, options: FakeIamOptions = {}): Promise<FakeIam> {
  const requests: RecordedRequest[] = [];
  const shared: Shared = { assumedRoles: [], simulated: [], signedAsAssumed: false };
  const { simulated } = shared;
  const main = accountHandler(data, options, shared);
  const members = new Map(
    Object.entries(options.members ?? {}).map(([id, member]) => [id, { member, handle: accountHandler(member.data, member.options ?? {}, shared), calls: 0, bucket: { tokens: member.throttle?.burst ?? 0, at: Date.now() } }]),
  );
  /** STS for an estate: a role of a member account, assumed with the starting credentials, gives that account's session. */
  const assumeMember = (params: URLSearchParams, echo: Echo): Answer | undefined => {
    const roleArn = params.get('RoleArn') ?? '';
    // The role's name with its path, as --org-role gives it (`security/zt-audit`).
    const [, account, roleName] = /^arn:aws[\w-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn) ?? [];
    if (!account || !options.members) return undefined;
    const entry = members.get(account);
    const denied = (why: string): Answer => ({
      ...errorOf('AccessDenied', 'AssumeRole', echo),
      body: errorOf('AccessDenied', 'AssumeRole', echo).body.replace(/<Message>[^<]*<\/Message>/, `<Message>User: ${escape(options.callerArn ?? 'arn:aws:iam::111122223333:user/auditor')} is not authorized to perform: sts:AssumeRole on resource: ${escape(roleArn)} (${why})${echo ? ` (the request said ExternalId: ${escape(params.get('ExternalId') ?? '')}, Authorization: ${escape(echo.authorization)})` : ''}</Message>`),
    });
    if (!entry || entry.member.vanished) return denied('no such account');
    if (entry.member.denyAssume) return denied('the trust policy does not allow it');
    if (entry.member.roles && !entry.member.roles.includes(roleName as string)) return denied('no such role');
    if (options.requiredExternalId && params.get('ExternalId') !== options.requiredExternalId) return denied('external id');
    shared.assumedRoles.push(roleArn);
    const c = memberCredentials(account);
    return {
      status: 200,
      body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${c.secretAccessKey}</SecretAccessKey><SessionToken>${c.sessionToken}</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/${escape((roleName as string).split('/').pop() as string)}/zt-audit</Arn><AssumedRoleId>AROAFAKE:zt-audit</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
    };
  };
  /** Per-account throttling: a token bucket per member, refilled at its rate; a request finding it empty is throttled. */
  const throttled = (entry: NonNullable<ReturnType<typeof members.get>>): boolean => {
    const limit = entry.member.throttle;
    if (!limit) return false;
    const now = Date.now();
    entry.bucket.tokens = Math.min(limit.burst, entry.bucket.tokens + ((now - entry.bucket.at) / 1000) * limit.perSecond);
    entry.bucket.at = now;
    if (entry.bucket.tokens < 1) return true;
    entry.bucket.tokens -= 1;
    return false;
  };
  const handle = (action: string, params: URLSearchParams, echo: Echo, accessKey: string): Answer => {
    const account = /^ASIA(\d{12})ZT01$/.exec(accessKey)?.[1];
    const entry = account ? members.get(account) : undefined;
    if (action === 'AssumeRole' && options.members) {
      const answer = assumeMember(params, echo);
      if (answer) return answer;
    }
    if (!entry) return main(action, params, echo);
    if (action === 'GetCallerIdentity') {
      return { status: 200, body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::${account}:assumed-role/zt-audit/zt-audit</Arn><UserId>AROAFAKE:zt-audit</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000004</RequestId></ResponseMetadata></GetCallerIdentityResponse>` };
    }
    entry.calls++;
    if (entry.member.expireAfter !== undefined && entry.calls > entry.member.expireAfter) return errorOf('ExpiredToken', action, echo);
    if (throttled(entry)) return errorOf('Throttling', action, echo);
    return entry.handle(action, params, echo);
  };

  // A rejected handler fails the test that caused it (unhandled rejection): nothing to return to node:http.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const listener: RequestListener = async (req, res) => {
    const text = await body(req);
    const params = new URLSearchParams(text);
    const action = params.get('Action') ?? '';
    requests.push({ action, params, authorization: String(req.headers.authorization ?? ''), attempt: String(req.headers['amz-sdk-request'] ?? '') });
    const echo: Echo = options.echoCredentials
      ? { authorization: String(req.headers.authorization ?? '(none)'), securityToken: String(req.headers['x-amz-security-token'] ?? params.get('X-Amz-Security-Token') ?? '(none)') }
      : undefined;
    shared.signedAsAssumed = String(req.headers.authorization ?? '').includes('ASIAFAKEASSUMED00001');
    const accessKey = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const answer = handle(action, params, echo, accessKey);
    const delayMs = (answer.delayMs ?? 0) + (options.latencyMs ?? 0);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (answer.wire === 'reset') {
      req.socket.destroy();
      return;
    }
    if (answer.wire === 'hang') return; // closeAllConnections() ends it
    const bytes = Buffer.from(answer.body);
    const headers = { 'content-type': answer.contentType ?? 'text/xml', 'x-amzn-requestid': '00000000-0000-4000-8000-000000000003' };
    if (answer.wire === 'truncated' || answer.wire === 'stall') {
      res.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      if (answer.wire === 'truncated') setTimeout(() => req.socket.destroy(), 10);
      return;
    }
    if (answer.statusText) res.writeHead(answer.status, answer.statusText, { ...headers, 'content-length': String(bytes.length) });
    else res.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length) });
    res.end(bytes);
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    simulated,
    count: (action) => requests.filter((r) => r.action === action).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
