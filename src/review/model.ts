/**
 * The access review pack (`zt access-review`): who holds what privilege across the
 * identity provider, AWS IAM and Kubernetes, how strongly they authenticate, when they
 * last used it, and how the planes connect. Everything here is plain data, sorted, with
 * no wall clock: ages are measured from the as-of time of each principal's source (the
 * time its evidence was taken; inventory/as-of.ts), so the same input gives the same
 * bytes. JSON output is this object (schemaVersion 1, kind "zt-access-review").
 */

import type { ReviewScope } from './scope.js';
import type { CampaignVerification } from './verify.js';

export const REVIEW_SCHEMA_VERSION = 1;
export const REVIEW_KIND = 'zt-access-review';

export type ReviewPlane = 'identity' | 'aws' | 'kubernetes';
export const reviewPlanes: readonly ReviewPlane[] = ['identity', 'aws', 'kubernetes'];

/** admin > write > read > none ("none" = nothing beyond signing in / existing). */
export type Privilege = 'admin' | 'write' | 'read' | 'none';
export const privilegeRank: Readonly<Record<Privilege, number>> = { none: 0, read: 1, write: 2, admin: 3 };

export function maxPrivilege(values: Iterable<Privilege>): Privilege {
  let best: Privilege = 'none';
  for (const value of values) if (privilegeRank[value] > privilegeRank[best]) best = value;
  return best;
}

export type PrincipalType =
  | 'idp.user'
  | 'aws.iam.user'
  | 'aws.iam.role'
  | 'k8s.user'
  | 'k8s.group'
  | 'k8s.serviceAccount';

/** human, service (non-human), break_glass, system (the platform's own identities), group. */
export type AccountClass = 'human' | 'service' | 'break_glass' | 'system' | 'group';

/**
 * How the principal proves who it is: phishing_resistant (FIDO2/WebAuthn, smart card,
 * FastPass…), mfa (other second factors), weak (SMS/voice/email only), none,
 * federated (signs in through the IdP: see the IdP user), not_applicable (workload
 * identities), unknown (the data does not say, e.g. Kubernetes users).
 */
export type AuthStrength = 'phishing_resistant' | 'mfa' | 'weak' | 'none' | 'federated' | 'not_applicable' | 'unknown';

/** evidenced: read from the systems' own data; declared: from the --identity-map file; inferred: from a naming convention (see docs/access-review.md). */
export type Evidence = 'evidenced' | 'declared' | 'inferred';

export type Flag =
  | 'stale'
  | 'never_used'
  | 'standing_admin'
  | 'no_mfa'
  | 'weak_mfa'
  | 'external'
  | 'cross_account'
  | 'public'
  | 'break_glass'
  | 'inactive_with_access'
  | 'old_access_key'
  | 'unused_access_key'
  | 'dangling';

export const flagDescriptions: Readonly<Record<Flag, string>> = {
  stale: 'not used (signed in, password or key used, role assumed) for more than the stale threshold',
  never_used: 'no recorded use at all',
  standing_admin: 'holds admin privilege permanently (not time-bound or just-in-time)',
  no_mfa: 'a human or console sign-in without any second factor',
  weak_mfa: 'only weak factors (SMS, voice, email)',
  external: 'a guest user, or trusted by something outside the organisation',
  cross_account: 'an AWS role another AWS account can assume',
  public: 'everyone (any caller, or any authenticated caller) holds this',
  break_glass: 'an emergency account: expected to be admin, expected to be unused',
  inactive_with_access: 'suspended, staged or deprovisioned in the IdP but still reaches access downstream',
  old_access_key: 'an active access key older than the key rotation threshold',
  unused_access_key: 'an active access key not used within the stale threshold',
  dangling: 'named by a binding but absent from the inventory',
};

