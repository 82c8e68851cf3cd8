import type { NetWorkload } from '../network-policy.js';
import { INTERNET, parseAddressEndpoint, type AddressEndpoint } from './addresses.js';
import { compareWorkloads } from './query-classes.js';
import type { QueryCluster } from './query-cluster.js';

/**
 * The endpoints a user names on the command line:
 *
 *   ns/name            a workload (Deployment, StatefulSet, …) or a bare Pod, by name
 *   ns/Kind/name       the same, when two kinds share a name
 *   ns/app=web,tier=x  the workloads of `ns` whose pod labels match (`*` for every namespace)
 *   ns/*               every workload of `ns`
 *   ip:203.0.113.7     one address outside the cluster
 *   cidr:10.0.0.0/8    a range of them
 *   internet           every public address
 *
 * A named workload that does not exist, an address that is not one, is an error
 * (EndpointError, exit 2); a selector matching nothing is an answer (no workloads).
 */

export type ResolvedEndpoint =
  | { readonly kind: 'workloads'; readonly spec: string; readonly named: boolean; readonly workloads: readonly NetWorkload[] }
  | { readonly kind: 'address'; readonly spec: string; readonly endpoint: AddressEndpoint };

export class EndpointError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'EndpointError';
    this.hint = hint;
  }
}

const FORMS = 'ns/name, ns/Kind/name, ns/label=value[,label=value], ns/*, */label=value, ip:<address>, cidr:<range> or internet';

function parseSelector(text: string, spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    if (at <= 0 || key === '') throw new EndpointError(`${spec}: "${part}" is not a label=value pair`, `Write a selector as ns/label=value[,label=value], e.g. shop/app=web.`);
    out[key] = part.slice(at + 1).trim();
  }
  return out;
}

/** A cluster's workloads in answer order, and per namespace, made once (the HTML page resolves thousands of endpoints). */
const sortedWorkloads = new WeakMap<QueryCluster, { all: readonly NetWorkload[]; byNamespace: ReadonlyMap<string, readonly NetWorkload[]> }>();
function sortedOf(cluster: QueryCluster): { all: readonly NetWorkload[]; byNamespace: ReadonlyMap<string, readonly NetWorkload[]> } {
  let sorted = sortedWorkloads.get(cluster);
  if (!sorted) {
    const all = [...cluster.workloads].sort(compareWorkloads);
    const byNamespace = new Map<string, NetWorkload[]>();
    for (const w of all) {
      const list = byNamespace.get(w.namespace);
      if (list) list.push(w);
      else byNamespace.set(w.namespace, [w]);
    }
    sortedWorkloads.set(cluster, (sorted = { all, byNamespace }));
  }
  return sorted;
}

export function resolveEndpoint(cluster: QueryCluster, spec: string): ResolvedEndpoint {
  const text = spec.trim();
  if (text === 'internet') return { kind: 'address', spec: text, endpoint: INTERNET };
  for (const kind of ['ip', 'cidr'] as const) {
    if (text.startsWith(`${kind}:`)) {
      const endpoint = parseAddressEndpoint(kind, text.slice(kind.length + 1));
      if (!endpoint) {
        throw new EndpointError(
          `${text}: "${text.slice(kind.length + 1)}" is not ${kind === 'ip' ? 'an IPv4 or IPv6 address' : 'a CIDR range (address/prefix)'}`,
          kind === 'ip' ? 'Write an address such as ip:203.0.113.7 or ip:2001:db8::1 (a range is cidr:10.0.0.0/8).' : 'Write a range such as cidr:10.0.0.0/8 or cidr:2001:db8::/32.',
        );
      }
      return { kind: 'address', spec: text, endpoint };
    }
  }
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) throw new EndpointError(`${text}: not an endpoint`, `Endpoints are ${FORMS}.`);
  const namespace = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const { all: sorted, byNamespace } = sortedOf(cluster);
  if (rest.includes('=') || rest === '*') {
    const selector = rest === '*' ? {} : parseSelector(rest, text);
    if (namespace === '*' && rest === '*') return { kind: 'workloads', spec: text, named: false, workloads: [...sorted] };
    const workloads = sorted.filter((w) => (namespace === '*' || w.namespace === namespace) && Object.entries(selector).every(([k, v]) => w.labels[k] === v));
    return { kind: 'workloads', spec: text, named: false, workloads };
  }
  if (namespace === '*') throw new EndpointError(`${text}: name a namespace for a workload`, 'Write ns/name; `*` is for selectors (*/app=web).');
  const parts = rest.split('/');
  const [kind, name] = parts.length === 2 ? [parts[0] as string, parts[1] as string] : [undefined, rest];
  if (parts.length > 2) throw new EndpointError(`${text}: not an endpoint`, `Endpoints are ${FORMS}.`);
  const inNamespace = byNamespace.get(namespace) ?? [];
  const found = inNamespace.filter((w) => w.name === name && (kind === undefined || (cluster.workloadKinds.get(w.id) ?? '').toLowerCase() === kind.toLowerCase()));
  if (found.length === 0) {
    const known = inNamespace.slice(0, 10).map((w) => `${w.namespace}/${w.name}`);
    throw new EndpointError(
      inNamespace.length === 0 ? `${text}: the cluster has no workload in namespace "${namespace}"` : `${text}: no workload or pod named "${name}"${kind ? ` of kind ${kind}` : ''} in namespace "${namespace}"`,
      inNamespace.length === 0
        ? 'Check the namespace, and that the input holds it (a live cluster, --manifests or a snapshot).'
        : `Workloads there include ${known.join(', ')}${inNamespace.length > 10 ? ', …' : ''}. Pods of a Deployment or StatefulSet are named by their workload; a label selector is ns/label=value.`,
    );
  }
  if (found.length > 1) {
    const names = found.map((w) => `${namespace}/${cluster.workloadKinds.get(w.id) ?? '?'}/${w.name}`);
    throw new EndpointError(`${text}: ${found.length} workloads have this name: ${names.join(', ')}`, 'Name one with ns/Kind/name.');
  }
  return { kind: 'workloads', spec: text, named: true, workloads: found };
}
