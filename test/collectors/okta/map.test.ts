import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOktaExport } from '../../../src/collectors/okta/export.js';
import { accessRuleFacts, factorStrength, mapOkta } from '../../../src/collectors/okta/map.js';
import type { OktaRaw } from '../../../src/collectors/okta/types.js';
import { defaultConfig } from '../../../src/config/config.js';
import { validateResource } from '../../../src/inventory/validate.js';
import { exportDir } from './support.js';

const raw = readOktaExport(resolve(exportDir), 'export');

describe('Okta mapping', () => {
  it('every mapped resource satisfies its kind schema', () => {
    const out = mapOkta(raw, defaultConfig);
    for (const r of out.resources) expect(validateResource(r, r.id)).toMatchObject({ ok: true });
  });

  it('classifies factor types, unknown ones as weak, FastPass per config', () => {
    expect(factorStrength('webauthn', defaultConfig)).toBe('phishing_resistant');
    expect(factorStrength('u2f', defaultConfig)).toBe('phishing_resistant');
    expect(factorStrength('token:software:totp', defaultConfig)).toBe('mfa');
    expect(factorStrength('push', defaultConfig)).toBe('mfa');
    expect(factorStrength('call', defaultConfig)).toBe('weak');
    expect(factorStrength('something_new', defaultConfig)).toBe('weak');
    expect(factorStrength('signed_nonce', defaultConfig)).toBe('phishing_resistant');
    expect(factorStrength('signed_nonce', { ...defaultConfig, identity: { ...defaultConfig.identity, fastPassIsPhishingResistant: false } })).toBe('mfa');
  });

  it('normalises authentication rules: 2FA, chains, OR-ed constraints, DENY, device conditions', () => {
    const rule = (appSignOn: object, conditions: object | null = null) => ({ id: 'r', conditions, actions: { appSignOn } }) as never;
    expect(accessRuleFacts(rule({ access: 'ALLOW', verificationMethod: { type: 'ASSURANCE', factorMode: '1FA', constraints: [] } }))).toMatchObject({ action: 'allow', requiresMfa: false });
    expect(accessRuleFacts(rule({ access: 'ALLOW', verificationMethod: { type: 'AUTH_METHOD_CHAIN', chains: [{}] } }))).toMatchObject({ requiresMfa: false });
    const mixed = { type: 'ASSURANCE', factorMode: '2FA', constraints: [{ possession: { phishingResistant: 'REQUIRED' } }, { possession: { userPresence: 'REQUIRED' } }] };
    expect(accessRuleFacts(rule({ access: 'ALLOW', verificationMethod: mixed }))).toMatchObject({ requiresMfa: true, requiresPhishingResistantMfa: false });
    expect(accessRuleFacts(rule({ access: 'DENY', verificationMethod: mixed }))).toMatchObject({ action: 'block', requiresMfa: false });
    expect(accessRuleFacts(rule({ access: 'ALLOW', verificationMethod: mixed }, { device: { assurance: { include: ['dae1'] } } })).requiresCompliantDevice).toBe(true);
    const signon = { id: 's', actions: { signon: { access: 'ALLOW', requireFactor: true } } } as never;
    expect(accessRuleFacts(signon)).toEqual({ action: 'allow', requiresMfa: true, requiresPhishingResistantMfa: false, requiresCompliantDevice: false });
  });

  it('factors or admin roles that could not be read leave idp.user missing (never "no MFA", never "not an admin")', () => {
    const denied: OktaRaw = {
      ...raw,
      factors: { ok: false, reason: 'permission_denied', detail: 'Okta denied GET /api/v1/users/00u1/factors (403 E0000006)' },
      userRoles: { ok: false, reason: 'permission_denied', detail: 'Okta denied GET /api/v1/iam/assignees/users (403 E0000006)' },
    };
    const out = mapOkta(denied, defaultConfig);
    expect(out.coverage['idp.user']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(out.coverage['okta.adminRoles']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(out.resources.some((r) => r.kind === 'okta.adminRoles')).toBe(false);
    expect(out.issues.filter((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED').map((i) => i.message)).toEqual([
      expect.stringMatching(/okta\.roles\.read/),
      expect.stringMatching(/okta\.users\.read/),
    ]);
    const rolesOnly = mapOkta({ ...raw, userRoles: denied.userRoles }, defaultConfig);
    expect(rolesOnly.coverage['idp.user']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(rolesOnly.coverage['idp.group']).toEqual({ state: 'complete' });
  });

  it('ThreatInsight exempting a zone of every address is recorded; unreadable zones make the exemption unknown, not empty', () => {
    const org = (out: ReturnType<typeof mapOkta>) => out.resources.find((r) => r.kind === 'okta.org')!.attributes;
    const allIps = { id: 'nzo1allips', name: 'All IPs', type: 'IP', gateways: [{ type: 'CIDR', value: '0.0.0.0/0' }] };
    const exempting: OktaRaw = { ...raw, threatInsight: { ok: true, value: { action: 'block', excludeZones: ['nzo1allips'] } }, zones: { ok: true, value: [allIps] } };
    expect(org(mapOkta(exempting, defaultConfig))).toMatchObject({ threatInsightAction: 'block', threatInsightExemptZones: ['All IPs'], threatInsightExemptsEveryAddress: true });
    const unread = mapOkta({ ...exempting, zones: { ok: false, reason: 'permission_denied', detail: 'Okta denied GET /api/v1/zones (403 E0000006)' } }, defaultConfig);
    expect(org(unread)).toMatchObject({ threatInsightExemptZones: null, threatInsightExemptsEveryAddress: null });
    expect(unread.coverage['okta.org']).toMatchObject({ state: 'partial', reason: 'permission_denied', unknownFields: ['threatInsightExemptZones', 'threatInsightExemptsEveryAddress'] });
    expect(unread.issues.find((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED')?.message).toMatch(/okta\.networkZones\.read/);
  });

  it('a read that stayed throttled is reported as such', () => {
    const out = mapOkta({ ...raw, apps: { ok: false, reason: 'api_error', detail: 'Okta answered 429 E0000047 on GET /api/v1/apps' } }, defaultConfig);
    expect(out.issues.find((i) => i.kinds.includes('okta.app'))?.code).toBe('ZT_COLLECT_THROTTLED');
    expect(out.coverage['okta.app']).toMatchObject({ state: 'missing', reason: 'api_error' });
  });
});
