import { AssumeRoleCommand, STSClient, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ZtError } from '../../errors/zt-error.js';
import type { SecretSink } from '../../text/redact.js';
import { ProxyFailure } from '../shared/proxy.js';
import { scrub, seconds, WireError, wireCheck, wireConfig, type WireSettings } from './wire.js';

// --role-arn: STS AssumeRole through the SDK's STSClient, on the same wire as IAM (the
// proxy and extra CAs, deadlines, the envelope check), signed with the base credentials.
// Its failures are sorted here, because only here is it known which call failed: STS
// unreachable (the network, the proxy, or an answer that is not STS's: exit 3 as
// ZT_COLLECT_UNREACHABLE, naming the cause found anywhere on the error's `cause` chain),
// the role refused (ZT_COLLECT_AUTH naming the role), or the base credentials refused
// (the caller's judgement, `judge`). None of them is "access denied" to IAM.

export interface AssumeRoleSettings extends WireSettings {
  readonly roleArn: string;
  readonly externalId?: string;
  /** What to check when STS refuses the role (an organisation's member: the role may not exist there). */
  readonly assumeHint?: string;
  readonly signal: AbortSignal;
  readonly redactor: SecretSink;
}

const NETWORK_CODES = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|EPIPE|UND_ERR_\w+|ERR_TLS_\w+|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+)$/;

/** Why STS was not reached, from the error or anything on its `cause` chain; undefined when STS itself answered. */
export function networkReason(error: unknown, timeoutMs: number): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ProxyFailure) return e.message;
    if (e instanceof WireError) return e.message;
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (name === 'TimeoutError') return `no answer within ${seconds(timeoutMs)}`;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return `cannot connect (${code})`;
  }
  return undefined;
}

/** The STS answer's error name and HTTP status, when STS (or something in its place) answered. */
function answerOf(error: unknown): { name: string; status: number; message: string } | undefined {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e?.$metadata?.httpStatusCode;
  if (typeof status !== 'number') return undefined;
  return { name: typeof e.name === 'string' ? e.name : 'Error', status, message: typeof e.message === 'string' ? scrub(e.message) : '' };
}

/**
 * A credentials provider that assumes `roleArn` with `base`, caching the session until a
 * minute before it expires. `judge` turns a refusal of the base credentials (expired,
 * invalid) into the caller's ZtError; everything else is decided here.
 */
export function assumedRole(settings: AssumeRoleSettings, base: AwsCredentialIdentityProvider, judge: (error: unknown) => Promise<ZtError | undefined>): { provider: AwsCredentialIdentityProvider; destroy(): void } {
  const { roleArn } = settings;
  const timeoutMs = settings.requestTimeoutMs ?? 30_000;
  const sts = new STSClient({ ...wireConfig(settings, settings.env.AWS_ENDPOINT_URL_STS ?? settings.env.AWS_ENDPOINT_URL, Math.min(settings.maxAttempts ?? 3, 3)), credentials: base });
  sts.middlewareStack.add(wireCheck<ServiceInputTypes, ServiceOutputTypes>(timeoutMs), { step: 'deserialize', priority: 'low', name: 'ztWireCheck' });
  let cached: AwsCredentialIdentity | undefined;

  const failure = async (error: unknown): Promise<unknown> => {
    if (settings.signal.aborted || error instanceof ZtError) return error;
    const unreachable = (why: string): ZtError =>
      new ZtError('ZT_COLLECT_UNREACHABLE', `AWS STS (AssumeRole for ${roleArn}) could not be reached: ${why}`, {
        hint: 'Check AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL), the network path and any proxy (HTTPS_PROXY, NO_PROXY) between zt and STS.',
      });
    const network = networkReason(error, timeoutMs);
    if (network) return unreachable(network);
    const judged = await judge(error);
    if (judged) return judged;
    const answer = answerOf(error);
    // Not STS's error XML (a proxy's or portal's page in its place): STS was not reached.
    if (!answer || answer.name === 'Unknown' || answer.name === 'Error') return unreachable(`HTTP ${answer?.status ?? '?'} without an STS error in the body (a proxy?)`);
    return new ZtError('ZT_COLLECT_AUTH', `AWS: could not assume ${roleArn}: ${answer.name}${answer.message ? `: ${answer.message}` : ''}`, {
      hint:
        answer.name === 'AccessDenied'
          ? settings.assumeHint ?? `Check that the role trusts the identity zt starts from${settings.externalId ? ' and that the external id matches' : ''} (its trust policy's Principal and conditions).`
          : 'Check the role ARN and the session settings STS names, and that STS is enabled in the region (AWS_REGION).',
    });
  };

  const provider: AwsCredentialIdentityProvider = async () => {
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > 60_000) return cached;
    let out;
    try {
      out = await sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'zt-audit', DurationSeconds: 3600, ...(settings.externalId ? { ExternalId: settings.externalId } : {}) }),
        { abortSignal: settings.signal },
      );
    } catch (error) {
      throw await failure(error);
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new ZtError('ZT_COLLECT_AUTH', `AWS: could not assume ${roleArn}: STS answered without credentials`, {
        hint: 'Check AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL) and any proxy between zt and STS.',
      });
    }
    settings.redactor.add(c.SecretAccessKey, c.SessionToken);
    cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
    return cached;
  };
  return { provider, destroy: () => sts.destroy() };
}
