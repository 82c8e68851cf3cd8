import type { AuditDefaults } from '../config/config.js';
import { ZtError } from '../errors/zt-error.js';
import { severities } from '../model/severity.js';
import { reporterIds } from '../reporters/index.js';
import { didYouMean } from '../text/did-you-mean.js';
import { loadProjectConfig } from './collection.js';
import type { Io } from './io.js';

/** How a flag's value is written in a variable: one value, a comma-separated list, or a switch (true/false). */
type Shape = 'value' | 'list' | 'switch';

interface DefaultedFlag {
  /** The flag's name in camelCase: commander's key and the key of the config file's `audit:` section. */
  readonly key: keyof AuditDefaults;
  readonly shape: Shape;
  /** The values it takes, checked here so a bad default names the variable or file it came from. */
  readonly choices?: readonly string[];
}

/** `zt audit`'s flags that take a default from the environment (ZT_<FLAG>) and from `.zt/config.yaml`'s `audit:` section. */
export const auditDefaultedFlags: readonly DefaultedFlag[] = [
  { key: 'format', shape: 'value', choices: reporterIds },
  { key: 'output', shape: 'list' },
  { key: 'failOn', shape: 'value', choices: [...severities, 'none'] },
  { key: 'minStage', shape: 'list' },
  { key: 'minCoverage', shape: 'value' },
  { key: 'gatePerTarget', shape: 'switch' },
  { key: 'allowIncomplete', shape: 'switch' },
  { key: 'includePasses', shape: 'switch' },
  { key: 'preferLatest', shape: 'switch' },
  { key: 'rules', shape: 'list' },
  { key: 'onlyRules', shape: 'switch' },
  { key: 'waivers', shape: 'value' },
  { key: 'baseline', shape: 'value' },
  { key: 'rule', shape: 'list' },
  { key: 'skipRule', shape: 'list' },
  { key: 'namespace', shape: 'list' },
  { key: 'excludeNamespace', shape: 'list' },
  { key: 'severity', shape: 'value', choices: severities },
  { key: 'details', shape: 'switch' },
  { key: 'quiet', shape: 'switch' },
  { key: 'color', shape: 'switch' },
];

/** `failOn` → `ZT_FAIL_ON`. */
export function envName(key: string): string {
  return `ZT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;

function fromEnvironment(flag: DefaultedFlag, name: string, text: string): unknown {
  switch (flag.shape) {
    case 'switch':
      if (TRUE.test(text)) return true;
      if (FALSE.test(text)) return false;
      throw new ZtError('ZT_USAGE', `${name}=${text}: expected true or false (also 1/0, yes/no, on/off)`);
    case 'list':
      return text
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    case 'value':
      return text;
    default:
      return flag.shape satisfies never;
  }
}

function checkChoice(flag: DefaultedFlag, value: unknown, origin: string): void {
  if (flag.choices === undefined || typeof value !== 'string' || flag.choices.includes(value)) return;
  throw new ZtError('ZT_USAGE', `${origin}: "${value}" is not one of ${flag.choices.join(', ')}${didYouMean(value, flag.choices)}`);
}

/**
 * commander's values, each flag not given on the command line taken from its environment
 * variable, else from the config file's section, else left at zt's own default. A list given
 * on one level replaces the lower levels' (it is not merged with them).
 */
export function withFlagDefaults(
  values: Readonly<Record<string, unknown>>,
  onCommandLine: (key: string) => boolean,
  env: Readonly<Record<string, string | undefined>>,
  file: { readonly defaults: Readonly<Record<string, unknown>> | undefined; readonly name: string; readonly section: string },
  flags: readonly DefaultedFlag[],
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...values };
  for (const flag of flags) {
    if (onCommandLine(flag.key)) continue;
    const name = envName(flag.key);
    const text = env[name];
    if (text !== undefined && text !== '') {
      const value = fromEnvironment(flag, name, text);
      checkChoice(flag, value, name);
      merged[flag.key] = value;
      continue;
    }
    const fromFile = file.defaults?.[flag.key];
    if (fromFile === undefined) continue;
    checkChoice(flag, fromFile, `${file.name}: ${file.section}.${flag.key}`);
    merged[flag.key] = typeof fromFile === 'number' ? String(fromFile) : fromFile;
  }
  return merged;
}

/**
 * `zt audit`'s options with their defaults applied: flag > ZT_<FLAG> > `.zt/config.yaml`'s
 * `audit:` > built-in. The config file is --config, else ZT_CONFIG, else `.zt/config.yaml`
 * when it exists (loadProjectConfig: the audit reads the same file).
 */
export async function auditFlagDefaults(values: Readonly<Record<string, unknown>>, onCommandLine: (key: string) => boolean, io: Io): Promise<Record<string, unknown>> {
  const configFile = values.config as string | undefined;
  const config = await loadProjectConfig(configFile, io);
  const name = configFile ?? (io.env.ZT_CONFIG || '.zt/config.yaml');
  return withFlagDefaults(values, onCommandLine, io.env, { defaults: config.audit, name, section: 'audit' }, auditDefaultedFlags);
}
