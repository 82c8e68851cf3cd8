import type { Grant, GraphEdge, GraphNode, Review, ReviewPrincipal } from './model.js';

/**
 * The exact object to change to take a grant away from one principal, for the ticket that
 * carries out a revoke decision. Only this principal's access is named: for a grant held
 * through a group, the group membership (not the group's policy, which others share); for
 * a Kubernetes binding, the subject in the binding; for a policy attached to the principal
 * itself, the attachment. Cross-plane grants are cut at their first hop (the IdP group
 * membership, the aws-auth mapping, the IRSA annotation).
 */
export interface RevocationTarget {
  /** The system to change: okta:acme.okta.com, aws:111122223333, k8s:prod. */
  readonly system: string;
  /** The object: "IAM group membership: user alice in group admins". */
  readonly object: string;
  /** What to do to it, in words. */
  readonly change: string;
}

const subjectKind: Readonly<Partial<Record<ReviewPrincipal['type'], string>>> = { 'k8s.user': 'User', 'k8s.group': 'Group', 'k8s.serviceAccount': 'ServiceAccount' };

function principalWords(p: ReviewPrincipal): string {
  switch (p.type) {
    case 'aws.iam.role':
      return `IAM role ${p.id}`;
    case 'aws.iam.user':
      return `IAM user ${p.id}`;
    case 'idp.user':
      return `user ${p.name}`;
    default:
      return `${subjectKind[p.type] ?? p.type} ${p.name}`;
  }
}

function bindingTarget(system: string, kind: string, subjectName: string, via: string): RevocationTarget | undefined {
  const cluster = /^ClusterRoleBinding\/(.+)$/.exec(via);
  if (cluster) {
    return { system, object: `ClusterRoleBinding ${cluster[1]}, subject ${kind} ${subjectName}`, change: `remove the subject ${kind} ${subjectName} from ClusterRoleBinding ${cluster[1]} (delete the binding if it is the only subject)` };
  }
  const ns = /^RoleBinding ([^/]+)\/(.+)$/.exec(via);
  if (ns) {
    return { system, object: `RoleBinding ${ns[1]}/${ns[2]}, subject ${kind} ${subjectName}`, change: `remove the subject ${kind} ${subjectName} from RoleBinding ${ns[2]} in namespace ${ns[1]} (delete the binding if it is the only subject)` };
  }
  return undefined;
}

/** A revocationTarget function for one review (its graph indexed once). */
export function revocationTargets(review: Pick<Review, 'graph'>): (p: ReviewPrincipal, g: Grant | null) => RevocationTarget {
  const nodes = new Map(review.graph.nodes.map((n) => [n.id, n]));
  const edgesFrom = new Map<string, GraphEdge[]>();
  for (const e of review.graph.edges) {
    let list = edgesFrom.get(e.from);
    if (!list) edgesFrom.set(e.from, (list = []));
    list.push(e);
  }
  return (p, g) => revocationTarget(nodes, edgesFrom, p, g);
}

function revocationTarget(labels: ReadonlyMap<string, GraphNode>, edgesFrom: ReadonlyMap<string, readonly GraphEdge[]>, p: ReviewPrincipal, g: Grant | null): RevocationTarget {
  if (!g) return { system: p.source, object: principalWords(p), change: `disable or delete ${principalWords(p)}` };
  const system = g.scope.replace(/\/ns\/.*$/, '');
  const who = principalWords(p);
  if (g.via === 'direct') {
    const managed = /^managed policy (.+)$/.exec(g.what);
    if (managed) return { system, object: `policy attachment: managed policy ${managed[1]} on ${who}`, change: `detach managed policy ${managed[1]} from ${who}` };
    const inline = /^inline policy (.+)$/.exec(g.what);
    if (inline) return { system, object: `inline policy ${inline[1]} of ${who}`, change: `delete inline policy ${inline[1]} from ${who}` };
    const role = /^(Okta admin role|Entra role) (.+)$/.exec(g.what);
    if (role) return { system, object: `admin role assignment: ${role[2]} to ${who}`, change: `remove the ${role[1]} ${role[2]} assigned to ${who}` };
    return { system, object: `${g.what} held by ${who}`, change: `remove ${g.what} from ${who}` };
  }
  if (g.via === 'PIM eligibility') {
    return { system, object: `PIM eligible assignment: ${g.what} for ${who}`, change: `remove the eligible assignment of ${g.what} from ${who}` };
  }
  const iamGroup = /^group (.+)$/.exec(g.via);
  if (iamGroup && p.type === 'aws.iam.user') {
    return { system: p.source, object: `IAM group membership: ${p.name} in group ${iamGroup[1]}`, change: `remove IAM user ${p.name} from group ${iamGroup[1]}` };
  }
  const kind = subjectKind[p.type];
  if (kind) {
    const binding = bindingTarget(system, kind, p.name, g.via);
    if (binding) return binding;
  }
  // A cross-plane grant: cut it at the principal's first edge.
  const hops = g.via.split(' → ');
  const first = hops[0] ?? '';
  const edge = (edgesFrom.get(p.id) ?? []).find((e) => labels.get(e.to)?.label === first);
  const target = edge ? labels.get(edge.to) : undefined;
  switch (edge?.relation) {
    case 'member_of':
      return { system: p.source, object: `group membership: ${p.name} in ${first}`, change: `remove ${p.name} from ${first}` };
    case 'maps_to':
      return {
        system: `k8s:${/^k8s:\/\/([^/]+)\//.exec(edge.to)?.[1] ?? 'unknown'}`,
        object: `EKS mapping of ${p.id} to ${first}`,
        change: `remove ${first} from the mapping of ${p.id} (aws-auth ConfigMap mapRoles/mapUsers, or the EKS access entry)`,
      };
    case 'irsa':
      return {
        system: p.source,
        object: `IRSA: annotation eks.amazonaws.com/role-arn on service account ${p.name}`,
        change: `remove the eks.amazonaws.com/role-arn annotation from service account ${p.name}, or the service account from ${target?.label ?? first}'s trust policy`,
      };
    case 'signs_in_as': {
      // The IdP user signs in to the cluster as a user of the same name: the binding holds that subject.
      const binding = bindingTarget(system, 'User', target?.label.replace(/^k8s user /, '') ?? first, hops[1] ?? '');
      if (binding) return binding;
      break;
    }
    default:
      break;
  }
  return { system, object: `${g.what} via ${g.via}`, change: `remove ${who}'s path to ${g.what}: ${g.via}` };
}
