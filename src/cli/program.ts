import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { diffFormats, type DiffFormat } from '../diff/formats.js';
import { severities } from '../model/severity.js';
import { defaultReporterId, reporterEntry, reporterIds } from '../reporters/index.js';
import { Command, Option } from './commander.js';
import type { Io } from './io.js';
import { refuseRepeatedFlags } from './single-use.js';
import { usageErrorsAsZtErrors } from './usage-errors.js';
import { toolVersion } from './version.js';

/** Mutable result of one run, filled by the command that ran. */
export interface RunState {
  exitCode: number;
  debug: boolean;
}

/** `sarif=zt.sarif`: an `--output` argument, its file named with the format's extension. */
const sarifExample = `sarif=zt${reporterEntry('sarif').extension}`;
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
export const accessReviewFormats = ['markdown', 'csv', 'json', 'html', 'table'] as const;
const severityChoices = [...severities, 'none'];

type AddFlags = (command: Command) => Command;

/** --as-of (design §10, time comes from evidence): see cli/collection.ts checkAsOf and inventory/as-of.ts. */
const AS_OF_DESCRIPTION =
  'when offline input that does not record its own time was taken (manifests, a CSV credential report, an export ' +
  'without exportedAt, a snapshot of them), e.g. 2026-03-01T09:00:00Z: its ages are measured from it';

/** Commands whose flags include every source's (--kubernetes, --okta, …). */
const commandsWithSourceFlags = new Set(['audit', 'access-review', 'baseline', 'collect', 'doctor', 'network']);

/**
 * Loads the sources' flag definitions only when the command being run takes them: they
 * come from every collector's descriptor, a handful of modules `zt --help` does not need.
 * The command is the first word of argv (or the second, after `help`).
 */
async function sourceFlagsFor(argv: readonly string[]): Promise<AddFlags> {
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const command = words[0] === 'help' ? words[1] : words[0];
  if (command === undefined || !commandsWithSourceFlags.has(command)) return (c) => c;
  return (await import('./source-flags.js')).addSourceFlags;
}

/** Options every command that audits shares: inputs, rules, waivers, and each source's flags. */
function addInputOptions(command: Command, addSourceFlags: AddFlags): Command {
  command
    .option('--demo', 'audit the bundled demo organisation (no credentials needed)')
    .option('--snapshot <file|dir>', 'audit a snapshot written by `zt collect`, or every *.json snapshot in a folder (repeatable; snapshots are merged)', collect, [])
    .option('--prefer-latest', 'when inputs hold the same account, cluster or tenant twice, keep the copy taken last (default: refuse)')
    .option('--rules <path>', 'also load rules from this folder or file (repeatable)', collect, [])
    .option('--only-rules', 'use only the --rules folders, not the bundled rules')
    .option('--waivers <file>', 'accepted risks with owner, reason and expiry (default: .zt/waivers.yaml when it exists)')
    .option('--config <file>', "break-glass and service accounts, factor policy, defaults of zt audit's flags (default: ZT_CONFIG, else .zt/config.yaml when it exists)")
    .option('--as-of <date-time>', AS_OF_DESCRIPTION)
    .option('-q, --quiet', 'no progress output on stderr');
  return addSourceFlags(command);
}

/** `zt network …`'s formats, written out (network/render.ts's list: importing it would load the renderers for --help). */
export const networkFormatChoices = ['table', 'json', 'dot', 'mermaid', 'html'] as const;

