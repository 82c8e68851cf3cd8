import type { Snapshot } from '../../src/inventory/snapshot.js';

export function idpUser(login: string, factors: { type: string; strength: string; status?: string }[], extra: Record<string, unknown> = {}) {
  return {
    kind: 'idp.user',
    id: `okta://acme.okta.com/user/${login}`,
    name: login,
    attributes: {
      provider: 'okta',
      tenant: 'acme.okta.com',
      login,
      email: login,
      status: 'active',
      userType: 'member',
      accountClass: 'human',
      adminRoles: [],
      privileged: false,
      factors: factors.map((f) => ({ status: 'active', ...f })),
      lastSignInAt: '2026-10-01T00:00:00Z',
      createdAt: '2024-01-01T00:00:00Z',
      ...extra,
    },
    provenance: { collector: 'okta', source: 'okta:acme.okta.com' },
  };
}

/** A small identity-only snapshot: two users with MFA, one without. */
export function smallSnapshot(overrides: Partial<Record<keyof Snapshot, unknown>> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    collectedAt: '2026-11-01T00:00:00Z',
    sources: [{ collector: 'okta', source: 'okta:acme.okta.com', mode: 'offline' }],
    coverage: { 'idp.user': { state: 'complete' } },
    issues: [],
    resources: [
      idpUser('ana@example.com', [{ type: 'webauthn', strength: 'phishing_resistant' }]),
      idpUser('bo@example.com', [{ type: 'token:software:totp', strength: 'mfa' }]),
      idpUser('cy@example.com', []),
    ],
    ...overrides,
  };
}
