import {
  GenerateCredentialReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  GetServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPolicyVersionsCommand,
  ListSAMLProvidersCommand,
  ListVirtualMFADevicesCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClientConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient, type ServiceInputTypes as StsInput, type ServiceOutputTypes as StsOutput } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { isZtError, ZtError } from '../../errors/zt-error.js';
import type { Kind } from '../../inventory/kinds/index.js';
import { coverageRank } from '../../model/coverage.js';
import type { CollectionIssue, KindCoverage } from '../../model/coverage.js';
import type { SecretSink } from '../../text/redact.js';
import type { Network } from '../network.js';
import { sleep } from '../shared/sleep.js';
import type { AwsReadAction } from './reads.js';
import { assumedRole, networkReason } from './sts-client.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, requestHandlerOf, scrub, WireError, wireCheck, wireConfig } from './wire.js';
import {
  accountIdOf,
  AWS_KINDS,
  COLLECTOR_ID,
  isoOrNull,
  parseCredentialReport,
  ReportParseError,
  type AuthorizationDetails,
  type AwsInputs,
  type CredentialReport,
  type Fetched,
  type RawMfaDevice,
  type RawOidcProvider,
  type RawPasswordPolicy,
  type RawSamlProvider,
} from './map.js';

// The only file that talks to AWS. Every call is read-only (docs/aws.md lists the
// policy). Expected failures become coverage + issues; only "cannot use these
// credentials at all" (or "cannot connect at all") is thrown, as a ZtError that names
// the profile and what to run.
//
// Nothing the wire delivers is taken on trust: every attempt has a deadline for the
// whole answer (headers and body), every 2xx body must be the action's own XML envelope
// (an HTML page from a proxy parses as XML into an empty result, which the SDK would
// hand over as "no users"), and every result must have the shape zt reads
// (UnexpectedAnswer) before any of it is used.

export interface LiveSettings {
  readonly profile?: string;
  readonly roleArn?: string;
  readonly externalId?: string;
  /** What to check when STS refuses the role (sts-client.ts). */
  readonly assumeHint?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The run's proxy and extra CAs: IAM and STS are reached through them (wire.ts). */
  readonly network: Network;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
  /** The run's redaction step: the secret key and session token of every credential used are registered. */
  readonly redactor: SecretSink;
  /** Attempts per call for throttling, 5xx and network failures (default 8; network failures at most NETWORK_ATTEMPTS). */
  readonly maxAttempts?: number;
  /** Per attempt: the whole answer within this (default DEFAULT_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs?: number;
  /** Tests: a fixed back-off between attempts instead of the SDK's adaptive mode (and its client-side rate limiting). */
  readonly retryDelayMs?: number;
  /** Tests: report polling. */
  readonly reportPollMs?: number;
  readonly reportTimeoutMs?: number;
  /** Access Advisor: services last accessed per user and role (2+ calls per principal). */
  readonly lastAccessed?: boolean;
  /** Tests: Access Advisor job polling interval. */
  readonly jobPollMs?: number;
  /**
   * The credentials to start from, when another part of the run already resolved them
   * (an organisation's member accounts: one chain, one SSO cache read or credential_process
   * run for all of them); otherwise the chain for `profile` is built here.
   */
  readonly base?: AwsCredentialIdentityProvider;
}

export interface LiveResult {
  readonly inputs: AwsInputs;
  readonly coverage: Partial<Record<Kind, KindCoverage>>;
  readonly issues: CollectionIssue[];
}

/** A well-formed IAM answer without what zt reads from it (a list that is not a list, a page that names no next page). */
export class UnexpectedAnswer extends Error {}

/** A required list of an IAM answer. */
function listOf<T>(out: object, key: string): T[] {
  const value = (out as Record<string, unknown>)[key];
  if (!Array.isArray(value)) throw new UnexpectedAnswer(`${key} is ${value === undefined ? 'missing' : 'not a list'}`);
  return value as T[];
}

/** The Marker of the next page, if any; a truncated page without one (or with one seen before) cannot be followed. */
function nextMarker(out: object, seen: Set<string>, where: string): string | undefined {
  const { IsTruncated, Marker } = out as { IsTruncated?: unknown; Marker?: unknown };
  if (IsTruncated !== true) return undefined;
  if (typeof Marker !== 'string' || Marker === '') throw new UnexpectedAnswer(`${where} says IsTruncated=true but gives no Marker for the next page`);
  if (seen.has(Marker)) throw new UnexpectedAnswer(`${where} gives a Marker it gave before (the pages would loop)`);
  seen.add(Marker);
  return Marker;
}

const DETAIL_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** One page of GetAccountAuthorizationDetails: its lists (absent = empty) and the next Marker. */
export function detailsPage(out: object, page: number, seen: Set<string>): { lists: AuthorizationDetails; next: string | undefined } {
  const raw = out as Record<string, unknown>;
  const present = DETAIL_LISTS.filter((key) => raw[key] !== undefined);
  if (present.length === 0) throw new UnexpectedAnswer(`page ${page} holds none of ${DETAIL_LISTS.join(', ')}`);
  for (const key of present) if (!Array.isArray(raw[key])) throw new UnexpectedAnswer(`${key} on page ${page} is not a list`);
  const lists = Object.fromEntries(DETAIL_LISTS.map((key) => [key, (raw[key] ?? []) as unknown[]])) as unknown as AuthorizationDetails;
  return { lists, next: nextMarker(raw, seen, `page ${page}`) };
}

