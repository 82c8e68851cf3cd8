import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getCACertificates } from 'node:tls';
import { ZtError } from '../../errors/zt-error.js';

/**
 * `--ca-file <pem>`: certificates trusted on top of Node's own, for a TLS-inspecting proxy
 * (or a private CA in front of an API). Node's own set is what `tls.getCACertificates
 * ('default')` returns — the bundled roots plus NODE_EXTRA_CA_CERTS, which Node reads at
 * start-up — so a transport that passes its own `ca` list starts from that set and adds
 * these: giving `ca` alone would replace the defaults and drop NODE_EXTRA_CA_CERTS.
 */

export interface ExtraCa {
  /** The file as given, for messages. */
  readonly file: string;
  /** The PEM certificates it holds, each checked to parse. */
  readonly certificates: readonly string[];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Reads and checks the file (ZT_CA_FILE_INVALID, exit 2: unreadable, no certificate, a block that does not parse, a private key). */
export function readExtraCa(file: string, cwd: string): ExtraCa {
  const refuse = (what: string, cause?: unknown): never => {
    throw new ZtError('ZT_CA_FILE_INVALID', `--ca-file ${file} ${what}`, {
      hint: 'Give a PEM file of the CA certificates to trust (-----BEGIN CERTIFICATE----- blocks), e.g. the TLS-inspecting proxy\'s root exported from the system store.',
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    return refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  const certificates: string[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1] ?? '';
    if (/PRIVATE KEY/.test(label)) refuse('holds a private key: give the CA certificates only');
    if (label !== 'CERTIFICATE') continue;
    try {
      new X509Certificate(match[0]);
    } catch (error) {
      refuse(`holds a certificate block that does not parse (block ${certificates.length + 1})`, error);
    }
    certificates.push(match[0]);
  }
  if (certificates.length === 0) refuse('holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  return { file, certificates };
}

/** Node's default CAs (bundled roots and NODE_EXTRA_CA_CERTS) and the extra ones: the `ca` option of a transport that trusts both. */
export function trustedCertificates(extra: ExtraCa): string[] {
  return [...getCACertificates('default'), ...extra.certificates];
}
