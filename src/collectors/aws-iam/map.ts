import { unknownConditionOperators } from '../../inventory/aws-condition-operators.js';
import { malformedResourceArns, unknownConditionKeys } from '../../inventory/aws-condition-keys.js';
import type { PolicyDocument } from '../../inventory/kinds/common.js';
import { isoDateTime, policyDocument } from '../../inventory/kinds/common.js';
import { kindsProducedBy, type Kind, type KindProducedBy } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import type { CollectionIssue, KindCoverage } from '../../model/coverage.js';
import { scalarText } from '../../text/scalar-text.js';

// Pure mapping from IAM's own shapes (SDK output of the live calls, or the AWS CLI's JSON
// exports) into zt's aws.* kinds. Shared by the live and offline modes, so both produce
// the same resources. No SDK import here: the input types below are the subset we read.

export const COLLECTOR_ID = 'aws-iam';

/** The kinds this collector produces (their inventory entries name it). */
export const AWS_KINDS = kindsProducedBy(COLLECTOR_ID);
export type AwsKind = KindProducedBy<typeof COLLECTOR_ID>;

type DateLike = Date | string | undefined | null;
/**
 * A policy document as IAM returns it: a URL-encoded string (API/SDK) or a decoded object
 * (AWS CLI). Anything else is refused by normalisePolicyDocument, one policy at a time.
 */
type RawDocument = unknown;

export interface RawAttachedPolicy {
  PolicyName?: string;
  PolicyArn?: string;
}
export interface RawInlinePolicy {
  PolicyName?: string;
  PolicyDocument?: RawDocument;
}
export interface RawTag {
  Key?: string;
  Value?: string;
}
export interface RawUser {
  Path?: string;
  UserName?: string;
  Arn?: string;
  CreateDate?: DateLike;
  UserPolicyList?: RawInlinePolicy[];
  GroupList?: string[];
  AttachedManagedPolicies?: RawAttachedPolicy[];
  PermissionsBoundary?: { PermissionsBoundaryArn?: string };
  Tags?: RawTag[];
}
export interface RawGroup {
  Path?: string;
  GroupName?: string;
  Arn?: string;
  GroupPolicyList?: RawInlinePolicy[];
  AttachedManagedPolicies?: RawAttachedPolicy[];
}
export interface RawRole {
  Path?: string;
  RoleName?: string;
  Arn?: string;
  CreateDate?: DateLike;
  AssumeRolePolicyDocument?: RawDocument;
  RolePolicyList?: RawInlinePolicy[];
  AttachedManagedPolicies?: RawAttachedPolicy[];
  PermissionsBoundary?: { PermissionsBoundaryArn?: string };
  MaxSessionDuration?: number;
  RoleLastUsed?: { LastUsedDate?: DateLike };
  Tags?: RawTag[];
}
export interface RawManagedPolicy {
  PolicyName?: string;
  Arn?: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  PermissionsBoundaryUsageCount?: number;
  PolicyVersionList?: { Document?: RawDocument; VersionId?: string; IsDefaultVersion?: boolean }[];
}
export interface AuthorizationDetails {
  UserDetailList: RawUser[];
  GroupDetailList: RawGroup[];
  RoleDetailList: RawRole[];
  Policies: RawManagedPolicy[];
}
export interface RawPasswordPolicy {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
  PasswordReusePrevention?: number;
  MaxPasswordAge?: number;
  ExpirePasswords?: boolean;
}
export interface RawMfaDevice {
  SerialNumber?: string;
  User?: { Arn?: string; UserName?: string };
}
export interface RawOidcProvider {
  Arn: string;
  Url?: string;
  ClientIDList?: string[];
}
export interface RawSamlProvider {
  Arn?: string;
  ValidUntil?: DateLike;
}

