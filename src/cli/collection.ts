import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Network } from '../collectors/network.js';
import { readNetwork } from '../collectors/read-network.js';
import type { CommandOptions } from '../collectors/source-options.js';
import { activeSources } from '../collectors/sources.js';
import type { Collector, CollectorContext } from '../collectors/types.js';
import { defaultConfig, readConfig, type ZtConfig } from '../config/config.js';
import { ZtError } from '../errors/zt-error.js';
import { undatedSources } from '../inventory/as-of.js';
import type { Snapshot } from '../inventory/snapshot.js';
import type { SnapshotSource } from '../model/coverage.js';
import { terminalText } from '../text/terminal-text.js';
import { Redactor } from '../text/redact.js';
import type { Io } from './io.js';

export interface Chosen {
  readonly collectors: Collector[];
  /** How the live ones connect (proxy, --ca-file), checked now: exit 2 before anything is collected. */
  readonly network: Network;
}

/** Builds the collectors the options ask for; each source's code loads only if chosen. */
export async function chosenCollectors(options: CommandOptions, io: Io): Promise<Chosen> {
  const collectors: Collector[] = [];
  for (const source of activeSources()) collectors.push(...(await source.collectors(options, { cwd: io.cwd, env: io.env })));
  const live = collectors.some((c) => c.mode !== 'offline');
  return { collectors, network: readNetwork({ caFile: options.string('caFile'), live, parallel: options.string('parallel') }, { cwd: io.cwd, env: io.env }) };
}

/**
 * One run's context: its own Redactor, which the collectors fill with the credentials they
 * use (the proxy's are registered here, once for all of them); the clock read once (the
 * as-of time of live sources, and only of them).
 */
export function collectorContext(io: Io, progress: (message: string) => void, signal: AbortSignal, config: ZtConfig, network: Network): CollectorContext {
  const redactor = new Redactor();
  redactor.add(...network.proxy.secrets());
  return {
    signal,
    progress,
    now: io.now(),
    env: io.env,
    cwd: io.cwd,
    config,
    network,
    redactor,
    ...(io.stdin ? { stdin: io.stdin } : {}),
    ...(io.debug ? { debug: (text: string) => io.stderr(text) } : {}),
  };
}

/**
 * --as-of dates input that does not say when it was taken: offline collectors' input, and
 * sources of a --snapshot collected that way. Given with neither (live sources only, or
 * --demo), it would date nothing, and silently ignoring it would let a user believe it
 * did: exit 2, before anything is collected.
 */
export function checkAsOf(asOf: Date | undefined, collectors: readonly Collector[], snapshots: readonly string[]): void {
  if (asOf === undefined || snapshots.length > 0 || collectors.some((c) => c.mode === 'offline')) return;
  throw new ZtError('ZT_USAGE', '--as-of dates offline input (exports, manifests, a credential report, a --snapshot of them), and none was given', {
    hint: 'Live sources are as of their collection, and the demo records its time. Drop --as-of, or give the offline input it dates.',
  });
}

/**
 * What stderr says about time (design §10), whatever the format: the sources whose time is
 * unknown (their ages were not measured), and an --as-of that dated nothing because every
 * input records its own time.
 */
export function timeNotes(inventory: Pick<Snapshot, 'collectedAt' | 'sources'>, asOf: Date | undefined, rulesNotEvaluated = 0): string[] {
  const lines: string[] = [];
  const undated = undatedSources(inventory);
  if (undated.length > 0) {
    const one = undated.length === 1;
    lines.push(
      `! time unknown: ${undated.map((s) => terminalText(s.source)).join(', ')} ${one ? 'does' : 'do'} not say when ${one ? 'it was' : 'they were'} taken, ` +
        `so ages cannot be measured from ${one ? 'it' : 'them'}${rulesNotEvaluated > 0 ? ` (${rulesNotEvaluated} rule(s) not evaluated)` : ''}; ` +
        'give --as-of <date-time>, when the input was exported',
    );
  }
  const unused = unusedAsOfNote(inventory.sources, asOf);
  return unused ? [...lines, unused] : lines;
}

/** A note when --as-of dated no source (every input records when it was taken, and keeps that); undefined otherwise. */
export function unusedAsOfNote(sources: readonly SnapshotSource[], asOf: Date | undefined): string | undefined {
  if (asOf === undefined || sources.some((s) => typeof s.asOf === 'string' && Date.parse(s.asOf) === asOf.getTime())) return undefined;
  return 'note: --as-of dated nothing: every input records when it was taken, and keeps that time';
}

/** --config, else ZT_CONFIG, else .zt/config.yaml when it exists, else the defaults. */
export async function loadProjectConfig(configFile: string | undefined, io: Io): Promise<ZtConfig> {
  const given = configFile ?? (io.env.ZT_CONFIG || undefined) ?? (existsSync(resolve(io.cwd, '.zt', 'config.yaml')) ? '.zt/config.yaml' : undefined);
  if (!given) return defaultConfig;
  return readConfig(resolve(io.cwd, given), given);
}
