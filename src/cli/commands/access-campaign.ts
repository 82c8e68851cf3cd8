import { execFile } from 'node:child_process';
import { recordIntoCampaign, statusOfCampaign } from '../../app/access-campaign.js';
import { writeEvidence } from '../../app/access-evidence.js';
import { ZtError } from '../../errors/zt-error.js';
import { decisionDay } from '../../review/record.js';
import { renderChangesCsv, renderChangesJson, renderStatusJson, renderStatusText } from '../../review/render-status.js';
import { parseIsoDateTime } from '../../text/as-of-text.js';
import type { Io } from '../io.js';
import { writeOutput } from '../write-output.js';
import { fileRef } from './audit.js';

/** `zt access-review record`, `status` and `evidence`. */

/** git config user.email in the working directory, or undefined (no git, no repository, not set). */
function gitEmail(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.email'], { cwd, timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}

/** Who records: --by, else ZT_RECORDED_BY, else git's user.email (the committer of the evidence). */
async function recorder(by: string | undefined, io: Io): Promise<string> {
  const who = by?.trim() || io.env.ZT_RECORDED_BY?.trim() || (await gitEmail(io.cwd));
  if (!who) throw new ZtError('ZT_USAGE', 'who is recording? give --by <email>, or set ZT_RECORDED_BY or git config user.email');
  return who;
}

/** When: --at (a day is its start, UTC), else the clock. */
function recordingTime(at: string | undefined, io: Io): string {
  if (at === undefined) return io.now().toISOString();
  const day = decisionDay(at);
  if (day === at) return `${day}T00:00:00.000Z`;
  const time = parseIsoDateTime(at);
  if (!time) throw new ZtError('ZT_USAGE', `--at ${at}: expected YYYY-MM-DD or an ISO date-time with its zone, e.g. 2027-01-15T09:00:00Z`);
  return time.toISOString();
}

export async function runRecord(files: readonly string[], options: { campaign: string; by?: string | undefined; at?: string | undefined }, io: Io): Promise<number> {
  const at = recordingTime(options.at, io);
  const by = await recorder(options.by, io);
  const outcome = await recordIntoCampaign({ campaign: fileRef(io, options.campaign), inputs: files.map((f) => fileRef(io, f)), by, at });
  io.stderr(
    `recorded ${outcome.stored} decision${outcome.stored === 1 ? '' : 's'} into ${options.campaign}` +
      `${outcome.unchanged > 0 ? ` (${outcome.unchanged} already recorded as they are)` : ''}; ${outcome.blank} row${outcome.blank === 1 ? '' : 's'} left blank\n`,
  );
  return 0;
}

export async function runStatus(campaign: string, options: { json?: boolean | undefined; changes: readonly string[]; at?: string | undefined }, io: Io): Promise<number> {
  const targets = options.changes.map((spec) => {
    const at = spec.indexOf('=');
    const format = spec.slice(0, Math.max(at, 0));
    const path = spec.slice(at + 1);
    if ((format !== 'csv' && format !== 'json') || path === '') throw new ZtError('ZT_USAGE', `--changes ${spec}: expected csv=<path> or json=<path>`);
    return { format, path: fileRef(io, path).path } as const;
  });
  let asOf: string;
  if (options.at === undefined) asOf = io.now().toISOString().slice(0, 10);
  else {
    const day = decisionDay(options.at);
    if (day !== options.at) throw new ZtError('ZT_USAGE', `--at ${options.at}: expected a date YYYY-MM-DD`);
    asOf = day;
  }
  const status = await statusOfCampaign(fileRef(io, campaign), asOf);
  for (const t of targets) await writeOutput(io, t.format, t.path, [t.format === 'csv' ? renderChangesCsv(status.changes) : renderChangesJson(status)]);
  await writeOutput(io, options.json ? 'json' : 'table', undefined, [options.json ? renderStatusJson(status) : renderStatusText(status)]);
  return 0;
}

/** `zt access-review evidence`: the sign-off bundle (app/access-evidence.ts). */
export async function runEvidence(
  campaign: string,
  options: { out: string; verification?: string | undefined; attach: readonly string[]; at?: string | undefined },
  io: Io,
): Promise<number> {
  if (options.at !== undefined && decisionDay(options.at) !== options.at) throw new ZtError('ZT_USAGE', `--at ${options.at}: expected a date YYYY-MM-DD`);
  const outcome = await writeEvidence({
    campaign: fileRef(io, campaign),
    out: fileRef(io, options.out),
    verification: options.verification === undefined ? undefined : fileRef(io, options.verification),
    attachments: options.attach.map((f) => fileRef(io, f)),
    at: options.at,
  });
  const e = outcome.evidence;
  io.stderr(
    `evidence of campaign ${e.packId} written to ${options.out}: ${outcome.written.join(', ')}\n` +
      `${e.state === 'decided' ? 'every row decided' : `open: ${e.counts.total.pending} of ${e.counts.total.rows} rows pending`}; ${e.decisions.length} decision${e.decisions.length === 1 ? '' : 's'} recorded` +
      `${e.verification ? `; revocations: ${e.verification.counts.carried_out} carried out, ${e.verification.counts.still_present} still present, ${e.verification.counts.not_verified} not verified` : '; revocations not verified yet (--verification)'}\n`,
  );
  return 0;
}
