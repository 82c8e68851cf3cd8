import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

// The CLI's working directory is Io.cwd (zt used as a library, or tests), not the process's:
// every relative path a user gives, including the offline exports, is read from there.
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'collectors');

async function collect(cwd: string, argv: string[]) {
  const io = memoryIo({ cwd });
  const code = await run(['collect', '--out', join('/tmp', `zt-rel-${process.pid}-${argv[0]}.json`), '-q', ...argv], io);
  return { code, stderr: io.err() };
}

describe('relative paths of offline exports are resolved against the CLI working directory', () => {
  it.each([
    ['okta', ['--okta-export', 'export']],
    ['entra', ['--entra-export', 'contoso']],
    ['aws-iam', ['--aws-authorization-details', 'gaad-cli.json', '--aws-credential-report', 'credential-report.csv', '--aws-account-summary', 'account-summary.json', '--aws-password-policy', 'password-policy.json', '--aws-virtual-mfa', 'virtual-mfa.json']],
  ])('%s', async (source, flags) => {
    expect(process.cwd()).not.toBe(join(fixtures, source));
    const { code, stderr } = await collect(join(fixtures, source), flags);
    expect(stderr).toMatch(/resources from 1 source/);
    expect(code).toBe(0);
  });

  it('a value of the wrong type for a source flag is a usage error naming the flag (exit 2)', async () => {
    const { CommandOptions } = await import('../../src/collectors/source-options.js');
    expect(() => new CommandOptions({ okta: true }).string('okta')).toThrow(/--okta takes a value/);
    expect(() => new CommandOptions({ manifests: [1] }).strings('manifests')).toThrow(/--manifests takes values/);
    expect(() => new CommandOptions({ entraCredential: 'magic' }).choice('entraCredential', ['auto', 'secret'], 'auto')).toThrow(
      /--entra-credential must be one of auto, secret, got "magic"/,
    );
  });
});
