import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import type { CollectorContext, CollectorOutput } from '../types.js';
import type { OktaCredentials } from './client.js';
import { mapOkta } from './map.js';
import type { OktaRaw } from './types.js';

export type OktaInput =
  | { readonly kind: 'export'; readonly raw: OktaRaw; readonly includeDeprovisioned: boolean }
  | {
      readonly kind: 'live';
      readonly orgUrl: string;
      readonly clientId: string | undefined;
      readonly privateKeyFile: string | undefined;
      readonly keyId: string | undefined;
      readonly scopes: readonly string[];
      readonly includeDeprovisioned: boolean;
      /** Tests: a shorter per-request timeout than the client's default. */
      readonly timeoutMs?: number;
    };

/** The credentials of a live read: the service app's key (--okta-client-id), else OKTA_API_TOKEN; ZT_COLLECT_CONFIG naming what to set when there are none. */
export async function credentialsFor(input: Pick<Extract<OktaInput, { kind: 'live' }>, 'orgUrl' | 'clientId' | 'privateKeyFile' | 'keyId' | 'scopes'>, context: Pick<CollectorContext, 'env' | 'cwd'>): Promise<OktaCredentials> {
  if (input.clientId) {
    let privateKey = context.env.OKTA_PRIVATE_KEY;
    if (input.privateKeyFile) {
      try {
        privateKey = await readFile(resolve(context.cwd, input.privateKeyFile), 'utf8');
      } catch (error) {
        throw new ZtError('ZT_COLLECT_CONFIG', `cannot read --okta-private-key ${input.privateKeyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    }
    if (!privateKey) {
      throw new ZtError('ZT_COLLECT_CONFIG', `--okta-client-id ${input.clientId} needs the service app's private key`, {
        hint: 'Set OKTA_PRIVATE_KEY to the PEM or JWK, or pass --okta-private-key <file> (docs/okta.md).',
      });
    }
    return { type: 'oauth', clientId: input.clientId, privateKey, scopes: input.scopes, ...(input.keyId ? { keyId: input.keyId } : {}) };
  }
  const token = context.env.OKTA_API_TOKEN;
  if (!token) {
    throw new ZtError('ZT_COLLECT_CONFIG', `no Okta credentials for ${input.orgUrl}`, {
      hint: 'Set OKTA_API_TOKEN to an API token created by a Read-Only Administrator, or use an OAuth service app with --okta-client-id (docs/okta.md).',
    });
  }
  return { type: 'ssws', token, name: 'OKTA_API_TOKEN' };
}

/** Reads one Okta org (live or from an export) and maps it into zt's kinds. */
export async function collectOkta(input: OktaInput, context: CollectorContext): Promise<CollectorOutput> {
  let raw: OktaRaw;
  const notes: CollectorOutput['issues'][number][] = [];
  if (input.kind === 'export') {
    // Same default as the live API: deprovisioned users only when asked for.
    const { users } = input.raw;
    raw = input.includeDeprovisioned || !users.ok ? input.raw : { ...input.raw, users: { ...users, value: users.value.filter((u) => u.status !== 'DEPROVISIONED') } };
  } else {
    const credentials = await credentialsFor(input, context);
    const { readLive } = await import('./live.js');
    const result = await readLive({
      orgUrl: input.orgUrl,
      credentials,
      includeDeprovisioned: input.includeDeprovisioned,
      signal: context.signal,
      progress: context.progress,
      network: context.network,
      redactor: context.redactor,
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
    });
    raw = result.raw;
    const { stats } = result.client;
    context.progress(`Okta: ${stats.requests} requests, ${stats.throttled} throttled`);
    if (stats.throttled > 0) {
      notes.push({
        collector: 'okta',
        severity: 'info',
        code: 'ZT_OKTA_RATE_LIMITED',
        message: `Okta answered 429 to ${stats.throttled} of ${stats.requests} requests; zt waited for the rate-limit reset and retried (other integrations may share these buckets)`,
        kinds: [],
      });
    }
  }
  const mapped = mapOkta(raw, context.config);
  return {
    source: { collector: 'okta', source: `okta:${raw.host}`, mode: raw.mode, ...(raw.exportedAt ? { asOf: raw.exportedAt } : {}) },
    ...mapped,
    issues: [...mapped.issues, ...notes],
  };
}
