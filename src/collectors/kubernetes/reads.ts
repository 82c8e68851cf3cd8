import { apiTypes } from './kinds.js';

/**
 * Every request the live Kubernetes collector makes, as the API server authorises it:
 * `get` on the discovery paths, then `list` on each API type of kinds.ts (the table the
 * collector lists from). `zt doctor` asks SelfSubjectAccessReview about each, and
 * docs/permissions.md renders the ClusterRole from it; a test runs the collector against
 * the fake API server and compares the paths it requested with these.
 */

/** A non-resource path the collector GETs (discovery). */
export interface NonResourceRead {
  readonly type: 'nonResource';
  readonly verb: 'get';
  readonly path: '/version' | '/apis';
  readonly why: string;
}

/** A resource type the collector lists (RBAC authorises it by group and plural, whatever the version). */
export interface ResourceRead {
  readonly type: 'resource';
  readonly verb: 'list';
  readonly group: string;
  /** The versions the collector lists it in, preferred first. */
  readonly versions: readonly string[];
  /** The plural (RBAC's `resources`). */
  readonly resource: string;
  /** Listed in this namespace only (a Role there suffices). */
  readonly namespace?: string;
  /** A custom resource: listed only where the cluster serves its group. */
  readonly crd?: string;
  /** Listed only when this flag is given. */
  readonly optIn?: string;
  readonly ztKind: string;
}

export type KubernetesRead = NonResourceRead | ResourceRead;

const optInFlags: Record<'secrets', string> = { secrets: '--kubernetes-secrets' };

/** Every read, opt-in ones included, in the collector's order (discovery, then the kinds table). */
export const kubernetesReads: readonly KubernetesRead[] = [
  { type: 'nonResource', verb: 'get', path: '/version', why: 'the server version (k8s.cluster)' },
  { type: 'nonResource', verb: 'get', path: '/apis', why: 'API discovery: which CRDs are served' },
  ...apiTypes.map(
    (t): ResourceRead => ({
      type: 'resource',
      verb: 'list',
      group: t.group,
      versions: t.versions,
      resource: t.plural,
      ...(t.only ? { namespace: t.only.namespace } : {}),
      ...(t.crd ? { crd: t.crd.product } : {}),
      ...(t.optIn ? { optIn: optInFlags[t.optIn.option] } : {}),
      ztKind: t.ztKind,
    }),
  ),
];

/** The reads a run makes with these options (opt-in types only when their flag is given). */
export function readsFor(options: { readonly secrets: boolean }): KubernetesRead[] {
  return kubernetesReads.filter((r) => r.type === 'nonResource' || r.optIn === undefined || (r.optIn === '--kubernetes-secrets' && options.secrets));
}

/** How `zt doctor` and the docs name a read: `get /version`, `list pods`, `list deployments.apps`, `list configmaps in kube-system`. */
export function readName(read: KubernetesRead): string {
  if (read.type === 'nonResource') return `get ${read.path}`;
  return `list ${read.resource}${read.group ? `.${read.group}` : ''}${read.namespace ? ` in ${read.namespace}` : ''}`;
}

/** The RBAC rule that grants a read, as one line of YAML (a Role in the namespace for a namespaced read, else a ClusterRole). */
export function rbacGrant(read: KubernetesRead): string {
  if (read.type === 'nonResource') return `ClusterRole rule: {nonResourceURLs: ["${read.path}"], verbs: [get]}`;
  const where = read.namespace ? `Role in namespace ${read.namespace}` : 'ClusterRole';
  return `${where} rule: {apiGroups: ["${read.group}"], resources: [${read.resource}], verbs: [list]}`;
}