/** A fact that could not be read: `undefined` = not attempted, `denied`/`error` = attempted and failed. */
export type Fetched<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/** Everything one audit of one account read, live or from files. */
export interface AwsInputs {
  readonly details: AuthorizationDetails | undefined;
  readonly credentialReport: CredentialReport | undefined;
  /** `null` = the account has no custom password policy (NoSuchEntity). */
  readonly passwordPolicy: Fetched<RawPasswordPolicy | null>;
  readonly summary: Fetched<Record<string, number>>;
  readonly virtualMfaDevices: Fetched<RawMfaDevice[]>;
  /** MFA devices per user name (ListMFADevices), for users whose devices were read. */
  readonly userMfaDevices: ReadonlyMap<string, readonly string[]>;
  readonly oidcProviders: Fetched<RawOidcProvider[]>;
  readonly samlProviders: Fetched<RawSamlProvider[]>;
  readonly accountAlias: string | undefined;
  /** Account id when known from elsewhere (e.g. the caller identity). */
  readonly accountId?: string;
  /** Access Advisor results by principal ARN, when requested (`undefined` per ARN: not readable). */
  readonly lastAccessed?: ReadonlyMap<string, { service: string; lastAuthenticated: string | null }[]>;
}

export interface MapResult {
  readonly accountId: string;
  readonly resources: Resource[];
  readonly issues: CollectionIssue[];
  /** Kinds made incomplete by what the mapper found (unparseable documents). */
  readonly partial: Map<AwsKind, string>;
}

// ---------------------------------------------------------------------------------------
// Policy documents

export class PolicyParseError extends Error {}

/**
 * Decodes and normalises an IAM policy document: URL-encoded string or object in; out a
 * document where Statement is a list, Action/NotAction/Resource/NotResource and every
 * Principal entry are lists, `Principal: "*"` is `{AWS: ["*"]}` and condition values are
 * lists of strings. Throws PolicyParseError (with the reason) when it is not a policy.
 */
export function normalisePolicyDocument(raw: RawDocument): PolicyDocument {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    let text = raw.trim();
    if (!text.startsWith('{')) {
      try {
        text = decodeURIComponent(text);
      } catch {
        throw new PolicyParseError('the URL-encoded text does not decode');
      }
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new PolicyParseError('the document is not JSON');
    }
  }
  if (!isObject(value)) throw new PolicyParseError('the document is not a JSON object');
  const statements = value.Statement;
  if (statements === undefined) throw new PolicyParseError('the document has no Statement');
  const list = Array.isArray(statements) ? statements : [statements];
  const document = {
    ...(typeof value.Version === 'string' ? { Version: value.Version } : {}),
    Statement: list.map((s, i) => normaliseStatement(s, i)),
  };
  const checked = policyDocument.safeParse(document);
  if (!checked.success) throw new PolicyParseError(`Statement does not have the IAM shape (${checked.error.issues[0]?.message ?? 'invalid'})`);
  return checked.data;
}

function normaliseStatement(raw: unknown, index: number): PolicyDocument['Statement'][number] {
  if (!isObject(raw)) throw new PolicyParseError(`Statement[${index}] is not an object`);
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw new PolicyParseError(`Statement[${index}].Effect is ${JSON.stringify(raw.Effect)}, not Allow or Deny`);
  const out: Record<string, unknown> = { Effect: raw.Effect };
  if (raw.Sid !== undefined) out.Sid = scalarText(raw.Sid);
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (raw[key] !== undefined) out[key] = stringList(raw[key], `Statement[${index}].${key}`);
  }
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    const p = raw[key];
    if (p === undefined) continue;
    if (p === '*') out[key] = { AWS: ['*'] };
    else if (isObject(p)) out[key] = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, stringList(v, `Statement[${index}].${key}.${k}`)]));
    else throw new PolicyParseError(`Statement[${index}].${key} is neither "*" nor an object`);
  }
  if (raw.Condition !== undefined) {
    if (!isObject(raw.Condition)) throw new PolicyParseError(`Statement[${index}].Condition is not an object`);
    const condition: Record<string, Record<string, string[]>> = {};
    for (const [operator, entries] of Object.entries(raw.Condition)) {
      if (!isObject(entries)) throw new PolicyParseError(`Statement[${index}].Condition.${operator} is not an object`);
      condition[operator] = Object.fromEntries(
        Object.entries(entries).map(([k, v]) => [k, scalarList(v, `Statement[${index}].Condition.${operator}.${k}`)]),
      );
    }
    out.Condition = condition;
  }
  return out as PolicyDocument['Statement'][number];
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw new PolicyParseError(`${where} is not a string or a list of strings`);
  return list;
}

