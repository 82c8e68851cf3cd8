import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { defaultConfig } from '../../../src/config/config.js';
import type { Collector, CollectorContext } from '../../../src/collectors/types.js';
import { ZtError } from '../../../src/errors/zt-error.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { directNetwork } from '../../../src/collectors/read-network.js';
import { Redactor } from '../../../src/text/redact.js';
import { idpUser } from '../../support/snapshots.js';

const context: CollectorContext = { signal: new AbortController().signal, progress: () => {}, now: new Date('2026-03-04T05:06:07Z'), env: {}, cwd: '/', config: defaultConfig, network: directNetwork, redactor: new Redactor() };

const collector = (id: string, collect: Collector['collect']): Collector => ({ id, description: `${id}:test`, collect });

describe('collectSnapshot', () => {
  it('combines collectors, records the collection time, and keeps coverage per kind', async () => {
    const okta = collector('okta', async () => ({
      source: { collector: 'okta', source: 'okta:acme', mode: 'live' },
      resources: [idpUser('ana@example.com', []) as unknown as Resource],
      coverage: { 'idp.user': { state: 'complete' }, 'idp.accessPolicy': { state: 'missing', reason: 'permission_denied' } },
      issues: [{ collector: 'okta', severity: 'warning', code: 'ZT_COLLECT_ACCESS_DENIED', message: 'policies: 403', kinds: ['idp.accessPolicy'] }],
    }));
    const snapshot = await collectSnapshot([okta], context);
    expect(snapshot.collectedAt).toBe('2026-03-04T05:06:07.000Z');
    expect(snapshot.resources).toHaveLength(1);
    expect(snapshot.coverage['idp.accessPolicy']).toEqual({ state: 'missing', reason: 'permission_denied' });
    expect(snapshot.issues.map((i) => i.code)).toEqual(['ZT_COLLECT_ACCESS_DENIED']);
  });

  it('a collector that fails outright becomes an error issue; the others carry on', async () => {
    const broken = collector('aws-iam', async () => {
      throw new ZtError('ZT_COLLECT_AUTH', 'the security token in profile prod is expired');
    });
    const crashing = collector('entra', async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    const fine = collector('okta', async () => ({
      source: { collector: 'okta', source: 'okta:acme', mode: 'live' },
      resources: [idpUser('ana@example.com', []) as unknown as Resource],
      coverage: { 'idp.user': { state: 'complete' } },
      issues: [],
    }));
    const snapshot = await collectSnapshot([broken, crashing, fine], context);
    expect(snapshot.resources).toHaveLength(1);
    expect(snapshot.sources.map((s) => s.collector)).toEqual(['aws-iam', 'entra', 'okta']);
    expect(snapshot.issues).toEqual([
      expect.objectContaining({ collector: 'aws-iam', severity: 'error', code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(/expired/) }),
      expect.objectContaining({ collector: 'entra', severity: 'error', code: 'ZT_COLLECT_CRASHED' }),
    ]);
  });

  it('under --debug a crash shows its stack on the debug channel, redacted; never in the snapshot', async () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-token-value');
    const crashing = collector('entra', async () => {
      throw new TypeError('cannot read properties of undefined (reading s3cr3t-token-value)');
    });
    const shown: string[] = [];
    const snapshot = await collectSnapshot([crashing], { ...context, redactor, debug: (text) => shown.push(text) });
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^entra crashed: TypeError: cannot read properties of undefined/);
    expect(shown[0]).toMatch(/\n\s+at /);
    expect(shown[0]).not.toContain('s3cr3t-token-value');
    expect(JSON.stringify(snapshot)).not.toMatch(/\n\s+at |s3cr3t-token-value/);
  });

  it('drops a resource that does not match its kind schema, marks the kind partial and says so', async () => {
    const bad = idpUser('bo@example.com', []) as unknown as { attributes: Record<string, unknown> };
    bad.attributes.status = 'ENABLED';
    const mapper = collector('okta', async () => ({
      source: { collector: 'okta', source: 'okta:acme', mode: 'live' },
      resources: [idpUser('ana@example.com', []) as unknown as Resource, bad as unknown as Resource],
      coverage: { 'idp.user': { state: 'complete' } },
      issues: [],
    }));
    const snapshot = await collectSnapshot([mapper], context);
    expect(snapshot.resources).toHaveLength(1);
    expect(snapshot.coverage['idp.user']).toEqual({ state: 'partial', reason: 'api_error' });
    expect(snapshot.issues[0]).toMatchObject({ code: 'ZT_COLLECT_MALFORMED', message: expect.stringMatching(/bo@example\.com: .*status/) });
  });

  it('is the collector boundary for server text: issues, coverage details, progress and errors are redacted with every credential registered', async () => {
    const progress: string[] = [];
    const ctx: CollectorContext = { ...context, redactor: new Redactor(), progress: (m) => progress.push(m) };
    const echoing = collector('okta', async (c) => {
      c.progress('Okta: retrying after "SSWS okta-token-one"');
      return {
        source: { collector: 'okta', source: 'okta:acme', mode: 'live' },
        resources: [],
        // Quotes the other collector's credential, registered only after this one returned.
        coverage: { 'idp.user': { state: 'missing', reason: 'api_error', detail: 'Okta answered 500: entra-secret-two' } },
        issues: [{ collector: 'okta', severity: 'error', code: 'ZT_COLLECT_API_ERROR', message: 'GET /api/v1/users: 500 (token okta-token-one)', kinds: ['idp.user'] }],
      };
    });
    const throwing = collector('entra', async (c) => {
      c.redactor.add('entra-secret-two');
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new TypeError('Unexpected token, "entra-secret-two" is not valid JSON');
    });
    const okta = collector('okta', async (c) => {
      c.redactor.add('okta-token-one');
      throw new ZtError('ZT_COLLECT_AUTH', 'refused okta-token-one', { hint: 'the token okta-token-one is expired' });
    });
    const snapshot = await collectSnapshot([okta, echoing, throwing], ctx);
    const text = JSON.stringify(snapshot) + progress.join('\n');
    expect(text).not.toMatch(/okta-token-one|entra-secret-two/);
    expect(snapshot.coverage['idp.user']?.detail).toBe('Okta answered 500: [redacted]');
    expect(snapshot.issues.map((i) => i.message)).toEqual([
      'refused [redacted] (the token [redacted] is expired)',
      'GET /api/v1/users: 500 (token [redacted])',
      'collector failed unexpectedly: Unexpected token, "[redacted]" is not valid JSON',
    ]);
    expect(progress).toEqual(['Okta: retrying after "SSWS [redacted]"']);

    // Bad input (exit 2) is thrown on, redacted: message, hint and stack (what --debug prints).
    const usage = collector('okta', async (c) => {
      c.redactor.add('okta-token-three');
      throw new ZtError('ZT_USAGE', 'okta-token-three is not an org URL', { hint: 'not okta-token-three' });
    });
    const error = (await collectSnapshot([usage], { ...context, redactor: new Redactor() }).catch((e: unknown) => e)) as ZtError;
    expect(error).toBeInstanceOf(ZtError);
    expect(`${error.message} ${error.hint} ${error.stack}`).not.toContain('okta-token-three');
  });
});
