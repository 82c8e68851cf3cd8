import { hash } from 'node:crypto';

/**
 * A finding's identity across runs: the rule and the full canonical resource identity,
 * never the message text, so rewording a rule or a message does not make findings "new".
 */
export function findingFingerprint(ruleId: string, kind: string, resourceId: string): string {
  return hash('sha256', `${ruleId}\u0000${kind}\u0000${resourceId}`, 'hex').slice(0, 32);
}
