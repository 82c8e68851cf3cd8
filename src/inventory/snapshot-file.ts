import { writeFileAtomically } from '../files/atomic-write.js';
import { ZtError } from '../errors/zt-error.js';
import { lineOf, parseJsonText } from '../text/json-text.js';
import { compareStrings } from '../text/order.js';
import { zodProblems } from '../text/zod-problems.js';
import { InputRefused, readWholeFile } from './read-ahead.js';
import { SNAPSHOT_SCHEMA_VERSION, snapshotEnvelopeSchema, type Resource, type Snapshot } from './snapshot.js';
import { validateResource } from './validate.js';
import { isKind } from './kinds/index.js';
import type { SnapshotSource } from '../model/coverage.js';

/** Best-effort line of the resource with this id in the original text. */
function lineOfResource(text: string, id: string): number | undefined {
  const needle = JSON.stringify(id);
  const at = text.search(new RegExp(`"id"\\s*:\\s*${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  return at >= 0 ? lineOf(text, at) : undefined;
}

/**
 * A resource of a kind this run does not know, collected by a plugin source: the plugin is
 * not loaded. Said with the plugin's name, which the snapshot's source records, rather than
 * as a malformed file.
 */
function refuseUnloadedPluginKind(value: unknown, sources: readonly SnapshotSource[], file: string): void {
  if (typeof value !== 'object' || value === null) return;
  const { kind, provenance } = value as { kind?: unknown; provenance?: { source?: unknown } };
  if (typeof kind !== 'string' || isKind(kind)) return;
  const plugin = sources.find((s) => s.plugin !== undefined && s.source === provenance?.source)?.plugin;
  if (!plugin) return;
  throw new ZtError(
    'ZT_SNAPSHOT_PLUGIN_MISSING',
    `holds ${kind} resources collected by plugin ${plugin.name} ${plugin.version}, which is not loaded: add it to \`plugins:\` in .zt/config.yaml or pass --plugin ${plugin.name}`,
    { location: { file } },
  );
}

/** Parses and validates snapshot text. Every problem names the file, the path and, where it can, the line. */
export function parseSnapshot(text: string, file: string): Snapshot {
  const raw = parseJsonText(text, file, 'ZT_SNAPSHOT_SYNTAX');
  if (typeof raw === 'object' && raw !== null && 'schemaVersion' in raw) {
    const version = (raw).schemaVersion;
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
    refuseUnloadedPluginKind(value, envelope.data.sources, file);
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
    coverage: envelope.data.coverage,
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
    const reason = error instanceof InputRefused ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read snapshot ${file}: ${reason}`, {
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
    await writeFileAtomically(file, [serializeSnapshot(snapshot)]);
  } catch (error) {
    throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot write snapshot ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      cause: error,
    });
  }
}

