import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ZtError } from '../../errors/zt-error.js';
import { checkJsonShape } from '../../text/json-shape.js';
import { parseIsoDateTime } from '../../text/as-of-text.js';
import { withoutBom } from '../../text/json-text.js';
import { accountSummaryExport, authorizationDetailsExport, credentialReportJson, passwordPolicyExport, virtualMfaExport } from './export-schema.js';
import {
  accountIdOf,
  findAccountId,
  parseCredentialReport,
  ReportParseError,
  type AuthorizationDetails,
  type AwsInputs,
  type CredentialReport,
  type Fetched,
  type RawMfaDevice,
  type RawPasswordPolicy,
} from './map.js';

// Reads the AWS CLI's exports (see docs/aws.md). Anything wrong with a file is a ZtError
// naming the file and the problem (exit 2): every file is checked against the shape zt
// reads (export-schema.ts) before anything is mapped, so a value of the wrong type names
// its line, column and JSON path. One bad policy document inside a good file is not: the
// mapper reports it and carries on.

export interface OfflinePaths {
  readonly authorizationDetails: string;
  readonly credentialReport?: string;
  readonly accountSummary?: string;
  readonly passwordPolicy?: string;
  readonly virtualMfa?: string;
}

function invalid(file: string, what: string, hint?: string, line?: number): ZtError {
  // The file is the error's location; the CLI prints it in front of the message.
  return new ZtError('ZT_AWS_EXPORT_INVALID', what, { location: { file, ...(line !== undefined ? { line } : {}) }, ...(hint ? { hint } : {}) });
}

const accountsOf = (arns: readonly (string | undefined)[]): string[] => [...new Set(arns.map(accountIdOf).filter((id): id is string => id !== undefined))].sort();

/**
 * An export is one account's: IAM never lets a principal pass a role of another account
 * or create keys on its users, so analysing a file that mixes accounts as one would draw
 * paths that do not exist. Refused, naming the accounts and the file (or the two files
 * that disagree), instead of being read as one account.
 */
function refuseMixedAccounts(inputs: AwsInputs, files: { readonly details: string; readonly credentialReport?: string | undefined; readonly virtualMfa?: string | undefined }): void {
  const d = inputs.details;
  const parts = [
    { file: files.details, accounts: accountsOf([...(d?.UserDetailList ?? []), ...(d?.RoleDetailList ?? []), ...(d?.GroupDetailList ?? []), ...(d?.Policies ?? [])].map((x) => x.Arn)) },
    { file: files.credentialReport, accounts: accountsOf(inputs.credentialReport?.rows.map((r) => r.arn) ?? []) },
    { file: files.virtualMfa, accounts: accountsOf(inputs.virtualMfaDevices.ok ? inputs.virtualMfaDevices.value.map((v) => v.SerialNumber) : []) },
  ].filter((p): p is { file: string; accounts: string[] } => p.file !== undefined && p.accounts.length > 0);
  const hint =
    'Export each account on its own (`aws iam get-account-authorization-details` and its credential report, per account) and audit them together: one --aws-authorization-details per account (repeatable; reports are matched to their account), or one zt collect … --out-dir per account, then zt audit --snapshot <dir>.';
  for (const part of parts) {
    if (part.accounts.length > 1) throw invalid(part.file, `holds principals of ${part.accounts.length} AWS accounts (${part.accounts.join(', ')}); an export is one account's`, hint);
  }
  const [first] = parts;
  const other = parts.find((p) => p.accounts[0] !== first?.accounts[0]);
  if (first && other) {
    throw invalid(other.file, `is of AWS account ${other.accounts[0]}, but ${first.file} is of account ${first.accounts[0]}: the files of one audit input must be of one account`, hint);
  }
}

/**
 * The AWS account an export belongs to, from the first IAM ARN of an account in its text
 * (AWS-managed policies, `arn:aws:iam::aws:…`, name none); undefined when it names none.
 * Enough to match files of several accounts to each other: readOfflineInputs then checks
 * every ARN of the matched files against one account.
 */
export function exportAccount(file: string, display: string): string | undefined {
  return /arn:aws[a-z-]*:iam::(\d{12}):/.exec(readText(file, display))?.[1];
}

/** The account of a credential report (its JSON form holds the CSV base64-encoded): that of its first row's ARN. */
export function credentialReportAccount(file: string, display: string): string | undefined {
  const report = parseCredentialReportFile(readText(file, display), display);
  return accountsOf(report.rows.map((r) => r.arn))[0];
}

