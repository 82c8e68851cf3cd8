import { hash } from 'node:crypto';

/**
 * A finding's identity across runs: the rule and the full canonical resource identity,
 * never the message text, so rewording a rule or a message does not make findings "new".
 */
export function findingFingerprint(ruleId: string, kind: string, resourceId: string): string {
  return fingerprintFor(ruleId, resourceFingerprintKey(kind, resourceId));
}

/** The resource's part of the fingerprint input, built once per resource for all its findings. */
export function resourceFingerprintKey(kind: string, resourceId: string): string {
  return `\u0000${kind}\u0000${resourceId}`;
}

/** findingFingerprint with the resource's part built beforehand (resourceFingerprintKey). */
export function fingerprintFor(ruleId: string, resourceKey: string): string {
  const hex = hash('sha256', ruleId + resourceKey, 'hex');
  // Joined into a string of its own: a slice would keep the 64-character digest alive as
  // long as the finding.
  return [hex.slice(0, 16), hex.slice(16, 32)].join('');
}
