import type { Command } from './commander.js';
import { ZtError } from '../errors/zt-error.js';
import { networkFlags } from '../collectors/network.js';
import { activeSources } from '../collectors/sources.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds every source's flags (e.g. --kubernetes, --manifests) to a command, and the network flags all live sources share (--ca-file), once. */
export function addSourceFlags(command: Command): Command {
  for (const flag of networkFlags) command.option(flag.flags, flag.description);
  for (const source of activeSources()) {
    for (const flag of source.flags) {
      const long = /--[a-z0-9-]+/i.exec(flag.flags)?.[0];
      if (command.options.some((option) => option.long === long)) {
        throw new ZtError('ZT_PLUGIN_CONFLICT', `source ${source.id} declares ${long}, which \`zt ${command.name()}\` already has`);
      }
      if (flag.repeatable) command.option(flag.flags, flag.description, collect, []);
      else command.option(flag.flags, flag.description);
    }
  }
  return command;
}