function readText(file: string, display: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read ${display}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`, {
      location: { file: display },
    });
  }
}

/** Line of each entity's own `"Arn"` in an export, so findings can point into the file. */
export function arnLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const pattern = /"Arn"\s*:\s*"([^"]+)"/g;
  let line = 1;
  let scanned = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    for (let i = scanned; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
    scanned = match.index;
    if (!lines.has(match[1] as string)) lines.set(match[1] as string, line);
  }
  return lines;
}

interface JsonFile {
  readonly value: unknown;
  readonly text: string;
}

function readJson(file: string, display: string, what: string): JsonFile {
  const text = readText(file, display);
  if (text.trim() === '') throw invalid(display, `the file is empty; expected the JSON of ${what}`);
  try {
    return { value: JSON.parse(withoutBom(text)), text };
  } catch (error) {
    // Say where, never quote the content (the file could hold anything, even secrets).
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    const truncated = /end of (JSON|data) input|Unterminated/.test(message) || (position && Number(position[1]) >= text.trimEnd().length) ? ' (the file looks truncated)' : '';
    throw invalid(display, `not valid JSON${where}${truncated}; expected the JSON of ${what}`);
  }
}

/** The file's value as zt reads it, or exit 2 naming the file, line, column and JSON path of the first value that does not fit. */
function checked<S extends z.ZodType>(schema: S, json: JsonFile, display: string, hint: string): z.output<S> {
  return checkJsonShape(schema, json.value, { text: json.text, file: display }, { code: 'ZT_AWS_EXPORT_INVALID', hint });
}

const exportHint = (command: string): string =>
  `The file is not the output of \`${command}\` as the AWS CLI writes it (or was edited): fix the value at the named path, or export it again (docs/aws.md).`;

const GAAD_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/**
 * `aws iam get-account-authorization-details` output (CLI: decoded documents, one merged
 * object) or SDK pages (URL-encoded documents; one page or a list of pages).
 */
export function parseAuthorizationDetails(json: JsonFile, display: string): AuthorizationDetails & { absent: string[] } {
  const { value } = json;
  const pages = Array.isArray(value) ? value : [value];
  const out: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  const seen = new Set<string>();
  for (const [i, page] of pages.entries()) {
    const where = pages.length > 1 ? ` (page ${i + 1})` : '';
    if (typeof page !== 'object' || page === null || Array.isArray(page) || !GAAD_LISTS.some((k) => k in page)) {
      throw invalid(
        display,
        `not an authorization-details export${where}: expected an object with ${GAAD_LISTS.join(', ')}`,
        'Export it with `aws iam get-account-authorization-details --output json > gaad.json`.',
      );
    }
    for (const key of GAAD_LISTS) {
      const list = (page as Record<string, unknown>)[key];
      if (list === undefined) continue;
      seen.add(key);
      if (!Array.isArray(list) || !list.every((e) => typeof e === 'object' && e !== null)) {
        throw invalid(display, `${key}${where} is not a list of objects`);
      }
    }
  }
  const parsed = checked(authorizationDetailsExport(value), json, display, exportHint('aws iam get-account-authorization-details'));
  for (const page of Array.isArray(parsed) ? parsed : [parsed]) {
    out.UserDetailList.push(...(page.UserDetailList ?? []));
    out.GroupDetailList.push(...(page.GroupDetailList ?? []));
    out.RoleDetailList.push(...(page.RoleDetailList ?? []));
    out.Policies.push(...(page.Policies ?? []));
  }
  return { ...out, absent: GAAD_LISTS.filter((k) => !seen.has(k)) };
}

/** The report as CSV, or the JSON of `aws iam get-credential-report` (base64 Content). */
export function parseCredentialReportFile(text: string, display: string): CredentialReport {
  let csv = text;
  let generatedAt: string | undefined;
  let wrapped = false;
  if (withoutBom(text).trimStart().startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(withoutBom(text));
    } catch {
      throw invalid(display, 'looks like JSON but does not parse (truncated?); expected the output of `aws iam get-credential-report`');
    }
    if (typeof (value as Record<string, unknown>).Content !== 'string') throw invalid(display, 'JSON without a base64 "Content" field; expected the output of `aws iam get-credential-report`');
    const json = checked(credentialReportJson, { value, text }, display, exportHint('aws iam get-credential-report'));
    csv = Buffer.from(json.Content, 'base64').toString('utf8');
    wrapped = true;
    // The report's own time: what its ages are measured from (the CSV form has none).
    if (json.GeneratedTime !== undefined) {
      const at = parseIsoDateTime(json.GeneratedTime);
      if (!at) throw invalid(display, `"GeneratedTime" ${JSON.stringify(json.GeneratedTime)} is not an ISO 8601 date-time with a time zone; expected the output of \`aws iam get-credential-report\``);
      generatedAt = at.toISOString();
    }
  }
  try {
    return parseCredentialReport(csv, generatedAt);
  } catch (error) {
    if (error instanceof ReportParseError) {
      // The report's line is the file's line unless the CSV came base64-encoded inside JSON.
      throw invalid(
        display,
        `not a usable credential report: ${error.message}${wrapped ? ' (of the CSV in "Content")' : ''}`,
        'Export it with `aws iam get-credential-report --output json > credential-report.json` (the JSON form keeps the report\'s GeneratedTime, which its ages are measured from).',
        wrapped ? undefined : error.line,
      );
    }
    throw error;
  }
}

