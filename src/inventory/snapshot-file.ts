import { writeFile } from 'node:fs/promises';
import { readWholeFile } from './read-ahead.js';
import { ZtError } from '../errors/zt-error.js';
import type { Kind } from './kinds/index.js';
import {
  SNAPSHOT_SCHEMA_VERSION,
  snapshotEnvelopeSchema,
  type KindCoverage,
  type Resource,
  type Snapshot,
} from './snapshot.js';
import { validateResource, zodProblems } from './validate.js';

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Best-effort line of the resource with this id in the original text. */
function lineOfResource(text: string, id: string): number | undefined {
  const needle = JSON.stringify(id);
  const at = text.search(new RegExp(`"id"\\s*:\\s*${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  return at >= 0 ? lineOf(text, at) : undefined;
}

/**
 * Where JSON.parse stopped. V8 gives "position N" for most errors; for an unexpected
 * token it quotes a few characters instead, which we find in the text.
 */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return Number(position[1]);
  // V8 quotes up to 10 characters either side of the bad token, with "..." where it cut.
  const quoted = /(\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  const context = quoted?.[2];
  if (!context) return undefined;
  const start = text.indexOf(context);
  if (start < 0) return undefined;
  if (quoted[1]) return start + 10;
  const token = /Unexpected token '([\s\S])'/.exec(message)?.[1];
  const inContext = token === undefined ? -1 : context.indexOf(token);
  return start + Math.max(0, inContext);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(text, message);
    const line = offset === undefined ? undefined : lineOf(text, offset);
    // Never echo the file's content: a wrong file passed as a snapshot may hold secrets.
    const reason = message.split(/,\s*(?:\.\.\.)?"|\s+in JSON at| is not valid JSON/)[0]?.replace(/\s+/g, ' ').trim();
    throw new ZtError('ZT_SNAPSHOT_SYNTAX', `${file}${line ? `:${line}` : ''} is not valid JSON (${reason || 'syntax error'})`, {
      location: line === undefined ? { file } : { file, line },
    });
  }
}

/** Parses and validates snapshot text. Every problem names the file, the path and, where it can, the line. */
export function parseSnapshot(text: string, file: string): Snapshot {
  const raw = parseJson(text, file);
  if (typeof raw === 'object' && raw !== null && 'schemaVersion' in raw) {
    const version = (raw as { schemaVersion: unknown }).schemaVersion;
    if (version !== SNAPSHOT_SCHEMA_VERSION) {
      throw new ZtError(
        'ZT_SNAPSHOT_VERSION',
        `${file} has snapshot schemaVersion ${JSON.stringify(version)}; this zt reads version ${SNAPSHOT_SCHEMA_VERSION}`,
        { location: { file, path: 'schemaVersion' } },
      );
    }
  }
  // The resources are checked one by one below; zod is given the envelope without them
  // (it would visit each of 100k elements only to accept it as unknown).
  const list = typeof raw === 'object' && raw !== null ? (raw as { resources?: unknown }).resources : undefined;
  const envelope = snapshotEnvelopeSchema.safeParse(Array.isArray(list) ? { ...(raw as object), resources: [] } : raw);
  if (!envelope.success) {
    const first = zodProblems(envelope.error)[0];
    throw new ZtError(
      'ZT_SNAPSHOT_SCHEMA',
      `${file} is not a zt snapshot: ${first?.path || '(top level)'}: ${first?.message ?? 'invalid'}`,
      { location: { file, path: first?.path ?? '' } },
    );
  }
  const resources: Resource[] = [];
  const seen = new Set<string>();
  (list as unknown[]).forEach((value, index) => {
    const checked = validateResource(value, `resources[${index}]`);
    if (!checked.ok) {
      const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
      const line = typeof id === 'string' ? lineOfResource(text, id) : undefined;
      const problem = checked.problems[0];
      throw new ZtError(
        'ZT_SNAPSHOT_SCHEMA',
        `${file}${line ? `:${line}` : ''}: resource ${typeof id === 'string' ? `"${id}" ` : ''}is malformed: ${problem?.path}: ${problem?.message}`,
        { location: { file, ...(line ? { line } : {}), path: problem?.path ?? '' } },
      );
    }
    if (seen.has(checked.resource.id)) {
      const line = lineOfResource(text, checked.resource.id);
      throw new ZtError('ZT_SNAPSHOT_SCHEMA', `${file}: resource id "${checked.resource.id}" appears twice`, {
        location: { file, ...(line ? { line } : {}), path: `resources[${index}].id` },
      });
    }
    seen.add(checked.resource.id);
    resources.push(checked.resource);
  });
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: envelope.data.collectedAt,
    sources: envelope.data.sources,
    coverage: envelope.data.coverage as Partial<Record<Kind, KindCoverage>>,
    issues: envelope.data.issues,
    resources,
  };
}

/** The bytes decoded in one go (readFile's own 'utf8' decodes chunk by chunk through a StringDecoder, slower on a large snapshot). */
async function textOf(bytes: Promise<Buffer>): Promise<string> {
  return (await bytes).toString('utf8');
}

/**
 * Reads and validates a snapshot file. `bytes` is the file's content when its reading
 * was started earlier (see app/inputs.ts prefetchSnapshots); its failure is reported
 * here, as if the file were read now.
 */
export async function readSnapshotFile(file: string, bytes?: Promise<Buffer>): Promise<Snapshot> {
  let text: string;
  try {
    const reading = textOf(bytes ?? readWholeFile(file));
    // Not kept while the text is parsed: the bytes are as large as the text.
    bytes = undefined;
    text = await reading;
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read snapshot ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      cause: error,
    });
  }
  return parseSnapshot(text, file);
}

/** Canonical form: resources sorted by kind then id, so equal inventories give equal files. */
export function serializeSnapshot(snapshot: Snapshot): string {
  const resources = [...snapshot.resources].sort((a, b) =>
    a.kind === b.kind ? compareStrings(a.id, b.id) : compareStrings(a.kind, b.kind),
  );
  const coverage = Object.fromEntries(Object.entries(snapshot.coverage).sort(([a], [b]) => compareStrings(a, b)));
  return `${JSON.stringify({ ...snapshot, coverage, resources }, null, 1)}\n`;
}

export async function writeSnapshotFile(file: string, snapshot: Snapshot): Promise<void> {
  try {
    await writeFile(file, serializeSnapshot(snapshot));
  } catch (error) {
    throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot write snapshot ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      cause: error,
    });
  }
}

/** Locale-independent string order (byte order), so output never depends on the machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
