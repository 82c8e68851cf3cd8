import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactPatterns } from '../../../src/text/redact.js';
import { ZtError } from '../../../src/errors/zt-error.js';

// The one redaction step for server-supplied text (src/text/redact.ts): the run's known
// credential values, and credential-shaped text whoever's it is.

describe('Redactor: known credential values', () => {
  it('replaces every registered value, also URL- and JSON-escaped, the longest first', () => {
    const r = new Redactor();
    r.add('plain-secret-value', 'with/slash+plus=', undefined, null, '', 'abc');
    expect(r.redact('a plain-secret-value b')).toBe(`a ${REDACTED} b`);
    expect(r.redact('form: client_x=with%2Fslash%2Bplus%3D&y=1')).toBe(`form: client_x=${REDACTED}&y=1`);
    // Too short to register: "abc" stays.
    expect(r.redact('abc')).toBe('abc');
    r.add('plain-secret-value-and-more');
    expect(r.redact('<plain-secret-value-and-more>')).toBe(`<${REDACTED}>`);
  });

  it('redacts an error in place: message, stack, hint and the cause chain', () => {
    const r = new Redactor();
    r.add('tok-123456789');
    const cause = new Error('upstream said tok-123456789');
    const error = new ZtError('ZT_COLLECT_AUTH', 'refused tok-123456789', { hint: 'try again with tok-123456789', cause });
    expect(r.redactError(error)).toBe(error);
    expect(error.message).toBe(`refused ${REDACTED}`);
    expect(error.hint).toBe(`try again with ${REDACTED}`);
    expect(error.stack).not.toContain('tok-123456789');
    expect(cause.message).toBe(`upstream said ${REDACTED}`);
    expect(cause.stack).not.toContain('tok-123456789');
    expect(r.redactError('not an error')).toBe('not an error');
  });
});

describe('redactPatterns: credential-shaped text', () => {
  it.each([
    ['Authorization: Bearer abc.def-ghi_123', `Authorization: Bearer ${REDACTED}`],
    ['authorization: bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', `authorization: bearer ${REDACTED}`],
    ['SSWS 00abcDEF-token', `SSWS ${REDACTED}`],
    ['Basic dXNlcjpwYXNzd29yZA==', `Basic ${REDACTED}`],
    ['a token eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln in the text', `a token ${REDACTED} in the text`],
    ['key AKIAIOSFODNN7EXAMPLE used', `key AKIA${REDACTED} used`],
    ['ASIAQWERTYUIOPASDFGH', `ASIA${REDACTED}`],
    ['secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end', `secret ${REDACTED} end`],
    ['{"password":"hunter2!"}', `{"password":"${REDACTED}"}`],
    ['client_secret=s3cr3t&grant_type=x', `client_secret=${REDACTED}&grant_type=x`],
    ['token: CANARY-KUBECONFIG-TOKEN-e6b7a1', `token: ${REDACTED}`],
    ['X-Amz-Security-Token=FwoGZXIvYXdzEJr', `X-Amz-Security-Token=${REDACTED}`],
    ['sha 0123456789abcdef0123456789abcdef01', `sha ${REDACTED}`],
    ['via http://svc:p%40ss@proxy.corp:3128/ failed', `via http://${REDACTED}@proxy.corp:3128/ failed`],
    ['HTTPS_PROXY=https://user:@proxy:8443', `HTTPS_PROXY=https://${REDACTED}@proxy:8443`],
  ])('%s', (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  it.each([
    'cannot list pods: pods is forbidden: User "system:serviceaccount:zt:reader" cannot list resource "pods" at the cluster scope',
    'Bearer authentication failed',
    'the token or certificate is expired or invalid',
    'Okta answered 500 E0000009 on GET /api/v1/users/00ub0oNGTSWTBKOLGLNR4Hz7ab/factors: Internal Server Error',
    'iam:GetAccountAuthorizationDetails failed: ServiceFailure: Internal failure',
    'iam:GenerateServiceLastAccessedDetails was denied (AccessDenied)',
    'cannot read /home/runner/work/zero-trust-auditor/fixtures/collectors/aws-iam/gaad-cli.json',
    'Graph answered /identity/conditionalAccess/policies with HTTP 500 UnknownError',
    'cannot list networkpolicies.networking.k8s.io after 4 attempts (HTTP 500 InternalError: fault 500)',
    'role arn:aws:iam::111122223333:role/OrganizationAccountAccessRole',
    'request 0e0e0000-0000-4000-8000-000000000000',
    'the proxy http://proxy.corp:3128 (HTTPS_PROXY) refused the tunnel to okta.example:443 with HTTP 407',
    'mailto:ops@example.com and https://acme.okta.com/api/v1/users?filter=a@b',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactPatterns(text)).toBe(text);
  });

  it('is linear: a long hostile line is redacted quickly', () => {
    const line = `${'a'.repeat(200_000)} Bearer ${'x=1'.repeat(50_000)} password:${'y'.repeat(100_000)}`;
    const started = Date.now();
    redactPatterns(line);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
