import { describe, expect, it } from 'vitest';
import { matchesAccount } from '../../../src/config/config.js';
import { globToRegExp, isGlob } from '../../../src/text/glob.js';
import { resourceMatcher } from '../../../src/waivers/waiver.js';

describe('one glob for every configuration file', () => {
  it('* spans any run of characters, slashes included; ? is one character; the rest is literal', () => {
    expect(globToRegExp('k8s://prod/*/Deployment/web-?').test('k8s://prod/ns/a/Deployment/web-1')).toBe(true);
    expect(globToRegExp('k8s://prod/*/Deployment/web-?').test('k8s://prod/ns/Deployment/web-10')).toBe(false);
    expect(globToRegExp('a.b+(c)').test('a.b+(c)')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(isGlob('plain-id')).toBe(false);
  });

  it('waiver selectors are case-sensitive, account patterns are not; both read a pattern alike', () => {
    expect(resourceMatcher('arn:aws:iam::1:user/*')('arn:aws:iam::1:user/Bob')).toBe(true);
    expect(resourceMatcher('arn:aws:iam::1:user/b*')('arn:aws:iam::1:user/Bob')).toBe(false);
    expect(matchesAccount(['break-glass-*@acme.example'], 'Break-Glass-1@ACME.example')).toBe(true);
    expect(matchesAccount(['svc-?'], 'svc-12')).toBe(false);
  });
});