const REPORT_STATES = new Set(['STARTED', 'INPROGRESS', 'COMPLETE']);

export interface AwsError {
  readonly name: string;
  readonly message: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
}

export function asAwsError(error: unknown): AwsError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string; Code?: string };
  return { name: e?.name ?? 'Error', message: scrub(String(e?.message ?? error)), status: e?.$metadata?.httpStatusCode, code: e?.code ?? e?.Code };
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);
export const AUTH = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
]);
export const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException']);

export function isDenied(e: AwsError): boolean {
  return DENIED.has(e.name) || (e.status === 403 && !AUTH.has(e.name));
}

function profileName(settings: LiveSettings): string {
  return settings.profile ?? settings.env.AWS_PROFILE ?? 'default';
}

/** Turns "cannot use the credentials" into a ZtError naming the profile and what to run; undefined for other errors. */
export async function credentialError(error: unknown, settings: LiveSettings): Promise<ZtError | undefined> {
  const e = asAwsError(error);
  const profile = profileName(settings);
  const explicit = settings.profile !== undefined || settings.env.AWS_PROFILE !== undefined;
  const fromEnv = !explicit && Boolean(settings.env.AWS_ACCESS_KEY_ID && settings.env.AWS_SECRET_ACCESS_KEY);
  const base = fromEnv ? 'the environment credentials (AWS_ACCESS_KEY_ID)' : `profile ${profile}`;
  const who = settings.roleArn ? `role ${settings.roleArn} (assumed with ${base})` : base;
  // A server's answer (STS's, an SSO portal's: its text is the server's, whatever words it holds) is not the local credential chain failing.
  const local = e.status === undefined;
  if (local && /sso/i.test(e.message) && /expired|invalid|not found|refresh/i.test(e.message)) {
    return new ZtError('ZT_COLLECT_AUTH', `AWS: the SSO session of ${who} has expired or is missing`, {
      hint: `Run \`aws sso login --profile ${profile}\` and try again.`,
    });
  }
  if (e.name === 'CredentialsProviderError' || (local && /could not load credentials|could not resolve credentials|credential/i.test(e.message) && e.status === undefined && !AUTH.has(e.name))) {
    // The SDK's chain reports only its last link's failure; say what is wrong with the profile itself.
    const facts = explicit ? await profileFacts(settings.env, profile) : undefined;
    if (facts && !facts.exists) {
      return new ZtError('ZT_COLLECT_CONFIG', `AWS: profile ${profile} is not in ${facts.files.join(' or ')}`, {
        hint: `List the profiles with \`aws configure list-profiles\`; create one with \`aws configure sso --profile ${profile}\` or \`aws configure --profile ${profile}\`.`,
      });
    }
    if (facts?.sso) {
      return new ZtError('ZT_COLLECT_AUTH', `AWS: the SSO session of ${who} has expired or is missing`, {
        hint: `Run \`aws sso login --profile ${profile}\` and try again.`,
      });
    }
    if (explicit) {
      return new ZtError('ZT_COLLECT_CONFIG', `AWS: ${who} gives no usable credentials (${e.message.split('\n')[0]})`, {
        hint: `Check that profile ${profile} exists in ~/.aws/config or ~/.aws/credentials (\`aws configure list-profiles\`), or sign in with \`aws sso login --profile ${profile}\`.`,
      });
    }
    return new ZtError('ZT_COLLECT_CONFIG', 'AWS: no credentials found (environment, shared config and credentials files, SSO, credential_process, instance or container role)', {
      hint: 'Pass --profile <name> (after `aws sso login --profile <name>` for SSO), or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    });
  }
  if (AUTH.has(e.name) || e.status === 401) {
    const expired = /expired/i.test(e.name + e.message);
    return new ZtError('ZT_COLLECT_AUTH', `AWS refused the credentials of ${who}: ${e.name}${expired ? ' (expired)' : ''}`, {
      hint: expired
        ? fromEnv
          ? 'Refresh the temporary credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, or unset them and use --profile (`aws sso login --profile <name>` for SSO).'
          : `Refresh them: \`aws sso login --profile ${profile}\` for SSO, or new temporary credentials; then try again.`
        : `Check the keys or session of ${who} (\`aws sts get-caller-identity${fromEnv ? '' : ` --profile ${profile}`}\`).`,
    });
  }
  if (error instanceof WireError && error.failure === 'unreachable') {
    return new ZtError('ZT_COLLECT_UNREACHABLE', error.message.startsWith('AWS') ? error.message : `AWS IAM could not be reached: ${error.message}`);
  }
  return undefined;
}

/**
 * What the shared config files say about a profile: whether it is in either file, and
 * whether it signs in with SSO. Read with the SDK's own loader (@smithy/core/config), so
 * `[profile x]`, `[default]`, `[sso-session …]` and the credentials file are understood
 * as the SDK's credential chain understands them; only section names and keys are used.
 */
export async function profileFacts(env: Readonly<Record<string, string | undefined>>, profile: string): Promise<{ exists: boolean; sso: boolean; files: string[] }> {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const configFilepath = env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config');
  const filepath = env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials');
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ filepath, configFilepath, ignoreCache: true });
  const fromConfig = configFile[profile];
  const fromCredentials = credentialsFile[profile];
  const keys = [...Object.keys(fromConfig ?? {}), ...Object.keys(fromCredentials ?? {})];
  return { exists: fromConfig !== undefined || fromCredentials !== undefined, sso: keys.some((k) => k.startsWith('sso_')), files: [configFilepath, filepath] };
}

