import { globToRegExp } from '../text/glob.js';
import type { Grant, Review, ReviewerBasis, ReviewPrincipal } from './model.js';
import { principalRows, type UnsealedRow } from './pack.js';

/**
 * Who reviews each row of the pack, in this order:
 *  1. the first reviewer rule of `.zt/config.yaml` (`review.reviewers`) whose criteria all match;
 *  2. the principal's manager as the IdP records it (Okta profile managerId/manager, Entra manager);
 *  3. the owners of the IdP group the grant comes through (Okta group owners, Entra group owners);
 *  4. the owner of the binding the grant comes through (Kubernetes `owner` annotation or label);
 *  5. the principal's own owner tag or label (AWS tags, service account annotations);
 * else nobody: the row is listed as unassigned. A candidate who is the principal itself is
 * passed over (nobody reviews their own access). A group whose owners could not be read has
 * unknown owners, never none: the row says so when it falls to a later candidate or to nobody.
 */

/**
 * Owners of each IdP group by the label its grants' paths show ("Okta group AWS-Admins",
 * "Entra group Helpdesk Leads"): the owners, sorted; null when they are unknown (the read
 * failed). A group whose owners were not collected is not in the map.
 */
export type GroupOwners = ReadonlyMap<string, readonly string[] | null>;

export interface ReviewerRule {
  readonly reviewer: string;
  readonly plane?: 'identity' | 'aws' | 'kubernetes' | undefined;
  readonly source?: string | undefined;
  readonly account?: string | undefined;
  readonly cluster?: string | undefined;
  readonly namespace?: string | undefined;
  readonly group?: string | undefined;
  readonly principal?: string | undefined;
}

type Matcher = (value: string) => boolean;
const matcher = (pattern: string): Matcher => {
  const re = globToRegExp(pattern, { ignoreCase: true });
  return (value) => re.test(value);
};

interface CompiledRule {
  readonly index: number;
  readonly reviewer: string;
  readonly test: (p: ReviewPrincipal, g: Grant | null) => boolean;
}

/** `aws:111122223333` → the account; `k8s:prod/ns/shop` → cluster prod, namespace shop. */
function scopeParts(scope: string): { account?: string; cluster?: string; namespace?: string } {
  const aws = /^aws:(\d{12})$/.exec(scope);
  if (aws) return { account: aws[1] };
  const k8s = /^k8s:([^/]+)(?:\/ns\/(.+))?$/.exec(scope);
  if (k8s) return { cluster: k8s[1], ...(k8s[2] !== undefined ? { namespace: k8s[2] } : {}) };
  return {};
}

/** Groups a grant comes through: its via's hops that name a group (IAM, Okta, Entra or Kubernetes). */
function viaGroups(via: string): string[] {
  const out: string[] = [];
  for (const hop of via.split(' → ')) {
    const m = /^(?:Okta |Entra |k8s )?group (.+)$/.exec(hop);
    if (m) out.push(m[1] as string);
  }
  return out;
}

function compile(rule: ReviewerRule, index: number): CompiledRule {
  const checks: ((p: ReviewPrincipal, g: Grant | null) => boolean)[] = [];
  if (rule.plane !== undefined) checks.push((p, g) => (g?.plane ?? p.plane) === rule.plane);
  if (rule.source !== undefined) {
    const m = matcher(rule.source);
    checks.push((p) => m(p.source));
  }
  const where = (p: ReviewPrincipal, g: Grant | null): ReturnType<typeof scopeParts> => ({ ...scopeParts(p.source), ...scopeParts(g?.scope ?? '') });
  if (rule.account !== undefined) {
    const m = matcher(rule.account);
    checks.push((p, g) => {
      const account = where(p, g).account;
      return account !== undefined && m(account);
    });
  }
  if (rule.cluster !== undefined) {
    const m = matcher(rule.cluster);
    checks.push((p, g) => {
      const cluster = where(p, g).cluster;
      return cluster !== undefined && m(cluster);
    });
  }
  if (rule.namespace !== undefined) {
    const m = matcher(rule.namespace);
    checks.push((p, g) => {
      const ns = scopeParts(g?.scope ?? '').namespace ?? (p.type === 'k8s.serviceAccount' ? p.name.split('/')[0] : undefined);
      return ns !== undefined && m(ns);
    });
  }
  if (rule.group !== undefined) {
    const m = matcher(rule.group);
    checks.push((p, g) => p.groups.some(m) || viaGroups(g?.via ?? '').some(m));
  }
  if (rule.principal !== undefined) {
    const m = matcher(rule.principal);
    checks.push((p) => m(p.name) || m(p.id) || (p.email !== null && m(p.email)));
  }
  return { index, reviewer: rule.reviewer, test: (p, g) => checks.every((c) => c(p, g)) };
}

