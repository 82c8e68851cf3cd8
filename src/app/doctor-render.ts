import type { Diagnosis, DoctorCheck } from '../collectors/doctor.js';
import { terminalText } from '../text/terminal-text.js';
import { isGap, isReady, type DoctorReport } from './doctor.js';

/** `zt doctor -f json`: the report as data (two-space indented, keys in a fixed order). */
export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const mark = (ok: boolean): string => (ok ? '✔' : '✖');

/** `zt doctor` as a table per target: the credential, the API, then each check with its status and, for a gap, the grant to add. */
export function renderDoctorTable(report: DoctorReport): string {
  const lines: string[] = [];
  for (const d of report.sources) lines.push(...targetLines(d), '');
  const gaps = report.sources.reduce((n, d) => n + gapsOf(d), 0);
  lines.push(
    report.ready
      ? `✔ everything zt needs is in place (${report.sources.length} target${report.sources.length === 1 ? '' : 's'})`
      : `✖ not ready: ${gaps} gap${gaps === 1 ? '' : 's'}; fix what each ✖ line names, and check each ? (docs/permissions.md lists every grant)`,
  );
  return `${lines.join('\n')}\n`;
}

/** What keeps a target from being ready: its credential, else its API, else each check that is a gap. */
function gapsOf(d: Diagnosis): number {
  if (d.credential.status !== 'ok' || d.api.status !== 'ok') return 1;
  return d.checks.filter(isGap).length;
}

function targetLines(d: Diagnosis): string[] {
  const t = terminalText;
  const lines = [`${mark(isReady(d))} ${d.source}: ${t(d.target)}`];
  const c = d.credential;
  lines.push(`  ${mark(c.status === 'ok')} credential  ${t(c.found)}`);
  if (c.detail) lines.push(`      ${t(c.detail)}`);
  if (c.fix) lines.push(`      fix: ${t(c.fix)}`);
  const a = d.api;
  if (a.status === 'unknown') lines.push(`  ? api         ${t(a.call)}`);
  else lines.push(`  ${mark(a.status === 'ok')} api         ${t(a.call)}: ${a.status === 'ok' ? `answered in ${a.latencyMs ?? '?'} ms` : 'no answer'}`);
  if (a.detail) lines.push(`      ${t(a.detail)}`);
  const width = Math.max(0, ...d.checks.map((k) => k.check.length));
  for (const k of d.checks) lines.push(...checkLines(k, width));
  return lines;
}

function checkLines(k: DoctorCheck, width: number): string[] {
  const t = terminalText;
  const symbol = k.status === 'ok' ? '✔' : k.status === 'skipped' ? '–' : k.status === 'unknown' ? '?' : k.optional ? '!' : '✖';
  const head = `  ${symbol} ${t(k.check).padEnd(width)}  ${k.status}${k.optional && k.status !== 'ok' ? ' (optional)' : ''}`;
  if (k.status === 'ok') return [head];
  return [head, ...(k.detail ? [`      ${t(k.detail)}`] : []), ...(k.grant && k.status !== 'skipped' ? [`      grant: ${t(k.grant)}`] : [])];
}
