import { ZtError } from '../errors/zt-error.js';
import { didYouMean } from '../text/did-you-mean.js';
import type { Command, CommanderError } from './commander.js';

/** Commander's ways out that are not mistakes: help and version were asked for and printed. */
const notMistakes = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version', 'commander.executeSubCommandAsync']);

/** `zt network matrix`: the command's words from the top. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Long flags a command accepts, its parents' included (commander takes those anywhere). */
function flagsOf(command: Command): string[] {
  const flags: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) {
    for (const option of c.options) if (option.long) flags.push(option.long);
  }
  return [...flags, '--help'];
}

/** `--fail-on` from commander's `'--fail-on <severity>'` or `'-f, --format <format>'`. */
function flagName(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags.split(/[ ,]/)[0] ?? flags;
}

/**
 * What commander says, as zt says it: the flag or argument, what was wrong, and one
 * suggestion when the value is close to an accepted one (never the list of them all when
 * there is a close one). Its messages are matched by shape; one we do not know keeps its
 * own words, without commander's "error: " prefix.
 */
function describe(error: CommanderError, command: Command): string {
  const message = error.message.replace(/^error: /, '').split('\n')[0] ?? error.message;
  switch (error.code) {
    case 'commander.unknownOption': {
      const flag = /unknown option '([^']+)'/.exec(message)?.[1];
      if (flag === undefined) return message;
      return `${commandPath(command)} has no option ${flag}${didYouMean(flag, flagsOf(command))}`;
    }
    case 'commander.unknownCommand': {
      const name = /unknown command '([^']+)'/.exec(message)?.[1];
      if (name === undefined) return message;
      const names = command.commands.map((c) => c.name());
      const suggestion = didYouMean(name, names);
      return `${commandPath(command)} has no command "${name}"${suggestion || `; its commands: ${names.join(', ')}`}`;
    }
    case 'commander.invalidArgument': {
      const option = /^option '([^']+)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/s.exec(message);
      if (option) {
        const [, flags = '', value = '', list = ''] = option;
        const choices = list.split(', ');
        const suggestion = didYouMean(value, choices);
        return `${flagName(flags)} ${JSON.stringify(value)}: not one of its values${suggestion || ` (${choices.join(', ')})`}`;
      }
      const argument = /^command-argument value '(.*)' is invalid for argument '([^']+)'\. Allowed choices are (.*)\.$/s.exec(message);
      if (argument) {
        const [, value = '', name = '', list = ''] = argument;
        const choices = list.split(', ');
        return `<${name}> ${JSON.stringify(value)}: not one of its values${didYouMean(value, choices) || ` (${choices.join(', ')})`}`;
      }
      return message.replace(/^option '([^']+)' argument/, (_all, flags: string) => `${flagName(flags)}:`);
    }
    case 'commander.optionMissingArgument': {
      const flags = /^option '([^']+)' argument missing/.exec(message)?.[1];
      return flags === undefined ? message : `${flagName(flags)} needs a value (${flags.replace(/^.*?(<[^>]+>|\[[^\]]+\]).*$/, '$1')})`;
    }
    case 'commander.missingArgument': {
      const name = /missing required argument '([^']+)'/.exec(message)?.[1];
      if (name === undefined) return message;
      const argument = command.registeredArguments.find((a) => a.name() === name);
      return `${commandPath(command)} needs <${name}>${argument?.description ? ` (${argument.description})` : ''}`;
    }
    case 'commander.missingMandatoryOptionValue': {
      const flags = /required option '([^']+)' not specified/.exec(message)?.[1];
      return flags === undefined ? message : `${commandPath(command)} needs ${flags}`;
    }
    case 'commander.excessArguments': {
      const counts = /Expected (\d+) arguments? but got (\d+)/.exec(message);
      if (!counts) return message;
      const names = command.registeredArguments.map((a) => `<${a.name()}>`).join(' ');
      return `${commandPath(command)} takes ${counts[1]} argument${counts[1] === '1' ? '' : 's'}${names ? ` (${names})` : ''}, ${counts[2]} given`;
    }
    default:
      return message;
  }
}

/** A commander error as a ZtError (ZT_USAGE, exit 2), or the error itself when it is help or version output. */
export function usageError(error: CommanderError, command: Command): CommanderError | ZtError {
  if (notMistakes.has(error.code)) return error;
  return new ZtError('ZT_USAGE', describe(error, command), { hint: `Run \`${commandPath(command)} --help\` for its flags and arguments.` });
}

/**
 * Every command's usage mistakes leave as ZtErrors, printed in zt's own format with a code
 * (cli/format-error.ts): commander's own printing of them is silenced in createProgram.
 */
export function usageErrorsAsZtErrors(command: Command): void {
  command.exitOverride((error) => {
    throw usageError(error, command);
  });
  for (const sub of command.commands) usageErrorsAsZtErrors(sub);
}
