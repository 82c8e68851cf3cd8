import type { Command } from './commander.js';
import { networkFlags } from '../collectors/network.js';
import { sources } from '../collectors/sources.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds every source's flags (e.g. --kubernetes, --manifests) to a command, and the network flags all live sources share (--ca-file), once. */
export function addSourceFlags(command: Command): Command {
  for (const flag of networkFlags) command.option(flag.flags, flag.description);
  for (const source of sources) {
    for (const flag of source.flags) {
      if (flag.repeatable) command.option(flag.flags, flag.description, collect, []);
      else command.option(flag.flags, flag.description);
    }
  }
  return command;
}
