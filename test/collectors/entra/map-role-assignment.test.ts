import { describe, expect, it } from 'vitest';
import { mapActiveAssignment, mapEligibleAssignment, type MapContext } from '../../../src/collectors/entra/map.js';
import { validateResource } from '../../../src/inventory/validate.js';
import { testConfig, TENANT } from './support.js';

// PIM's longest time-bound assignment is one year when permanent ones are not allowed; an
// end further out than that (2099) was set where they are, and stands as long: permanent.
const ctx: MapContext = { tenant: TENANT, config: testConfig, source: `entra:${TENANT}` };
const GA = '62e90394-69f5-4237-9190-012177145e10';
const roles = new Map([[GA, { name: 'Global Administrator', templateId: GA, privileged: true }]]);
const principal = { '@odata.type': '#microsoft.graph.user', id: 'u1', userPrincipalName: 'ops.admin@contoso.example' };
const active = (extra: Record<string, unknown>) => ({ id: 'ras1', principalId: 'u1', roleDefinitionId: GA, directoryScopeId: '/', assignmentType: 'Assigned', memberType: 'Direct', principal, ...extra });

describe('Entra role assignments: permanent or time-bound', () => {
  it.each([
    ['no end date', { startDateTime: '2022-06-01T00:00:00Z', endDateTime: null }, true],
    ['an end in 2099', { startDateTime: '2022-06-01T00:00:00Z', endDateTime: '2099-12-31T00:00:00Z' }, true],
    ['a year and a day', { startDateTime: '2025-01-01T00:00:00Z', endDateTime: '2026-01-03T00:00:00Z' }, true],
    ['an end but no start', { endDateTime: '2026-01-03T00:00:00Z' }, true],
    ['one year (leap)', { startDateTime: '2024-01-01T00:00:00Z', endDateTime: '2025-01-01T00:00:00Z' }, false],
    ['15 days', { startDateTime: '2026-11-01T00:00:00Z', endDateTime: '2026-11-16T00:00:00Z' }, false],
  ])('active, %s', (_name, extra, permanent) => {
    const mapped = mapActiveAssignment(ctx, active(extra), roles);
    expect(mapped?.attributes.permanent).toBe(permanent);
    expect(validateResource(mapped!, mapped!.id).ok).toBe(true);
  });

  it.each([
    ['noExpiration', { type: 'noExpiration' }, true],
    ['afterDateTime in 2099 (eligibility still needs activation)', { type: 'afterDateTime', endDateTime: '2099-01-01T00:00:00Z' }, false],
    ['afterDateTime in six months', { type: 'afterDateTime', endDateTime: '2026-07-01T00:00:00Z' }, false],
    ['afterDuration P180D', { type: 'afterDuration', duration: 'P180D' }, false],
    ['afterDuration P3650D', { type: 'afterDuration', duration: 'P3650D' }, false],
    ['afterDuration P1Y', { type: 'afterDuration', duration: 'P1Y' }, false],
    ['afterDateTime without a date', { type: 'afterDateTime' }, true],
  ])('eligible, %s', (_name, expiration, permanent) => {
    const row = { id: 'res1', principalId: 'u1', roleDefinitionId: GA, directoryScopeId: '/', status: 'Provisioned', memberType: 'Direct', principal, scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration } };
    expect(mapEligibleAssignment(ctx, row, roles)?.attributes.permanent).toBe(permanent);
  });
});