/** What every `zt network` query reads: the inputs of `zt audit` (no rules or waivers), the cluster, the format. */
function addNetworkOptions(command: Command, addSourceFlags: AddFlags): Command {
  command
    .option('--demo', 'query the bundled demo cluster (no credentials needed)')
    .option('--snapshot <file|dir>', 'query a snapshot written by `zt collect`, or every *.json snapshot in a folder (repeatable; snapshots are merged)', collect, [])
    .option('--prefer-latest', 'when inputs hold the same cluster twice, keep the copy taken last (default: refuse)')
    .option('--config <file>', 'zt project config (default: ZT_CONFIG, else .zt/config.yaml when it exists)')
    .option('--as-of <date-time>', AS_OF_DESCRIPTION)
    .option('--cluster <name>', 'the cluster to query when the input holds several (its source, e.g. k8s:prod)')
    .addOption(new Option('-f, --format <format>', 'output format (html: the matrix and graph as an interactive page, for matrix)').choices(networkFormatChoices).default('table'))
    .option('-o, --output <file>', 'write the answer to this file instead of stdout')
    .option('--allow-incomplete', 'do not exit 3 when workloads, namespaces or NetworkPolicies could not all be read')
    .option('-q, --quiet', 'no progress output on stderr');
  return addSourceFlags(command);
}

/**
 * Commander wiring only: flags, help texts, and lazy actions. Nothing heavy is imported
 * here, so `zt --help` and `zt --version` start about as fast as Node itself. `argv`
 * decides whether the sources' flags are needed (see sourceFlagsFor).
 */