export interface Grant {
  /** Stable key of the grant within its principal (used by --previous). */
  readonly key: string;
  readonly privilege: Privilege;
  /** What is granted: "managed policy AdministratorAccess", "ClusterRole/cluster-admin", "Okta admin role SUPER_ADMIN". */
  readonly what: string;
  /** How the principal holds it: "direct", "group admins", "ClusterRoleBinding/platform-admins", "Okta group AWS-Admins → role OktaSSO-Admin". */
  readonly via: string;
  /** Where it applies: "aws:111122223333", "k8s:acme-prod", "k8s:acme-prod/ns/legacy", "okta:acme.okta.com". */
  readonly scope: string;
  readonly plane: ReviewPlane;
  readonly evidence: Evidence;
  /** Notable detail: dangerous Kubernetes permissions, condition keys, PIM state. */
  readonly notes: readonly string[];
  /** Held all the time; false for PIM-eligible (must be activated) or time-bound activated roles. */
  readonly standing: boolean;
}

export interface Credential {
  /** "password", "access key 1", "access key 2" (never a key id). */
  readonly kind: string;
  readonly active: boolean;
  /** Days since created/rotated at the source's as-of time; null when unknown (either date). */
  readonly ageDays: number | null;
  readonly lastUsed: string | null;
}

export interface ReviewPrincipal {
  /** Stable id: the resource id, or k8s://<cluster>/_subject/<Kind>/<name> for users and groups. */
  readonly id: string;
  readonly type: PrincipalType;
  readonly plane: ReviewPlane;
  /** The system it lives in, e.g. okta:acme.okta.com, aws:111122223333, k8s:acme-prod. */
  readonly source: string;
  readonly name: string;
  /** Only for IdP users (the reviewer needs a way to reach them). */
  readonly email: string | null;
  readonly owner: string | null;
  /** The IdP user's manager as the IdP records it (login when resolvable); null: none recorded or not an IdP user. */
  readonly manager: string | null;
  readonly status: string;
  readonly accountClass: AccountClass;
  readonly privilege: Privilege;
  readonly grants: readonly Grant[];
  readonly auth: { readonly strength: AuthStrength; readonly detail: string };
  readonly credentials: readonly Credential[];
  readonly lastUsed: string | null;
  /** What lastUsed means: "sign-in", "password", "access key 1", "role assumed", or "unknown". */
  readonly lastUsedSource: string;
  readonly createdAt: string | null;
  readonly groups: readonly string[];
  readonly flags: readonly Flag[];
}

export type GraphNodeType = 'idp.user' | 'idp.group' | 'aws.iam.user' | 'aws.iam.role' | 'k8s.user' | 'k8s.group' | 'k8s.serviceAccount';

export interface GraphNode {
  readonly id: string;
  readonly type: GraphNodeType;
  readonly label: string;
  readonly plane: ReviewPlane;
}

export type GraphRelation =
  /** IdP user → IdP group. */
  | 'member_of'
  /** IdP group → AWS role (SAML/SSO federation). */
  | 'federates_to'
  /** AWS role or user → Kubernetes user/group (EKS aws-auth or access entry). */
  | 'maps_to'
  /** Kubernetes service account → AWS role (IRSA annotation eks.amazonaws.com/role-arn). */
  | 'irsa'
  /** IdP user → Kubernetes user of the same name (OIDC sign-in to the cluster). */
  | 'signs_in_as'
  /** IdP group → Kubernetes group of the same name (OIDC groups claim). */
  | 'group_claim';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly relation: GraphRelation;
  readonly evidence: Evidence;
  /** Why zt drew the edge, e.g. "trust policy names saml-provider/Okta; group name AWS-Admins ~ role OktaSSO-Admin". */
  readonly basis: string;
}

/** "This IdP group (or user) reaches this privilege": the cross-plane answer a reviewer wants. */
export interface ReachPath {
  readonly start: string;
  readonly startLabel: string;
  /** Node labels along the way, start first. */
  readonly steps: readonly string[];
  readonly target: string;
  readonly privilege: Privilege;
  readonly scope: string;
  /** The weakest evidence along the path. */
  readonly evidence: Evidence;
}

export interface IdentityGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly paths: readonly ReachPath[];
}

export type ChangeType = 'principal_added' | 'principal_removed' | 'granted' | 'removed' | 'escalated' | 'de_escalated';

