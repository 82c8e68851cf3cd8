import { z } from 'zod';
import { isoDateTime } from '../../inventory/kinds/common.js';
import type { RawGroup, RawManagedPolicy, RawMfaDevice, RawPasswordPolicy, RawRole, RawUser } from './map.js';

/**
 * The AWS CLI's (and SDK's) export files as far as zt reads them: every field the mapper
 * reads has its type checked here, before mapping, so a malformed export is exit 2 naming
 * the file and the JSON path (ZT_AWS_EXPORT_INVALID) — never a crash in the mapper, a
 * resource dropped as malformed, or a default standing in for a value of the wrong type.
 * Fields zt does not read are left alone (AWS adds fields). A policy document's content is
 * not checked here: one document that does not parse is reported by name and the rest is
 * audited (ZT_AWS_POLICY_UNPARSEABLE), as IAM documents are free-form JSON.
 */

const name = z.string().min(1);
/** AWS writes ISO 8601 date-times with an offset (`2023-03-14T09:21:00+00:00`, or `Z` from the SDK). */
const dateTime = isoDateTime;
/**
 * A policy document: URL-encoded JSON text (API, SDK) or the decoded object (AWS CLI). Its
 * content is the normaliser's to judge, one policy at a time (ZT_AWS_POLICY_UNPARSEABLE).
 */
const document = z.unknown();
const inlinePolicy = z.looseObject({ PolicyName: name, PolicyDocument: document });
const attachedPolicy = z.looseObject({ PolicyName: name, PolicyArn: name });
const boundary = z.looseObject({ PermissionsBoundaryArn: name });
const tag = z.looseObject({ Key: z.string(), Value: z.string() });

const user = z.looseObject({
  UserName: name,
  Arn: name,
  Path: z.string().optional(),
  CreateDate: dateTime.optional(),
  UserPolicyList: z.array(inlinePolicy).optional(),
  GroupList: z.array(name).optional(),
  AttachedManagedPolicies: z.array(attachedPolicy).optional(),
  PermissionsBoundary: boundary.optional(),
  Tags: z.array(tag).optional(),
});

const group = z.looseObject({
  GroupName: name,
  Arn: name,
  Path: z.string().optional(),
  GroupPolicyList: z.array(inlinePolicy).optional(),
  AttachedManagedPolicies: z.array(attachedPolicy).optional(),
});

const role = z.looseObject({
  RoleName: name,
  Arn: name,
  Path: z.string().optional(),
  CreateDate: dateTime.optional(),
  AssumeRolePolicyDocument: document,
  RolePolicyList: z.array(inlinePolicy).optional(),
  AttachedManagedPolicies: z.array(attachedPolicy).optional(),
  PermissionsBoundary: boundary.optional(),
  MaxSessionDuration: z.number().int().positive().optional(),
  RoleLastUsed: z.looseObject({ LastUsedDate: dateTime.optional() }).optional(),
  Tags: z.array(tag).optional(),
});

const managedPolicy = z.looseObject({
  PolicyName: name,
  Arn: name,
  Path: z.string().optional(),
  DefaultVersionId: z.string().optional(),
  AttachmentCount: z.number().int().nonnegative().optional(),
  PermissionsBoundaryUsageCount: z.number().int().nonnegative().optional(),
  PolicyVersionList: z.array(z.looseObject({ Document: document, VersionId: z.string().optional(), IsDefaultVersion: z.boolean().optional() })).optional(),
});

/** One page (or the AWS CLI's merged object) of `get-account-authorization-details`. */
const detailsPage = z.looseObject({
  UserDetailList: z.array(user).optional(),
  GroupDetailList: z.array(group).optional(),
  RoleDetailList: z.array(role).optional(),
  Policies: z.array(managedPolicy).optional(),
});

/** The AWS CLI's one object, or SDK pages (one, or a list of them: chosen by the value, so a problem's path is exact). */
export const authorizationDetailsExport = (value: unknown) => (Array.isArray(value) ? z.array(detailsPage) : detailsPage);

/** `aws iam get-account-password-policy`: `{}` or `{"PasswordPolicy": null}` is "no custom policy". */
export const passwordPolicyExport = z.looseObject({
  PasswordPolicy: z
    .looseObject({
      MinimumPasswordLength: z.number().int().positive(),
      RequireSymbols: z.boolean().optional(),
      RequireNumbers: z.boolean().optional(),
      RequireUppercaseCharacters: z.boolean().optional(),
      RequireLowercaseCharacters: z.boolean().optional(),
      AllowUsersToChangePassword: z.boolean().optional(),
      ExpirePasswords: z.boolean().optional(),
      MaxPasswordAge: z.number().int().positive().optional(),
      PasswordReusePrevention: z.number().int().positive().optional(),
      HardExpiry: z.boolean().optional(),
    })
    .nullable()
    .optional(),
});

/** `aws iam get-account-summary`: every entry a count. */
export const accountSummaryExport = z.looseObject({ SummaryMap: z.record(z.string(), z.number().int().nonnegative()) });

/** `aws iam list-virtual-mfa-devices`. */
export const virtualMfaExport = z.looseObject({
  VirtualMFADevices: z.array(z.looseObject({ SerialNumber: name, User: z.looseObject({ Arn: z.string().optional(), UserName: z.string().optional() }).optional() })),
});

/** `aws iam get-credential-report --output json`: the CSV in base64, and when it was generated. */
export const credentialReportJson = z.looseObject({ Content: z.string(), GeneratedTime: dateTime.optional() });

// The mapper's input types are what these schemas accept (checked by the compiler).
type Accepts<Checked, Mapped> = Checked extends Mapped ? true : never;
export const exportTypesAgree: [
  Accepts<z.output<typeof user>, RawUser>,
  Accepts<z.output<typeof group>, RawGroup>,
  Accepts<z.output<typeof role>, RawRole>,
  Accepts<z.output<typeof managedPolicy>, RawManagedPolicy>,
  Accepts<NonNullable<z.output<typeof passwordPolicyExport>['PasswordPolicy']>, RawPasswordPolicy>,
  Accepts<z.output<typeof virtualMfaExport>['VirtualMFADevices'][number], RawMfaDevice>,
] = [true, true, true, true, true, true];
