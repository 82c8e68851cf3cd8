import { ZtError } from '../errors/zt-error.js';
import type { Command } from './commander.js';

/** The long form of an option (`--fail-on`), or its short one when it has no long form. */
function flagOf(option: { readonly long?: string | undefined; readonly short?: string | undefined; readonly flags: string }): string {
  return option.long ?? option.short ?? option.flags;
}

/**
 * A flag that takes one value, given twice, is an error naming it (exit 2): commander would
 * keep the last silently, and `--context a --context b` auditing only b reads as a pass of a.
 * Repeatable flags collect into a list (their default is an array) and are left alone, as are
 * switches (`--demo --demo` asks for nothing more).
 */
export function refuseRepeatedFlags(command: Command): void {
  for (const option of command.options) {
    if (!option.required && !option.optional) continue;
    if (Array.isArray(option.defaultValue)) continue;
    const seen: string[] = [];
    command.on(`option:${option.name()}`, (value: unknown) => {
      seen.push(String(value));
      if (seen.length < 2) return;
      const flag = flagOf(option);
      throw new ZtError('ZT_USAGE', `${flag} was given more than once (${seen.map((v) => JSON.stringify(v)).join(', then ')}); it takes one value`, {
        hint: `Give ${flag} once.`,
      });
    });
  }
  for (const sub of command.commands) refuseRepeatedFlags(sub);
}
