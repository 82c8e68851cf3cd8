import { resolve } from 'node:path';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { networkDiff } from '../../analysis/kubernetes/network-query/diff.js';
import { EndpointError, resolveEndpoint } from '../../analysis/kubernetes/network-query/endpoints.js';
import { NETWORK_RESULT_VERSION } from '../../analysis/kubernetes/network-query/results.js';
import { connectivityMatrix } from '../../analysis/kubernetes/network-query/matrix.js';
import { explainMatrix } from '../../analysis/kubernetes/network-query/matrix-explanations.js';
import { parseQueryPort, PortError, type QueryPort } from '../../analysis/kubernetes/network-query/query-port.js';
import type { NetworkResult } from '../../analysis/kubernetes/network-query/results.js';
import { internalIssues } from '../../app/gate.js';
import { manifestPlaces, networkSubject, type NetworkSubject } from '../../app/network.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import type { Snapshot } from '../../inventory/snapshot.js';
import { diffFormats, renderNetworkDiff, type NetworkDiffFormat } from '../../network/render-diff.js';
import { renderNetworkDiffSarif } from '../../network/render-diff-sarif.js';
import { renderNetworkHtml } from '../../network/render-html.js';
import { networkFormats, renderNetwork, type NetworkFormat } from '../../network/render.js';
import { commandOptions } from '../input-options.js';
import { exitCodeFor } from '../exit-codes.js';
import { checkWritable } from '../output-plan.js';
import type { Io } from '../io.js';
import { type InputFlags, readInputs } from '../read-inputs.js';
import { toolVersion } from '../version.js';
import { writeOutput } from '../write-output.js';

/** `zt network …`: reachability questions over one cluster's NetworkPolicies, read as `zt audit` reads its inputs. */

export type NetworkQuery =
  | { readonly kind: 'can-reach'; readonly from: string; readonly to: string; readonly port: string | undefined }
  | { readonly kind: 'who-can-reach'; readonly endpoint: string }
  | { readonly kind: 'reachable-from'; readonly endpoint: string }
  | { readonly kind: 'matrix'; readonly namespaces: readonly string[]; readonly by: string };

export interface NetworkOptions extends InputFlags {
  readonly cluster: string | undefined;
  readonly format: NetworkFormat;
  /** -o: a file instead of stdout. */
  readonly output: string | undefined;
  readonly allowIncomplete: boolean;
}

export function networkOptions(options: CommandOptions): NetworkOptions {
  return {
    demo: options.flag('demo'),
    snapshots: options.strings('snapshot'),
    preferLatest: options.flag('preferLatest'),
    config: options.string('config'),
    asOf: options.dateTime('asOf'),
    quiet: options.flag('quiet'),
    cluster: options.string('cluster'),
    format: options.choice<NetworkFormat>('format', networkFormats, 'table'),
    output: options.string('output'),
    allowIncomplete: options.flag('allowIncomplete'),
    sources: options,
  };
}

/** Endpoint and port mistakes are the user's: exit 2 with the fix. */
function asUsageError(error: unknown): unknown {
  if (error instanceof EndpointError) return new ZtError('ZT_NETWORK_ENDPOINT', error.message, { hint: error.hint });
  if (error instanceof PortError) return new ZtError('ZT_NETWORK_PORT', error.message, { hint: error.hint });
  return error;
}

function answer(subject: NetworkSubject, query: NetworkQuery, port: QueryPort | null): NetworkResult {
  const { queries } = subject;
  switch (query.kind) {
    case 'can-reach':
      return queries.canReach(query.from, query.to, port, subject.layersOf, subject.connectionLayer);
    case 'who-can-reach':
      return queries.reachSets(query.endpoint, 'in');
    case 'reachable-from':
      return queries.reachSets(query.endpoint, 'out');
    case 'matrix':
      return connectivityMatrix(queries, { namespaces: query.namespaces, by: query.by === 'namespace' ? 'namespace' : 'workload' });
    default:
      return query satisfies never;
  }
}