/** The credentials as resolved, each registered with the run's redaction step before it signs anything. */
function registered(provider: AwsCredentialIdentityProvider, redactor: SecretSink): AwsCredentialIdentityProvider {
  return async (options) => {
    const credentials = await provider(options);
    redactor.add(credentials.secretAccessKey, credentials.sessionToken);
    return credentials;
  };
}

/** The base credentials (environment, else the SDK's chain for the profile), and with --role-arn the role assumed with them. */
function credentialsProvider(settings: LiveSettings): { provider: AwsCredentialIdentityProvider; base: AwsCredentialIdentityProvider; destroy(): void } {
  const base = settings.base ?? baseCredentials(settings);
  if (!settings.roleArn) return { provider: base, base, destroy: () => undefined };
  return { ...assumedRole({ ...settings, roleArn: settings.roleArn }, base, (error) => credentialError(error, settings)), base };
}

/**
 * The credentials zt starts from: the environment's static keys (no profile given), else
 * the SDK's chain for the profile; each resolved identity registered with the run's
 * redaction step. Resolved again only when the chain's own caching says so.
 */
export function baseCredentials(settings: Pick<LiveSettings, 'profile' | 'env' | 'network' | 'redactor' | 'requestTimeoutMs'>): AwsCredentialIdentityProvider {
  const env = settings.env;
  let base: AwsCredentialIdentityProvider;
  if (!settings.profile && !env.AWS_PROFILE && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const fixed: AwsCredentialIdentity = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
    base = async () => fixed;
  } else {
    base = defaultProvider({
      ...(settings.profile ? { profile: settings.profile } : env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}),
      ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
      // The clients the chain builds itself (SSO, STS for a profile's role_arn or web identity) take zt's way out too.
      clientConfig: { requestHandler: requestHandlerOf(settings) },
    });
  }
  return registered(base, settings.redactor);
}

/** The IAM client, on zt's wire (wire.ts), signing with the credentials of the settings (assumed role included). */
export function iamClient(settings: LiveSettings): { client: IAMClient; destroy(): void } {
  const env = settings.env;
  const credentials = credentialsProvider(settings);
  const timeoutMs = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const config: IAMClientConfig = { ...wireConfig(settings, env.AWS_ENDPOINT_URL_IAM ?? env.AWS_ENDPOINT_URL, settings.maxAttempts ?? 8), credentials: credentials.provider };
  const client = new IAMClient(config);
  client.middlewareStack.add(wireCheck<ServiceInputTypes, ServiceOutputTypes>(timeoutMs), { step: 'deserialize', priority: 'low', name: 'ztWireCheck' });
  return {
    client,
    destroy() {
      client.destroy();
      credentials.destroy();
    },
  };
}

/** Runs `task` over `items`, at most `width` at a time. */
async function pool<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** Reads one account: authorization details, credential report, account facts and providers. */
export async function readLive(settings: LiveSettings): Promise<LiveResult> {
  const iam = iamClient(settings);
  try {
    return await readAccount(settings, iam.client);
  } finally {
    iam.destroy();
  }
}

