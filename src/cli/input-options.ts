import { CommandOptions } from '../collectors/source-options.js';

/** What every auditing command (audit, baseline, access-review) reads: inputs, rules, waivers, config. */
export interface InputOptions {
  readonly demo: boolean;
  /** --snapshot files as given (relative to the working directory). */
  readonly snapshots: readonly string[];
  /** --prefer-latest: the same source in several inputs keeps its latest copy instead of being refused. */
  readonly preferLatest: boolean;
  readonly rules: readonly string[];
  readonly onlyRules: boolean;
  readonly waivers: string | undefined;
  readonly config: string | undefined;
  /** --as-of: when the offline input that does not record its own time was taken. */
  readonly asOf: Date | undefined;
  readonly quiet: boolean;
  /** The whole command line, for each source to read its own flags from. */
  readonly sources: CommandOptions;
}

export function inputOptions(options: CommandOptions): InputOptions {
  return {
    demo: options.flag('demo'),
    snapshots: options.strings('snapshot'),
    preferLatest: options.flag('preferLatest'),
    rules: options.strings('rules'),
    onlyRules: options.flag('onlyRules'),
    waivers: options.string('waivers'),
    config: options.string('config'),
    asOf: options.dateTime('asOf'),
    quiet: options.flag('quiet'),
    sources: options,
  };
}

/** commander's option bag as typed accessors (see CommandOptions). */
export function commandOptions(values: Readonly<Record<string, unknown>>): CommandOptions {
  return new CommandOptions(values);
}
