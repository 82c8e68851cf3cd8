import { describe, expect, it } from 'vitest';
import { methodChainFacts } from '../../../src/collectors/okta/method-chain.js';

// Shapes restated from Okta's access policy API: chains are alternatives; a step's
// authenticationMethods are alternatives; `next` lists the alternative following steps.
const password = { key: 'okta_password', method: 'password' };
const push = { key: 'okta_verify', method: 'push' };
const fastPassVerified = { key: 'okta_verify', method: 'signed_nonce', userVerification: 'REQUIRED' };
const fido = { key: 'webauthn', method: 'webauthn' };
const email = { key: 'okta_email', method: 'email' };
const step = (methods: object[], next?: object[]) => ({ authenticationMethods: methods, ...(next ? { next } : {}), reauthenticateIn: 'PT12H' });

describe('Okta authentication method chains', () => {
  it.each([
    ['no chains', undefined, false, false],
    ['an empty chain list', [], false, false],
    ['a malformed chain', [{}], false, false],
    ['password alone, one step', [step([password])], false, false],
    ['password then push', [step([password], [step([push])])], true, false],
    ['password then FIDO2', [step([password], [step([fido])])], true, true],
    ['a user-verified possession factor alone (possession + inherence)', [step([fastPassVerified])], true, false],
    ['password then email or push: both possession', [step([password], [step([email, push])])], true, false],
    ['password then (password or push): the password branch is one class', [step([password], [step([password, push])])], false, false],
    ['a second chain of password alone weakens the rule', [step([password], [step([push])]), step([password])], false, false],
    ['one next branch ends after password', [step([password], [step([push]), step([password])])], false, false],
    ['an unknown authenticator key proves nothing', [step([password], [step([{ key: 'brand_new', method: 'x' }])])], false, false],
    ['push then phishing-resistance required on Okta Verify', [step([password], [step([{ ...push, method: 'signed_nonce', phishingResistant: 'REQUIRED' }])])], true, true],
    ['FIDO2 on one branch only', [step([password], [step([fido]), step([push])])], true, false],
  ])('%s', (_name, chains, mfa, phishingResistant) => {
    expect(methodChainFacts(chains as unknown[] | undefined)).toEqual({ requiresMfa: mfa, requiresPhishingResistantMfa: phishingResistant });
  });
});