async function readAccount(settings: LiveSettings, client: IAMClient): Promise<LiveResult> {
  const coverage: Partial<Record<Kind, KindCoverage>> = {};
  const issueList: CollectionIssue[] = [];
  const reported = new Set<string>();
  // One issue per problem and action, however many calls hit it (e.g. ListMFADevices per user).
  const issues = {
    push(issue: CollectionIssue) {
      const key = `${issue.code} ${issue.message}`;
      if (!reported.has(key)) {
        reported.add(key);
        issueList.push(issue);
      }
    },
  };
  const opts = { abortSignal: settings.signal };
  const degrade = (kinds: readonly Kind[], state: 'partial' | 'missing', reason: KindCoverage['reason'], detail: string) => {
    for (const kind of kinds) {
      const current = coverage[kind];
      if (!current || coverageRank(state) > coverageRank(current.state)) coverage[kind] = { state, reason, detail };
    }
  };
  /**
   * Runs one call. AccessDenied and exhausted throttling become coverage + an issue
   * naming the IAM action; credential problems are thrown (nothing can be read).
   */
  const attempt = async <T>(action: AwsReadAction, kinds: readonly Kind[], state: 'partial' | 'missing', call: () => Promise<T>): Promise<Fetched<T>> => {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      if (settings.signal.aborted) throw error;
      // Already judged (sts-client.ts: STS unreachable, the role refused): nothing can be read.
      if (isZtError(error)) throw error;
      if (error instanceof UnexpectedAnswer || (error instanceof WireError && error.failure !== 'unreachable')) {
        const tries = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
        const detail = error instanceof UnexpectedAnswer ? `answered with an unexpected shape: ${error.message}` : `${error.message}${tries && tries > 1 ? ` (${tries} attempts)` : ''}`;
        degrade(kinds, state, 'api_error', `iam:${action} ${detail}`);
        issues.push({
          collector: COLLECTOR_ID,
          severity: 'warning',
          code: 'ZT_COLLECT_API_ERROR',
          message: `iam:${action} ${error instanceof UnexpectedAnswer ? detail : `failed: ${detail}`}; the data it feeds is not evaluated as complete`,
          kinds: [...kinds],
        });
        return { ok: false };
      }
      const fatal = await credentialError(error, settings);
      if (fatal) throw fatal;
      const e = asAwsError(error);
      if (e.name === 'Unknown' && e.status !== undefined) {
        // A non-2xx answer that is not IAM's error XML: a proxy's page, not IAM's verdict.
        const throttled = e.status === 429;
        degrade(kinds, state, 'api_error', `iam:${action} HTTP ${e.status}`);
        issues.push({
          collector: COLLECTOR_ID,
          severity: 'warning',
          code: throttled ? 'ZT_COLLECT_THROTTLED' : 'ZT_COLLECT_API_ERROR',
          message: `iam:${action} ${throttled ? 'was still throttled after retries' : 'failed'}: HTTP ${e.status} without an IAM error in the body (a proxy?); the affected data is incomplete`,
          kinds: [...kinds],
        });
        return { ok: false };
      }
      if (isDenied(e)) {
        degrade(kinds, state, 'permission_denied', `iam:${action} denied`);
        issues.push({
          collector: COLLECTOR_ID,
          severity: 'warning',
          code: 'ZT_COLLECT_ACCESS_DENIED',
          message: `iam:${action} was denied (${e.name}); grant it (docs/aws.md) — the checks that need it are not evaluated`,
          kinds: [...kinds],
        });
      } else if (THROTTLED.has(e.name)) {
        degrade(kinds, state, 'api_error', `iam:${action} throttled`);
        issues.push({
          collector: COLLECTOR_ID,
          severity: 'warning',
          code: 'ZT_COLLECT_THROTTLED',
          message: `iam:${action} was still throttled after retries (${e.name}); the affected data is incomplete`,
          kinds: [...kinds],
        });
      } else {
        degrade(kinds, state, 'api_error', `iam:${action} failed: ${e.name}`);
        issues.push({
          collector: COLLECTOR_ID,
          severity: 'warning',
          code: 'ZT_COLLECT_API_ERROR',
          message: `iam:${action} failed: ${e.name}: ${e.message}`,
          kinds: [...kinds],
        });
      }
      return { ok: false };
    }
  };

  const principalKinds: Kind[] = ['aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy'];

  const readDetails = async (): Promise<AuthorizationDetails | undefined> => {
    const details: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    const seen = new Set<string>();
    let marker: string | undefined;
    let page = 0;
    do {
      page++;
      const at = page;
      const result = await attempt('GetAccountAuthorizationDetails', principalKinds, 'missing', async () =>
        detailsPage(await client.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }), opts), at, seen),
      );
      // All pages or none: a principal's permissions come from groups and policies that may sit on
      // a page that was not read, so a partial read could call an administrator harmless.
      if (!result.ok) return undefined;
      for (const key of DETAIL_LISTS) (details[key] as unknown[]).push(...result.value.lists[key]);
      settings.progress(`AWS IAM: authorization details, page ${page} (${details.UserDetailList.length} users, ${details.RoleDetailList.length} roles)`);
      marker = result.value.next;
    } while (marker);
    return details;
  };

  const readReport = async (): Promise<CredentialReport | undefined> => {
    const kinds: Kind[] = ['aws.iam.user', 'aws.account'];
    const poll = settings.reportPollMs ?? 2000;
    const deadline = Date.now() + (settings.reportTimeoutMs ?? 300_000);
    let wait = poll;
    for (;;) {
      const generated = await attempt('GenerateCredentialReport', kinds, 'partial', async () => {
        const { State } = await client.send(new GenerateCredentialReportCommand({}), opts);
        if (!REPORT_STATES.has(State ?? '')) throw new UnexpectedAnswer(`State is ${State === undefined ? 'missing' : 'not STARTED, INPROGRESS or COMPLETE'}`);
        return State;
      });
      if (!generated.ok) return undefined;
      if (generated.value === 'COMPLETE') {
        let got: { Content?: Uint8Array | undefined; GeneratedTime?: Date | undefined; ReportFormat?: string | undefined } | undefined;
        try {
          got = await client.send(new GetCredentialReportCommand({}), opts);
        } catch (error) {
          const e = asAwsError(error);
          if (settings.signal.aborted) throw error;
          const notReady = ['CredentialReportNotReadyException', 'CredentialReportNotPresentException', 'CredentialReportExpiredException', 'ReportInProgress', 'ReportNotPresent', 'ReportExpired'];
          if (!notReady.includes(e.name)) {
            const result = await attempt('GetCredentialReport', kinds, 'partial', () => Promise.reject(error));
            if (!result.ok) return undefined;
          }
        }
        if (got) {
          // An answer without the report's content is not "not ready yet": asking again would only repeat it.
          const parsed = await attempt('GetCredentialReport', kinds, 'partial', async () => {
            const content = got.Content;
            if (!(content instanceof Uint8Array) || content.length === 0) throw new UnexpectedAnswer('Content is missing or empty');
            if (got.ReportFormat !== undefined && got.ReportFormat !== 'text/csv') throw new UnexpectedAnswer('ReportFormat is not text/csv');
            try {
              return parseCredentialReport(new TextDecoder().decode(content), got.GeneratedTime);
            } catch (error) {
              if (!(error instanceof ReportParseError)) throw error;
              throw new UnexpectedAnswer(`the content is not a credential report: ${error.message}`);
            }
          });
          return parsed.ok ? parsed.value : undefined;
        }
      }
      if (Date.now() + wait > deadline) {
        degrade(kinds, 'partial', 'api_error', 'credential report not ready in time');
        issues.push({ collector: COLLECTOR_ID, severity: 'warning', code: 'ZT_COLLECT_API_ERROR', message: 'the credential report was still being generated when zt stopped waiting; re-run in a minute', kinds });
        return undefined;
      }
      settings.progress('AWS IAM: waiting for the credential report');
      await sleep(wait, settings.signal);
      wait = Math.min(wait * 2, 10_000);
    }
  };

  const readPasswordPolicy = async (): Promise<Fetched<RawPasswordPolicy | null>> => {
    try {
      const out = await client.send(new GetAccountPasswordPolicyCommand({}), opts);
      const policy = out.PasswordPolicy;
      // NoSuchEntity is how IAM says "no policy"; an answer without one is not that.
      if (typeof policy !== 'object' || policy === null || typeof policy.MinimumPasswordLength !== 'number') {
        return attempt('GetAccountPasswordPolicy', ['aws.account'], 'partial', () => Promise.reject(new UnexpectedAnswer(`PasswordPolicy is ${policy === undefined ? 'missing' : 'without MinimumPasswordLength'}`)));
      }
      return { ok: true, value: policy };
    } catch (error) {
      const e = asAwsError(error);
      // No custom policy: a finding ("no password policy"), not a collection failure.
      if (e.name === 'NoSuchEntityException' || e.name === 'NoSuchEntity') return { ok: true, value: null };
      return attempt('GetAccountPasswordPolicy', ['aws.account'], 'partial', () => Promise.reject(error));
    }
  };

  settings.progress('AWS IAM: reading authorization details and the credential report');
  const [details, credentialReport, passwordPolicy, summary, virtualMfaDevices, oidc, saml, aliases] = await Promise.all([
    readDetails(),
    readReport(),
    readPasswordPolicy(),
    attempt('GetAccountSummary', ['aws.account'], 'partial', async () => {
      const map = (await client.send(new GetAccountSummaryCommand({}), opts)).SummaryMap as Record<string, unknown> | undefined;
      if (typeof map !== 'object' || map === null || Object.keys(map).length === 0) throw new UnexpectedAnswer(`SummaryMap is ${map === undefined ? 'missing' : 'empty'}`);
      if (!Object.values(map).every((v) => typeof v === 'number')) throw new UnexpectedAnswer('SummaryMap holds values that are not numbers');
      return map as Record<string, number>;
    }),
    attempt('ListVirtualMFADevices', ['aws.account'], 'partial', async () => {
      const devices: RawMfaDevice[] = [];
      const seen = new Set<string>();
      let marker: string | undefined;
      do {
        const out = await client.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Any', ...(marker ? { Marker: marker } : {}) }), opts);
        devices.push(...listOf<RawMfaDevice>(out, 'VirtualMFADevices'));
        marker = nextMarker(out, seen, 'a page');
      } while (marker);
      return devices;
    }),
    attempt('ListOpenIDConnectProviders', ['aws.iam.identityProvider'], 'partial', async () => {
      const list = listOf<{ Arn?: string }>(await client.send(new ListOpenIDConnectProvidersCommand({}), opts), 'OpenIDConnectProviderList');
      const out: RawOidcProvider[] = [];
      for (const { Arn } of list) {
        if (!Arn) continue;
        const got = await attempt('GetOpenIDConnectProvider', ['aws.iam.identityProvider'], 'partial', async () => {
          const provider = await client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: Arn }), opts);
          if (typeof provider.Url !== 'string' || provider.Url === '') throw new UnexpectedAnswer('Url is missing');
          return { Arn, Url: provider.Url, ClientIDList: provider.ClientIDList === undefined ? [] : listOf<string>(provider, 'ClientIDList') };
        });
        if (got.ok) out.push(got.value);
      }
      return out;
    }),
    attempt('ListSAMLProviders', ['aws.iam.identityProvider'], 'partial', async () => listOf<RawSamlProvider>(await client.send(new ListSAMLProvidersCommand({}), opts), 'SAMLProviderList')),
    attempt('ListAccountAliases', [], 'partial', async () => listOf<string>(await client.send(new ListAccountAliasesCommand({}), opts), 'AccountAliases')),
  ]);

  // Managed policies that principals use but GAAD did not return (IAM omits some
  // AWS-managed policies, e.g. one used only as a permissions boundary): fetch them.
  if (details) {
    const known = new Set(details.Policies.map((p) => p.Arn));
    const referenced = new Set<string>();
    for (const principal of [...details.UserDetailList, ...details.GroupDetailList, ...details.RoleDetailList]) {
      for (const a of principal.AttachedManagedPolicies ?? []) if (a.PolicyArn) referenced.add(a.PolicyArn);
      const boundary = (principal as { PermissionsBoundary?: { PermissionsBoundaryArn?: string } }).PermissionsBoundary?.PermissionsBoundaryArn;
      if (boundary) referenced.add(boundary);
    }
    const absent = [...referenced].filter((arn) => !known.has(arn)).sort();
    let stop = false;
    await pool(absent, 4, async (arn) => {
      if (stop) return;
      const got = await attempt('GetPolicy', ['aws.iam.policy'], 'partial', async () => {
        const policy = (await client.send(new GetPolicyCommand({ PolicyArn: arn }), opts)).Policy;
        const versionId = policy?.DefaultVersionId;
        if (!policy || !versionId) throw new UnexpectedAnswer(`${policy ? 'DefaultVersionId' : 'Policy'} is missing`);
        const version = (await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), opts)).PolicyVersion;
        if (typeof version?.Document !== 'string') throw new UnexpectedAnswer('PolicyVersion.Document is missing');
        // GAAD lists every version of the policies it returns; for one fetched here, a customer-managed
        // policy's other versions are read too (iam:SetDefaultPolicyVersion can make any of them the default).
        const others: { Document: string; VersionId: string; IsDefaultVersion: false }[] = [];
        if (!arn.includes(':iam::aws:policy/')) {
          const listed = (await client.send(new ListPolicyVersionsCommand({ PolicyArn: arn }), opts)).Versions ?? [];
          for (const v of listed) {
            if (!v.VersionId || v.VersionId === versionId) continue;
            const other = (await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId }), opts)).PolicyVersion;
            if (typeof other?.Document !== 'string') throw new UnexpectedAnswer(`PolicyVersion.Document of ${v.VersionId} is missing`);
            others.push({ Document: other.Document, VersionId: v.VersionId, IsDefaultVersion: false });
          }
        }
        return {
          PolicyName: policy.PolicyName ?? arn.split('/').pop() ?? arn,
          Arn: arn,
          Path: policy.Path ?? '/',
          DefaultVersionId: versionId,
          AttachmentCount: policy.AttachmentCount ?? 0,
          PermissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount ?? 0,
          PolicyVersionList: [{ Document: version?.Document, VersionId: versionId, IsDefaultVersion: true }, ...others],
        };
      });
      if (got.ok) details.Policies.push(got.value);
      else stop = true;
    });
  }

  // MFA device types (virtual / FIDO / hardware) per user with MFA, bounded concurrency.
  const userMfaDevices = new Map<string, string[]>();
  if (details) {
    const mfaByArn = new Map((credentialReport?.rows ?? []).map((r) => [r.arn, r.mfaActive]));
    const wanted = details.UserDetailList.filter((u) => mfaByArn.get(u.Arn ?? '') !== false && u.UserName);
    let denied = false;
    if (wanted.length > 0) settings.progress(`AWS IAM: MFA devices of ${wanted.length} user(s)`);
    await pool(wanted, 4, async (user) => {
      if (denied) return;
      const got = await attempt('ListMFADevices', ['aws.iam.user'], 'partial', async () => {
        const serials: string[] = [];
        const seen = new Set<string>();
        let marker: string | undefined;
        do {
          const out = await client.send(new ListMFADevicesCommand({ UserName: user.UserName, ...(marker ? { Marker: marker } : {}) }), opts);
          serials.push(...listOf<{ SerialNumber?: string }>(out, 'MFADevices').map((d) => d.SerialNumber ?? '').filter(Boolean));
          marker = nextMarker(out, seen, 'a page');
        } while (marker);
        return serials;
      });
      if (got.ok) userMfaDevices.set(user.UserName as string, got.value);
      else denied = true;
    });
  }

  // Access Advisor, only when asked: one job per user and role, three at a time.
  let lastAccessed: Map<string, { service: string; lastAuthenticated: string | null }[]> | undefined;
  if (settings.lastAccessed && details) {
    lastAccessed = new Map();
    const principals = [...details.UserDetailList, ...details.RoleDetailList].map((p) => p.Arn).filter((a): a is string => Boolean(a));
    let stop = false;
    let done = 0;
    await pool(principals, 3, async (arn) => {
      if (stop) return;
      const got = await attempt('GenerateServiceLastAccessedDetails', [], 'partial', async () => {
        const { JobId } = await client.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'SERVICE_LEVEL' }), opts);
        if (typeof JobId !== 'string' || JobId === '') throw new UnexpectedAnswer('JobId is missing');
        const services: { service: string; lastAuthenticated: string | null }[] = [];
        const seen = new Set<string>();
        const deadline = Date.now() + (settings.reportTimeoutMs ?? 300_000);
        let wait = settings.jobPollMs ?? 1000;
        let marker: string | undefined;
        for (;;) {
          const out = await client.send(new GetServiceLastAccessedDetailsCommand({ JobId, ...(marker ? { Marker: marker } : {}) }), opts);
          if (out.JobStatus === 'IN_PROGRESS') {
            if (Date.now() + wait > deadline) throw new UnexpectedAnswer('the job was still in progress when zt stopped waiting');
            await sleep(wait, settings.signal);
            wait = Math.min(wait * 2, 10_000);
            continue;
          }
          if (out.JobStatus === 'FAILED') return undefined;
          if (out.JobStatus !== 'COMPLETED') throw new UnexpectedAnswer(`JobStatus is ${out.JobStatus === undefined ? 'missing' : 'not IN_PROGRESS, COMPLETED or FAILED'}`);
          for (const s of listOf<{ ServiceNamespace?: string; ServiceName?: string; LastAuthenticated?: Date }>(out, 'ServicesLastAccessed')) {
            services.push({ service: s.ServiceNamespace ?? s.ServiceName ?? '', lastAuthenticated: isoOrNull(s.LastAuthenticated) });
          }
          marker = nextMarker(out, seen, 'a page');
          if (!marker) return services.sort((a, b) => a.service.localeCompare(b.service));
        }
      });
      if (!got.ok) stop = true;
      else if (got.value) lastAccessed!.set(arn, got.value);
      settings.progress(`AWS IAM: Access Advisor ${++done}/${principals.length}`);
    });
  }

  let accountId: string | undefined;
  if (!details && !credentialReport) {
    accountId = virtualMfaDevices.ok ? virtualMfaDevices.value.map((v) => accountIdOf(v.SerialNumber)).find(Boolean) : undefined;
  }
  if (!oidc.ok && !saml.ok) degrade(['aws.iam.identityProvider'], 'missing', 'permission_denied', 'providers not readable');
  for (const kind of AWS_KINDS) if (!coverage[kind]) coverage[kind] = { state: 'complete' };
  return {
    inputs: {
      details,
      credentialReport,
      passwordPolicy,
      summary,
      virtualMfaDevices,
      userMfaDevices,
      oidcProviders: oidc,
      samlProviders: saml,
      accountAlias: aliases.ok ? aliases.value[0] : undefined,
      ...(accountId ? { accountId } : {}),
      ...(lastAccessed ? { lastAccessed } : {}),
    },
    coverage,
    issues: issueList,
  };
}

