import { resolve } from 'node:path';
import { EndpointError } from '../../analysis/kubernetes/network-query/endpoints.js';
import { connectivityMatrix } from '../../analysis/kubernetes/network-query/matrix.js';
import { parseQueryPort, PortError, type QueryPort } from '../../analysis/kubernetes/network-query/query-port.js';
import type { NetworkResult } from '../../analysis/kubernetes/network-query/results.js';
import { internalIssues } from '../../app/gate.js';
import { loadInputs } from '../../app/inputs.js';
import { networkSubject, type NetworkSubject } from '../../app/network.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import { snapshotFiles } from '../../inventory/snapshot-folder.js';
import type { Snapshot } from '../../inventory/snapshot.js';
import { networkFormats, renderNetwork, type NetworkFormat } from '../../network/render.js';
import { checkAsOf, chosenCollectors, collectorContext, loadProjectConfig } from '../collection.js';
import { exitCodeFor } from '../exit-codes.js';
import type { Io } from '../io.js';
import { startProgress } from '../progress.js';
import { writeOutput } from '../write-output.js';

/** `zt network …`: reachability questions over one cluster's NetworkPolicies, read as `zt audit` reads its inputs. */

export type NetworkQuery =
  | { readonly kind: 'can-reach'; readonly from: string; readonly to: string; readonly port: string | undefined }
  | { readonly kind: 'who-can-reach'; readonly endpoint: string }
  | { readonly kind: 'reachable-from'; readonly endpoint: string }
  | { readonly kind: 'matrix'; readonly namespaces: readonly string[]; readonly by: string };

export interface NetworkOptions {
  readonly demo: boolean;
  readonly snapshots: readonly string[];
  readonly preferLatest: boolean;
  readonly config: string | undefined;
  readonly asOf: Date | undefined;
  readonly quiet: boolean;
  readonly cluster: string | undefined;
  readonly format: NetworkFormat;
  readonly allowIncomplete: boolean;
  readonly sources: CommandOptions;
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
      return queries.canReach(query.from, query.to, port, subject.layersOf);
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

/** Reads the inputs the options name (as `zt audit` does) into one snapshot. */
export async function readNetworkInputs(options: NetworkOptions, io: Io): Promise<Snapshot> {
  const config = await loadProjectConfig(options.config, io);
  const { collectors, network } = await chosenCollectors(options.sources, io);
  checkAsOf(options.asOf, collectors, options.snapshots);
  const progress = await startProgress(io, options.quiet);
  const controller = new AbortController();
  try {
    progress.update('Reading inputs');
    return await loadInputs({
      demo: options.demo,
      snapshots: snapshotFiles(options.snapshots.map((p) => resolve(io.cwd, p))),
      preferLatest: options.preferLatest,
      collectors,
      ...(options.asOf ? { asOf: options.asOf } : {}),
      context: collectorContext(io, (m) => progress.update(m), controller.signal, config, network),
    });
  } finally {
    progress.stop();
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
  const snapshot = await readNetworkInputs(options, io);
  const subject = networkSubject(snapshot, options.cluster);
  let result: NetworkResult;
  try {
    result = answer(subject, query, port);
  } catch (error) {
    throw asUsageError(error);
  }
  await writeOutput(io, options.format, undefined, [renderNetwork(result, options.format)]);
  for (const gap of subject.gaps) {
    io.stderr(`${options.allowIncomplete ? '!' : '✖'} incomplete: ${gap}: a policy or workload zt did not see may change these answers${options.allowIncomplete ? '' : ' (exit 3; --allow-incomplete accepts it)'}\n`);
  }
  const internal = internalIssues(snapshot.issues);
  for (const issue of internal) io.stderr(`✖ internal: ${issue.collector}: ${issue.code}, a bug in zt: ${issue.message} (exit 4)\n`);
  return exitCodeFor({ kind: 'completed', internal: internal.length > 0, incomplete: subject.gaps.length > 0 && !options.allowIncomplete, gateFailed: false });
}
