import { isZtError } from '../../errors/zt-error.js';
import { judged, principalOf, probeSession } from '../aws-iam/doctor.js';
import { elapsed, withoutCredential, type Diagnosis, type DoctorCheck, type Probe, type ProbeContext } from '../doctor.js';
import type { SourceSite } from '../source.js';
import { MEMBER_ASSUME_ACTION, organizationsReads } from './reads.js';

/**
 * `zt doctor --org`: the credentials zt starts from (their chain step, STS
 * GetCallerIdentity timed), then every Organizations action of reads.ts simulated for the
 * caller (iam:SimulatePrincipalPolicy). Each member account's role is checked by
 * `zt audit` itself (a role that cannot be assumed is that account's issue); the check
 * listed here for it is the starting identity's sts:AssumeRole, which the simulation can
 * judge only on the caller's side (the role's trust policy is in the member account).
 */
export function organizationProbes(settings: { readonly profile: string | undefined; readonly orgRole: string }, _site: SourceSite): Probe[] {
  const target = `aws organization (${settings.profile ? `profile ${settings.profile}` : 'default credentials'})`;
  return [{ source: 'aws-organizations', target, diagnose: (context) => diagnose(settings, target, context) }];
}

const grantOf = (action: string, resource = '*'): string => `IAM policy statement {"Effect": "Allow", "Action": "${action}", "Resource": "${resource}"}`;

async function diagnose(settings: { readonly profile: string | undefined; readonly orgRole: string }, target: string, context: ProbeContext): Promise<Diagnosis> {
  const actions = organizationsReads.map((r) => `organizations:${r.action}`);
  const assume = { action: MEMBER_ASSUME_ACTION, resource: `arn:aws:iam::*:role/${settings.orgRole}` };
  const unchecked: DoctorCheck[] = [...actions.map((a) => ({ check: a, status: 'unknown' as const, grant: grantOf(a) })), { check: `${assume.action} ${assume.resource}`, status: 'unknown', grant: grantOf(assume.action, assume.resource) }];
  const session = probeSession(context, { profile: settings.profile });
  try {
    let steps: string[];
    try {
      steps = await session.credentialSteps();
    } catch (error) {
      const e = await judged(session, error);
      return withoutCredential('aws-organizations', target, settings.profile ? `profile ${settings.profile}: no usable credentials` : 'no credentials found', e.message, e.hint, unchecked);
    }
    const found = `${steps.join(' → ')}${settings.profile ? ` (profile ${settings.profile})` : ''}`;
    const call = 'sts:GetCallerIdentity';
    const start = performance.now();
    let caller: { arn: string; account: string };
    try {
      caller = await session.callerIdentity();
    } catch (error) {
      const e = await judged(session, error);
      if (e.code === 'ZT_COLLECT_UNREACHABLE') {
        return { source: 'aws-organizations', target, credential: { status: 'ok', found }, api: { status: 'unreachable', call, detail: e.message }, checks: unchecked.map((c) => ({ ...c, detail: 'not checked: AWS did not answer' })) };
      }
      return { source: 'aws-organizations', target, credential: { status: 'missing', found, detail: e.message, ...(e.hint ? { fix: e.hint } : {}) }, api: { status: 'ok', call, latencyMs: elapsed(start) }, checks: unchecked };
    }
    const credential = { status: 'ok' as const, found: `${found}: ${caller.arn}` };
    const api = { status: 'ok' as const, call, latencyMs: elapsed(start) };
    const principal = principalOf(caller.arn);
    let verdicts;
    try {
      verdicts = await session.simulate(principal, [...actions, assume.action]);
    } catch (error) {
      const why = isZtError(error) ? error.message : ((error as { name?: string }).name ?? 'error');
      return { source: 'aws-organizations', target, credential, api, checks: unchecked.map((c) => ({ ...c, detail: `not checked: iam:SimulatePrincipalPolicy on ${principal} not possible (${why}); \`zt audit --org\` reports each refused call` })) };
    }
    const checks: DoctorCheck[] = unchecked.map((c) => {
      const action = c.check.split(' ')[0] as string;
      const verdict = verdicts.get(action);
      if (verdict?.allowed === true) return { check: c.check, status: 'ok', detail: `simulated for ${principal}` };
      return { ...c, status: verdict?.allowed === false ? 'missing' : 'unknown', detail: `simulated for ${principal}: ${verdict ? verdict.detail : 'no answer for it'}` };
    });
    return { source: 'aws-organizations', target, credential, api, checks };
  } finally {
    session.destroy();
  }
}
