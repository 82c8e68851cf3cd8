import { ZtError } from '../../errors/zt-error.js';
import { credentialReportAccount, exportAccount, type OfflinePaths } from './offline.js';

/** The offline AWS flags as given: each export file once, several accounts possible. */
export interface OfflineFlags {
  readonly authorizationDetails: readonly string[];
  readonly credentialReports: readonly string[];
  readonly accountSummary: string | undefined;
  readonly passwordPolicy: string | undefined;
  readonly virtualMfa: readonly string[];
}

const perAccountHint =
  'Give each account its own --aws-authorization-details file (and its credential report); files that carry no account id (the account summary, the password policy) need one account per run: zt collect … --out-dir per account, then zt audit --snapshot <dir>.';

/**
 * The offline exports grouped by AWS account, one audit input each. With one
 * authorization-details file every other file goes with it (readOfflineInputs refuses a
 * file of another account). With several, each credential report and virtual-MFA list is
 * matched to the account its ARNs name; two files of one kind for one account, a file
 * whose account has no authorization details, and the files that name no account (summary,
 * password policy) are refused, naming the file (exit 2).
 */
export function offlineAccounts(flags: OfflineFlags, resolvePath: (p: string) => string): OfflinePaths[] {
  const { authorizationDetails, credentialReports, accountSummary, passwordPolicy, virtualMfa } = flags;
  if (authorizationDetails.length === 1) {
    if (credentialReports.length > 1 || virtualMfa.length > 1) {
      throw new ZtError('ZT_USAGE', 'AWS: several credential reports or virtual-MFA lists for one --aws-authorization-details file', { hint: perAccountHint });
    }
    const [details] = authorizationDetails as [string];
    const [report] = credentialReports;
    const [mfa] = virtualMfa;
    return [
      {
        authorizationDetails: details,
        ...(report ? { credentialReport: report } : {}),
        ...(accountSummary ? { accountSummary } : {}),
        ...(passwordPolicy ? { passwordPolicy } : {}),
        ...(mfa ? { virtualMfa: mfa } : {}),
      },
    ];
  }
  const unmatched = accountSummary ?? passwordPolicy;
  if (unmatched) {
    throw new ZtError('ZT_USAGE', `AWS: ${unmatched} names no account, so it cannot be matched to one of ${authorizationDetails.length} --aws-authorization-details files`, {
      hint: perAccountHint,
    });
  }
  const byAccount = new Map<string, { authorizationDetails: string; credentialReport?: string; virtualMfa?: string }>();
  const accountOf = (file: string, what: string): string => {
    const account = what === 'credential report' ? credentialReportAccount(resolvePath(file), file) : exportAccount(resolvePath(file), file);
    if (!account) throw new ZtError('ZT_AWS_EXPORT_INVALID', `names no AWS account (no IAM ARN of an account in it), so this ${what} cannot be matched to an account`, { location: { file }, hint: perAccountHint });
    return account;
  };
  for (const file of authorizationDetails) {
    const account = accountOf(file, 'export');
    const seen = byAccount.get(account);
    if (seen) throw new ZtError('ZT_USAGE', `AWS: ${seen.authorizationDetails} and ${file} are both exports of account ${account}: give each account once`, { hint: perAccountHint });
    byAccount.set(account, { authorizationDetails: file });
  }
  const attach = (file: string, what: string, key: 'credentialReport' | 'virtualMfa'): void => {
    const account = accountOf(file, what);
    const entry = byAccount.get(account);
    if (!entry) {
      throw new ZtError('ZT_USAGE', `AWS: ${file} is of account ${account}, and no --aws-authorization-details file is`, { hint: perAccountHint });
    }
    const already = entry[key];
    if (already) throw new ZtError('ZT_USAGE', `AWS: ${already} and ${file} are both the ${what} of account ${account}: give each once`, { hint: perAccountHint });
    entry[key] = file;
  };
  for (const file of credentialReports) attach(file, 'credential report', 'credentialReport');
  for (const file of virtualMfa) attach(file, 'virtual-MFA list', 'virtualMfa');
  return [...byAccount.values()];
}
