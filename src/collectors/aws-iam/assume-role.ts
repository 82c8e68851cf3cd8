import { createHash, createHmac } from 'node:crypto';

// STS AssumeRole over the query API, signed with SigV4. @aws-sdk/client-sts is not a
// dependency of zt (nor a declared dependency of @aws-sdk/client-iam), and this is the
// one STS call zt makes, so it is done here with node:crypto and fetch.

export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface AssumeRoleRequest {
  readonly source: AwsCredentialIdentity;
  readonly roleArn: string;
  readonly externalId?: string;
  readonly region: string;
  /** Override (tests, private endpoints); default the regional STS endpoint. */
  readonly endpoint?: string | undefined;
  readonly signal: AbortSignal;
  readonly sessionName?: string;
  readonly durationSeconds?: number;
  /** Tests: the signing clock. */
  readonly now?: Date;
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 form encoding, as SigV4 canonicalisation expects. */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Signs a form POST for `service` with SigV4; returns the headers to send. */
export function signFormPost(url: URL, body: string, service: string, region: string, credentials: AwsCredentialIdentity, now: Date): Record<string, string> {
  const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: url.host,
    'x-amz-date': amzDate,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', url.pathname || '/', '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), sha256(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/** Error thrown for an STS error response; `name` is the STS error code. */
export class StsError extends Error {
  readonly status: number;
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

export async function assumeRole(request: AssumeRoleRequest): Promise<AwsCredentialIdentity> {
  const url = new URL(request.endpoint ?? `https://sts.${request.region}.amazonaws.com/`);
  const params: [string, string][] = [
    ['Action', 'AssumeRole'],
    ['DurationSeconds', String(request.durationSeconds ?? 3600)],
    ...(request.externalId ? ([['ExternalId', request.externalId]] as [string, string][]) : []),
    ['RoleArn', request.roleArn],
    ['RoleSessionName', request.sessionName ?? 'zt-audit'],
    ['Version', '2011-06-15'],
  ];
  const body = params.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const headers = signFormPost(url, body, 'sts', request.region, request.source, request.now ?? new Date());
  delete headers.host;
  const response = await fetch(url, { method: 'POST', headers, body, signal: request.signal });
  const xml = await response.text();
  if (!response.ok) {
    const code = tag(xml, 'Code') ?? `HTTP${response.status}`;
    const message = tag(xml, 'Message') ?? response.statusText;
    // AccessDenied here means "this identity may not assume that role".
    throw new StsError(code === 'AccessDenied' ? 'AssumeRoleDenied' : code, message, response.status);
  }
  const accessKeyId = tag(xml, 'AccessKeyId');
  const secretAccessKey = tag(xml, 'SecretAccessKey');
  const sessionToken = tag(xml, 'SessionToken');
  const expiration = tag(xml, 'Expiration');
  if (!accessKeyId || !secretAccessKey || !sessionToken) throw new StsError('AssumeRoleMalformed', 'STS answered without credentials', response.status);
  return { accessKeyId, secretAccessKey, sessionToken, ...(expiration ? { expiration: new Date(expiration) } : {}) };
}