export async function runNetwork(query: NetworkQuery, options: NetworkOptions, io: Io): Promise<number> {
  // A malformed port is a typo: said before any input is read.
  let port: QueryPort | null = null;
  try {
    if (query.kind === 'can-reach' && query.port !== undefined) port = parseQueryPort(query.port);
  } catch (error) {
    throw asUsageError(error);
  }
  if (query.kind === 'matrix' && query.by !== 'workload' && query.by !== 'namespace') {
    throw new ZtError('ZT_USAGE', `--by ${query.by}: expected workload or namespace`);
  }
  if (options.format === 'html' && query.kind !== 'matrix') {
    throw new ZtError('ZT_USAGE', `-f html draws the connectivity matrix and graph: it is a format of zt network matrix, not of ${query.kind}`, {
      hint: 'zt network matrix [--namespace ns] -f html -o network.html; click a cell there for what can-reach would say.',
    });
  }
  const output = options.output === undefined ? undefined : resolve(io.cwd, options.output);
  if (output !== undefined) await checkWritable([{ format: options.format, path: output }]);
  const snapshot = await readInputs(options, io);
  const subject = networkSubject(snapshot, options.cluster);
  let result: NetworkResult;
  try {
    result = answer(subject, query, port);
  } catch (error) {
    throw asUsageError(error);
  }
  let rendered: string;
  if (options.format === 'html') {
    if (result.query !== 'matrix') throw new Error('html renders a matrix');
    rendered = renderNetworkHtml(result, explainMatrix(subject.queries, result, subject.layersOf, subject.connectionLayer), { version: toolVersion() });
  } else rendered = renderNetwork(result, options.format, io.columns);
  await writeOutput(io, options.format, output, [rendered]);
  for (const gap of subject.gaps) {
    io.stderr(`${options.allowIncomplete ? '!' : '✖'} incomplete: ${gap}: a policy or workload zt did not see may change these answers${options.allowIncomplete ? '' : ' (exit 3; --allow-incomplete accepts it)'}\n`);
  }
  const internal = internalIssues(snapshot.issues);
  for (const issue of internal) io.stderr(`✖ internal: ${issue.collector}: ${issue.code}, a bug in zt: ${issue.message} (exit 4)\n`);
  return exitCodeFor({ kind: 'completed', internal: internal.length > 0, incomplete: subject.gaps.length > 0 && !options.allowIncomplete, gateFailed: false });
}

/** One side of a diff: manifests or a snapshot (file or folder), or the live cluster --kubernetes reads. */
export type DiffSide = { readonly kind: 'path'; readonly path: string } | { readonly kind: 'live'; readonly sources: CommandOptions };

export interface NetworkDiffOptions {
  readonly before: DiffSide;
  readonly after: DiffSide;
  readonly cluster: string | undefined;
  readonly format: NetworkDiffFormat;
  /** --fail-on-new-path: endpoints (ns/name, ns/label=value, …) that count as sensitive. */
  readonly failOnNewPath: readonly string[];
  /** -o: a file instead of stdout. */
  readonly output: string | undefined;
  readonly allowIncomplete: boolean;
  readonly quiet: boolean;
}

/**
 * `zt network diff <before> <after>`, or `zt network diff --kubernetes <after>`: the live
 * cluster (current context, --context, --kubeconfig) is then the before side, read with the
 * flags and code of `zt audit --kubernetes`.
 */
export function networkDiffOptions(first: string, second: string | undefined, options: CommandOptions): NetworkDiffOptions {
  const context = options.string('context');
  const kubeconfig = options.string('kubeconfig');
  const live = options.flag('kubernetes') || context !== undefined || kubeconfig !== undefined;
  const usage = 'zt network diff <before> <after>, or zt network diff --kubernetes [--context <name>] <after>';
  if (live && second !== undefined) {
    throw new ZtError('ZT_USAGE', `with --kubernetes the live cluster is the before side: give only <after> (got ${first} and ${second})`, { hint: usage });
  }
  if (!live && second === undefined) throw new ZtError('ZT_USAGE', `network diff needs two inputs, or --kubernetes and one (got only ${first})`, { hint: usage });
  if (!live && options.string('clusterName') !== undefined) throw new ZtError('ZT_USAGE', '--cluster-name names a live cluster: it needs --kubernetes, --context or --kubeconfig', { hint: usage });
  const liveSources = commandOptions({
    kubernetes: true,
    ...(context !== undefined ? { context: [context] } : {}),
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    ...(options.string('clusterName') !== undefined ? { clusterName: options.string('clusterName') } : {}),
    ...(options.string('caFile') !== undefined ? { caFile: options.string('caFile') } : {}),
  });
  return {
    before: live ? { kind: 'live', sources: liveSources } : { kind: 'path', path: first },
    after: { kind: 'path', path: second ?? first },
    cluster: options.string('cluster'),
    format: options.choice<NetworkDiffFormat>('format', diffFormats, 'table'),
    failOnNewPath: options.strings('failOnNewPath'),
    output: options.string('output'),
    allowIncomplete: options.flag('allowIncomplete'),
    quiet: options.flag('quiet'),
  };
}