/** Is this person the principal (by login, name or email, ignoring case)? */
export function isSelf(person: string, p: Pick<ReviewPrincipal, 'name' | 'email' | 'id'>): boolean {
  const who = person.trim().toLowerCase();
  return who !== '' && [p.name, p.email, p.id].some((n) => n !== null && n.toLowerCase() === who);
}

function bindingOwner(g: Grant | null): string | null {
  for (const note of g?.notes ?? []) if (note.startsWith('binding owner: ')) return note.slice('binding owner: '.length);
  return null;
}

/** IdP groups along a grant's path (its via hops), in path order, that the owners map knows. */
function groupHops(via: string, owners: GroupOwners): string[] {
  return via.split(' → ').filter((hop) => owners.has(hop));
}

const basisRank: Readonly<Record<Exclude<ReviewerBasis, 'unassigned'>, number>> = { config: 0, manager: 1, group_owner: 2, binding_owner: 3, owner: 4 };

export function assignReviewers(review: Pick<Review, 'principals'>, rules: readonly ReviewerRule[], groupOwners: GroupOwners = new Map()): UnsealedRow[] {
  const compiled = rules.map(compile);
  const out: UnsealedRow[] = [];
  for (const { principal: p, grant: g } of principalRows(review)) {
    const candidates: { reviewer: string | null; basis: Exclude<ReviewerBasis, 'unassigned'>; detail: string }[] = [];
    const rule = compiled.find((r) => r.test(p, g) && !isSelf(r.reviewer, p));
    if (rule) candidates.push({ reviewer: rule.reviewer, basis: 'config', detail: `rule ${rule.index + 1} of review.reviewers` });
    candidates.push({ reviewer: p.manager, basis: 'manager', detail: 'manager (IdP)' });
    const unknownOwners: string[] = [];
    for (const hop of groupHops(g?.via ?? '', groupOwners)) {
      const owners = groupOwners.get(hop);
      if (owners === null || owners === undefined) unknownOwners.push(hop);
      else for (const owner of owners) candidates.push({ reviewer: owner, basis: 'group_owner', detail: `owner of ${hop}` });
    }
    candidates.push({ reviewer: bindingOwner(g), basis: 'binding_owner', detail: 'owner of the binding' });
    candidates.push({ reviewer: p.owner, basis: 'owner', detail: 'owner tag or label' });
    const chosen = candidates.find((c) => c.reviewer !== null && c.reviewer !== '' && !isSelf(c.reviewer, p));
    const self = candidates.some((c) => c.reviewer !== null && isSelf(c.reviewer, p));
    // Unknown owners might have ruled out what was chosen after them: said, never taken as "no owner".
    const unknown = unknownOwners.length > 0 && (!chosen || basisRank[chosen.basis] > basisRank.group_owner) ? `; owners of ${unknownOwners.join(', ')} unknown (not read)` : '';
    out.push(
      chosen
        ? { principalId: p.id, grantKey: g?.key ?? null, reviewer: chosen.reviewer, basis: chosen.basis, basisDetail: `${chosen.detail}${unknown}` }
        : {
            principalId: p.id,
            grantKey: g?.key ?? null,
            reviewer: null,
            basis: 'unassigned',
            basisDetail: `${self ? 'the only candidate is the principal itself' : 'no rule, manager or owner'}${unknown}`,
          },
    );
  }
  return out;
}
