import { z } from 'zod';
import { isoDateTime } from '../../inventory/kinds/common.js';
import type {
  OktaApp,
  OktaAuthenticator,
  OktaDeviceAssurance,
  OktaEnrollment,
  OktaFactor,
  OktaGroup,
  OktaGroupOwner,
  OktaLogStream,
  OktaNetworkZone,
  OktaPolicy,
  OktaPolicyRule,
  OktaRole,
  OktaThreatInsight,
  OktaUser,
} from './types.js';

/**
 * The offline export's files in the Management API's shapes, as far as zt reads them:
 * every field map.ts reads has its type checked here, before mapping, so a field of the
 * wrong type (a login that is a number, a session lifetime given as text) is exit 2
 * naming the file, the line and column and the JSON path (ZT_EXPORT_INVALID) — never an
 * object dropped as a mapping bug (ZT_COLLECT_MALFORMED) or a crash. Fields zt does not
 * read are left alone (Okta adds fields); objects the API may send as null are nullable.
 */

const id = z.string().min(1);
const text = z.string();
const count = z.number().int();
const strings = z.array(z.string());
const optionalDate = isoDateTime.nullish();

export const oktaUser = z.looseObject({
  id,
  status: text,
  created: optionalDate,
  lastLogin: optionalDate,
  profile: z.looseObject({ login: text.optional(), email: text.nullish(), managerId: text.nullish(), manager: text.nullish() }).nullish(),
});

export const oktaFactor = z.looseObject({ factorType: text, status: text });
export const oktaEnrollment = z.looseObject({ key: text, status: text });
export const oktaGroup = z.looseObject({ id, type: text.optional(), profile: z.looseObject({ name: text.optional() }).nullish() });
export const oktaGroupMember = z.looseObject({ id });
export const oktaGroupOwner = z.looseObject({ id, type: text.optional(), displayName: text.nullish(), resolved: z.boolean().optional() });
export const oktaRole = z.looseObject({ type: text, status: text.optional(), assignmentType: text.optional() });

const includeExclude = z.looseObject({ include: strings.optional(), exclude: strings.optional() }).nullish();
const people = z.looseObject({ users: includeExclude, groups: includeExclude }).nullish();

export const oktaPolicyRule = z.looseObject({
  id,
  name: text.optional(),
  status: text.optional(),
  conditions: z
    .looseObject({
      people,
      device: z.looseObject({ managed: z.boolean().optional(), assurance: z.looseObject({ include: strings.optional() }).nullish() }).nullish(),
    })
    .nullish(),
  actions: z
    .looseObject({
      signon: z
        .looseObject({
          access: text.optional(),
          requireFactor: z.boolean().optional(),
          session: z
            // null: no limit (Okta sends it for a rule without an idle or lifetime limit).
            .looseObject({ maxSessionIdleMinutes: count.nullish(), maxSessionLifetimeMinutes: count.nullish(), usePersistentCookie: z.boolean().optional() })
            .nullish(),
        })
        .nullish(),
      appSignOn: z
        .looseObject({
          access: text.optional(),
          verificationMethod: z
            .looseObject({
              type: text.optional(),
              factorMode: text.optional(),
              constraints: z.array(z.looseObject({ possession: z.looseObject({ phishingResistant: text.optional() }).optional() })).nullish(),
              chains: z.array(z.unknown()).optional(),
            })
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export const oktaPolicy = z.looseObject({
  id,
  type: text,
  name: text.optional(),
  status: text.optional(),
  priority: count.optional(),
  system: z.boolean().optional(),
  conditions: z.looseObject({ people, authProvider: z.looseObject({ provider: text.optional() }).nullish() }).nullish(),
  settings: z
    .looseObject({
      password: z
        .looseObject({
          complexity: z.looseObject({ minLength: count.optional(), dictionary: z.looseObject({ common: z.looseObject({ exclude: z.boolean().optional() }).optional() }).optional() }).optional(),
          age: z.looseObject({ maxAgeDays: count.optional(), historyCount: count.optional() }).optional(),
          lockout: z.looseObject({ maxAttempts: count.optional() }).optional(),
        })
        .optional(),
    })
    .nullish(),
  rules: z.array(oktaPolicyRule).optional(),
  _embedded: z.looseObject({ rules: z.array(oktaPolicyRule).optional() }).optional(),
});

export const oktaApp = z.looseObject({
  id,
  name: text.optional(),
  label: text.optional(),
  status: text.optional(),
  signOnMode: text.optional(),
  _links: z.looseObject({ accessPolicy: z.looseObject({ href: text.optional() }).optional() }).optional(),
});

const included = z.looseObject({ include: strings.optional() }).nullish();
export const oktaDeviceAssurance = z.looseObject({
  id,
  name: text.optional(),
  platform: text,
  osVersion: z.looseObject({ minimum: text.optional() }).nullish(),
  diskEncryptionType: included,
  screenLockType: included,
  secureHardwarePresent: z.boolean().optional(),
  jailbreak: z.boolean().optional(),
});

export const oktaAuthenticator = z.looseObject({ key: text, status: text });
export const oktaLogStream = z.looseObject({ status: text });
export const oktaThreatInsight = z.looseObject({ action: text.optional(), excludeZones: z.array(text).optional() });
export const oktaNetworkZone = z.looseObject({
  id,
  name: text.optional(),
  type: text.optional(),
  status: text.optional(),
  gateways: z.array(z.looseObject({ type: text.optional(), value: text.optional() })).nullish(),
  locations: z.array(z.unknown()).nullish(),
  asns: z.array(z.unknown()).nullish(),
});
/** org.json: which org the export is from (checked further as an https URL). */
// exportedAt: when the export was taken (zt's own field; the Okta API has none).
export const oktaOrg = z.looseObject({ orgUrl: text, exportedAt: text.optional() });

// map.ts's input types are what these schemas accept (checked by the compiler).
type Accepts<Checked, Mapped> = Checked extends Mapped ? true : never;
export const exportTypesAgree: [
  Accepts<z.output<typeof oktaUser>, OktaUser>,
  Accepts<z.output<typeof oktaFactor>, OktaFactor>,
  Accepts<z.output<typeof oktaEnrollment>, OktaEnrollment>,
  Accepts<z.output<typeof oktaGroup>, OktaGroup>,
  Accepts<z.output<typeof oktaGroupOwner>, OktaGroupOwner>,
  Accepts<z.output<typeof oktaRole>, OktaRole>,
  Accepts<z.output<typeof oktaPolicyRule>, OktaPolicyRule>,
  Accepts<z.output<typeof oktaPolicy>, OktaPolicy>,
  Accepts<z.output<typeof oktaApp>, OktaApp>,
  Accepts<z.output<typeof oktaDeviceAssurance>, OktaDeviceAssurance>,
  Accepts<z.output<typeof oktaAuthenticator>, OktaAuthenticator>,
  Accepts<z.output<typeof oktaLogStream>, OktaLogStream>,
  Accepts<z.output<typeof oktaNetworkZone>, OktaNetworkZone>,
  Accepts<z.output<typeof oktaThreatInsight>, OktaThreatInsight>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];
