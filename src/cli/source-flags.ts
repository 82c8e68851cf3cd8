import type { Command } from 'commander';
import type { CollectorContext, Collector } from '../collectors/types.js';
import { sources } from '../collectors/sources.js';
import type { Io } from './io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds every source's flags (e.g. --kubernetes, --manifests) to a command. */
export function addSourceFlags(command: Command): Command {
  for (const source of sources) {
    for (const flag of source.flags) {
      if (flag.repeatable) command.option(flag.flags, flag.description, collect, []);
      else command.option(flag.flags, flag.description);
    }
  }
  return command;
}

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

export function collectorContext(io: Io, progress: (message: string) => void, signal: AbortSignal): CollectorContext {
  return { signal, progress, now: io.now(), env: io.env, cwd: io.cwd };
}
