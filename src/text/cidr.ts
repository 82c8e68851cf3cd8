/**
 * CIDR arithmetic for NetworkPolicy ipBlocks and Okta network zones, IPv4 and IPv6, exact (bigint ranges).
 * An address set is a sorted list of disjoint inclusive ranges per family.
 */

export type Family = 4 | 6;

export interface AddressRange {
  readonly family: Family;
  readonly lo: bigint;
  readonly hi: bigint;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let body = text;
  // Embedded IPv4 (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.slice(lastColon + 1).includes('.')) {
    const tail = parseIpv4(body.slice(lastColon + 1));
    if (tail === null) return null;
    body = `${body.slice(0, lastColon + 1)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  let groups = head;
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<string>(missing).fill('0'), ...rest];
  }
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** Parses "a.b.c.d/n" or "x:y::z/n" into the range it covers (host bits are ignored, as Kubernetes does). */
export function parseCidr(cidr: string): AddressRange | null {
  const slash = cidr.indexOf('/');
  if (slash < 0) return null;
  const address = cidr.slice(0, slash).trim();
  const prefixText = cidr.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const family: Family = address.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return null;
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (value === null) return null;
  const hostBits = BigInt(bits - prefix);
  const size = 1n << hostBits;
  const lo = (value >> hostBits) << hostBits;
  return { family, lo, hi: lo + size - 1n };
}

export type AddressSet = readonly AddressRange[];

function normalise(ranges: AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => a.family - b.family || (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: AddressRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.family === r.family && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { family: last.family, lo: last.lo, hi: r.hi };
    } else {
      out.push(r);
    }
  }
  return out;
}

export function addressSet(cidrs: readonly string[]): AddressSet {
  return normalise(cidrs.map(parseCidr).filter((r): r is AddressRange => r !== null));
}

/** The set of these ranges (overlapping or adjacent ranges joined). */
export function addressSetOf(ranges: readonly AddressRange[]): AddressSet {
  return normalise([...ranges]);
}

/** Parses "first-last" (an inclusive range of one family, as Okta's RANGE gateways write it) or a single address. */
export function parseAddressRange(text: string): AddressRange | null {
  const [first, last, extra] = text.split('-').map((part) => part.trim());
  if (extra !== undefined || !first) return null;
  const family: Family = first.includes(':') ? 6 : 4;
  const parse = family === 4 ? parseIpv4 : parseIpv6;
  const lo = parse(first);
  const hi = last === undefined ? lo : (last.includes(':') ? 6 : 4) === family ? parse(last) : null;
  return lo === null || hi === null || hi < lo ? null : { family, lo, hi };
}

/** Whether the set holds every address of a family (0.0.0.0/0 or ::/0, however it is split). */
export function coversFamily(set: AddressSet, family: Family): boolean {
  const last = family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
  return set.some((r) => r.family === family && r.lo === 0n && r.hi === last);
}

/** set − remove */
export function subtract(set: AddressSet, remove: AddressSet): AddressSet {
  let current: AddressRange[] = [...set];
  for (const cut of remove) {
    const next: AddressRange[] = [];
    for (const r of current) {
      if (r.family !== cut.family || cut.hi < r.lo || cut.lo > r.hi) {
        next.push(r);
        continue;
      }
      if (cut.lo > r.lo) next.push({ family: r.family, lo: r.lo, hi: cut.lo - 1n });
      if (cut.hi < r.hi) next.push({ family: r.family, lo: cut.hi + 1n, hi: r.hi });
    }
    current = next;
  }
  return current;
}

export function intersects(a: AddressSet, b: AddressSet): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x.family === y.family && x.lo <= y.hi && y.lo <= x.hi) return true;
    }
  }
  return false;
}

/** Whether `cidr` (a single address or a range) lies inside the set. */
export function contains(set: AddressSet, cidr: string): boolean {
  const r = parseCidr(cidr.includes('/') ? cidr : `${cidr}/${cidr.includes(':') ? 128 : 32}`);
  if (!r) return false;
  return set.some((x) => x.family === r.family && x.lo <= r.lo && r.hi <= x.hi);
}

/**
 * Addresses that are not on the public internet: IPv4 private (RFC 1918), shared
 * (RFC 6598, used for pods by some clusters), loopback, link-local, "this network",
 * multicast and reserved; for IPv6 everything outside global unicast 2000::/3.
 */
export const nonPublic = addressSet([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/3',
  '::/3',
  '4000::/2',
  '8000::/1',
]);

/** An ipBlock (cidr minus except) as an address set. Invalid CIDRs cover nothing. */
export function ipBlockSet(cidr: string, except: readonly string[] = []): AddressSet {
  return subtract(addressSet([cidr]), addressSet(except));
}

/** The ipBlock keeps at least one public internet address after its except list. */
export function ipBlockReachesInternet(cidr: string, except: readonly string[] = []): boolean {
  return subtract(ipBlockSet(cidr, except), nonPublic).length > 0;
}
