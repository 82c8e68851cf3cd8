import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { oktaSource } from '../../../src/collectors/okta/source.js';
import { CommandOptions } from '../../../src/collectors/source-options.js';
import type { CollectorContext, CollectorOutput } from '../../../src/collectors/types.js';
import { defaultConfig, type ZtConfig } from '../../../src/config/config.js';
import { Redactor } from '../../../src/text/redact.js';
import { networkOf } from '../../support/network.js';

export const exportDir = fileURLToPath(new URL('../../../fixtures/collectors/okta/export', import.meta.url));

/** A canary: if it shows up in any output, the token leaked. */
export const CANARY_TOKEN = '00CANARY-okta-token-must-never-leak-7f3a9c';

/** A self-signed certificate for 127.0.0.1, made now with openssl (no key is committed). */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'zt-okta-tls-'));
  execFileSync(
    '/usr/bin/openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

/** Makes fetch in this test process trust the fake's certificate, as a real CA-signed one would be. */
export function trust(cert: string): void {
  setDefaultCACertificates([...getCACertificates('default'), cert]);
}

export function oauthKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function context(env: Record<string, string>, config: ZtConfig = defaultConfig, progress: string[] = []): CollectorContext {
  return {
    signal: new AbortController().signal,
    progress: (m) => progress.push(m),
    now: new Date('2026-11-02T09:00:00Z'),
    env,
    cwd: process.cwd(),
    config,
    network: networkOf(env),
    redactor: new Redactor(),
  };
}

/** Builds the Okta collector from CLI-style options and runs it, as `zt collect` does. */
export async function collectWith(options: Record<string, unknown>, ctx: CollectorContext): Promise<CollectorOutput> {
  const [collector] = await oktaSource.collectors(new CommandOptions(options), { cwd: ctx.cwd, env: ctx.env });
  return collector!.collect(ctx);
}
