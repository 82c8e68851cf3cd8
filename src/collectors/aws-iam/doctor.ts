import { isZtError, ZtError } from '../../errors/zt-error.js';
import { elapsed, withoutCredential, type Diagnosis, type DoctorCheck, type Probe, type ProbeContext } from '../doctor.js';
import type { SourceSite } from '../source.js';
import { doctorSession, type ActionVerdict, type DoctorSession } from './client.js';
import { ASSUME_ROLE_ACTION, awsReadsFor, type AwsRead, type AwsReadAction } from './reads.js';

/**
 * `zt doctor --aws`: the step of the credential chain that found the credentials (the
 * SDK's own record), STS GetCallerIdentity timed (it needs no permission), then every IAM
 * action of reads.ts judged by IAM itself: iam:SimulatePrincipalPolicy on the caller (for
 * an assumed role, the role), which evaluates its identity policies and boundary; where
 * the caller may not simulate (or the role's path is unknown), the cheapest call of each
 * action, whose AccessDenied or NoSuchEntity tells the same. SCPs are outside a
 * simulation of one principal: the fallback's real calls do meet them.
 */

export interface AwsProbeSettings {
  readonly live: boolean;
  readonly profiles: readonly string[];
  readonly roleArns: readonly string[];
  readonly externalId: string | undefined;
  readonly lastAccessed: boolean;
  readonly authorizationDetails: readonly string[];
}

/** What one probe checks: one account's credentials, as one live collector would use them. */
interface AccountProbe {
  readonly profile: string | undefined;
  readonly roleArn: string | undefined;
  readonly externalId: string | undefined;
  readonly lastAccessed: boolean;
}

/** One probe per account, as the live collectors are made (source.ts): each role from the one profile, else each profile, else the default chain. */
export function awsProbes(settings: AwsProbeSettings, _site: SourceSite): Probe[] {
  if (settings.authorizationDetails.length > 0) return [];
  if (settings.externalId && settings.roleArns.length === 0) throw new ZtError('ZT_USAGE', 'AWS: --external-id needs --role-arn <arn>');
  if (settings.roleArns.length > 0 && settings.profiles.length > 1) {
    throw new ZtError('ZT_USAGE', `AWS: --role-arn is assumed from one set of credentials, and ${settings.profiles.length} profiles were given`);
  }
  const { externalId, lastAccessed } = settings;
  const accounts: AccountProbe[] =
    settings.roleArns.length > 0
      ? settings.roleArns.map((roleArn) => ({ profile: settings.profiles[0], roleArn, externalId, lastAccessed }))
      : settings.profiles.length > 0
        ? settings.profiles.map((profile) => ({ profile, roleArn: undefined, externalId, lastAccessed }))
        : [{ profile: undefined, roleArn: undefined, externalId, lastAccessed }];
  return accounts.map((account) => {
    const target = account.roleArn ? `aws role ${account.roleArn}` : account.profile ? `aws profile ${account.profile}` : 'aws default credentials';
    return { source: 'aws-iam', target, diagnose: (context: ProbeContext) => diagnose(account, target, context) };
  });
}

const grantOf = (action: string): string => `IAM policy statement {"Effect": "Allow", "Action": "${action}", "Resource": "*"}`;

/** `arn:aws:sts::1:assumed-role/Name/session` → `arn:aws:iam::1:role/Name` (the role's path is not in the session ARN: a role with one is then tried call by call). */
export function principalOf(arn: string): string {
  const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : arn;
}

async function diagnose(settings: AccountProbe, target: string, context: ProbeContext): Promise<Diagnosis> {
  const reads = awsReadsFor({ lastAccessed: settings.lastAccessed });
  const unchecked: DoctorCheck[] = reads.map((r) => ({ check: `iam:${r.action}`, status: 'unknown', grant: grantOf(`iam:${r.action}`) }));
  const session = probeSession(context, settings);
  try {
    return await diagnoseWith(session, settings, reads, target, unchecked);
  } finally {
    session.destroy();
  }
}