function scalarList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new PolicyParseError(`${where} holds a value that is not a string, number or boolean`);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------
// Credential report

export interface CredentialRow {
  readonly user: string;
  readonly arn: string;
  readonly passwordEnabled: boolean | null;
  readonly passwordLastUsed: string | null;
  readonly passwordLastChanged: string | null;
  readonly mfaActive: boolean;
  readonly accessKeys: { slot: 1 | 2; active: boolean; lastRotated: string | null; lastUsed: string | null; lastUsedService: string | null }[];
}
export interface CredentialReport {
  readonly generatedAt: string | null;
  readonly rows: readonly CredentialRow[];
}

/** Columns zt reads; a report without one of them is refused (it is parsed by header name). */
export const REQUIRED_REPORT_COLUMNS = [
  'user',
  'arn',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_service',
] as const;

/** The report is not what AWS writes; `line` is the report's line (of the CSV) when one is to blame. */
export class ReportParseError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

/**
 * Parses the credential report CSV by header name. `N/A`, `no_information` and
 * `not_supported` become null (unknown / not applicable, as AWS documents them); booleans
 * must be true/false; timestamps must be ISO 8601 date-times with an offset, as AWS writes
 * them (`2023-03-14T09:21:00+00:00`): `03/14/2023`, which Date.parse would take, is refused.
 */