// ---------------------------------------------------------------------------------------
// zt doctor: which credential the chain found, who it is, and what IAM lets it do.

/** The SDK's credential feature ids (`$source` on a resolved identity) as the chain steps they name. */
const CHAIN_STEPS: Readonly<Record<string, string>> = {
  CREDENTIALS_ENV_VARS: 'environment variables (AWS_ACCESS_KEY_ID)',
  CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN: 'web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)',
  CREDENTIALS_PROFILE: 'shared config/credentials profile',
  CREDENTIALS_PROFILE_SOURCE_PROFILE: "profile's source_profile",
  CREDENTIALS_PROFILE_NAMED_PROVIDER: "profile's credential_source",
  CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN: "profile's web_identity_token_file",
  CREDENTIALS_PROFILE_SSO: 'IAM Identity Center (SSO) profile',
  CREDENTIALS_SSO: 'IAM Identity Center (SSO)',
  CREDENTIALS_PROFILE_SSO_LEGACY: 'SSO profile (legacy)',
  CREDENTIALS_SSO_LEGACY: 'SSO (legacy)',
  CREDENTIALS_PROFILE_PROCESS: "profile's credential_process",
  CREDENTIALS_PROCESS: 'credential_process',
  CREDENTIALS_STS_ASSUME_ROLE: 'STS AssumeRole (profile role_arn)',
  CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'STS AssumeRoleWithWebIdentity',
  CREDENTIALS_HTTP: 'container credentials endpoint (ECS, EKS Pod Identity)',
  CREDENTIALS_IMDS: 'EC2 instance metadata (instance role)',
  CREDENTIALS_PROFILE_LOGIN: 'profile login session',
  CREDENTIALS_LOGIN: 'login session',
};

