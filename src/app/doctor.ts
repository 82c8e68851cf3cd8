import type { Diagnosis, DoctorCheck, Probe, ProbeContext } from '../collectors/doctor.js';
import type { Redactor } from '../text/redact.js';

/**
 * `zt doctor`: every chosen live target's probe, run together, their diagnoses in the
 * order the sources and targets were chosen (deterministic; only the latencies are
 * measurements). Every text a probe returns can quote a server's answer: it passes the
 * run's redaction step here, after every probe has registered the credentials it used.
 */

export interface DoctorReport {
  readonly version: 1;
  /** Everything zt needs is in place for every target (optional gaps aside). */
  readonly ready: boolean;
  readonly sources: readonly Diagnosis[];
}

export async function diagnoseSources(probes: readonly Probe[], context: ProbeContext): Promise<DoctorReport> {
  const diagnoses = await Promise.all(probes.map((probe) => probe.diagnose(context)));
  const sources = diagnoses.map((d) => redacted(d, context.redactor));
  return { version: 1, ready: sources.every(isReady), sources };
}

/** A target is ready when its credential was accepted, its API answered and every needed check is ok (or skipped). */
export function isReady(diagnosis: Diagnosis): boolean {
  return diagnosis.credential.status === 'ok' && diagnosis.api.status === 'ok' && diagnosis.checks.every((c) => !isGap(c));
}

/** A check that keeps the target from being ready. */
export function isGap(check: DoctorCheck): boolean {
  return check.status === 'unknown' || (check.status === 'missing' && check.optional !== true);
}

function redacted<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redacted(v, redactor)) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v, redactor)])) as T;
  return value;
}