function objectField(value: unknown, field: string, display: string, what: string): void {
  const inner = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  if (typeof inner !== 'object' || inner === null) throw invalid(display, `no "${field}" object; expected the output of ${what}`);
}

/** Reads every offline file now (so bad input stops the run with exit 2 before collection). */
export function readOfflineInputs(paths: OfflinePaths, resolvePath: (p: string) => string): AwsInputs & { absentLists: string[]; lines: Map<string, number> } {
  const gaadFile = paths.authorizationDetails;
  const gaad = readJson(resolvePath(gaadFile), gaadFile, '`aws iam get-account-authorization-details`');
  const lines = arnLines(gaad.text);
  const { absent, ...details } = parseAuthorizationDetails(gaad, gaadFile);
  const credentialReport = paths.credentialReport
    ? parseCredentialReportFile(readText(resolvePath(paths.credentialReport), paths.credentialReport), paths.credentialReport)
    : undefined;
  const notGiven = { ok: false } as const;
  let summary: Fetched<Record<string, number>> = notGiven;
  if (paths.accountSummary) {
    const what = '`aws iam get-account-summary`';
    const json = readJson(resolvePath(paths.accountSummary), paths.accountSummary, what);
    objectField(json.value, 'SummaryMap', paths.accountSummary, what);
    summary = { ok: true, value: checked(accountSummaryExport, json, paths.accountSummary, exportHint('aws iam get-account-summary')).SummaryMap };
  }
  let passwordPolicy: Fetched<RawPasswordPolicy | null> = notGiven;
  if (paths.passwordPolicy) {
    const json = readJson(resolvePath(paths.passwordPolicy), paths.passwordPolicy, '`aws iam get-account-password-policy`');
    // An empty object or {"PasswordPolicy": null} records "no custom policy"; anything else must be the policy, every field of its type.
    const policy = checked(passwordPolicyExport, json, paths.passwordPolicy, exportHint('aws iam get-account-password-policy')).PasswordPolicy;
    passwordPolicy = { ok: true, value: policy ?? null };
  }
  let virtualMfaDevices: Fetched<RawMfaDevice[]> = notGiven;
  if (paths.virtualMfa) {
    const json = readJson(resolvePath(paths.virtualMfa), paths.virtualMfa, '`aws iam list-virtual-mfa-devices`');
    if (!Array.isArray((json.value as Record<string, unknown> | null)?.VirtualMFADevices)) {
      throw invalid(paths.virtualMfa, 'no "VirtualMFADevices" list; expected the output of `aws iam list-virtual-mfa-devices`');
    }
    virtualMfaDevices = { ok: true, value: checked(virtualMfaExport, json, paths.virtualMfa, exportHint('aws iam list-virtual-mfa-devices')).VirtualMFADevices };
  }
  const userMfaDevices = new Map<string, string[]>();
  // Virtual devices are the only per-user MFA facts an export holds; a user with other
  // devices (hardware, FIDO) is only known to have MFA through the report.
  const inputs: AwsInputs = {
    details,
    credentialReport,
    passwordPolicy,
    summary,
    virtualMfaDevices,
    userMfaDevices,
    oidcProviders: notGiven,
    samlProviders: notGiven,
    accountAlias: undefined,
  };
  if (!findAccountId(inputs)) {
    throw invalid(gaadFile, 'names no AWS account: it holds no users, groups, roles or customer-managed policies, and no credential report was given');
  }
  refuseMixedAccounts(inputs, { details: gaadFile, credentialReport: paths.credentialReport, virtualMfa: paths.virtualMfa });
  return { ...inputs, absentLists: absent, lines };
}
