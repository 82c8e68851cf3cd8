import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { fakeData, fakeEnv } from './support.js';

let server: FakeIam | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function zt(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env, now: () => new Date('2025-06-01T00:00:00Z') });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

interface JsonReport {
  inventory: { sources: { source: string }[]; issues: { code: string; severity: string; message: string }[]; resourceCount: number };
}

describe('several AWS accounts without Organizations: repeatable --role-arn and --profile', () => {
  it('each --role-arn is assumed and collected; two roles reaching one account audit it once, and say so', async () => {
    server = await startFakeIam(fakeData());
    const roles = ['arn:aws:iam::111122223333:role/zt-audit', 'arn:aws:iam::111122223333:role/zt-audit-2'];
    const { code, stdout } = await zt(['audit', '--role-arn', roles[0] as string, '--role-arn', roles[1] as string, '-f', 'json', '--fail-on', 'none'], fakeEnv(server.url));
    expect(code).toBe(0);
    const assumed = server.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.params.get('RoleArn'));
    expect([...new Set(assumed)].sort()).toEqual(roles);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.sources.map((s) => s.source)).toEqual(['aws:111122223333']);
    const duplicate = report.inventory.issues.filter((i) => i.code === 'ZT_COLLECT_DUPLICATE_TARGET');
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]?.severity).toBe('info');
    expect(duplicate[0]?.message).toMatch(/role arn:aws:iam::111122223333:role\/zt-audit-2\) reached aws:111122223333, which AWS IAM \(role arn:aws:iam::111122223333:role\/zt-audit\) already collected/);
    // Audited once: the resources of one account, not two copies.
    const single = await zt(['audit', '--role-arn', roles[0] as string, '-f', 'json', '--fail-on', 'none'], fakeEnv(server.url));
    expect(report.inventory.resourceCount).toBe((JSON.parse(single.stdout) as JsonReport).inventory.resourceCount);
  });

  it('several --profile with --role-arn is refused: the roles need one set of credentials to be assumed from', async () => {
    const { code, stderr } = await zt(['audit', '--profile', 'a', '--profile', 'b', '--role-arn', 'arn:aws:iam::111122223333:role/x'], fakeEnv('http://127.0.0.1:9'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--role-arn is assumed from one set of credentials, and 2 profiles were given/);
  });

  it('each --profile is its own collector: a missing one is its own error, the others still run', async () => {
    const { code, stderr } = await zt(['audit', '--profile', 'nope-a', '--profile', 'nope-b', '-f', 'json'], { ...fakeEnv('http://127.0.0.1:9'), AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' });
    expect(code).toBe(3);
    expect(stderr).toMatch(/profile nope-a/);
    expect(stderr).toMatch(/profile nope-b/);
  });

  it('--parallel takes a whole number from 1 to 256', async () => {
    for (const bad of ['0', 'many', '1000', '2.5']) {
      const { code, stderr } = await zt(['audit', '--aws', '--parallel', bad], fakeEnv('http://127.0.0.1:9'));
      expect(code, bad).toBe(2);
      expect(stderr).toMatch(/--parallel .*: expected a whole number from 1 to 256/);
    }
  });
});
