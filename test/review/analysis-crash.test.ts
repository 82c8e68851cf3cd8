import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminEquivalentAnalysers } from '../../src/analysis/aws/admin-equivalent.js';
import { factorStrengthAnalyser } from '../../src/analysis/identity/factor-strength.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { Review } from '../../src/review/model.js';

// An analyser that throws is a bug in zt. The access review reads derived facts (factor
// strength, IAM admin grants): as for zt audit, the run exits 4 naming it, and the facts it
// would have derived are unknown — never "no MFA", never "no admin grant" taken silently.

async function review(): Promise<{ code: number; stderr: string; review: Review }> {
  const io = memoryIo({ columns: 120 });
  const code = await run(['access-review', '--demo', '-f', 'json'], io);
  return { code, stderr: io.err(), review: JSON.parse(io.out()) as Review };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('zt access-review when an analyser throws', () => {
  it('factor strength: exit 4 naming it, every IdP user\'s strength unknown (no no_mfa or weak_mfa flag), the identity plane says so', async () => {
    const intact = await review();
    expect(intact.code).toBe(0);
    const idp = (r: Review) => r.principals.filter((p) => p.type === 'idp.user' && p.accountClass !== 'service');
    expect(idp(intact.review).some((p) => p.flags.includes('no_mfa') || p.flags.includes('weak_mfa'))).toBe(true);

    vi.spyOn(factorStrengthAnalyser, 'derive').mockImplementation(() => {
      throw new TypeError('boom in factor strength');
    });
    const broken = await review();
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/✖ internal: analysis: ZT_ANALYSIS_CRASHED, a bug in zt: The analysis deriving idp\.user's .*mfaStrength.* failed: TypeError: boom in factor strength\. Those facts are unknown and the review shows them as unknown/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    for (const p of idp(broken.review)) {
      expect(p.auth.strength, p.name).toBe('unknown');
      expect(p.auth.detail).toMatch(/factor strength unknown: zt's analysis of idp\.user failed/);
      expect(p.flags).not.toContain('no_mfa');
      expect(p.flags).not.toContain('weak_mfa');
    }
    expect(broken.review.planes.find((p) => p.plane === 'identity')?.gaps).toContainEqual(expect.stringMatching(/^idp\.user: .*mfaStrength.* unknown \(zt's analysis failed, ZT_ANALYSIS_CRASHED\)$/));
    // The other planes are as they were.
    expect(broken.review.planes.find((p) => p.plane === 'aws')).toEqual(intact.review.planes.find((p) => p.plane === 'aws'));
  });

  it('IAM admin grants: exit 4, the AWS plane names the unknown facts (so revocations there are not verified on them)', async () => {
    const users = adminEquivalentAnalysers.find((a) => a.kind === 'aws.iam.user');
    if (!users) throw new Error('no admin-equivalent analyser for aws.iam.user');
    vi.spyOn(users, 'derive').mockImplementation(() => {
      throw new RangeError('boom in the IAM analysis');
    });
    const broken = await review();
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/ZT_ANALYSIS_CRASHED.*aws\.iam\.user's .*adminGrants.*boom in the IAM analysis/);
    expect(broken.review.planes.find((p) => p.plane === 'aws')?.gaps).toContainEqual(expect.stringMatching(/^aws\.iam\.user: .*adminGrants.* unknown \(zt's analysis failed, ZT_ANALYSIS_CRASHED\)$/));
  });
});
