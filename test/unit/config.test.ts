import { describe, expect, it } from 'vitest';
import { defaultConfig, matchesAccount, parseConfig } from '../../src/config/config.js';
import { ZtError } from '../../src/errors/zt-error.js';

describe('.zt/config.yaml', () => {
  it('has safe defaults', () => {
    expect(defaultConfig).toEqual({
      identity: { breakGlass: [], serviceAccounts: [], fastPassIsPhishingResistant: true, syncedPasskeysArePhishingResistant: false },
    });
    expect(parseConfig('', 'c.yaml')).toEqual(defaultConfig);
  });

  it('reads identity settings and matches accounts by name or glob, case-insensitively', () => {
    const config = parseConfig('identity:\n  breakGlass: [breakglass@acme.example]\n  serviceAccounts: ["svc-*"]\n  fastPassIsPhishingResistant: false\n', 'c.yaml');
    expect(config.identity.fastPassIsPhishingResistant).toBe(false);
    expect(matchesAccount(config.identity.breakGlass, 'BreakGlass@acme.example')).toBe(true);
    expect(matchesAccount(config.identity.serviceAccounts, 'ana@acme.example', 'svc-backup')).toBe(true);
    expect(matchesAccount(config.identity.serviceAccounts, 'ana@acme.example')).toBe(false);
  });

  it('names the line of a bad field', () => {
    try {
      parseConfig('identity:\n  breakGlass: [a]\n  fastPassIsPhishingResistant: maybe\n', 'c.yaml');
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(ZtError);
      expect((error as ZtError).code).toBe('ZT_CONFIG_INVALID');
      expect((error as ZtError).location?.line).toBe(3);
    }
  });
});
