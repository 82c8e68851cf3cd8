import type { Kind } from '../../inventory/kinds/index.js';
import type { CoverageReason } from '../../model/coverage.js';

// The Okta Management API's own shapes, as far as zt reads them. The live client and the
// offline export both produce an OktaRaw; map.ts turns it into resources.

export interface OktaUser {
  id: string;
  status: string;
  created?: string | null;
  activated?: string | null;
  lastLogin?: string | null;
  profile?: { login?: string; email?: string | null; firstName?: string | null; lastName?: string | null; managerId?: string | null; manager?: string | null } | null;
  credentials?: { provider?: { type?: string; name?: string } } | null;
}

export interface OktaFactor {
  id?: string;
  factorType: string;
  provider?: string;
  status: string;
}

/** /api/v1/users/{id}/authenticator-enrollments (Identity Engine). */
export interface OktaEnrollment {
  id?: string;
  key: string;
  type?: string;
  status: string;
}

export interface OktaGroup {
  id: string;
  type?: string;
  profile?: { name?: string; description?: string | null } | null;
}

/** GET /api/v1/groups/{id}/owners: a user or a group that owns the group (only resolved owners are listed by default). */
export interface OktaGroupOwner {
  id: string;
  type?: string;
  displayName?: string | null;
  resolved?: boolean;
}

export interface OktaRole {
  id?: string;
  type: string;
  label?: string;
  status?: string;
  assignmentType?: string;
}

export interface OktaPeopleCondition {
  users?: { include?: string[]; exclude?: string[] } | null;
  groups?: { include?: string[]; exclude?: string[] } | null;
}

export interface OktaPolicyRule {
  id: string;
  type?: string;
  name?: string;
  status?: string;
  priority?: number;
  system?: boolean;
  conditions?: {
    people?: OktaPeopleCondition | null;
    network?: { connection?: string } | null;
    device?: { registered?: boolean; managed?: boolean; assurance?: { include?: string[] } | null } | null;
    riskScore?: { level?: string } | null;
  } | null;
  actions?: {
    signon?: {
      access?: string;
      requireFactor?: boolean;
      session?: { maxSessionIdleMinutes?: number | null; maxSessionLifetimeMinutes?: number | null; usePersistentCookie?: boolean } | null;
    } | null;
    appSignOn?: {
      access?: string;
      verificationMethod?: {
        type?: string;
        factorMode?: string;
        reauthenticateIn?: string;
        constraints?: { knowledge?: Record<string, unknown>; possession?: { phishingResistant?: string; deviceBound?: string } }[] | null;
        chains?: unknown[];
      } | null;
    } | null;
  } | null;
}

export interface OktaPolicy {
  id: string;
  type: string;
  name?: string;
  status?: string;
  priority?: number;
  system?: boolean;
  conditions?: { people?: OktaPeopleCondition | null; authProvider?: { provider?: string } | null } | null;
  settings?: {
    password?: {
      complexity?: { minLength?: number; dictionary?: { common?: { exclude?: boolean } } };
      age?: { maxAgeDays?: number; historyCount?: number };
      lockout?: { maxAttempts?: number };
    };
  } | null;
  /** Rules, read from /api/v1/policies/{id}/rules (or embedded by `expand=rules` / the export). */
  rules?: OktaPolicyRule[];
  _embedded?: { rules?: OktaPolicyRule[] };
}

export interface OktaApp {
  id: string;
  name?: string;
  label?: string;
  status?: string;
  signOnMode?: string;
  _links?: { accessPolicy?: { href?: string } };
}

export interface OktaDeviceAssurance {
  id: string;
  name?: string;
  platform: string;
  osVersion?: { minimum?: string } | null;
  diskEncryptionType?: { include?: string[] } | null;
  screenLockType?: { include?: string[] } | null;
  secureHardwarePresent?: boolean;
  jailbreak?: boolean;
}

export interface OktaAuthenticator {
  id?: string;
  key: string;
  status: string;
}

/** A network zone (GET /api/v1/zones): an IP zone's gateways, or a dynamic zone's conditions. */
export interface OktaNetworkZone {
  id: string;
  name?: string;
  /** IP, DYNAMIC or DYNAMIC_V2. */
  type?: string;
  status?: string;
  /** CIDR ("10.0.0.0/8") or RANGE ("1.2.3.4-1.2.3.9") entries. */
  gateways?: { type?: string; value?: string }[] | null;
  locations?: unknown[] | null;
  asns?: unknown[] | null;
  ipServiceCategories?: unknown;
}

