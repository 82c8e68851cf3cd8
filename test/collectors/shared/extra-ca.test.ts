import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCACertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { readExtraCa, trustedCertificates } from '../../../src/collectors/shared/extra-ca.js';
import type { ZtError } from '../../../src/errors/zt-error.js';
import { testCa } from '../../support/test-ca.js';
import { tempTree } from '../../support/temp.js';

const ca = testCa();

function refusal(file: string, cwd: string): ZtError {
  try {
    readExtraCa(file, cwd);
  } catch (error) {
    return error as ZtError;
  }
  throw new Error('no error');
}

describe('--ca-file', () => {
  it('reads every certificate of a PEM bundle, relative to the working directory', () => {
    const dir = tempTree({ 'bundle.pem': `# corporate roots\n${ca.certPem}\n${testCa().certPem}` });
    const extra = readExtraCa('bundle.pem', dir);
    expect(extra.file).toBe('bundle.pem');
    expect(extra.certificates).toHaveLength(2);
    expect(extra.certificates[0]).toBe(ca.certPem.trim());
  });

  it("is trusted on top of Node's default CAs (which hold NODE_EXTRA_CA_CERTS), never instead of them", () => {
    const dir = tempTree({ 'ca.pem': ca.certPem });
    const trusted = trustedCertificates(readExtraCa('ca.pem', dir));
    const defaults = getCACertificates('default');
    expect(defaults.length).toBeGreaterThan(50);
    expect(trusted).toEqual([...defaults, ca.certPem.trim()]);
  });

  it.each([
    ['missing.pem', 'cannot be read (ENOENT)'],
    ['empty.pem', 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)'],
    ['der.crt', 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)'],
    ['key.pem', 'holds a private key: give the CA certificates only'],
    ['broken.pem', 'holds a certificate block that does not parse (block 1)'],
  ])('%s: exit 2 (ZT_CA_FILE_INVALID), %s', (file, message) => {
    const dir = tempTree({ 'empty.pem': '', 'key.pem': `${ca.certPem}\n${ca.keyPem}`, 'broken.pem': '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n' });
    writeFileSync(join(dir, 'der.crt'), Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82]));
    const error = refusal(file, dir);
    expect(error.code).toBe('ZT_CA_FILE_INVALID');
    expect(error.exitClass).toBe('usage');
    expect(error.message).toBe(`--ca-file ${file} ${message}`);
  });
});