/** The session a doctor probe talks through: the run's environment, network and redaction, two attempts, 20 s per request. */
export function probeSession(context: ProbeContext, identity: { readonly profile?: string | undefined; readonly roleArn?: string | undefined; readonly externalId?: string | undefined }): DoctorSession {
  return doctorSession({
    ...(identity.profile ? { profile: identity.profile } : {}),
    ...(identity.roleArn ? { roleArn: identity.roleArn } : {}),
    ...(identity.externalId ? { externalId: identity.externalId } : {}),
    env: context.env,
    network: context.network,
    signal: context.signal,
    progress: () => undefined,
    redactor: context.redactor,
    maxAttempts: 2,
    requestTimeoutMs: 20_000,
  });
}

/** An error of a probe's call as zt's own (credentials, network, access), or thrown on as unexpected. */
export async function judged(session: DoctorSession, error: unknown): Promise<ZtError> {
  if (isZtError(error)) return error;
  const known = await session.judge(error);
  if (known) return known;
  throw error;
}

async function diagnoseWith(session: DoctorSession, settings: AccountProbe, reads: readonly AwsRead[], target: string, unchecked: DoctorCheck[]): Promise<Diagnosis> {
  let steps: string[];
  try {
    steps = await session.credentialSteps();
  } catch (error) {
    const e = await judged(session, error);
    return withoutCredential('aws-iam', target, settings.profile ? `profile ${settings.profile}: no usable credentials` : 'no credentials found', e.message, e.hint, unchecked);
  }
  const base = `${steps.join(' → ')}${settings.profile ? ` (profile ${settings.profile})` : ''}`;
  const found = settings.roleArn ? `${ASSUME_ROLE_ACTION} ${settings.roleArn}, with ${base}` : base;
  const call = 'sts:GetCallerIdentity';

  let caller: { arn: string; account: string };
  const start = performance.now();
  try {
    caller = await session.callerIdentity();
  } catch (error) {
    const e = await judged(session, error);
    if (e.code === 'ZT_COLLECT_UNREACHABLE') {
      return { source: 'aws-iam', target, credential: { status: 'ok', found }, api: { status: 'unreachable', call, detail: e.message }, checks: unchecked.map((c) => ({ ...c, detail: 'not checked: AWS did not answer' })) };
    }
    return { source: 'aws-iam', target, credential: { status: 'missing', found, detail: e.message, ...(e.hint ? { fix: e.hint } : {}) }, api: { status: 'ok', call, latencyMs: elapsed(start) }, checks: unchecked.map((c) => ({ ...c, detail: 'not checked: the credential was refused' })) };
  }
  const latencyMs = elapsed(start);
  const credential = { status: 'ok' as const, found: `${found}: ${caller.arn}` };
  const api = { status: 'ok' as const, call, latencyMs };
  const principal = settings.roleArn ?? principalOf(caller.arn);
  const actions = reads.map((r) => `iam:${r.action}`);

  let verdicts: Map<string, ActionVerdict> | undefined;
  let how = `simulated for ${principal}`;
  try {
    verdicts = await session.simulate(principal, actions);
  } catch (error) {
    if (isZtError(error) || (await session.judge(error))) {
      const e = await judged(session, error);
      if (e.code === 'ZT_COLLECT_UNREACHABLE') return { source: 'aws-iam', target, credential, api, checks: unchecked.map((c) => ({ ...c, detail: `not checked: ${e.message}` })) };
    }
    how = `tried (iam:SimulatePrincipalPolicy on ${principal} not possible: ${nameOf(error)})`;
  }
  const checks: DoctorCheck[] = [];
  for (const read of reads) {
    const action = `iam:${read.action}`;
    let verdict: ActionVerdict | undefined = verdicts?.get(action);
    let note = how;
    if (!verdict) {
      try {
        verdict = await session.tryAction(read.action as AwsReadAction, caller);
        if (verdicts) note = 'tried (the simulation did not answer for it)';
      } catch (error) {
        const e = await judged(session, error);
        verdict = { allowed: undefined, detail: e.message };
      }
    }
    if (verdict.allowed === true) checks.push({ check: action, status: 'ok', detail: note });
    else checks.push({ check: action, status: verdict.allowed === false ? 'missing' : 'unknown', detail: `${note}: ${verdict.detail}`, grant: grantOf(action) });
  }
  return { source: 'aws-iam', target, credential, api, checks };
}

function nameOf(error: unknown): string {
  const name = (error as { name?: unknown })?.name;
  return typeof name === 'string' ? name : 'error';
}
