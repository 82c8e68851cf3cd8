import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A throwaway certificate authority made with openssl (no key is committed), for the tests
// of --ca-file and NODE_EXTRA_CA_CERTS: a server certificate it signs is trusted only by a
// client given this CA — as with a TLS-inspecting proxy's root, which no default store holds.

export interface TestCa {
  readonly certPem: string;
  readonly keyPem: string;
  /** A server certificate and key for 127.0.0.1 and localhost, signed by this CA. */
  issue(): { cert: string; key: string };
}

const openssl = (args: string[]): void => {
  execFileSync('/usr/bin/openssl', args, { stdio: 'ignore' });
};

export function testCa(name = 'zt test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'zt-test-ca-'));
  try {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'), '-days', '1', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    const certPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const keyPem = readFileSync(join(dir, 'ca.key'), 'utf8');
    return {
      certPem,
      keyPem,
      issue() {
        const work = mkdtempSync(join(tmpdir(), 'zt-test-leaf-'));
        try {
          writeFileSync(join(work, 'ca.pem'), certPem);
          writeFileSync(join(work, 'ca.key'), keyPem);
          writeFileSync(join(work, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
          openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'leaf.key'), '-out', join(work, 'leaf.csr'), '-subj', '/CN=127.0.0.1']);
          openssl(['x509', '-req', '-in', join(work, 'leaf.csr'), '-CA', join(work, 'ca.pem'), '-CAkey', join(work, 'ca.key'), '-CAcreateserial', '-out', join(work, 'leaf.pem'), '-days', '1', '-extfile', join(work, 'ext.cnf')]);
          return { cert: readFileSync(join(work, 'leaf.pem'), 'utf8'), key: readFileSync(join(work, 'leaf.key'), 'utf8') };
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
