import type { InventoryIndex } from '../../inventory/index.js';
import { inputGap } from '../input-gaps.js';
import { type CompiledPolicy, compilePolicy, type ScpLevel } from './policy-evaluator.js';

/**
 * The service control policies over each account, as AWS applies them (Organizations
 * User Guide, "SCP evaluation"): one level per node from the organisation's root through
 * each OU on the account's path to the account itself, each level the SCPs attached
 * there. Known only when the organisation's accounts and SCPs were read completely; then:
 * - the management account has none (SCPs never restrict it);
 * - an organisation without SCPs enabled at its root restricts nothing;
 * - service-linked roles are not affected (the caller leaves them out).
 * `undefined` for an account means "no narrowing": not in a read organisation, or not known.
 */
export interface ScpHierarchy {
  /** The levels over `accountId`; undefined when SCPs do not apply to it or are not known. */
  levelsOf(accountId: string): readonly ScpLevel[] | undefined;
  /** Whether SCPs were read completely (else nothing SCP-based may be claimed). */
  readonly known: boolean;
  /** The organisation of each account listed, for trust inside vs outside it. */
  organizationOf(accountId: string): string | undefined;
}

export function scpHierarchy(inventory: InventoryIndex): ScpHierarchy {
  const accounts = inventory.ofKind('aws.organization.account');
  const organizationOf = new Map(accounts.map((a) => [a.attributes.accountId, a.attributes.organizationId]));
  const known = accounts.length > 0 && inputGap(inventory, 'aws.scp') === null && inputGap(inventory, 'aws.organization.account') === null;
  if (!known) return { known: false, levelsOf: () => undefined, organizationOf: (id) => organizationOf.get(id) };

  // SCPs by the node they are attached to, within their organisation.
  const attached = new Map<string, CompiledPolicy[]>();
  for (const scp of inventory.ofKind('aws.scp')) {
    const compiled = compilePolicy(scp.attributes.document, `SCP ${scp.name}`);
    for (const target of scp.attributes.targets) {
      const key = `${scp.attributes.organizationId}/${target.targetId}`;
      let list = attached.get(key);
      if (!list) attached.set(key, (list = []));
      list.push(compiled);
    }
  }
  const cache = new Map<string, readonly ScpLevel[] | undefined>();
  const levelsOf = (accountId: string): readonly ScpLevel[] | undefined => {
    if (cache.has(accountId)) return cache.get(accountId);
    const account = accounts.find((a) => a.attributes.accountId === accountId);
    let levels: ScpLevel[] | undefined;
    const a = account?.attributes;
    if (a && !a.managementAccount && a.scpsEnabled === true && a.path) {
      const of = (id: string): CompiledPolicy[] => [...(attached.get(`${a.organizationId}/${id}`) ?? [])].sort((x, y) => (x.label < y.label ? -1 : 1));
      levels = [
        ...a.path.map((node) => ({ label: `${node.type === 'ROOT' ? 'root' : 'OU'} ${node.name} (${node.id})`, policies: of(node.id) })),
        { label: `account ${account.name} (${accountId})`, policies: of(accountId) },
      ];
    }
    cache.set(accountId, levels);
    return levels;
  };
  return { known: true, levelsOf, organizationOf: (id) => organizationOf.get(id) };
}