export function parseCredentialReport(csv: string, generatedAt: DateLike): CredentialReport {
  const lines = parseCsv(csv.replace(/^\uFEFF/, ''));
  const header = lines[0];
  if (!header || header.length < 2) throw new ReportParseError('it is empty or has no header line');
  const missing = REQUIRED_REPORT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new ReportParseError(`the header lacks the column(s) ${missing.join(', ')}`);
  const col = Object.fromEntries(header.map((name, i) => [name, i])) as Record<string, number>;
  const rows: CredentialRow[] = [];
  lines.slice(1).forEach((cells, index) => {
    if (cells.length === 1 && cells[0] === '') return;
    const line = index + 2;
    if (cells.length !== header.length) throw new ReportParseError(`line ${line} has ${cells.length} fields, the header has ${header.length}`, line);
    const get = (name: string) => cells[col[name] as number] as string;
    const bool = (name: string, allowUnknown: boolean): boolean | null => {
      const v = get(name);
      if (v === 'true') return true;
      if (v === 'false') return false;
      if (allowUnknown && (v === 'not_supported' || v === 'N/A' || v === 'no_information')) return null;
      throw new ReportParseError(`line ${line}, column ${name}: expected true or false, found ${JSON.stringify(v.slice(0, 40))}`, line);
    };
    const date = (name: string): string | null => {
      const v = get(name);
      if (v === 'N/A' || v === 'no_information' || v === 'not_supported' || v === '') return null;
      const iso = isoDateTime.safeParse(v).success ? isoOrNull(v) : null;
      if (iso === null) {
        throw new ReportParseError(`line ${line}, column ${name}: ${JSON.stringify(v.slice(0, 40))} is not an ISO 8601 timestamp as AWS writes it (2023-03-14T09:21:00+00:00), N/A, no_information or not_supported`, line);
      }
      return iso;
    };
    const text = (name: string): string | null => {
      const v = get(name);
      return v === 'N/A' || v === '' ? null : v;
    };
    const accessKeys: CredentialRow['accessKeys'] = [];
    for (const slot of [1, 2] as const) {
      const active = bool(`access_key_${slot}_active`, false) as boolean;
      const lastRotated = date(`access_key_${slot}_last_rotated`);
      if (!active && lastRotated === null) continue;
      accessKeys.push({
        slot,
        active,
        lastRotated,
        lastUsed: date(`access_key_${slot}_last_used_date`),
        lastUsedService: text(`access_key_${slot}_last_used_service`),
      });
    }
    rows.push({
      user: get('user'),
      arn: get('arn'),
      passwordEnabled: bool('password_enabled', true),
      passwordLastUsed: date('password_last_used'),
      passwordLastChanged: date('password_last_changed'),
      mfaActive: bool('mfa_active', false) as boolean,
      accessKeys,
    });
  });
  return { generatedAt: generatedAt ? isoOrNull(generatedAt) : null, rows };
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// Resources

/** ISO-8601 without milliseconds (`2025-02-11T08:15:30Z`), or null when absent/unparseable. */
export function isoOrNull(value: DateLike): string | null {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

export function accountIdOf(arn: string | undefined): string | undefined {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn ?? '');
  return match?.[1];
}

/** The account id, from whatever names it first. */
export function findAccountId(inputs: AwsInputs): string | undefined {
  if (inputs.accountId) return inputs.accountId;
  const d = inputs.details;
  const arns = [
    ...(inputs.credentialReport?.rows.map((r) => r.arn) ?? []),
    ...(d?.UserDetailList.map((u) => u.Arn) ?? []),
    ...(d?.RoleDetailList.map((r) => r.Arn) ?? []),
    ...(d?.GroupDetailList.map((g) => g.Arn) ?? []),
    ...(d?.Policies.map((p) => p.Arn) ?? []),
    ...(inputs.virtualMfaDevices.ok ? inputs.virtualMfaDevices.value.map((v) => v.SerialNumber) : []),
  ];
  for (const arn of arns) {
    const id = accountIdOf(arn);
    if (id) return id;
  }
  return undefined;
}

const SECRET_KEY_NAME = /pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential/i;
const SECRET_VALUE = [
  /\b(AKIA|ASIA|A3T[A-Z0-9])[A-Z0-9]{16}\b/, // AWS access key id
  /(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{40}([^A-Za-z0-9+/=]|$)/, // AWS secret access key
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./, // JWT
  /\b(ghp|gho|ghs|github_pat|xox[bpas]|sk_live|SSWS)[-_A-Za-z0-9]{10,}/,
];

/** Tags are copied, except values that look like (or are named as) a secret. */
export function redactTagValue(key: string, value: string): string {
  if (value !== '' && (SECRET_KEY_NAME.test(key) || SECRET_VALUE.some((re) => re.test(value)))) return '[redacted]';
  return value;
}

function tags(list: RawTag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (list ?? []).filter((t) => typeof t.Key === 'string').map((t) => [t.Key as string, redactTagValue(t.Key as string, String(t.Value ?? ''))]),
  );
}

/** AWS-managed policies whose documents zt carries itself (analysis/aws/principals.ts): an export without them loses nothing. */
const BUILT_IN_MANAGED: ReadonlySet<string> = new Set(['AdministratorAccess', 'IAMFullAccess', 'PowerUserAccess'].map((n) => `arn:aws:iam::aws:policy/${n}`));

function attached(list: RawAttachedPolicy[] | undefined): { policyName: string; policyArn: string }[] {
  return (list ?? []).map((p) => ({ policyName: p.PolicyName ?? '', policyArn: p.PolicyArn ?? '' }));
}

export function mfaDeviceType(serial: string): 'virtual' | 'u2f' | 'hardware' {
  if (serial.includes(':u2f/')) return 'u2f';
  if (serial.startsWith('arn:') && serial.includes(':mfa/')) return 'virtual';
  return 'hardware';
}

/**
 * Maps everything read for one account into resources. Documents that do not parse are
 * left out, reported by name, and mark the kinds they affect partial, so an admin check
 * on that principal can never read as a pass.
 */
export function mapAccount(inputs: AwsInputs, source: string, provenanceFile?: (kind: AwsKind) => string | undefined): MapResult {
  const accountId = findAccountId(inputs);
  if (!accountId) throw new Error('no account id in the inputs');
  const issues: CollectionIssue[] = [];
  const partial = new Map<AwsKind, string>();
  const resources: Resource[] = [];
  const provenance = (kind: AwsKind) => {
    const file = provenanceFile?.(kind);
    return { collector: COLLECTOR_ID, source, ...(file ? { file } : {}) };
  };
  const unparsed = (kind: AwsKind, what: string, reason: string) => {
    issues.push({
      collector: COLLECTOR_ID,
      severity: 'warning',
      code: 'ZT_AWS_POLICY_UNPARSEABLE',
      message: `${what}: ${reason}; it was left out and its checks cannot pass`,
      kinds: [kind],
    });
    partial.set(kind, `${partial.has(kind) ? `${partial.get(kind)}; ` : ''}${what} did not parse`);
  };
  /**
   * A policy using a condition operator or key AWS does not document, or naming resources
   * that are not ARNs: it is kept (the evaluator never takes such a condition as true) and
   * named. Keys and ARNs are checked in the account's own policies only: AWS-managed ones
   * are AWS's to keep, and may use keys newer than the catalogue.
   */
  const lintPolicy = (kind: AwsKind, what: string, document: PolicyDocument, awsManaged = false): PolicyDocument => {
    const unknown = unknownConditionOperators(document);
    if (unknown.length > 0) {
      issues.push({
        collector: COLLECTOR_ID,
        severity: 'warning',
        code: 'ZT_AWS_POLICY_CONDITION_UNKNOWN',
        message: `${what} uses condition operator(s) zt does not know: ${unknown.join(', ')}; such conditions are never taken as true, and what depends on them is reported as conditional`,
        kinds: [kind],
      });
    }
    const keys = awsManaged ? [] : unknownConditionKeys(document);
    if (keys.length > 0) {
      issues.push({
        collector: COLLECTOR_ID,
        severity: 'warning',
        code: 'ZT_AWS_POLICY_CONDITION_KEY_UNKNOWN',
        message: `${what} uses condition key(s) AWS does not document: ${keys.join(', ')}; a request never carries them, so zt never takes such a condition as true, and what depends on it is reported as conditional`,
        kinds: [kind],
      });
    }
    const arns = awsManaged ? [] : malformedResourceArns(document);
    if (arns.length > 0) {
      issues.push({
        collector: COLLECTOR_ID,
        severity: 'warning',
        code: 'ZT_AWS_POLICY_ARN_MALFORMED',
        message: `${what} names resource(s) that are not ARNs: ${arns.map((a) => JSON.stringify(a)).join(', ')}; they match no request, so their statements grant or deny less than they read`,
        kinds: [kind],
      });
    }
    return document;
  };
  const inline = (kind: AwsKind, owner: string, list: RawInlinePolicy[] | undefined) =>
    (list ?? []).flatMap((p) => {
      try {
        return [{ policyName: p.PolicyName ?? '', document: lintPolicy(kind, `inline policy ${p.PolicyName ?? '?'} of ${owner}`, normalisePolicyDocument(p.PolicyDocument)) }];
      } catch (error) {
        if (!(error instanceof PolicyParseError)) throw error;
        unparsed(kind, `inline policy ${p.PolicyName ?? '?'} of ${owner}`, error.message);
        return [];
      }
    });

  const lastAccessedOf = (arn: string | undefined) =>
    inputs.lastAccessed ? { servicesLastAccessed: inputs.lastAccessed.get(arn ?? '') ?? null } : {};

  const report = inputs.credentialReport;
  const rowsByArn = new Map((report?.rows ?? []).map((r) => [r.arn, r]));
  const credentialsOf = (row: CredentialRow | undefined, passwordFallback: boolean) =>
    row
      ? {
          passwordEnabled: row.passwordEnabled ?? passwordFallback,
          passwordLastUsed: row.passwordLastUsed,
          passwordLastChanged: row.passwordLastChanged,
          mfaActive: row.mfaActive,
          accessKeys: row.accessKeys,
        }
      : null;

  // Account
  const summary = inputs.summary.ok ? inputs.summary.value : null;
  const rootRow = report?.rows.find((r) => r.user === '<root_account>');
  const virtual = inputs.virtualMfaDevices.ok ? inputs.virtualMfaDevices.value : undefined;
  const pp = inputs.passwordPolicy.ok ? inputs.passwordPolicy.value : null;
  resources.push({
    kind: 'aws.account',
    id: `arn:aws:iam::${accountId}:root`,
    name: inputs.accountAlias ?? accountId,
    attributes: {
      accountId,
      summary,
      passwordPolicy: pp
        ? {
            minimumPasswordLength: pp.MinimumPasswordLength ?? 6,
            requireSymbols: pp.RequireSymbols ?? false,
            requireNumbers: pp.RequireNumbers ?? false,
            requireUppercaseCharacters: pp.RequireUppercaseCharacters ?? false,
            requireLowercaseCharacters: pp.RequireLowercaseCharacters ?? false,
            passwordReusePrevention: pp.PasswordReusePrevention ?? null,
            maxPasswordAge: pp.MaxPasswordAge ?? null,
          }
        : null,
      // Root's password_enabled is `not_supported` in the report; the summary knows.
      rootCredentials: credentialsOf(rootRow, summary && 'AccountPasswordPresent' in summary ? summary.AccountPasswordPresent === 1 : true),
      rootHasVirtualMfa: virtual
        ? virtual.some((v) => (v.User?.Arn ?? '').endsWith(':root') || (v.SerialNumber ?? '').endsWith(':mfa/root-account-mfa-device'))
        : null,
      credentialReportGeneratedAt: report?.generatedAt ?? null,
    },
    provenance: provenance('aws.account'),
  });

  // The account summary and the credential report both say whether root has MFA: when they
  // disagree (files from different times, or of different accounts) neither is believed.
  if (summary && 'AccountMFAEnabled' in summary && rootRow && (summary.AccountMFAEnabled === 1) !== rootRow.mfaActive) {
    issues.push({
      collector: COLLECTOR_ID,
      severity: 'warning',
      code: 'AWS_ROOT_MFA_CONFLICT',
      message: `the account summary says AccountMFAEnabled ${String(summary.AccountMFAEnabled)} but the credential report${report?.generatedAt ? ` (generated ${report.generatedAt})` : ''} says the root user's mfa_active is ${String(rootRow.mfaActive)}; whether root has MFA is unknown until both are read again`,
      kinds: ['aws.account'],
    });
  }

  const details = inputs.details;
  if (details) {
    const badManaged = new Set<string>();
    for (const policy of details.Policies) {
      const arn = policy.Arn ?? '';
      const version =
        policy.PolicyVersionList?.find((v) => v.IsDefaultVersion === true) ??
        policy.PolicyVersionList?.find((v) => v.VersionId === policy.DefaultVersionId);
      let document: PolicyDocument;
      try {
        if (!version) throw new PolicyParseError('its default version is not in the export');
        document = lintPolicy('aws.iam.policy', `managed policy ${policy.PolicyName ?? arn}`, normalisePolicyDocument(version.Document), arn.includes(':iam::aws:policy/'));
      } catch (error) {
        if (!(error instanceof PolicyParseError)) throw error;
        badManaged.add(arn);
        unparsed('aws.iam.policy', `managed policy ${policy.PolicyName ?? arn}`, error.message);
        continue;
      }
      const awsManaged = arn.includes(':iam::aws:policy/');
      // The other versions, any of which iam:SetDefaultPolicyVersion can make the default: one that
      // does not parse leaves the set unknown (null), the policy itself is kept.
      let nonDefaultVersions: { versionId: string; document: PolicyDocument }[] | null = [];
      for (const other of policy.PolicyVersionList ?? []) {
        if (other === version) continue;
        const versionId = other.VersionId ?? '?';
        try {
          nonDefaultVersions?.push({ versionId, document: lintPolicy('aws.iam.policy', `version ${versionId} of managed policy ${policy.PolicyName ?? arn}`, normalisePolicyDocument(other.Document), arn.includes(':iam::aws:policy/')) });
        } catch (error) {
          if (!(error instanceof PolicyParseError)) throw error;
          nonDefaultVersions = null;
          issues.push({
            collector: COLLECTOR_ID,
            severity: 'warning',
            code: 'ZT_AWS_POLICY_UNPARSEABLE',
            message: `version ${versionId} of managed policy ${policy.PolicyName ?? arn}: ${error.message}; the policy's other versions are unknown, so whether making one the default escalates cannot be decided`,
            kinds: ['aws.iam.policy'],
          });
        }
      }
      nonDefaultVersions?.sort((a, b) => (a.versionId < b.versionId ? -1 : a.versionId > b.versionId ? 1 : 0));
      resources.push({
        kind: 'aws.iam.policy',
        id: arn,
        name: policy.PolicyName ?? arn,
        attributes: {
          accountId: awsManaged ? null : (accountIdOf(arn) ?? accountId),
          path: policy.Path ?? '/',
          awsManaged,
          defaultVersionId: policy.DefaultVersionId ?? version?.VersionId ?? '',
          document,
          nonDefaultVersions,
          // Per-account usage: left out of an AWS-managed policy, which every account shares.
          attachmentCount: awsManaged ? null : (policy.AttachmentCount ?? 0),
          permissionsBoundaryUsageCount: awsManaged ? null : (policy.PermissionsBoundaryUsageCount ?? 0),
        },
        provenance: provenance('aws.iam.policy'),
      });
    }
    // A principal attached to a policy the export does not hold (GetAccountAuthorizationDetails
    // filtered, or policies cut from the file): named once per policy with who uses it. The
    // analysis leaves those principals' dependent facts unknown, never "no admin".
    const exported = new Set(details.Policies.map((p) => p.Arn ?? ''));
    const missingUsers = new Map<string, string[]>();
    const noteMissing = (owner: string, list: RawAttachedPolicy[] | undefined, boundary?: string) => {
      for (const arn of [...(list ?? []).map((p) => p.PolicyArn ?? ''), ...(boundary ? [boundary] : [])]) {
        if (!arn || exported.has(arn) || BUILT_IN_MANAGED.has(arn)) continue;
        const users = missingUsers.get(arn);
        if (users) users.push(owner);
        else missingUsers.set(arn, [owner]);
      }
    };
    for (const g of details.GroupDetailList) noteMissing(`group ${g.GroupName}`, g.AttachedManagedPolicies);
    for (const u of details.UserDetailList) noteMissing(`user ${u.UserName}`, u.AttachedManagedPolicies, u.PermissionsBoundary?.PermissionsBoundaryArn);
    for (const r of details.RoleDetailList) noteMissing(`role ${r.RoleName}`, r.AttachedManagedPolicies, r.PermissionsBoundary?.PermissionsBoundaryArn);
    for (const [arn, users] of [...missingUsers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const shown = users.slice(0, 10).join(', ') + (users.length > 10 ? ` and ${users.length - 10} more` : '');
      issues.push({
        collector: COLLECTOR_ID,
        severity: 'warning',
        code: 'ZT_AWS_POLICY_MISSING',
        message: `managed policy ${arn}, used by ${shown}, is not in the export; their administrator, escalation and access facts that depend on it are unknown, and the rules reading them are not evaluated`,
        kinds: ['aws.iam.policy'],
      });
    }

    // A principal attached to a policy whose document was left out: its kind is partial.
    const touchesBad = (kind: AwsKind, owner: string, list: RawAttachedPolicy[] | undefined, boundary?: string) => {
      for (const arn of [...(list ?? []).map((p) => p.PolicyArn ?? ''), ...(boundary ? [boundary] : [])]) {
        if (badManaged.has(arn)) partial.set(kind, `${partial.has(kind) ? `${partial.get(kind)}; ` : ''}${owner} uses ${arn}, which did not parse`);
      }
    };

    for (const group of details.GroupDetailList) {
      const owner = `group ${group.GroupName}`;
      touchesBad('aws.iam.group', owner, group.AttachedManagedPolicies);
      resources.push({
        kind: 'aws.iam.group',
        id: group.Arn ?? '',
        name: group.GroupName ?? '',
        attributes: {
          accountId: accountIdOf(group.Arn) ?? accountId,
          path: group.Path ?? '/',
          attachedPolicies: attached(group.AttachedManagedPolicies),
          inlinePolicies: inline('aws.iam.group', owner, group.GroupPolicyList),
        },
        provenance: provenance('aws.iam.group'),
      });
    }

    const reportRead = report !== undefined;
    for (const user of details.UserDetailList) {
      const owner = `user ${user.UserName}`;
      const boundary = user.PermissionsBoundary?.PermissionsBoundaryArn;
      touchesBad('aws.iam.user', owner, user.AttachedManagedPolicies, boundary);
      const row = rowsByArn.get(user.Arn ?? '');
      const credentials = credentialsOf(row, false);
      const devices = inputs.userMfaDevices.get(user.UserName ?? '');
      // Devices are known when listed, or when the report says the user has no MFA at all.
      const mfaDevices = devices
        ? devices.map((serialNumber) => ({ serialNumber, type: mfaDeviceType(serialNumber) }))
        : reportRead && credentials && !credentials.mfaActive
          ? []
          : null;
      resources.push({
        kind: 'aws.iam.user',
        id: user.Arn ?? '',
        name: user.UserName ?? '',
        attributes: {
          accountId: accountIdOf(user.Arn) ?? accountId,
          path: user.Path ?? '/',
          createdAt: isoOrNull(user.CreateDate) ?? '1970-01-01T00:00:00Z',
          groups: user.GroupList ?? [],
          attachedPolicies: attached(user.AttachedManagedPolicies),
          inlinePolicies: inline('aws.iam.user', owner, user.UserPolicyList),
          permissionsBoundaryArn: boundary ?? null,
          tags: tags(user.Tags),
          credentials,
          mfaDevices,
          ...lastAccessedOf(user.Arn),
        },
        provenance: provenance('aws.iam.user'),
      });
    }

    for (const role of details.RoleDetailList) {
      const owner = `role ${role.RoleName}`;
      let trustPolicy: PolicyDocument;
      try {
        trustPolicy = normalisePolicyDocument(role.AssumeRolePolicyDocument);
      } catch (error) {
        if (!(error instanceof PolicyParseError)) throw error;
        unparsed('aws.iam.role', `trust policy of ${owner}`, `${error.message} (the role was left out)`);
        continue;
      }
      const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
      touchesBad('aws.iam.role', owner, role.AttachedManagedPolicies, boundary);
      resources.push({
        kind: 'aws.iam.role',
        id: role.Arn ?? '',
        name: role.RoleName ?? '',
        attributes: {
          accountId: accountIdOf(role.Arn) ?? accountId,
          path: role.Path ?? '/',
          createdAt: isoOrNull(role.CreateDate) ?? '1970-01-01T00:00:00Z',
          trustPolicy,
          attachedPolicies: attached(role.AttachedManagedPolicies),
          inlinePolicies: inline('aws.iam.role', owner, role.RolePolicyList),
          permissionsBoundaryArn: boundary ?? null,
          maxSessionDuration: typeof role.MaxSessionDuration === 'number' ? role.MaxSessionDuration : null,
          lastUsedAt: isoOrNull(role.RoleLastUsed?.LastUsedDate),
          tags: tags(role.Tags),
          serviceLinked: (role.Path ?? '').startsWith('/aws-service-role/'),
          ...lastAccessedOf(role.Arn),
        },
        provenance: provenance('aws.iam.role'),
      });
    }
  }

  if (inputs.oidcProviders.ok) {
    for (const p of inputs.oidcProviders.value) {
      const url = p.Url ?? p.Arn.split(':oidc-provider/')[1] ?? null;
      resources.push({
        kind: 'aws.iam.identityProvider',
        id: p.Arn,
        name: p.Arn.split(':oidc-provider/')[1] ?? p.Arn,
        attributes: { accountId: accountIdOf(p.Arn) ?? accountId, providerType: 'oidc', url, clientIds: p.ClientIDList ?? [], validUntil: null },
        provenance: provenance('aws.iam.identityProvider'),
      });
    }
  }
  if (inputs.samlProviders.ok) {
    for (const p of inputs.samlProviders.value) {
      const arn = p.Arn ?? '';
      resources.push({
        kind: 'aws.iam.identityProvider',
        id: arn,
        name: arn.split(':saml-provider/')[1] ?? arn,
        attributes: { accountId: accountIdOf(arn) ?? accountId, providerType: 'saml', url: null, clientIds: [], validUntil: isoOrNull(p.ValidUntil) },
        provenance: provenance('aws.iam.identityProvider'),
      });
    }
  }
  return { accountId, resources, issues, partial };
}

/** Folds the mapper's partial kinds into a coverage map. */
export function applyPartial(coverage: Partial<Record<Kind, KindCoverage>>, partial: ReadonlyMap<AwsKind, string>): void {
  for (const [kind, detail] of partial) {
    const current = coverage[kind];
    if (current && current.state !== 'complete') continue;
    coverage[kind] = { state: 'partial', reason: 'api_error', detail: detail.length > 500 ? `${detail.slice(0, 497)}...` : detail };
  }
}
