import type { Principal, PrincipalIndex } from '../principals.js';
import type { Admins } from './admin.js';
import type { IamMemo } from './iam-memo.js';
import type { TrustIndex } from './trust-index.js';

/**
 * What the steps of the IAM analysis share. Each step is a function of this context
 * (plus the named results of earlier steps, passed explicitly) and returns its own
 * result; no step reaches into another's locals. Caches live in `memo` only.
 */

/** Longest chain of sts:AssumeRole / PassRole hops the escalation search follows. */
export const MAX_HOPS = 5;
/** Escalation paths kept per principal; the search stops offering paths to a principal that holds this many. */
export const MAX_PATHS = 10;
/** Names listed in a list field (assumableRoles, assumableBy, …); the matching *Count fields stay exact. */
export const MAX_LISTED = 50;

/** The inputs: the snapshot's principals and the one memo of this analysis. */
export interface IamInputs {
  readonly principals: PrincipalIndex;
  /**
   * Users, then roles, then groups (each sorted by ARN): the principals that act. A group
   * acts as "any member", with only the group's own policies: what it lets every member do.
   */
  readonly callers: readonly Principal[];
  readonly memo: IamMemo;
}

/** The inputs plus the two indexes every later step consults (steps 1 and 2). */
export interface IamContext extends IamInputs {
  /** Step 1: who is administrator-equivalent (users, roles and groups). */
  readonly admin: Admins;
  /** Step 2: compiled trust policies and who each role's trust names. */
  readonly trusts: TrustIndex;
}

export const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Appends `value` to the list under `key`, creating the list on first use. */
export function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}
