import { describe, expect, it } from 'vitest';
import { worseCoverage } from '../../../src/model/coverage.js';
import { completeCoverage, facts, resource } from './support.js';

describe('attributes a collector could not fill are unknown facts', () => {
  const user = resource('idp.user', 'ana', {});

  it('coverage unknownFields make those attributes unknown, with the kind coverage as the reason', () => {
    const derived = facts([user], { 'idp.user': { state: 'partial', reason: 'input_missing', unknownFields: ['adminRoles', 'privileged'] } });
    expect(Object.keys(derived.unknownsOf(user) ?? {}).sort()).toEqual(expect.arrayContaining(['adminRoles', 'privileged']));
    expect(derived.unknownsOf(user)?.privileged?.explain()).toBe('idp.user was partially collected (input_missing)');
  });

  it('a complete kind has no unknown attributes', () => {
    expect(facts([user], { 'idp.user': { state: 'complete' } }).unknownsOf(user)?.privileged).toBeUndefined();
    expect(completeCoverage()['idp.user']).toEqual({ state: 'complete' });
  });

  it('merging coverage keeps the unknown fields of both readings', () => {
    expect(worseCoverage({ state: 'partial', reason: 'api_error', unknownFields: ['factors'] }, { state: 'partial', reason: 'input_missing', unknownFields: ['privileged'] })).toEqual({
      state: 'partial',
      reason: 'api_error',
      unknownFields: ['factors', 'privileged'],
    });
    expect(worseCoverage(undefined, { state: 'complete' })).toEqual({ state: 'complete' });
  });
});
