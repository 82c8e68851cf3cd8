import type * as Commander from 'commander';
import { createRequire } from 'node:module';

// commander is CommonJS. Loading it through require() skips the ESM wrapper and Node's
// scan of its source for named exports: a measurable part of `zt --help` start-up.
const require = createRequire(import.meta.url);
const commander = require('commander') as typeof Commander;

export const { Command, CommanderError, InvalidArgumentError, Option } = commander;
export type Command = Commander.Command;
export type CommanderError = Commander.CommanderError;
