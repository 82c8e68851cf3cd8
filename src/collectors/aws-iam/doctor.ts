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
  readonly profile: string | undefined;
  readonly roleArn: string | undefined;
  readonly externalId: string | undefined;
  readonly lastAccessed: boolean;
  readonly authorizationDetails: string | undefined;
}

export function awsProbes(settings: AwsProbeSettings, _site: SourceSite): Probe[] {
  if (settings.authorizationDetails !== undefined) return [];
  if (settings.externalId && !settings.roleArn) throw new ZtError('ZT_USAGE', 'AWS: --external-id needs --role-arn <arn>');
  const target = settings.roleArn ? `aws role ${settings.roleArn}` : settings.profile ? `aws profile ${settings.profile}` : 'aws default credentials';
  return [{ source: 'aws-iam', target, diagnose: (context) => diagnose(settings, target, context) }];
}

const grantOf = (action: string): string => `IAM policy statement {"Effect": "Allow", "Action": "${action}", "Resource": "*"}`;

/** `arn:aws:sts::1:assumed-role/Name/session` → `arn:aws:iam::1:role/Name` (the role's path is not in the session ARN: a role with one is then tried call by call). */
export function principalOf(arn: string): string {
  const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : arn;
}

async function diagnose(settings: AwsProbeSettings, target: string, context: ProbeContext): Promise<Diagnosis> {
  const reads = awsReadsFor({ lastAccessed: settings.lastAccessed });
  const unchecked: DoctorCheck[] = reads.map((r) => ({ check: `iam:${r.action}`, status: 'unknown', grant: grantOf(`iam:${r.action}`) }));
  const session = doctorSession({
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.roleArn ? { roleArn: settings.roleArn } : {}),
    ...(settings.externalId ? { externalId: settings.externalId } : {}),
    env: context.env,
    network: context.network,
    signal: context.signal,
    progress: () => undefined,
    redactor: context.redactor,
    maxAttempts: 2,
    requestTimeoutMs: 20_000,
  });
  try {
    return await diagnoseWith(session, settings, reads, target, unchecked);
  } finally {
    session.destroy();
  }
}

async function judged(session: DoctorSession, error: unknown): Promise<ZtError> {
  if (isZtError(error)) return error;
  const known = await session.judge(error);
  if (known) return known;
  throw error;
}

async function diagnoseWith(session: DoctorSession, settings: AwsProbeSettings, reads: readonly AwsRead[], target: string, unchecked: DoctorCheck[]): Promise<Diagnosis> {
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
