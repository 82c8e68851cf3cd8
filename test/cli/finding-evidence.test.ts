import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { smallSnapshot } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

// A rule's `evidence` field: each failing finding carries that field's value, structured,
// in JSON (findings[].evidence) and SARIF (results[].properties.evidence). The AWS
// escalation rules carry the path, step by step, with its conditions.

const ACCOUNT = '111122223333';
const arn = (path: string) => `arn:aws:iam::${ACCOUNT}:${path}`;
const provenance = { collector: 'aws-iam', source: `aws:${ACCOUNT}` };

const snapshot = smallSnapshot({
  collectedAt: '2026-11-01T00:00:00Z',
  sources: [{ collector: 'aws-iam', source: `aws:${ACCOUNT}`, mode: 'offline', asOf: '2026-11-01T00:00:00Z' }],
  coverage: Object.fromEntries(['aws.iam.user', 'aws.iam.role', 'aws.iam.group', 'aws.iam.policy'].map((k) => [k, { state: 'complete' }])),
  resources: [
    {
      kind: 'aws.iam.user',
      id: arn('user/eve'),
      name: 'eve',
      provenance,
      attributes: {
        accountId: ACCOUNT, path: '/', createdAt: '2024-01-01T00:00:00Z', groups: [], attachedPolicies: [], permissionsBoundaryArn: null, tags: {}, credentials: null, mfaDevices: null,
        inlinePolicies: [{ policyName: 'self', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:AttachUserPolicy'], Resource: [arn('user/eve')], Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } }] } }],
      },
    },
  ],
});

async function zt(argv: string[]) {
  const io = memoryIo({ columns: 100 });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('structured evidence on findings', () => {
  const dir = tempTree({ 'snapshot.json': JSON.stringify(snapshot) });
  const file = join(dir, 'snapshot.json');

  it('JSON: the escalation finding carries the path, each step with its outcome and exact conditions', async () => {
    const { stdout } = await zt(['audit', '--snapshot', file, '-f', 'json']);
    const finding = (JSON.parse(stdout) as { findings: { ruleId: string; status: string; message: string; evidence?: Record<string, any> }[] }).findings.find((f) => f.ruleId === 'ZT-IDN-100' && f.status === 'fail');
    expect(finding!.message).toBe(
      'IAM user eve can make itself administrator: user/eve → iam:AttachUserPolicy on user/eve (attaching arn:aws:iam::aws:policy/AdministratorAccess) → administrator [conditional: holds only with MFA (Bool aws:MultiFactorAuthPresent true)]',
    );
    expect(finding!.evidence!.escalationPath).toMatchObject({
      method: 'iam:AttachUserPolicy',
      conditional: true,
      conditions: ['holds only with MFA (Bool aws:MultiFactorAuthPresent true)'],
      steps: [{ principal: arn('user/eve'), method: 'iam:AttachUserPolicy', actions: ['iam:AttachUserPolicy'], target: arn('user/eve'), outcome: 'conditional', detail: 'attaching arn:aws:iam::aws:policy/AdministratorAccess', assumption: null }],
    });
  });

  it('SARIF: the same evidence in the result properties', async () => {
    const { stdout } = await zt(['audit', '--snapshot', file, '-f', 'sarif']);
    const results = (JSON.parse(stdout) as { runs: { results: { ruleId: string; properties: Record<string, any> }[] }[] }).runs[0]!.results;
    const result = results.find((r) => r.ruleId === 'ZT-IDN-100');
    expect(result!.properties.evidence.escalationPath.steps[0]).toMatchObject({ method: 'iam:AttachUserPolicy', outcome: 'conditional' });
  });

  it('a rule naming an evidence field the kind does not have is a load error with file and line', async () => {
    const rules = tempTree({ 'bad.yaml': validRule('ACME-IDN-1', 'evidence: noSuchField') });
    const { code, stderr } = await zt(['rules', 'validate', rules]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yaml:13.*evidence: unknown field noSuchField/s);
  });
});
