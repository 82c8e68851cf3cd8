import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import { parseIsoDateTime } from '../../text/as-of-text.js';
import { withoutBom } from '../../text/json-text.js';
import { EndpointError, endpoints, type Endpoint, type GraphReader } from './endpoints.js';

/**
 * An --entra-export folder: one JSON file per Graph endpoint, in Graph's own shapes
 * (a page `{ "value": [...] }`, or a list of such pages; single-object policies as
 * the object). See docs/entra.md for the file names. Read and checked when the
 * collector is built, so a malformed file stops the run (exit 2) before any audit work.
 */
export interface EntraExport {
  readonly dir: string;
  readonly tenant: string;
  /** File name → the pages (collections) or the object (single). */
  readonly files: ReadonlyMap<string, unknown>;
  /** When the export was taken, from export.json's `exportedAt` (ISO, UTC); absent when the export does not say. */
  readonly exportedAt?: string;
}

/** zt's own file in an export, beside Graph's: `{ "exportedAt": "2026-03-01T09:00:00Z" }`, when the export was taken. */
const EXPORT_METADATA = 'export.json';

/** export.json's `exportedAt` (design §10, time comes from evidence); undefined when the file or the field is absent. */
function readExportedAt(dir: string, display: string): string | undefined {
  const path = join(dir, EXPORT_METADATA);
  if (!existsSync(path)) return undefined;
  const shown = join(display, EXPORT_METADATA);
  const body = readJsonFile(path, shown);
  if (!isObject(body)) fail(shown, 'expected an object { "exportedAt": "<ISO 8601 date-time>" }');
  if (body.exportedAt === undefined) return undefined;
  const at = typeof body.exportedAt === 'string' ? parseIsoDateTime(body.exportedAt) : undefined;
  if (!at) fail(shown, `exportedAt ${JSON.stringify(body.exportedAt)} is not an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:00:00Z`);
  return at.toISOString();
}

const knownFiles = [...new Set(Object.values(endpoints).map((e) => e.file))].sort();

function fail(file: string, message: string, line?: number): never {
  throw new ZtError('ZT_EXPORT_INVALID', `${file}: ${message}`, { location: { file, ...(line !== undefined ? { line } : {}) } });
}

function lineOf(text: string, error: unknown): number | undefined {
  const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
  return position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
}

/** A file of the export, parsed: unreadable is ZT_FILE_UNREADABLE, not JSON is ZT_EXPORT_INVALID with its line. */
function readJsonFile(path: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { location: { file: shown } });
  }
  try {
    return JSON.parse(withoutBom(text)) as unknown;
  } catch (error) {
    fail(shown, `not valid JSON (${(error as Error).message})`, lineOf(text, error));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function readEntraExport(dir: string, display: string, tenantHint?: string): EntraExport {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ZtError('ZT_FILE_UNREADABLE', `cannot read the Entra export folder ${display}: not a folder`, { location: { file: display } });
  const files = new Map<string, unknown>();
  for (const name of knownFiles) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const shown = join(display, name);
    const body = readJsonFile(path, shown);
    const endpoint = Object.values(endpoints).find((e) => e.file === name) as Endpoint;
    if (endpoint.single) {
      if (!isObject(body)) fail(shown, 'expected the JSON object Graph returns for this policy');
      files.set(name, body);
      continue;
    }
    const pages = Array.isArray(body) ? body : [body];
    pages.forEach((page, i) => {
      if (!isObject(page) || !Array.isArray(page.value)) {
        fail(shown, `expected a Graph page { "value": [ … ] }${Array.isArray(body) ? ` (page ${i + 1})` : ''}`);
      }
    });
    files.set(name, pages.map((p) => (p as { value: unknown[] }).value));
  }
  if (files.size === 0) {
    throw new ZtError('ZT_EXPORT_INVALID', `${display} holds none of the Entra export files (${knownFiles.join(', ')})`, { location: { file: display } });
  }
  const organization = files.get('organization.json') as unknown[][] | undefined;
  const orgId = organization?.[0]?.[0];
  const tenant = (isObject(orgId) && typeof orgId.id === 'string' ? orgId.id : undefined) ?? tenantHint;
  if (!tenant) {
    throw new ZtError('ZT_USAGE', `cannot tell which tenant ${display} is from`, {
      hint: 'Add organization.json (GET /organization) to the export, or name the tenant with --entra <tenant-id>.',
    });
  }
  const exportedAt = readExportedAt(dir, display);
  return { dir: display, tenant, files, ...(exportedAt ? { exportedAt } : {}) };
}

/** Serves an export like Graph would; a missing file is input_missing for the kinds it feeds. */
export function exportReader(data: EntraExport): GraphReader {
  const missing = (endpoint: Endpoint): EndpointError =>
    new EndpointError({ reason: 'input_missing', detail: `${join(data.dir, endpoint.file)} is not in the export` });
  return {
    mode: 'offline',
    ...(data.exportedAt ? { asOf: data.exportedAt } : {}),
    async *pages(endpoint) {
      const pages = data.files.get(endpoint.file) as unknown[][] | undefined;
      if (!pages) throw missing(endpoint);
      for (const page of pages) yield page;
    },
    async group(id, required) {
      const pages = data.files.get(endpoints.groups.file) as unknown[][] | undefined;
      if (!pages) throw missing(endpoints.groups);
      for (const page of pages) {
        for (const raw of page) {
          if (!isObject(raw) || raw.id !== id) continue;
          const members = Array.isArray(raw.members) ? raw.members : [];
          return {
            id,
            displayName: typeof raw.displayName === 'string' ? raw.displayName : null,
            memberIds: members.filter((m): m is { id: string } => isObject(m) && typeof m.id === 'string' && (m['@odata.type'] === undefined || m['@odata.type'] === '#microsoft.graph.user')).map((m) => m.id),
          };
        }
      }
      if (required) throw new EndpointError({ reason: 'input_missing', detail: `${join(data.dir, endpoints.groups.file)} has no group ${id}, to which a directory role is assigned` });
      return null;
    },
    async groupOwners(id) {
      // groups.json holds each group as Graph gives it with $expand=members,owners.
      for (const page of (data.files.get(endpoints.groups.file) as unknown[][] | undefined) ?? []) {
        for (const raw of page) {
          if (!isObject(raw) || raw.id !== id) continue;
          if (Array.isArray(raw.owners)) return raw.owners as unknown[];
        }
      }
      throw new EndpointError({ reason: 'input_missing', detail: `${join(data.dir, endpoints.groups.file)} has no owners for group ${id} (export each group with its owners)` });
    },
    async single(endpoint) {
      const body = data.files.get(endpoint.file);
      if (body === undefined) throw missing(endpoint);
      return body;
    },
  };
}
