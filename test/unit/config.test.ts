import { describe, expect, it } from 'vitest';
import { defaultConfig, matchesAccount, parseConfig } from '../../src/config/config.js';
import { ZtError } from '../../src/errors/zt-error.js';

describe('.zt/config.yaml', () => {
  it('has safe defaults', () => {
    expect(defaultConfig).toEqual({
      identity: { breakGlass: [], serviceAccounts: [], fastPassIsPhishingResistant: true, syncedPasskeysArePhishingResistant: false },
      review: { reviewers: [], carryOver: false },
      plugins: [],
    });
    expect(parseConfig('', 'c.yaml')).toEqual(defaultConfig);
  });

  it('reads plugins: a list of package names or paths; anything else names the line (exit 2)', () => {
    expect(parseConfig('plugins:\n  - zt-source-github\n  - ./tools/plugin\n', 'c.yaml').plugins).toEqual(['zt-source-github', './tools/plugin']);
    expect(() => parseConfig('plugins: zt-source-github\n', 'c.yaml')).toThrow(/plugins/);
    expect(() => parseConfig('plugins:\n  - ""\n', 'c.yaml')).toThrow(/a plugin is a package name or a path/);
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

  it('reads access review reviewer rules; an account id written as a number is its digits', () => {
    const config = parseConfig('review:\n  reviewers:\n    - reviewer: cloud@acme.example\n      plane: aws\n      account: 111122223333\n    - reviewer: shop@acme.example\n      namespace: shop\n', 'c.yaml');
    expect(config.review.reviewers).toEqual([
      { reviewer: 'cloud@acme.example', plane: 'aws', account: '111122223333' },
      { reviewer: 'shop@acme.example', namespace: 'shop' },
    ]);
  });

  it.each([
    ['an unknown plane', 'review:\n  reviewers:\n    - reviewer: a@x\n      plane: gcp\n', 4, /plane/],
    ['a rule without a reviewer', 'review:\n  reviewers:\n    - plane: aws\n', 3, /reviewer/],
    ['an unknown criterion', 'review:\n  reviewers:\n    - reviewer: a@x\n      team: x\n', 3, /team|unrecognized/i],
  ])('refuses %s in review.reviewers, naming the line', (_what, text, line, message) => {
    try {
      parseConfig(text, '.zt/config.yaml');
      throw new Error('expected an error');
    } catch (error) {
      expect((error as ZtError).code).toBe('ZT_CONFIG_INVALID');
      expect((error as ZtError).location).toMatchObject({ file: '.zt/config.yaml', line });
      expect((error as ZtError).message).toMatch(message);
    }
  });
});