export interface ReviewChange {
  readonly change: ChangeType;
  readonly principalId: string;
  readonly principal: string;
  readonly plane: ReviewPlane;
  /** The grant's what/via/scope; null for principal added/removed. */
  readonly grant: string | null;
  readonly from: Privilege | null;
  readonly to: Privilege | null;
}

export interface ReviewChanges {
  /** The previous review's collectedAt (null: its evidence did not say when it was taken). */
  readonly previousCollectedAt: string | null;
  readonly counts: Readonly<Record<ChangeType, number>>;
  readonly changes: readonly ReviewChange[];
}

export interface PlaneCoverage {
  readonly plane: ReviewPlane;
  readonly covered: boolean;
  readonly sources: readonly string[];
  /** Kinds of the plane the review reads that were partial or missing. */
  readonly gaps: readonly string[];
}

export interface ReviewSummary {
  readonly principals: number;
  readonly grants: number;
  readonly byPlane: Readonly<Record<ReviewPlane, Readonly<Record<Privilege, number>>>>;
  /** Human and break-glass principals by authentication strength. */
  readonly authStrength: Readonly<Record<string, number>>;
  readonly flags: Readonly<Partial<Record<Flag, number>>>;
  /** Principals with a privilege above none that are stale or never used. */
  readonly staleWithAccess: number;
}

export interface Review {
  readonly schemaVersion: typeof REVIEW_SCHEMA_VERSION;
  readonly kind: typeof REVIEW_KIND;
  readonly tool: { readonly name: 'zt'; readonly version: string };
  /** The snapshot's time (the latest as-of of its sources); null when no source says when it was taken. */
  readonly collectedAt: string | null;
  readonly thresholds: { readonly staleDays: number; readonly keyMaxAgeDays: number };
  readonly planes: readonly PlaneCoverage[];
  /** Null, or how identities were replaced (the key itself is never written). */
  readonly pseudonymised: null | { readonly method: string };
  readonly identityMap: string | null;
  /** Present when the review was scoped (--plane, --source, --namespace, --exclude-namespace): only rows in it are reviewed. */
  readonly scope?: ReviewScope;
  readonly summary: ReviewSummary;
  readonly principals: readonly ReviewPrincipal[];
  readonly graph: IdentityGraph;
  readonly changes: ReviewChanges | null;
  /** The reviewable rows (one per principal × grant) with their reviewer and hash; see pack.ts. */
  readonly pack: ReviewPack;
  /** With --previous <campaign>: its revocations verified, grants new since its sign-off (verify.ts). */
  readonly verification: CampaignVerification | null;
}

/** How a row's reviewer was chosen: a rule of .zt/config.yaml, the IdP manager, the owner of the IdP group the grant comes through, a binding's owner, an owner tag or label, or nobody. */
export type ReviewerBasis = 'config' | 'manager' | 'group_owner' | 'binding_owner' | 'owner' | 'unassigned';

export interface PackRow {
  readonly principalId: string;
  /** The grant's key; null for the one row of a principal without grants (the account itself). */
  readonly grantKey: string | null;
  readonly reviewer: string | null;
  readonly basis: ReviewerBasis;
  /** Detail of the basis: "rule 2", "manager (IdP)", "owner tag", or why nobody was found. */
  readonly basisDetail: string;
  /** SHA-256 (24 hex digits) of the cells that identify the grant, as the CSV writes them. */
  readonly hash: string;
}

export interface ReviewPack {
  /** "pk-" + 16 hex digits over the time and every row hash: names the pack the CSV rows came from. */
  readonly id: string;
  readonly rows: readonly PackRow[];
  /** Rows per reviewer, sorted by reviewer. */
  readonly reviewers: readonly { readonly reviewer: string; readonly rows: number }[];
  readonly unassigned: number;
}

/** "never", "unknown" (the data does not record use) or the date. */
export function lastUsedText(p: Pick<ReviewPrincipal, 'lastUsed' | 'lastUsedSource'>): string {
  return p.lastUsed ?? (p.lastUsedSource === 'unknown' ? 'unknown' : 'never');
}
