import { describe, expect, it } from 'vitest';
import { mapConditionalAccessPolicy, type MapContext } from '../../../src/collectors/entra/map.js';
import { testConfig, TENANT } from './support.js';

// Conditional access as Microsoft documents it: a policy requires MFA only when every way
// of satisfying its grant is multifactor, and a condition that limits whom or what the
// policy reaches narrows it (it no longer covers every sign-in).
const ctx: MapContext = { tenant: TENANT, config: testConfig, source: `entra:${TENANT}` };
const policy = (grant: Record<string, unknown>, conditions: Record<string, unknown> = {}) => ({
  id: 'ca-1',
  displayName: 'Require MFA for all users',
  state: 'enabled',
  conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'], ...conditions },
  grantControls: { operator: 'OR', ...grant },
});

describe('authentication strengths (Graph authenticationMethodModes)', () => {
  const strength = (allowedCombinations: string[]) => ({ authenticationStrength: { id: 'custom-1', allowedCombinations } });
  it.each([
    ['built-in MFA strength by id', { authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' } }, true, false],
    ['built-in phishing-resistant strength by id', { authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } }, true, true],
    ['password + a second method', strength(['password,microsoftAuthenticatorPush', 'password,sms']), true, false],
    ['passkeys, Windows Hello, certificate MFA', strength(['fido2', 'windowsHelloForBusiness', 'x509CertificateMultiFactor']), true, true],
    ['passwordless phone sign-in, federated MFA, Temporary Access Pass', strength(['deviceBasedPush', 'federatedMultiFactor', 'temporaryAccessPassOneTime']), true, false],
    ['a password alone among the combinations', strength(['password,sms', 'password']), false, false],
    ['federated single factor', strength(['federatedSingleFactor']), false, false],
    ['SMS sign-in alone', strength(['sms']), false, false],
    ['a custom strength whose combinations are unknown', { authenticationStrength: { id: 'custom-unread' } }, false, false],
  ] as const)('%s: requiresMfa %s, phishing-resistant %s', (_what, grant, mfa, phishingResistant) => {
    const mapped = mapConditionalAccessPolicy(ctx, policy(grant), new Map());
    expect(mapped?.attributes).toMatchObject({ requiresMfa: mfa, requiresPhishingResistantMfa: phishingResistant });
  });

  it('a strength known from the strengths read is classified by its combinations there', () => {
    const known = new Map([['custom-2', ['password']]]);
    expect(mapConditionalAccessPolicy(ctx, policy({ authenticationStrength: { id: 'custom-2' } }), known)?.attributes.requiresMfa).toBe(false);
  });
});

describe('conditions that narrow a policy', () => {
  it.each([
    ['insider risk levels', { insiderRiskLevels: 'elevated' }, 'insiderRisk'],
    ['an application filter', { applications: { includeApplications: ['All'], applicationFilter: { mode: 'exclude', rule: 'CustomSecurityAttribute.tier -eq "low"' } } }, 'applicationFilter'],
    ['sign-in risk', { signInRiskLevels: ['high'] }, 'signInRisk'],
  ] as const)('%s', (_what, conditions, narrowing) => {
    expect(mapConditionalAccessPolicy(ctx, policy({ builtInControls: ['mfa'] }, conditions), new Map())?.attributes.narrowedBy).toContain(narrowing);
  });

  it('none: an all-users, all-apps policy is not narrowed', () => {
    expect(mapConditionalAccessPolicy(ctx, policy({ builtInControls: ['mfa'] }), new Map())?.attributes.narrowedBy).toEqual([]);
  });
});
