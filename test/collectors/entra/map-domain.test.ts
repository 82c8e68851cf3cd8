import { describe, expect, it } from 'vitest';
import { mapDomain, type MapContext } from '../../../src/collectors/entra/map.js';
import { validateResource } from '../../../src/inventory/validate.js';
import { testConfig, TENANT } from './support.js';

// One /domains row → entra.domain, with Graph's documented password expiry: a
// passwordValidityPeriodInDays that is not set means Entra's default of 90 days, and
// 2147483647 (the largest Int32) means passwords never expire.
const ctx: MapContext = { tenant: TENANT, config: testConfig, source: `entra:${TENANT}` };
const row = (extra: Record<string, unknown>) => ({ id: 'contoso.example', authenticationType: 'Managed', isVerified: true, isDefault: true, isRoot: true, supportedServices: ['Email'], ...extra });

describe('mapDomain', () => {
  it.each([
    ['not set (absent)', {}, null, 90],
    ['not set (null)', { passwordValidityPeriodInDays: null }, null, 90],
    ['never expires', { passwordValidityPeriodInDays: 2147483647 }, 2147483647, null],
    ['a year', { passwordValidityPeriodInDays: 365 }, 365, 365],
    ['a number Graph never sends as text', { passwordValidityPeriodInDays: '730' }, null, 90],
    ['beyond Graph\'s Int32', { passwordValidityPeriodInDays: 1e30 }, null, 90],
  ] as const)('password validity %s', (_what, extra, validity, expires) => {
    const domain = mapDomain(ctx, row(extra));
    expect(domain?.attributes).toMatchObject({ passwordValidityPeriodInDays: validity, passwordExpiresAfterDays: expires });
    expect(validateResource(domain!, domain!.id).ok).toBe(true);
  });

  it.each([
    ['Managed', 'managed'],
    ['Federated', 'federated'],
    ['federated', 'federated'],
    ['SomethingNew', null],
    ['constructor', null],
    [undefined, null],
  ] as const)('authenticationType %s → %s', (type, expected) => {
    const domain = mapDomain(ctx, row({ authenticationType: type }));
    expect(domain?.attributes.authenticationType).toBe(expected);
    expect(validateResource(domain!, domain!.id).ok).toBe(true);
  });

  it('names the resource by the domain, keeps the flags and services, and skips a row without an id', () => {
    expect(mapDomain(ctx, row({ passwordNotificationWindowInDays: 14 }))).toEqual({
      kind: 'entra.domain',
      id: `entra://${TENANT}/domain/contoso.example`,
      name: 'contoso.example',
      attributes: {
        tenant: TENANT,
        authenticationType: 'managed',
        isVerified: true,
        isDefault: true,
        isRoot: true,
        passwordValidityPeriodInDays: null,
        passwordExpiresAfterDays: 90,
        passwordNotificationWindowInDays: 14,
        supportedServices: ['Email'],
      },
      provenance: { collector: 'entra', source: `entra:${TENANT}` },
    });
    expect(mapDomain(ctx, { authenticationType: 'Managed' })).toBeNull();
    expect(mapDomain(ctx, 'contoso.example')).toBeNull();
  });
});
