import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from '../support/temp.js';

// The run's network settings are read in one place (collectors/read-network.ts): the proxy
// variables only when a live source is chosen, --ca-file whenever it is given.

async function zt(args: string[], env: Record<string, string>, cwd = process.cwd()) {
  const io = memoryIo({ env, cwd });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('network settings and offline input', () => {
  it('a proxy variable zt could not use does not stop an audit that connects to nothing', async () => {
    const result = await zt(['audit', '--demo', '-f', 'json', '--fail-on', 'none', '--quiet'], { HTTPS_PROXY: 'socks5://127.0.0.1:1080', http_proxy: 'not a url' });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
  });

  it('a --ca-file given is checked even then (exit 2): a setting given is a setting to fix', async () => {
    const result = await zt(['audit', '--demo', '--ca-file', 'ca.pem', '-f', 'json', '--quiet'], {}, tempTree({ 'ca.pem': '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n' }));
    expect(result.code).toBe(2);
    expect(result.err).toContain('--ca-file ca.pem holds a private key: give the CA certificates only');
    expect(result.out).toBe('');
  });
});