/** How IAM answered one action for the caller: allowed, denied, or not known (with why). */
export type ActionVerdict = { readonly allowed: true } | { readonly allowed: false; readonly detail: string } | { readonly allowed: undefined; readonly detail: string };

export interface DoctorSession {
  /** The chain step(s) that produced the base credentials (the SDK's own record of it); throws the credential's ZtError. */
  credentialSteps(): Promise<string[]>;
  /** STS GetCallerIdentity with the credentials zt uses (the assumed role's with --role-arn); needs no permission. */
  callerIdentity(): Promise<{ readonly arn: string; readonly account: string }>;
  /** iam:SimulatePrincipalPolicy for `principalArn` over `actions` (with their service prefix); throws when the simulation itself is refused. */
  simulate(principalArn: string, actions: readonly string[]): Promise<Map<string, ActionVerdict>>;
  /** The cheapest call of one action, to tell from IAM's answer whether it is allowed. */
  tryAction(action: AwsReadAction, caller: { readonly arn: string; readonly account: string }): Promise<ActionVerdict>;
  /** Turns an error into the ZtError zt reports for it (credentials, STS, the network), or undefined. */
  judge(error: unknown): Promise<ZtError | undefined>;
  destroy(): void;
}

export function doctorSession(settings: LiveSettings): DoctorSession {
  const env = settings.env;
  const credentials = credentialsProvider(settings);
  const timeoutMs = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const iam = new IAMClient({ ...wireConfig(settings, env.AWS_ENDPOINT_URL_IAM ?? env.AWS_ENDPOINT_URL, settings.maxAttempts ?? 3), credentials: credentials.provider });
  iam.middlewareStack.add(wireCheck<ServiceInputTypes, ServiceOutputTypes>(timeoutMs), { step: 'deserialize', priority: 'low', name: 'ztWireCheck' });
  const sts = new STSClient({ ...wireConfig(settings, env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL, settings.maxAttempts ?? 3), credentials: credentials.provider });
  sts.middlewareStack.add(wireCheck<StsInput, StsOutput>(timeoutMs), { step: 'deserialize', priority: 'low', name: 'ztWireCheck' });
  const opts = { abortSignal: settings.signal };

  const verdictOf = (error: unknown): ActionVerdict => {
    const e = asAwsError(error);
    if (isDenied(e)) return { allowed: false, detail: `${e.name}: ${e.message.split('\n')[0] ?? ''}`.slice(0, 300) };
    // Past authorisation: IAM looked for the (made-up) object, or the report is not built yet.
    if (/^(NoSuchEntity|NoSuchEntityException|ReportNotPresent|ReportInProgress|ReportExpired)$/.test(e.name)) return { allowed: true };
    return { allowed: undefined, detail: `${e.name}${e.status ? ` (HTTP ${e.status})` : ''}` };
  };
  const tryCall = async (call: () => Promise<unknown>): Promise<ActionVerdict> => {
    try {
      await call();
      return { allowed: true };
    } catch (error) {
      if (settings.signal.aborted || isZtError(error)) throw error;
      const e = asAwsError(error);
      if (AUTH.has(e.name)) throw error;
      return verdictOf(error);
    }
  };
  // Objects named here do not exist: IAM answers NoSuchEntity once it has authorised the call.
  const probeName = 'zt-doctor-probe';
  const calls: Record<AwsReadAction, (caller: { arn: string; account: string }) => Promise<unknown>> = {
    GetAccountAuthorizationDetails: () => iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1 }), opts),
    GenerateCredentialReport: () => iam.send(new GenerateCredentialReportCommand({}), opts),
    GetCredentialReport: () => iam.send(new GetCredentialReportCommand({}), opts),
    GetAccountPasswordPolicy: () => iam.send(new GetAccountPasswordPolicyCommand({}), opts),
    GetAccountSummary: () => iam.send(new GetAccountSummaryCommand({}), opts),
    ListVirtualMFADevices: () => iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 1 }), opts),
    ListMFADevices: () => iam.send(new ListMFADevicesCommand({ UserName: probeName, MaxItems: 1 }), opts),
    ListOpenIDConnectProviders: () => iam.send(new ListOpenIDConnectProvidersCommand({}), opts),
    GetOpenIDConnectProvider: (c) => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${c.account}:oidc-provider/${probeName}.invalid` }), opts),
    ListSAMLProviders: () => iam.send(new ListSAMLProvidersCommand({}), opts),
    ListAccountAliases: () => iam.send(new ListAccountAliasesCommand({}), opts),
    GetPolicy: (c) => iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${c.account}:policy/${probeName}` }), opts),
    GetPolicyVersion: (c) => iam.send(new GetPolicyVersionCommand({ PolicyArn: `arn:aws:iam::${c.account}:policy/${probeName}`, VersionId: 'v1' }), opts),
    ListPolicyVersions: (c) => iam.send(new ListPolicyVersionsCommand({ PolicyArn: `arn:aws:iam::${c.account}:policy/${probeName}` }), opts),
    GenerateServiceLastAccessedDetails: (c) => iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${c.account}:user/${probeName}` }), opts),
    GetServiceLastAccessedDetails: () => iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: '00000000-0000-0000-0000-000000000000' }), opts),
  };

  return {
    async credentialSteps() {
      const identity = (await credentials.base({})) as AwsCredentialIdentity & { $source?: Record<string, unknown> };
      const steps = Object.keys(identity.$source ?? {}).map((id) => CHAIN_STEPS[id] ?? id);
      if (steps.length > 0) return steps;
      // zt reads static environment keys itself (no profile given): the SDK records nothing then.
      return !settings.profile && !env.AWS_PROFILE && env.AWS_ACCESS_KEY_ID ? [CHAIN_STEPS.CREDENTIALS_ENV_VARS as string] : ['the default credential chain'];
    },
    async callerIdentity() {
      const out = await sts.send(new GetCallerIdentityCommand({}), opts);
      if (typeof out.Arn !== 'string' || typeof out.Account !== 'string') throw new UnexpectedAnswer('GetCallerIdentity answered without Arn or Account');
      return { arn: out.Arn, account: out.Account };
    },
    async simulate(principalArn, actions) {
      const verdicts = new Map<string, ActionVerdict>();
      const seen = new Set<string>();
      let marker: string | undefined;
      do {
        const out = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: principalArn, ActionNames: [...actions], ...(marker ? { Marker: marker } : {}) }), opts);
        for (const result of listOf<{ EvalActionName?: string; EvalDecision?: string }>(out, 'EvaluationResults')) {
          if (typeof result.EvalActionName !== 'string') continue;
          const decision = result.EvalDecision ?? 'unknown';
          verdicts.set(result.EvalActionName, decision === 'allowed' ? { allowed: true } : decision === 'explicitDeny' || decision === 'implicitDeny' ? { allowed: false, detail: decision } : { allowed: undefined, detail: `decision ${decision}` });
        }
        marker = nextMarker(out, seen, 'SimulatePrincipalPolicy');
      } while (marker);
      return verdicts;
    },
    tryAction: (action, caller) => tryCall(() => calls[action](caller)),
    async judge(error) {
      const known = await credentialError(error, settings);
      if (known) return known;
      const network = networkReason(error, timeoutMs);
      return network ? new ZtError('ZT_COLLECT_UNREACHABLE', `AWS could not be reached: ${network}`, { hint: 'Check AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM (or AWS_ENDPOINT_URL), the network path and any proxy (HTTPS_PROXY, NO_PROXY).' }) : undefined;
    },
    destroy() {
      iam.destroy();
      sts.destroy();
      credentials.destroy();
    },
  };
}