export async function createProgram(io: Io, state: RunState, argv: readonly string[]): Promise<Command> {
  // Before the sources' flags are added: a configured plugin's flags join them (cli/plugins.ts).
  // Only commands that read kinds, rules or sources look for plugins (`zt --help` does not).
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const command = words[0] === 'help' ? words[1] : words[0];
  if (command !== undefined && pluginCommands.has(command) && (pluginsLoaded || mayNamePlugins(argv, io))) {
    pluginsLoaded = true;
    await (await import('./plugins.js')).preparePlugins(argv, io);
  }
  const addSourceFlags = await sourceFlagsFor(argv);
  const program = new Command('zt')
    .description(
      'Zero trust posture auditor: evaluates identity providers, Kubernetes and AWS IAM against\n' +
        'declarative rules and scores them against the CISA Zero Trust Maturity Model v2.0.',
    )
    .version(toolVersion(), '-V, --version', 'print the zt version')
    .option('--debug', 'show stack traces and internal detail on errors')
    // Every hook set, so commander never touches process.stdout/stderr itself (building them
    // is a fifth of `zt --help`'s start-up). Help is plain text: no colours to keep.
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      getOutHelpWidth: () => io.columns,
      getErrHelpWidth: () => io.columns,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
      // Usage mistakes are printed by zt, as ZT_USAGE errors (usage-errors.ts).
      outputError: () => {},
    });

  addInputOptions(
    program.command('audit').description('audit an organisation and score it against CISA ZTMM v2.0'),
    addSourceFlags,
  )
    .addOption(
      new Option('-f, --format <format>', `output format: ${reporterIds.join(', ')} (default: ${defaultReporterId}); on stdout, or in the files -o names without a format`).choices(
        reporterIds,
      ),
    )
    .option(
      '-o, --output <[format=]path>',
      `write a format to a file, e.g. ${sarifExample}, or -f sarif -o zt.sarif, or zt.sarif (the format from -f, else from the extension); repeatable`,
      collect,
      [],
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a failing finding has this severity or higher')
        .choices(severityChoices)
        .default('high'),
    )
    .option('--min-stage <pillar=stage>', 'exit 1 when a pillar (or "overall") is below a stage, e.g. identity=advanced (repeatable)', collect, [])
    .option('--gate-per-target', '--min-stage holds for every account, cluster and tenant on its own too (a pillar where the target has evidence for it)')
    .option('--min-coverage <ratio>', 'exit 3 when fewer than this share (0..1) of the 37 ZTMM rows could be assessed')
    .option('--allow-incomplete', 'do not exit 3 when part of a source could not be read (denied, failed, skipped); the gaps are still reported')
    .option('--baseline <file>', 'fail only on findings not in this baseline and on stage regressions (see `zt baseline`)')
    .option('--include-passes', 'list passing resources in the report too (JSON, JUnit test case per resource)')
    .option('--rule <id|glob>', 'evaluate only these rules, e.g. ZT-IDN-* (repeatable); the others are not evaluated, so no stage they gate is proven', collect, [])
    .option('--skip-rule <id|glob>', 'do not evaluate these rules (repeatable); as for --rule, the report says it was scoped', collect, [])
    .option('--namespace <glob>', 'evaluate only Kubernetes namespaced objects of these namespaces (repeatable); cluster-scoped and other resources are unaffected', collect, [])
    .option('--exclude-namespace <glob>', 'do not evaluate Kubernetes namespaced objects of these namespaces (repeatable)', collect, [])
    .addOption(new Option('--severity <severity>', 'list only findings of this severity or higher; what is scored and gated is unchanged (--fail-on gates)').choices(severities))
    .option('--details', 'table: list every failing finding with its message (default: findings grouped by rule, with counts)')
    .option('--no-color', 'no colour in table output (NO_COLOR and FORCE_COLOR are honoured)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok · 1 a gate failed · 2 invalid input · 3 incomplete audit · 4 internal error · 130 interrupted\n' +
        '\nExamples:\n  zt audit --demo\n  zt audit --snapshot snap.json --format json > report.json\n' +
        `  zt audit --snapshot snap.json -o ${sarifExample} --fail-on critical --min-stage identity=initial`,
    )
    .action(async (values: Record<string, unknown>, command: Command) => {
      // Defaults for flags not given: ZT_<FLAG>, then .zt/config.yaml's audit: section.
      const { auditFlagDefaults } = await import('./flag-defaults.js');
      const options = await auditFlagDefaults(values, (key) => command.getOptionValueSource(key) === 'cli', io);
      // Snapshot files are read while the audit's modules and rules load.
      const [{ readAhead }, { snapshotFiles }] = await Promise.all([import('../inventory/read-ahead.js'), import('../inventory/snapshot-folder.js')]);
      const given = (options.snapshot as string[]).map((p) => resolve(io.cwd, p));
      let files: string[] = [];
      try {
        files = snapshotFiles(given);
      } catch {
        // A folder without snapshots: nothing to read ahead; the audit reports it (exit 2).
      }
      const prefetched = readAhead(files);
      const [{ runAudit, auditOptions }, { commandOptions }] = await Promise.all([import('./commands/audit.js'), import('./input-options.js')]);
      state.exitCode = await runAudit(auditOptions(commandOptions(options)), io, state, prefetched);
    });

  program
    .command('diff')
    .description('compare two JSON reports: new failures, fixed, waivers, rules and stage changes')
    .argument('<old>', 'the earlier report (zt audit -f json)')
    .argument('<new>', 'the later report')
    .addOption(new Option('-f, --format <format>', 'output format').choices(diffFormats).default('table'))
    .action(async (oldFile: string, newFile: string, options: { format: DiffFormat }) => {
      const { runDiff } = await import('./commands/diff.js');
      state.exitCode = await runDiff(oldFile, newFile, options.format, io);
    });

  const accessReview = program
    .command('access-review')
    .description('quarterly access review: who holds what privilege across IdP, AWS and Kubernetes, and what changed');
  addInputOptions(accessReview, addSourceFlags)
    // review/render.ts's reviewFormats, written out: importing it would load the review's
    // renderers for every command's --help (a test checks the two lists agree).
    .addOption(new Option('-f, --format <format>', 'output format (default on stdout: table on a terminal, else markdown); also of the files a bare -o names').choices(accessReviewFormats))
    .option('-o, --output <[format=]path>', 'write a format to a file, e.g. html=review.html, or review.html (the format from -f, else from the extension); repeatable', collect, [])
    .option('--previous <file>', 'last review (JSON): add what changed since, i.e. access granted, removed, escalated, de-escalated')
    .option('--identity-map <file>', 'EKS aws-auth / access entries and IdP group → AWS role mappings the data lacks (YAML or JSON)')
    .option('--pseudonymise', "replace people's identities with stable pseudonyms (HMAC) for sharing outside the review group")
    .option('--pseudonym-key <key>', 'secret key for --pseudonymise (default: ZT_PSEUDONYM_KEY, else a random key per run)')
    .option('--stale-days <days>', 'flag access unused for more than this many days (default: 90)')
    .option('--key-max-age <days>', 'flag active access keys older than this many days (default: 90)')
    .option('--start-campaign <file>', 'start a review campaign: write the pack\'s rows, reviewers and revocation targets to this new file (for record and status)')
    .option('--due <date>', 'with --start-campaign: the day decisions are due (YYYY-MM-DD)')
    .option('--split-by <what>', '"reviewer": write -o csv=<folder>/ as one CSV per reviewer')
    .option('--plane <plane>', 'review only grants of this plane: identity, aws or kubernetes (repeatable)', collect, [])
    .option('--source <glob>', 'review only grants whose principal lives in, or whose grant applies to, these systems, e.g. aws:1111*, k8s:prod, okta:* (repeatable)', collect, [])
    .option('--namespace <glob>', 'review only Kubernetes grants and service accounts of these namespaces (repeatable); cluster-wide grants and other planes are unaffected', collect, [])
    .option('--exclude-namespace <glob>', 'leave out Kubernetes grants and service accounts of these namespaces (repeatable)', collect, [])
    .addHelpText('after', '\nExamples:\n  zt access-review --demo -o html=review.html\n  zt access-review --snapshot q4.json -f csv --previous q3-review.json > q4-review.csv')
    .action(async (options: Record<string, unknown>) => {
      const [{ runAccessReview, accessReviewOptions }, { commandOptions }] = await Promise.all([import('./commands/access-review.js'), import('./input-options.js')]);
      state.exitCode = await runAccessReview(accessReviewOptions(commandOptions(options)), io);
    });
  accessReview
    .command('record')
    .description('take filled-in review CSVs back: check them against the campaign\'s pack and store the decisions in it')
    .argument('<files...>', 'filled-in CSV files, or folders of them')
    .requiredOption('--campaign <file>', 'the campaign file started with zt access-review --start-campaign')
    .option('--by <who>', 'who records (default: ZT_RECORDED_BY, else git config user.email)')
    .option('--at <time>', 'when, YYYY-MM-DD or an ISO date-time (default: now); decisions may not be dated after it')
    .action(async (files: string[], options: { campaign: string; by?: string; at?: string }) => {
      const { runRecord } = await import('./commands/access-campaign.js');
      state.exitCode = await runRecord(files, options, io);
    });
  accessReview
    .command('status')
    .description('where a campaign stands: decided per reviewer, plane and privilege, overdue reviewers, changes to carry out')
    .argument('<campaign>', 'the campaign file')
    // Not -f/--format: access-review's own -f would take it (commander gives a parent's options precedence).
    .option('--json', 'write the status as JSON on stdout (default: a table)')
    .option('--changes <format=path>', 'write the revocations and modifications to carry out: csv=<path> or json=<path> (repeatable)', collect, [])
    .option('--at <date>', 'judge overdue on this day, YYYY-MM-DD (default: today)')
    .action(async (campaign: string, options: { json?: boolean; changes: string[]; at?: string }) => {
      const { runStatus } = await import('./commands/access-campaign.js');
      state.exitCode = await runStatus(campaign, options, io);
    });
  accessReview
    .command('evidence')
    .description('the sign-off evidence of a campaign: a self-contained HTML, a manifest with every decision and the SHA-256 of every file, in a new folder')
    .argument('<campaign>', 'the campaign file')
    .requiredOption('--out <folder>', 'the folder to write (new or empty): evidence.html, manifest.json, SHA256SUMS, copies of the files it rests on')
    .option('--verification <review.json>', "next quarter's review (JSON) made with --previous <campaign>: the revocations it verified")
    .option('--attach <file>', 'a further file to keep and hash with the evidence (the pack, the snapshot…); repeatable', collect, [])
    .option('--at <date>', 'judge counts and overdue on this day, YYYY-MM-DD (default: the day of the last recording)')
    .action(async (campaign: string, options: { out: string; verification?: string; attach: string[]; at?: string }) => {
      const { runEvidence } = await import('./commands/access-campaign.js');
      state.exitCode = await runEvidence(campaign, options, io);
    });

  const network = program
    .command('network')
    .description('ask the network: who can reach whom through the NetworkPolicies, on which ports, and why')
    .addHelpText(
      'after',
      '\nEndpoints: ns/name, ns/Kind/name, ns/label=value[,label=value], ns/*, */label=value, ip:<address>, cidr:<range>, internet\n' +
        '\nExamples:\n  zt network can-reach shop/web shop/db --port 5432/TCP --manifests k8s/\n  zt network who-can-reach payments/api --kubernetes\n' +
        '  zt network matrix --namespace shop --snapshot snap.json -f mermaid\n  zt network matrix --kubernetes -f html -o network.html',
    );
  const runNetworkQuery = async (query: Record<string, unknown>, options: Record<string, unknown>) => {
    const [{ runNetwork, networkOptions }, { commandOptions }] = await Promise.all([import('./commands/network.js'), import('./input-options.js')]);
    state.exitCode = await runNetwork(query as never, networkOptions(commandOptions(options)), io);
  };
  addNetworkOptions(
    network
      .command('can-reach')
      .description('may <from> open a connection to <to>? per port and protocol, with the policies, rules and peers that decide it')
      .argument('<from>', 'source endpoint')
      .argument('<to>', 'destination endpoint')
      .option('--port <port>', 'only this port: 80, 80/TCP, 53/UDP, or a container port name of the destination (http, http/TCP)'),
    addSourceFlags,
  ).action(async (from: string, to: string, options: Record<string, unknown>) => {
    await runNetworkQuery({ kind: 'can-reach', from, to, port: options.port }, options);
  });
  for (const [name, description] of [
    ['who-can-reach', 'every workload (and outside address) that may open a connection to <endpoint>, by namespace, with ports'],
    ['reachable-from', 'every workload (and outside address) <endpoint> may open a connection to, by namespace, with ports'],
  ] as const) {
    addNetworkOptions(network.command(name).description(description).argument('<endpoint>', 'a workload, selector or address'), addSourceFlags).action(
      async (endpoint: string, options: Record<string, unknown>) => {
        await runNetworkQuery({ kind: name, endpoint }, options);
      },
    );
  }
  addNetworkOptions(
    network
      .command('matrix')
      .description('who reaches whom: workload × workload (or namespace × namespace), computed over connectivity classes')
      .option('--namespace <ns>', 'only workloads of this namespace (repeatable)', collect, [])
      .addOption(new Option('--by <axis>', 'rows and columns').choices(['workload', 'namespace']).default('workload')),
    addSourceFlags,
  ).action(async (options: Record<string, unknown>) => {
    await runNetworkQuery({ kind: 'matrix', namespaces: options.namespace, by: options.by }, options);
  });
  network
    .command('diff')
    .description('the connections a change opens and closes, with ports and the policies responsible')
    .argument('<before>', 'manifests (file or folder) or a snapshot (file or folder) before the change; with --kubernetes, give only <after>')
    .argument('[after]', 'the same after the change')
    .option('--kubernetes', 'the live cluster of the current kubeconfig context is the before side, read as `zt audit --kubernetes` reads it')
    .option('--context <name>', 'kubeconfig context of that live cluster (implies --kubernetes)')
    .option('--kubeconfig <path>', 'kubeconfig file to use (implies --kubernetes; default $KUBECONFIG or ~/.kube/config)')
    .option('--cluster-name <name>', 'name the live cluster (default: its kubeconfig cluster name)')
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file (a TLS-inspecting proxy)')
    .option('--fail-on-new-path <endpoint>', 'exit 1 when an opened connection reaches these workloads (ns/name, ns/label=value, */label=value; repeatable)', collect, [])
    .option('--cluster <name>', 'the cluster to compare when an input holds several')
    .addOption(new Option('-f, --format <format>', 'output format (sarif: each opened path at the policy rule that opens it)').choices(['table', 'markdown', 'json', 'sarif']).default('table'))
    .option('-o, --output <file>', 'write the answer to this file instead of stdout')
    .option('--allow-incomplete', 'do not exit 3 when workloads, namespaces or NetworkPolicies could not all be read')
    .option('-q, --quiet', 'no progress output on stderr')
    .addHelpText('after', '\nExit codes: 0 ok · 1 a new path reaches a --fail-on-new-path workload · 2 invalid input · 3 incomplete input\n\nExamples:\n  zt network diff main/k8s pr/k8s --fail-on-new-path payments/app=db -f markdown\n  zt network diff --context prod k8s/   # the live cluster before, the manifests after')
    .action(async (before: string, after: string | undefined, options: Record<string, unknown>) => {
      const [{ runNetworkDiff, networkDiffOptions }, { commandOptions }] = await Promise.all([import('./commands/network.js'), import('./input-options.js')]);
      state.exitCode = await runNetworkDiff(networkDiffOptions(before, after, commandOptions(options)), io);
    });

  const baseline = program.command('baseline').description('record an accepted starting point, so CI fails only on what is new');
  for (const mode of ['create', 'update'] as const) {
    addInputOptions(
      baseline
        .command(mode)
        .description(
          mode === 'create'
            ? 'audit now (or read a JSON report) and write a baseline'
            : 'replace an existing baseline with the current state, and say what changed',
        )
        .option('--out <file>', 'the baseline file', '.zt/baseline.json')
        .option('--from-report <file>', 'take the baseline from a JSON report instead of auditing'),
      addSourceFlags,
    ).action(async (options: Record<string, unknown>) => {
      const [{ runBaseline, baselineOptions }, { commandOptions }] = await Promise.all([import('./commands/baseline.js'), import('./input-options.js')]);
      state.exitCode = await runBaseline(mode, baselineOptions(commandOptions(options)), io);
    });
  }

  const collectCommand = program
    .command('collect')
    .description('read the chosen sources now and save a snapshot to audit later with --snapshot')
    .option('--out <file>', 'where to write the snapshot (JSON)')
    .option('--out-dir <dir>', 'write one snapshot per source (account, cluster, tenant) into this folder instead; `zt audit --snapshot <dir>` merges them')
    .option('--config <file>', 'break-glass and service accounts, factor policy (default: ZT_CONFIG, else .zt/config.yaml when it exists)')
    .option('--allow-incomplete', 'do not exit 3 when part of a source could not be read; the snapshot records the gaps either way')
    .option('--as-of <date-time>', AS_OF_DESCRIPTION)
    .option('-q, --quiet', 'no progress output on stderr')
    .action(async (options: Record<string, unknown>) => {
      const [{ runCollect }, { commandOptions }] = await Promise.all([import('./commands/collect.js'), import('./input-options.js')]);
      state.exitCode = await runCollect(commandOptions(options), io);
    });
  addSourceFlags(collectCommand);

  const doctorCommand = program
    .command('doctor')
    .description('check the chosen live sources: the credential found, whether the API answers and how fast, and every permission zt needs (exit 0 when all is in place, 3 otherwise)')
    .addOption(new Option('-f, --format <format>', 'output format on stdout: table or json (default: table)').choices(['table', 'json']))
    .action(async (options: Record<string, unknown>) => {
      const [{ runDoctor }, { commandOptions }] = await Promise.all([import('./commands/doctor.js'), import('./input-options.js')]);
      state.exitCode = await runDoctor(commandOptions(options), io);
    });
  addSourceFlags(doctorCommand);

  const rules = program.command('rules').description('list, show, validate and test rules');
  rules
    .command('list')
    .description('list rules')
    .option('--pillar <pillar>', 'only this pillar (identity, devices, networks, applications, data)')
    .option('--severity <severity>', 'only this severity or higher')
    .option('--kind <kind>', 'only rules for this resource kind')
    .option('--rules <path>', 'also load rules from this folder or file (repeatable)', collect, [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (options: Record<string, unknown>) => {
      const [{ listRules }, { commandOptions }] = await Promise.all([import('./commands/rules.js'), import('./input-options.js')]);
      state.exitCode = await listRules(commandOptions(options), io);
    });
  rules
    .command('show')
    .description('show one rule: what it checks, its ZTMM row and stage, remediation')
    .argument('<id>', 'rule id, e.g. ZT-IDN-001')
    .option('--rules <path>', 'also load rules from this folder or file (repeatable)', collect, [])
    .action(async (id: string, options: Record<string, unknown>) => {
      const [{ showRule }, { commandOptions }] = await Promise.all([import('./commands/rules.js'), import('./input-options.js')]);
      state.exitCode = await showRule(id, commandOptions(options), io);
    });
  rules
    .command('validate')
    .description('check rule files (YAML, fields, kinds, ZTMM rows, CEL types) and report every problem')
    .argument('[paths...]', 'rule folders or files (default: the bundled rules)')
    .action(async (paths: string[]) => {
      const { validateRules } = await import('./commands/rules.js');
      state.exitCode = await validateRules(paths, io);
    });
  rules
    .command('test')
    .description('run rules against their cases files (<slug>.cases.yaml beside each rule)')
    .argument('[paths...]', 'rule folders or files (default: the bundled rules and their cases)')
    .action(async (paths: string[]) => {
      const { testRules } = await import('./commands/rules.js');
      state.exitCode = await testRules(paths, io);
    });
  rules
    .command('kinds')
    .description('list resource kinds and the fields rules can use (collected and derived)')
    .argument('[kind]', 'show the fields of one kind')
    .action(async (kind: string | undefined) => {
      const { listKinds } = await import('./commands/rules.js');
      state.exitCode = await listKinds(kind, io);
    });
  program
    .command('plugins')
    .description('zt plugins: sources, kinds and rules from npm packages (docs/plugins.md)')
    .command('list')
    .description('list the configured plugins: name, version, plugin API version, sources, kinds, rules')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (options: Record<string, unknown>) => {
      const { listPlugins } = await import('./commands/plugins.js');
      state.exitCode = await listPlugins(options.format === 'json' ? 'json' : 'table', io);
    });
  addPluginOption(program);
  refuseRepeatedFlags(program);
  usageErrorsAsZtErrors(program);
  return program;
}

