/**
 * Every user-facing failure zt can report. Each code has a one-line title, a hint that
 * says what to do, and the exit class that decides the process exit code.
 * docs/errors.md is generated from this table (`npm run docs:errors`).
 */
export type ExitClass = 'usage' | 'incomplete' | 'internal' | 'interrupted';

export interface CatalogEntry {
  readonly title: string;
  readonly hint: string;
  readonly exitClass: ExitClass;
}

export const catalog = {
  ZT_USAGE: {
    title: 'Invalid command line',
    hint: 'Run `zt <command> --help` for the accepted flags and values.',
    exitClass: 'usage',
  },
  ZT_FILE_UNREADABLE: {
    title: 'Cannot read a file',
    hint: 'Check that the path exists and is readable.',
    exitClass: 'usage',
  },
  ZT_OUTPUT_UNWRITABLE: {
    title: 'Cannot write an output file or standard output',
    hint: 'Check that the folder exists and is writable and the disk has space, or choose another path with --output. It wins over the gate: an incomplete report never passes.',
    exitClass: 'usage',
  },
  ZT_SNAPSHOT_SYNTAX: {
    title: 'Snapshot is not valid JSON',
    hint: 'Snapshots are written by `zt collect --out`; re-create the file or fix the JSON at the given line.',
    exitClass: 'usage',
  },
  ZT_SNAPSHOT_SCHEMA: {
    title: 'Snapshot does not have the expected shape',
    hint: 'The file is not a zt snapshot, or it was edited by hand. Re-create it with `zt collect --out`.',
    exitClass: 'usage',
  },
  ZT_SNAPSHOT_VERSION: {
    title: 'Snapshot was written by an incompatible zt version',
    hint: 'Re-collect the snapshot with this zt version, or audit it with the zt version that wrote it.',
    exitClass: 'usage',
  },
  ZT_SNAPSHOT_CONFLICT: {
    title: 'Two snapshots disagree about one resource',
    hint: 'The same resource id appears with different contents in two inputs (two --snapshot files, or a snapshot and a live collection of the same source): pass each source once.',
    exitClass: 'usage',
  },
  ZT_SNAPSHOT_DUPLICATE_SOURCE: {
    title: 'The same source was collected more than once',
    hint: 'Two inputs (two --snapshot files, a folder holding both, or a snapshot and a live collection) hold the same account, cluster or tenant with different contents. Pass it once, or add --prefer-latest to keep the copy taken last.',
    exitClass: 'usage',
  },
  ZT_RULE_YAML: {
    title: 'Rule file is not valid YAML',
    hint: 'Fix the YAML syntax at the given line.',
    exitClass: 'usage',
  },
  ZT_RULE_SCHEMA: {
    title: 'Rule file does not have the expected fields',
    hint: 'See "Writing rules" in README.md for the rule format.',
    exitClass: 'usage',
  },
  ZT_RULE_DUPLICATE_ID: {
    title: 'Two rules share one id',
    hint: 'Rule ids are permanent and unique; give the new rule a new id.',
    exitClass: 'usage',
  },
  ZT_RULE_UNKNOWN_KIND: {
    title: 'Rule names an unknown resource kind',
    hint: 'Run `zt rules kinds` for the list of kinds and their attributes.',
    exitClass: 'usage',
  },
  ZT_RULE_UNKNOWN_ZTMM: {
    title: 'Rule names an unknown ZTMM row or stage',
    hint: 'Use a row id such as identity.authentication (see docs/ztmm.md) and a stage of initial, advanced or optimal.',
    exitClass: 'usage',
  },
  ZT_RULE_CEL_SYNTAX: {
    title: 'Rule expression does not parse',
    hint: 'Fix the CEL syntax at the marked position.',
    exitClass: 'usage',
  },
  ZT_RULE_CEL_TYPE: {
    title: 'Rule expression does not type-check',
    hint: 'when/assert must be bool expressions over `resource`, `meta` and `now`; fields must exist on the kind, and operands must be of matching types ("Expressions" in docs/rules.md).',
    exitClass: 'usage',
  },
  ZT_RULE_REGEX: {
    title: 'Rule pattern is not an RE2 regular expression',
    hint: 'matches() takes RE2 syntax: no backreferences, lookahead, lookbehind or possessive repeats (see "Expressions" in docs/rules.md).',
    exitClass: 'usage',
  },
  ZT_RULE_PLACEHOLDER: {
    title: 'Rule message uses an unknown placeholder',
    hint: 'Placeholders are {{name}}, {{id}}, {{kind}}, {{source}} or a top-level attribute of the kind.',
    exitClass: 'usage',
  },
  ZT_RULE_NOT_FOUND: {
    title: 'No such rule',
    hint: 'Run `zt rules list` to see the rule ids.',
    exitClass: 'usage',
  },
  ZT_RULES_INVALID: {
    title: 'Rules are invalid',
    hint: 'Fix every error listed above; nothing was collected or evaluated.',
    exitClass: 'usage',
  },
  ZT_CASES_INVALID: {
    title: 'Rule cases file is invalid',
    hint: 'See "Testing rules" in README.md for the cases format.',
    exitClass: 'usage',
  },
  ZT_WAIVERS_INVALID: {
    title: 'Waivers file is invalid',
    hint: 'Every waiver needs rule, resource, reason, owner and expires (YYYY-MM-DD); see docs/ci.md.',
    exitClass: 'usage',
  },
  ZT_CONFIG_INVALID: {
    title: 'Config file is invalid',
    hint: 'See docs/configuration.md for the fields of .zt/config.yaml.',
    exitClass: 'usage',
  },
  ZT_CAMPAIGN_INVALID: {
    title: 'Access review campaign file is invalid',
    hint: 'Start a campaign with `zt access-review … --start-campaign <file>` and give that file; see docs/access-review.md.',
    exitClass: 'usage',
  },
  ZT_DECISIONS_INVALID: {
    title: 'Review decisions refused',
    hint: 'Fix every row listed above and record again; nothing was stored. See "Taking decisions back" in docs/access-review.md.',
    exitClass: 'usage',
  },
  ZT_BASELINE_INVALID: {
    title: 'Baseline file is invalid',
    hint: 'Create it with `zt baseline create --out <file>`; a baseline from another zt version may need re-creating.',
    exitClass: 'usage',
  },
  ZT_PROXY_INVALID: {
    title: 'A proxy setting is not a usable proxy URL',
    hint: 'Set HTTPS_PROXY / HTTP_PROXY (or a kubeconfig\'s proxy-url) to http://host:port or https://host:port, with user:password@ if the proxy asks; see "Behind a proxy" in README.md.',
    exitClass: 'usage',
  },
  ZT_CA_FILE_INVALID: {
    title: 'The --ca-file is not a PEM file of certificates',
    hint: 'Give the CA certificates to trust as PEM (-----BEGIN CERTIFICATE----- blocks), e.g. the TLS-inspecting proxy\'s root certificate.',
    exitClass: 'usage',
  },
  ZT_REPORT_INVALID: {
    title: 'Not a zt JSON report',
    hint: 'zt diff compares two reports written with `zt audit -f json` (or -o json=<file>).',
    exitClass: 'usage',
  },
  ZT_NETWORK_ENDPOINT: {
    title: 'A network query names an endpoint that is not in the cluster, or is not an endpoint',
    hint: 'Endpoints are ns/name, ns/Kind/name, ns/label=value, ns/*, */label=value, ip:<address>, cidr:<range> or internet; a workload must exist in the input.',
    exitClass: 'usage',
  },
  ZT_NETWORK_PORT: {
    title: 'A network query names a port that does not exist',
    hint: 'Give --port as 80, 80/TCP, 53/UDP or a container port name the destination declares.',
    exitClass: 'usage',
  },
  ZT_NETWORK_CLUSTER: {
    title: 'The input holds no Kubernetes cluster to query, or several and none was chosen',
    hint: 'Read a cluster with --kubernetes, --manifests or --snapshot; with several clusters, choose one with --cluster.',
    exitClass: 'usage',
  },
  ZT_NO_SOURCE: {
    title: 'Nothing to audit',
    hint: 'Pass --demo, or --snapshot <file>.',
    exitClass: 'usage',
  },
  ZT_NOTHING_AUDITED: {
    title: 'Nothing was audited',
    hint: 'The chosen inputs produced no resources; check the collection issues above.',
    exitClass: 'incomplete',
  },
  ZT_COVERAGE_BELOW_MINIMUM: {
    title: 'Coverage is below --min-coverage',
    hint: 'Grant the missing read permissions or provide the missing inputs, or lower --min-coverage.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_AUTH: {
    title: 'The source refused the credentials',
    hint: 'Check the credentials zt used (named in the message) and sign in again, e.g. `aws sso login` or a fresh token.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_UNREACHABLE: {
    title: 'The source could not be reached',
    hint: 'Check the URL or context, the network path and any proxy; zt gave up after its timeout.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_CONFIG: {
    title: 'No usable connection settings for the source',
    hint: 'Pass the connection flags (see `zt audit --help`) or set up the tool\'s usual configuration (kubeconfig, AWS profile).',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_ACCESS_DENIED: {
    title: 'Read access denied for part of the source',
    hint: 'Grant the read permissions listed in docs/permissions.md; the affected checks are reported as not evaluated.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_THROTTLED: {
    title: 'The source kept throttling requests',
    hint: 'Re-run later or with lower concurrency; the affected kinds are reported as partial.',
    exitClass: 'incomplete',
  },
  ZT_ORG_ACCOUNTS_UNMATCHED: {
    title: 'An --accounts or --exclude-accounts pattern matched no account of the organisation',
    hint: 'Check the account id or name (`aws organizations list-accounts`); a pattern is an id, a name or a glob over either.',
    exitClass: 'incomplete',
  },
  ZT_ORG_ACCOUNT_NOT_ACTIVE: {
    title: 'An account of the organisation is not ACTIVE, so it was listed but not audited',
    hint: 'Suspended, closed and pending accounts cannot be signed in to; nothing to do unless the account should be active.',
    exitClass: 'incomplete',
  },
  ZT_ORG_ACCOUNTS_FILTERED: {
    title: 'Accounts of the organisation were left out by --accounts or --exclude-accounts',
    hint: 'As asked; the message lists them.',
    exitClass: 'incomplete',
  },
  ZT_AWS_EXPORT_INVALID: {
    title: 'An AWS IAM export file is not what zt expected',
    hint: 'Re-export it: `aws iam get-account-authorization-details --output json > gaad.json` and `aws iam get-credential-report` (see docs/aws.md).',
    exitClass: 'usage',
  },
  ZT_AWS_EXPORT_PARTIAL: {
    title: 'Offline AWS inputs lack some exports',
    hint: 'Add --aws-credential-report, --aws-account-summary, --aws-password-policy and --aws-virtual-mfa (docs/aws.md shows the export commands).',
    exitClass: 'incomplete',
  },
  ZT_AWS_POLICY_UNPARSEABLE: {
    title: 'An IAM policy document does not parse',
    hint: 'The named policy was left out and the checks that depend on it cannot pass; inspect it with `aws iam get-policy-version` or the console.',
    exitClass: 'incomplete',
  },
  ZT_AWS_POLICY_MISSING: {
    title: 'A managed policy a principal uses is not in the export',
    hint: 'Export with every policy: `aws iam get-account-authorization-details --output json` without --filter (or with LocalManagedPolicy and AWSManagedPolicy). Until then the principals that use it have their dependent facts unknown and those rules are not evaluated.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_API_ERROR: {
    title: 'The source kept failing for part of the data',
    hint: 'Server errors, timeouts or dropped connections persisted after retries; the affected kinds are reported as partial or missing. Re-run later, and report it if it persists.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_INPUT_SKIPPED: {
    title: 'Part of an input file was skipped',
    hint: 'The named file or document is not valid YAML/JSON, not a Kubernetes object, too large or binary; the rest was audited. Fix or remove it.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_INPUT_EMPTY: {
    title: 'The input files hold nothing zt audits',
    hint: 'Point --manifests at Kubernetes YAML or JSON (files, folders, rendered Helm output, `kubectl get -o yaml`), or at - for stdin.',
    exitClass: 'incomplete',
  },
  ZT_OKTA_EXEMPT_ZONES_UNKNOWN: {
    title: "Okta ThreatInsight's exempt network zones cannot be judged",
    hint: 'An excluded zone is not among the zones read, or a gateway or zone type is not one zt reads; the ThreatInsight checks (ZT-IDN-011, ZT-IDN-206) are not evaluated. Check the zones under Security > Networks and ThreatInsight\'s exclusions under Security > General.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_MALFORMED: {
    title: 'A collected object did not match its kind schema',
    hint: 'This is a bug in zt\'s mapping of the source\'s data (malformed export files are ZT_AWS_EXPORT_INVALID or ZT_EXPORT_INVALID, exit 2): the object was dropped, its kind marked partial, the report written, and zt exits 4. Report it.',
    exitClass: 'internal',
  },
  ZT_ANALYSIS_CRASHED: {
    title: 'An analyser failed unexpectedly',
    hint: 'This is a bug in zt: the facts it derives are unknown, so the rules reading them are not evaluated (never passed); the report was written, then zt exits 4. Re-run with --debug and report it.',
    exitClass: 'internal',
  },
  ZT_PLUGIN_NOT_FOUND: {
    title: 'A configured plugin is not installed',
    hint: 'Install it (`npm i -g <name>` or in the project: `npm i -D <name>`), or fix its name or path in `plugins:` of .zt/config.yaml or --plugin.',
    exitClass: 'usage',
  },
  ZT_PLUGIN_INVALID: {
    title: 'A plugin is not a valid zt plugin',
    hint: 'A zt plugin exports `ztPlugin` (see docs/plugins.md) from its package entry or its "./zt-plugin" export; its kinds are zod objects in its own namespace and its rules pass `zt rules validate`. Fix the plugin or remove it from the configuration.',
    exitClass: 'usage',
  },
  ZT_PLUGIN_API_VERSION: {
    title: 'A plugin was built for another plugin API version',
    hint: 'Install a version of the plugin built for this zt\'s plugin API (see `zt plugins list`), or a zt that matches the plugin.',
    exitClass: 'usage',
  },
  ZT_PLUGIN_CONFLICT: {
    title: 'Two plugins claim the same kind, source or flag',
    hint: 'Configure only one of them: a kind, source id and flag each belong to one plugin.',
    exitClass: 'usage',
  },
  ZT_SNAPSHOT_PLUGIN_MISSING: {
    title: 'A snapshot holds kinds of a plugin that is not loaded',
    hint: 'Configure the plugin that collected it (`plugins:` in .zt/config.yaml or --plugin <name>) and run again.',
    exitClass: 'usage',
  },
  ZT_PLUGIN_COLLECT_FAILED: {
    title: 'A plugin source failed while collecting',
    hint: 'The plugin threw an unexpected error: what it should have read is not evaluated (never a pass). Re-run with --debug and report it to the plugin\'s authors.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_CRASHED: {
    title: 'A collector failed unexpectedly',
    hint: 'This is a bug in zt: the other collectors carried on and the report was written, then zt exits 4. Re-run with --debug and report it.',
    exitClass: 'internal',
  },
  ZT_COLLECT_LICENSE_MISSING: {
    title: 'The tenant lacks the licence a check needs',
    hint: 'The affected checks are reported as not evaluated (never passed); license the tenant (e.g. Microsoft Entra ID P1/P2) to evaluate them.',
    exitClass: 'incomplete',
  },
  ZT_COLLECT_INPUT_MISSING: {
    title: 'An offline export lacks a file',
    hint: 'Add the missing file to the export (see the export layout in the source\'s docs); the checks it feeds are not evaluated.',
    exitClass: 'incomplete',
  },
  ZT_EXPORT_INVALID: {
    title: 'An offline export file is not in the expected shape',
    hint: 'Export each endpoint as the JSON the API returns (see the export layout in docs/entra.md) and fix or re-create the named file.',
    exitClass: 'usage',
  },
  ZT_INTERRUPTED: {
    title: 'Interrupted',
    hint: 'The run was stopped before it finished; nothing after the interruption was written.',
    exitClass: 'interrupted',
  },
  ZT_INTERNAL: {
    title: 'Internal error',
    hint: 'This is a bug in zt. Re-run with --debug and report the output (it contains no secrets).',
    exitClass: 'internal',
  },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof catalog;

/**
 * The exit class of a code, for codes that reach the exit code through a collection issue
 * (a collector that crashed is an issue, not a thrown error); undefined for a code outside
 * the catalogue (informational issue codes such as ZT_OKTA_FASTPASS).
 */
export function exitClassOf(code: string): ExitClass | undefined {
  return Object.hasOwn(catalog, code) ? catalog[code as ErrorCode].exitClass : undefined;
}
