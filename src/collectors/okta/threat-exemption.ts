import { addressSetOf, coversFamily, parseAddressRange, parseCidr, type AddressRange } from '../../text/cidr.js';
import type { OktaNetworkZone, OktaThreatInsight, Section } from './types.js';

/**
 * Which sign-ins Okta ThreatInsight does not judge. Okta exempts requests from the zones
 * its configuration lists in `excludeZones` and from the IP exempt zone
 * (`DefaultExemptIpZone`). A ThreatInsight that "blocks" while exempting an IP zone whose
 * gateways span every IPv4 (or every IPv6) address blocks nothing, so the rules need the
 * exemption, and reading it needs the zones: without them it is unknown, never "none".
 */
export interface ThreatExemption {
  /** The exempt zones by name (id when unnamed), sorted; null when unknown. */
  readonly zones: readonly string[] | null;
  /** Whether the exempt zones together hold every address of a family; null when unknown. */
  readonly everyAddress: boolean | null;
  /** Why the exemption is unknown, in words. */
  readonly unknownBecause?: string;
}

const exemptZoneName = 'DefaultExemptIpZone';

const isActive = (zone: OktaNetworkZone): boolean => (zone.status ?? 'ACTIVE') === 'ACTIVE';

/** A gateway entry as a range: CIDR, RANGE ("first-last") or a single address. */
function gatewayRange(gateway: { type?: string; value?: string }): AddressRange | null {
  const value = gateway.value?.trim();
  if (!value) return null;
  return value.includes('/') ? parseCidr(value) : parseAddressRange(value);
}

/** The addresses a zone exempts, or why they cannot be known. */
function zoneAddresses(zone: OktaNetworkZone): { ranges: AddressRange[] } | { unknown: string } {
  const label = zone.name ?? zone.id;
  if ((zone.type ?? 'IP') === 'IP') {
    const ranges: AddressRange[] = [];
    for (const gateway of zone.gateways ?? []) {
      const range = gatewayRange(gateway);
      if (!range) return { unknown: `zone ${label} has a gateway zt cannot read (${JSON.stringify(gateway.value ?? null)})` };
      ranges.push(range);
    }
    return { ranges };
  }
  if (zone.type !== 'DYNAMIC' && zone.type !== 'DYNAMIC_V2') return { unknown: `zone ${label} is of type ${JSON.stringify(zone.type)}, which zt does not read` };
  // A dynamic zone matches by location, ASN or proxy type: narrowed by any of them it is
  // a part of the internet, not all of it; with none, what it matches is not ours to guess.
  const narrowed = (zone.locations?.length ?? 0) > 0 || (zone.asns?.length ?? 0) > 0;
  return narrowed ? { ranges: [] } : { unknown: `dynamic zone ${label} names no location or ASN` };
}

export function threatExemption(threat: OktaThreatInsight, zones: Section<OktaNetworkZone[]>): ThreatExemption {
  if (!zones.ok) return { zones: null, everyAddress: null, unknownBecause: `the network zones could not be read (${zones.detail})` };
  const byId = new Map(zones.value.map((zone) => [zone.id, zone]));
  const exempt: OktaNetworkZone[] = zones.value.filter((zone) => zone.name === exemptZoneName && isActive(zone));
  for (const id of threat.excludeZones ?? []) {
    const zone = byId.get(id);
    if (!zone) return { zones: null, everyAddress: null, unknownBecause: `ThreatInsight exempts zone ${id}, which the zones read do not hold` };
    if (!exempt.includes(zone)) exempt.push(zone);
  }
  const ranges: AddressRange[] = [];
  for (const zone of exempt) {
    const addresses = zoneAddresses(zone);
    if ('unknown' in addresses) return { zones: null, everyAddress: null, unknownBecause: addresses.unknown };
    ranges.push(...addresses.ranges);
  }
  const set = addressSetOf(ranges);
  return {
    // The IP exempt zone exists in every org; named only when it exempts something.
    zones: exempt
      .filter((zone) => zone.name !== exemptZoneName || (zone.gateways?.length ?? 0) > 0 || threat.excludeZones?.includes(zone.id))
      .map((zone) => zone.name ?? zone.id)
      .sort(),
    everyAddress: coversFamily(set, 4) || coversFamily(set, 6),
  };
}
