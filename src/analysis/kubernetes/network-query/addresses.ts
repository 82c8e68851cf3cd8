import { addressSet, intersects, nonPublic, parseCidr, subtract, type AddressSet } from '../../../text/cidr.js';

/**
 * Endpoints outside the cluster: one address, a CIDR range, or "the internet" (every
 * public address: IPv4 outside the private, shared, loopback, link-local and reserved
 * ranges, and IPv6 global unicast — the same definition as the ingressOpenToInternet
 * facts). An ipBlock admits such an endpoint wholly (every address of it is in
 * cidr − except) or partly (some are): a range answered "partly" is allowed for some of
 * its addresses only.
 */

export interface AddressEndpoint {
  /** As the user wrote it: `ip:203.0.113.7`, `cidr:10.0.0.0/8`, `internet`. */
  readonly label: string;
  readonly addresses: AddressSet;
}

export const INTERNET: AddressEndpoint = { label: 'internet', addresses: subtract(addressSet(['0.0.0.0/0', '::/0']), nonPublic) };

/** Parses `ip:<address>` or `cidr:<range>`; null when the text is not a valid address or range. */
export function parseAddressEndpoint(kind: 'ip' | 'cidr', text: string): AddressEndpoint | null {
  const value = text.trim();
  if (kind === 'ip') {
    if (value.includes('/')) return null;
    const range = parseCidr(`${value}/${value.includes(':') ? 128 : 32}`);
    return range ? { label: `ip:${value}`, addresses: [range] } : null;
  }
  const range = parseCidr(value);
  return range ? { label: `cidr:${value}`, addresses: [range] } : null;
}

/** Every address of `a` is in `b` (b sorted, disjoint and never adjacent, as ipBlockSet leaves it). */
export function within(a: AddressSet, b: AddressSet): boolean {
  if (a.length === 0) return false;
  return a.every((x) => b.some((y) => y.family === x.family && y.lo <= x.lo && x.hi <= y.hi));
}

export type Admission = 'whole' | 'part' | 'none';

/** How an ipBlock's addresses admit an endpoint's addresses. */
export function admission(endpoint: AddressSet, block: AddressSet): Admission {
  if (within(endpoint, block)) return 'whole';
  return intersects(endpoint, block) ? 'part' : 'none';
}
