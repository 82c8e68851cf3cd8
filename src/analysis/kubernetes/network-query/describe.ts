import type { LabelSelector } from '../../../inventory/kinds/common.js';
import { isEmptyPeer, type PolicyPeer } from '../network-policy.js';

/** Selectors and peers in short, for explanations: `{app=web, tier In (a,b)}`, `{}` for everything. */
export function describeSelector(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map((e) => (e.operator === 'Exists' || e.operator === 'DoesNotExist' ? `${e.key} ${e.operator}` : `${e.key} ${e.operator} (${(e.values ?? []).join(',')})`)),
  ];
  return `{${parts.join(', ')}}`;
}

export function describePeer(peer: PolicyPeer | undefined): string {
  if (!peer || isEmptyPeer(peer)) return 'every peer';
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaceSelector${describeSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`podSelector${describeSelector(peer.podSelector)}`);
  if (peer.ipBlock) parts.push(`ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except && peer.ipBlock.except.length > 0 ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`);
  return parts.join(' ');
}
