import type { CollectorContext } from './types.js';

/**
 * `zt doctor`: what a live source's probe reports. A probe answers three questions at the
 * source itself, with the credentials zt would use: which credential was found (and
 * through which step of its chain), whether the API answers (and how fast), and whether
 * each permission zt's collector needs is granted — each gap with the exact grant to add.
 * Secrets never appear: a credential is named by where it came from, never by its value.
 */

/** `ok`: in place; `missing`: refused or absent (the grant says what to add); `unknown`: could not be told; `skipped`: not needed here (a CRD the cluster does not serve). */
export type CheckStatus = 'ok' | 'missing' | 'unknown' | 'skipped';

export interface DoctorCheck {
  /** What is checked, e.g. `list pods`, `iam:GetAccountSummary`, `scope okta.users.read`, `User.Read.All`. */
  readonly check: string;
  readonly status: CheckStatus;
  /** Why (the source's answer), when not plainly ok. */
  readonly detail?: string;
  /** The grant that closes the gap: an RBAC rule, an IAM action, an Okta scope or role, a Graph permission. */
  readonly grant?: string;
  /** zt does without it (it only names things better): a gap is shown, never a failure. */
  readonly optional?: true;
}

export interface CredentialFinding {
  /** ok: found and accepted; missing: none found, or refused. */
  readonly status: 'ok' | 'missing';
  /** Where the credential came from (the chain step, profile, context, token kind); never its value. */
  readonly found: string;
  /** Why it is missing, and what to do (the fix). */
  readonly detail?: string;
  readonly fix?: string;
}

export interface ApiFinding {
  /** ok: the API answered; unreachable: no answer (network, proxy, TLS); unknown: not tried (no credential). */
  readonly status: 'ok' | 'unreachable' | 'unknown';
  /** The call timed, e.g. `GET /version`. */
  readonly call: string;
  /** Milliseconds the call took (a measurement: it differs run to run). */
  readonly latencyMs?: number;
  readonly detail?: string;
}

/** One live target's diagnosis (a cluster context, an AWS identity, an Okta org, an Entra tenant). */
export interface Diagnosis {
  /** The source id: `kubernetes`, `aws-iam`, `okta`, `entra`. */
  readonly source: string;
  /** The target, e.g. `k8s context prod`, `aws profile audit`, `okta:acme.okta.com`, `entra:<tenant>`. */
  readonly target: string;
  readonly credential: CredentialFinding;
  readonly api: ApiFinding;
  /** Every permission zt needs, in the declaration's order. */
  readonly checks: readonly DoctorCheck[];
}

/** What a probe reads from the run: the collector context (env, network, redactor, signal, clock). */
export type ProbeContext = Pick<CollectorContext, 'signal' | 'env' | 'cwd' | 'network' | 'redactor'>;

/** A live source's doctor: built from the same flags as its collector, loaded only when chosen. */
export interface Probe {
  readonly source: string;
  readonly target: string;
  diagnose(context: ProbeContext): Promise<Diagnosis>;
}

/** A diagnosis that stopped at the credential: nothing beyond it could be checked. */
export function withoutCredential(source: string, target: string, found: string, detail: string, fix: string | undefined, checks: readonly DoctorCheck[]): Diagnosis {
  return {
    source,
    target,
    credential: { status: 'missing', found, detail, ...(fix ? { fix } : {}) },
    api: { status: 'unknown', call: 'not tried: no usable credential' },
    checks: checks.map((c) => ({ ...c, status: 'unknown', detail: 'not checked: no usable credential' })),
  };
}

/** Milliseconds since `start` (performance.now()), rounded. */
export function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}