/** Set once a run in this process has looked for plugins: later runs must reset what it activated. */
let pluginsLoaded = false;

/** Whether the run can name a plugin at all: a --plugin flag, or a project config to read. Without one, nothing is loaded. */
function mayNamePlugins(argv: readonly string[], io: Io): boolean {
  return (
    argv.some((a) => a === '--plugin' || a.startsWith('--plugin=') || a === '--config' || a.startsWith('--config=')) ||
    Boolean(io.env.ZT_CONFIG) ||
    existsSync(resolve(io.cwd, '.zt', 'config.yaml'))
  );
}

/** `--plugin` on every command that loads plugins (read before commander parses: cli/plugins.ts). */
function addPluginOption(program: Command): void {
  const visit = (command: Command, top: string | undefined): void => {
    for (const sub of command.commands) visit(sub, top ?? sub.name());
    if (top !== undefined && command.commands.length === 0 && pluginCommands.has(top)) {
      command.option('--plugin <name|path>', 'load a zt plugin: an npm package name or a path (repeatable; also `plugins:` in .zt/config.yaml)', collect, []);
    }
  };
  visit(program, undefined);
}

const pluginCommands = new Set(['audit', 'access-review', 'baseline', 'collect', 'doctor', 'network', 'rules', 'plugins']);
