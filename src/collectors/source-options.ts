import { ZtError } from '../errors/zt-error.js';
import { parseIsoDateTime } from '../text/as-of-text.js';

/**
 * The parsed command line as a source (or a command) reads it: typed accessors over
 * commander's option bag. A value of the wrong type (a flag given a value, a repeatable
 * flag's list replaced) is a usage error naming the flag (exit 2), never a cast.
 */
export class CommandOptions {
  private readonly values: Readonly<Record<string, unknown>>;

  constructor(values: Readonly<Record<string, unknown>>) {
    this.values = values;
  }

  /** A `--flag <value>` option; undefined when absent. */
  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw wrongType(name, 'a value');
    return value;
  }

  /** A `--flag <value>` option that may not be empty; undefined when absent or empty. */
  nonEmpty(name: string): string | undefined {
    const value = this.string(name);
    return value === '' ? undefined : value;
  }

  /** A repeatable option (commander collects it into a list); [] when absent. */
  strings(name: string): readonly string[] {
    const value = this.values[name];
    if (value === undefined) return [];
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw wrongType(name, 'values');
    return value;
  }

  /** A boolean switch (`--flag`, or `--no-flag` for a default-on one); `fallback` when absent. */
  flag(name: string, fallback = false): boolean {
    const value = this.values[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw wrongType(name, 'no value');
    return value;
  }

  /** An ISO 8601 date-time with its time zone (`2026-03-01T09:00:00Z`, `…+01:00`); undefined when absent. */
  dateTime(name: string): Date | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const at = parseIsoDateTime(value);
    if (!at) {
      throw new ZtError('ZT_USAGE', `${flagName(name)} ${JSON.stringify(value)}: expected an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:00:00Z`, {
        hint: `Give the time the input was taken, in UTC (Z) or with its offset (+01:00), e.g. ${flagName(name)} 2026-03-01T09:00:00Z.`,
      });
    }
    return at;
  }

  /** One of a fixed set of values; `fallback` when absent. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!(choices as readonly string[]).includes(value)) {
      throw new ZtError('ZT_USAGE', `${flagName(name)} must be one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  }
}

/** `roleArn` → `--role-arn`. */
export function flagName(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function wrongType(name: string, expected: string): ZtError {
  return new ZtError('ZT_USAGE', `${flagName(name)} takes ${expected}`, { hint: `See \`zt <command> --help\` for ${flagName(name)}.` });
}