/** ThreatInsight settings (GET /api/v1/threats/configuration). */
export interface OktaThreatInsight {
  action?: string;
  /** Network zone ids whose requests ThreatInsight does not judge. */
  excludeZones?: string[];
}

export interface OktaLogStream {
  id?: string;
  type?: string;
  status: string;
}

export const policyTypes = ['OKTA_SIGN_ON', 'ACCESS_POLICY', 'MFA_ENROLL', 'PASSWORD'] as const;
export type PolicyType = (typeof policyTypes)[number];

/** One read: its value, or why it could not be read (becomes coverage and an issue). */
export type Section<T> =
  | { readonly ok: true; readonly value: T; readonly partial?: string }
  | { readonly ok: false; readonly reason: CoverageReason; readonly detail: string };

export interface OktaRaw {
  /** https://acme.okta.com */
  readonly orgUrl: string;
  readonly host: string;
  readonly mode: 'live' | 'offline';
  /** An export's time, from org.json's `exportedAt` (ISO, UTC); absent when it does not say (and always for live reads). */
  readonly exportedAt?: string;
  readonly users: Section<OktaUser[]>;
  /** Per user id: factors (or authenticator enrollments mapped to factor-like entries). */
  readonly factors: Section<Map<string, { kind: 'factor'; items: OktaFactor[] } | { kind: 'enrollment'; items: OktaEnrollment[] }>>;
  readonly groups: Section<OktaGroup[]>;
  readonly groupMembers: Section<Map<string, string[]>>;
  readonly groupRoles: Section<Map<string, OktaRole[]>>;
  /** Per group id: its owners (the access review's reviewers); optional, a failure leaves owners unknown. Absent: not read. */
  readonly groupOwners?: Section<Map<string, OktaGroupOwner[]>>;
  /** Per admin user id: the roles it holds (directly or through a group). */
  readonly userRoles: Section<Map<string, OktaRole[]>>;
  readonly policies: Readonly<Record<PolicyType, Section<OktaPolicy[]>>>;
  readonly apps: Section<OktaApp[]>;
  readonly deviceAssurances: Section<OktaDeviceAssurance[]>;
  readonly authenticators: Section<OktaAuthenticator[]>;
  readonly threatInsight: Section<OktaThreatInsight>;
  readonly zones: Section<OktaNetworkZone[]>;
  readonly logStreams: Section<OktaLogStream[]>;
}

/** What each read feeds and what a read-only identity needs for it (named in issues and docs). */
export const sectionNeeds: Record<string, { readonly kinds: readonly Kind[]; readonly scope: string }> = {
  users: { kinds: ['idp.user'], scope: 'okta.users.read' },
  factors: { kinds: ['idp.user'], scope: 'okta.users.read' },
  groups: { kinds: ['idp.group'], scope: 'okta.groups.read' },
  // okta.adminRoles counts SUPER_ADMIN holders through groups: without members it would undercount.
  groupMembers: { kinds: ['idp.group', 'okta.adminRoles'], scope: 'okta.groups.read' },
  groupRoles: { kinds: ['idp.group', 'okta.adminRoles'], scope: 'okta.roles.read' },
  userRoles: { kinds: ['idp.user', 'okta.adminRoles'], scope: 'okta.roles.read' },
  OKTA_SIGN_ON: { kinds: ['idp.accessPolicy'], scope: 'okta.policies.read' },
  ACCESS_POLICY: { kinds: ['idp.accessPolicy', 'okta.app', 'okta.deviceAssurance'], scope: 'okta.policies.read' },
  MFA_ENROLL: { kinds: [], scope: 'okta.policies.read' },
  PASSWORD: { kinds: ['okta.passwordPolicy'], scope: 'okta.policies.read' },
  apps: { kinds: ['okta.app'], scope: 'okta.apps.read' },
  deviceAssurances: { kinds: ['okta.deviceAssurance'], scope: 'okta.deviceAssurance.read' },
  authenticators: { kinds: ['okta.org'], scope: 'okta.authenticators.read' },
  threatInsight: { kinds: ['okta.org'], scope: 'okta.threatInsights.read' },
  // Only ThreatInsight's exemptions depend on the zones: map.ts records their gap itself.
  zones: { kinds: [], scope: 'okta.networkZones.read' },
  logStreams: { kinds: ['okta.org'], scope: 'okta.logStreams.read' },
};
