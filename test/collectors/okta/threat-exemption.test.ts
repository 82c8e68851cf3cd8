import { describe, expect, it } from 'vitest';
import { threatExemption } from '../../../src/collectors/okta/threat-exemption.js';
import type { OktaNetworkZone } from '../../../src/collectors/okta/types.js';

// Okta exempts from ThreatInsight the zones in excludeZones and the IP exempt zone
// (DefaultExemptIpZone); IP zone gateways are CIDRs or "first-last" ranges.
const exemptZone = (gateways: string[] = []): OktaNetworkZone => ({ id: 'nzo1exempt', name: 'DefaultExemptIpZone', type: 'IP', status: 'ACTIVE', gateways: gateways.map((value) => ({ type: value.includes('/') ? 'CIDR' : 'RANGE', value })) });
const ipZone = (id: string, name: string, gateways: string[]): OktaNetworkZone => ({ id, name, type: 'IP', gateways: gateways.map((value) => ({ type: value.includes('/') ? 'CIDR' : 'RANGE', value })) });
const read = (zones: OktaNetworkZone[]) => ({ ok: true as const, value: zones });

describe('ThreatInsight exemptions', () => {
  it('no exclusions and an empty exempt zone: nothing exempt', () => {
    expect(threatExemption({ action: 'block', excludeZones: [] }, read([exemptZone()]))).toEqual({ zones: [], everyAddress: false });
  });

  it.each([
    ['0.0.0.0/0', ['0.0.0.0/0'], true],
    ['the two halves of IPv4', ['0.0.0.0/1', '128.0.0.0/1'], true],
    ['a range over all of IPv4', ['0.0.0.0-255.255.255.255'], true],
    ['::/0', ['::/0'], true],
    ['one address short', ['0.0.0.0-255.255.255.254'], false],
    ['an office egress', ['203.0.113.0/24', '198.51.100.10-198.51.100.20'], false],
  ])('an excluded zone holding %s', (_name, gateways, every) => {
    const zone = ipZone('nzo1x', 'Excluded', gateways);
    expect(threatExemption({ action: 'block', excludeZones: ['nzo1x'] }, read([exemptZone(), zone]))).toEqual({ zones: ['Excluded'], everyAddress: every });
  });

  it('the IP exempt zone counts without being listed', () => {
    expect(threatExemption({ action: 'block' }, read([exemptZone(['0.0.0.0/0'])]))).toEqual({ zones: ['DefaultExemptIpZone'], everyAddress: true });
  });

  it('excluded zones add up', () => {
    const zones = [exemptZone(['0.0.0.0/1']), ipZone('nzo1b', 'Upper half', ['128.0.0.0/1'])];
    expect(threatExemption({ action: 'block', excludeZones: ['nzo1b'] }, read(zones))).toEqual({ zones: ['DefaultExemptIpZone', 'Upper half'], everyAddress: true });
  });

  it('unknown, never "none": zones unreadable, an excluded id not among them, an unreadable gateway, an unnarrowed dynamic zone, a zone type zt does not read', () => {
    const unknown = { zones: null, everyAddress: null, unknownBecause: expect.any(String) };
    expect(threatExemption({ action: 'block' }, { ok: false, reason: 'permission_denied', detail: 'Okta denied GET /api/v1/zones (403 E0000006)' })).toEqual(unknown);
    expect(threatExemption({ action: 'block', excludeZones: ['nzo1gone'] }, read([exemptZone()]))).toEqual(unknown);
    expect(threatExemption({ action: 'block', excludeZones: ['nzo1x'] }, read([ipZone('nzo1x', 'Odd', ['not-an-address'])]))).toEqual(unknown);
    expect(threatExemption({ action: 'block', excludeZones: ['nzo1d'] }, read([{ id: 'nzo1d', name: 'Dynamic', type: 'DYNAMIC' }]))).toEqual(unknown);
    expect(threatExemption({ action: 'block', excludeZones: ['nzo1n'] }, read([{ id: 'nzo1n', name: 'New kind', type: 'SOMETHING_NEW' }]))).toEqual(unknown);
  });

  it('a dynamic zone narrowed by location exempts part of the internet, not all of it', () => {
    const zone: OktaNetworkZone = { id: 'nzo1d', name: 'Home country', type: 'DYNAMIC', locations: [{ country: 'DE' }] };
    expect(threatExemption({ action: 'block', excludeZones: ['nzo1d'] }, read([zone]))).toEqual({ zones: ['Home country'], everyAddress: false });
  });
});