/** A zt snapshot (a .json file with schemaVersion and resources), or a folder holding one. */
async function isSnapshotInput(path: string): Promise<boolean> {
  const looksLikeSnapshot = async (file: string) => {
    try {
      const head = (await readFile(file, 'utf8')).slice(0, 4096);
      return /^\s*\{[\s\S]*"schemaVersion"\s*:/.test(head);
    } catch {
      return false;
    }
  };
  const info = await stat(path).catch(() => null);
  if (!info) throw new ZtError('ZT_FILE_UNREADABLE', `${path}: no such file or folder`, { hint: 'Give two manifest folders (or files) or two snapshots: zt network diff <before> <after>.' });
  if (info.isFile()) return path.endsWith('.json') && looksLikeSnapshot(path);
  const names = (await readdir(path)).filter((n) => n.endsWith('.json')).sort();
  for (const n of names) if (await looksLikeSnapshot(join(path, n))) return true;
  return false;
}

/** One side of a diff, read as zt audit reads it: a snapshot (file or folder), manifests, or the live cluster. */
async function readDiffSide(side: DiffSide, options: NetworkDiffOptions, io: Io): Promise<Snapshot> {
  if (side.kind === 'live') return readInputs({ ...sideOptions(options), sources: side.sources }, io);
  const path = resolve(io.cwd, side.path);
  if (await isSnapshotInput(path)) return readInputs({ ...sideOptions(options), snapshots: [side.path] }, io);
  return readInputs({ ...sideOptions(options), sources: commandOptions({ manifests: [side.path] }) }, io);
}

function sideOptions(options: NetworkDiffOptions): NetworkOptions {
  return { demo: false, snapshots: [], preferLatest: false, config: undefined, asOf: undefined, quiet: options.quiet, cluster: options.cluster, format: 'table', output: undefined, allowIncomplete: options.allowIncomplete, sources: commandOptions({}) };
}

export async function runNetworkDiff(options: NetworkDiffOptions, io: Io): Promise<number> {
  const output = options.output === undefined ? undefined : resolve(io.cwd, options.output);
  if (output !== undefined) await checkWritable([{ format: options.format, path: output }]);
  // Files first: a mistake in them is said before a live cluster is contacted.
  const afterSnapshot = await readDiffSide(options.after, options, io);
  const beforeSnapshot = await readDiffSide(options.before, options, io);
  const before = networkSubject(beforeSnapshot, options.cluster);
  const after = networkSubject(afterSnapshot, options.cluster);
  const [b, a] = [before.queries.cluster.source, after.queries.cluster.source];
  // A live side is named by its cluster (`k8s:prod`), a path as given.
  const labels = { before: options.before.kind === 'live' ? b : options.before.path, after: options.after.kind === 'live' ? a : options.after.path };
  if (b !== a && b.startsWith('k8s:') && a.startsWith('k8s:')) {
    throw new ZtError('ZT_NETWORK_CLUSTER', `${labels.before} is cluster ${b} and ${labels.after} is cluster ${a}: a diff compares one cluster before and after a change`, {
      hint: 'Compare two snapshots (or manifest sets) of the same cluster, or a cluster with the manifests meant for it.',
    });
  }
  const sensitive = new Set<string>();
  try {
    for (const spec of options.failOnNewPath) {
      const resolved = resolveEndpoint(after.queries.cluster, spec);
      if (resolved.kind === 'address') throw new EndpointError(`--fail-on-new-path ${spec}: name workloads (ns/name, ns/label=value), not addresses`, 'Sensitive endpoints are the workloads a new path must not reach.');
      if (resolved.workloads.length === 0 && !options.quiet) io.stderr(`note: --fail-on-new-path ${spec} matches no workload in ${labels.after}\n`);
      for (const w of resolved.workloads) sensitive.add(`${w.namespace}/${w.name}`);
    }
  } catch (error) {
    throw asUsageError(error);
  }
  const result = networkDiff(before.queries, after.queries, labels, NETWORK_RESULT_VERSION);
  const gaps = [...before.gaps.map((g) => `${labels.before}: ${g}`), ...after.gaps.map((g) => `${labels.after}: ${g}`)];
  const rendered =
    options.format === 'sarif'
      ? renderNetworkDiffSarif(result, { sensitive, places: manifestPlaces(afterSnapshot, after.queries.cluster.source, io.cwd), tool: { name: 'zt', version: toolVersion() }, gaps })
      : renderNetworkDiff(result, options.format, sensitive, io.columns);
  await writeOutput(io, options.format, output, [rendered]);
  for (const gap of gaps) io.stderr(`${options.allowIncomplete ? '!' : '✖'} incomplete: ${gap}${options.allowIncomplete ? '' : ' (exit 3; --allow-incomplete accepts it)'}\n`);
  const newPaths = result.opened.filter((c) => c.to.some((w) => sensitive.has(w)));
  for (const c of newPaths) {
    io.stderr(`✖ gate: new path ${c.from.slice(0, 3).join(', ')}${c.from.length > 3 ? ', …' : ''} → ${c.to.filter((w) => sensitive.has(w)).join(', ')} on ${c.ports.join(', ')} (exit 1)\n`);
  }
  const internal = [...internalIssues(beforeSnapshot.issues), ...internalIssues(afterSnapshot.issues)];
  for (const issue of internal) io.stderr(`✖ internal: ${issue.collector}: ${issue.code}, a bug in zt: ${issue.message} (exit 4)\n`);
  return exitCodeFor({ kind: 'completed', internal: internal.length > 0, incomplete: gaps.length > 0 && !options.allowIncomplete, gateFailed: newPaths.length > 0 });
}
