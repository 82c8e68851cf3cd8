import type { FakeIamData, FakeMember } from '../../support/fake-iam.js';
import { fakeData, fakeEnv } from '../aws-iam/support.js';

/** The fixtures' IAM data as account `account`'s own: every ARN and the credential report name that account. */
export function memberData(account: string): FakeIamData {
  return JSON.parse(JSON.stringify(fakeData()).split('111122223333').join(account)) as FakeIamData;
}

/** Members of a fake estate, each serving its own IAM data. */
export function membersOf(accounts: readonly string[], overrides: Readonly<Record<string, Partial<FakeMember>>> = {}): Record<string, FakeMember> {
  return Object.fromEntries(accounts.map((id) => [id, { data: memberData(id), ...overrides[id] }]));
}

/** The environment of a run against the fake IAM/STS and the fake Organizations. */
export function estateEnv(iamUrl: string, orgUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return fakeEnv(iamUrl, { AWS_ENDPOINT_URL_ORGANIZATIONS: orgUrl, ...extra });
}
