import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { sources } from '../collectors/sources.js';
import type { Collector, CollectorContext } from '../collectors/types.js';
import { defaultConfig, readConfig, type ZtConfig } from '../config/config.js';
import type { Io } from './io.js';

/** Builds the collectors the options ask for; each source's code loads only if chosen. */
export async function chosenCollectors(options: Readonly<Record<string, unknown>>): Promise<Collector[]> {
  const collectors: Collector[] = [];
  for (const source of sources) {
    if (!source.chosen(options)) continue;
    const build = await source.load();
    collectors.push(...build(options));
  }
  return collectors;
}

export function collectorContext(io: Io, progress: (message: string) => void, signal: AbortSignal, config: ZtConfig): CollectorContext {
  return { signal, progress, now: io.now(), env: io.env, cwd: io.cwd, config, ...(io.stdin ? { stdin: io.stdin } : {}) };
}

/** --config, else .zt/config.yaml when it exists, else the defaults. */
export async function loadProjectConfig(options: Readonly<Record<string, unknown>>, io: Io): Promise<ZtConfig> {
  const given = typeof options.config === 'string' ? options.config : existsSync(resolve(io.cwd, '.zt', 'config.yaml')) ? '.zt/config.yaml' : undefined;
  if (!given) return defaultConfig;
  return readConfig(resolve(io.cwd, given), given);
}
