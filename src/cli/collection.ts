import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandOptions } from '../collectors/source-options.js';
import { sources } from '../collectors/sources.js';
import type { Collector, CollectorContext } from '../collectors/types.js';
import { defaultConfig, readConfig, type ZtConfig } from '../config/config.js';
import { Redactor } from '../text/redact.js';
import type { Io } from './io.js';

/** Builds the collectors the options ask for; each source's code loads only if chosen. */
export async function chosenCollectors(options: CommandOptions, io: Io): Promise<Collector[]> {
  const collectors: Collector[] = [];
  for (const source of sources) collectors.push(...(await source.collectors(options, { cwd: io.cwd, env: io.env })));
  return collectors;
}

/** One run's context: its own Redactor, which the collectors fill with the credentials they use. */
export function collectorContext(io: Io, progress: (message: string) => void, signal: AbortSignal, config: ZtConfig): CollectorContext {
  return { signal, progress, now: io.now(), env: io.env, cwd: io.cwd, config, redactor: new Redactor(), ...(io.stdin ? { stdin: io.stdin } : {}) };
}

/** --config, else .zt/config.yaml when it exists, else the defaults. */
export async function loadProjectConfig(configFile: string | undefined, io: Io): Promise<ZtConfig> {
  const given = configFile ?? (existsSync(resolve(io.cwd, '.zt', 'config.yaml')) ? '.zt/config.yaml' : undefined);
  if (!given) return defaultConfig;
  return readConfig(resolve(io.cwd, given), given);
}
