import { open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import { scalarText } from '../../text/scalar-text.js';
import type { Kind } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import { validateResource } from '../../inventory/validate.js';
import type { CollectionIssue, KindCoverage } from '../../model/coverage.js';
import type { Collector, CollectorContext, CollectorOutput } from '../types.js';
import { listedKinds } from './kinds.js';
import { finishMapping, mapObject, unmappedIssues, type K8sObject, type MapInput, type MappedObject, type MapSettings } from './map.js';
import { containerLines, listItemContainerLines, type ElementPositions } from './container-lines.js';
import { itemLines, parseYamlDocument, splitYamlDocuments, YamlDocumentError } from './yaml-documents.js';

/**
 * Kubernetes manifests on disk (or stdin): files, folders (recursive), multi-document
 * YAML, `List` kinds, rendered Helm output, JSON from `kubectl get -o json`. Mapped with
 * the same code as the live cluster, so the same rules apply. A bad file or document is
 * an issue and is skipped; the rest is still audited. That includes a document whose
 * object zt cannot audit (`replicas: 123456789012345678901234567890`): it is checked
 * against its kind's schema as soon as it is mapped and skipped, naming its file, line
 * and field, like a document that is not valid YAML (never dropped later as a bug in zt).
 */

export const MANIFEST_COLLECTOR_ID = 'kubernetes';
/** Cluster name used in ids of manifest objects (`k8s://manifests/<ns>/<Kind>/<name>`). */
export const MANIFEST_CLUSTER = 'manifests';
export const maxManifestBytes = 50 * 1024 * 1024;
const manifestExtensions = /\.(ya?ml|json)$/i;

export interface ManifestOptions {
  /** Paths as given (`-` is stdin), resolved against the context's cwd. */
  readonly paths: readonly string[];
  /** Reads all of stdin (tests inject one); defaults to the context's stdin. */
  readonly readStdin?: (limit: number) => Promise<Buffer>;
  readonly maxBytes?: number;
}

interface SourceText {
  readonly display: string | undefined;
  readonly label: string;
  readonly text: string;
}

const size = (bytes: number): string => (bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.round(bytes / 1024)} KB`);

async function readAll(stdin: AsyncIterable<unknown> | undefined, limit: number): Promise<Buffer> {
  if (!stdin) throw new Error('no standard input');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw new RangeError('too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Path relative to the working directory with `/` separators (what SARIF wants); absolute when outside. */
export function manifestDisplayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file.split(sep).join('/');
}

function looksBinary(buffer: Buffer): boolean {
  const head = buffer.subarray(0, 8192);
  if (head.includes(0)) return true;
  try {
    // `stream` tolerates a multi-byte character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

export function manifestCollector(options: ManifestOptions): Collector {
  const label = options.paths.join(', ');
  return {
    id: MANIFEST_COLLECTOR_ID,
    description: `manifests in ${label}`,
    mode: 'offline',
    collect: (context) => collectManifests(options, context),
  };
}

async function listFiles(root: string, skips: Skips, display: (p: string) => string, signal: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    signal.throwIfAborted();
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) return; // a symlink loop
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      skips.lostInput(`cannot read folder ${display(dir)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).then((s) => s.isDirectory()).catch(() => false)));
      if (isDir) await walk(full);
      else if (manifestExtensions.test(entry.name)) out.push(full);
    }
  };
  await walk(root);
  return out;
}

function skipped(message: string, severity: CollectionIssue['severity'] = 'warning', code = 'ZT_COLLECT_INPUT_SKIPPED'): CollectionIssue {
  return { collector: MANIFEST_COLLECTOR_ID, severity, code, message, kinds: [] };
}

/**
 * What the manifests collector could not read. A skipped file, folder or document may
 * have held objects of any kind, so any loss makes every kind partial: a workload in an
 * unreadable folder must not leave a "complete" audit that never saw it. Inputs that are
 * read and found not to be Kubernetes objects (a values file) are not a loss.
 */
class Skips {
  readonly issues: CollectionIssue[] = [];
  readonly lost: string[] = [];

  /** Input that could not be read: objects may be missing. */
  lostInput(message: string, severity: CollectionIssue['severity'] = 'warning'): void {
    this.issues.push(skipped(message, severity));
    this.lost.push(message);
  }

  /** Input read and set aside (not a Kubernetes object, a duplicate): nothing is missing. */
  setAside(message: string): void {
    this.issues.push(skipped(message, 'info'));
  }
}

/**
 * A regular file's bytes, at most `limit`. The size stat reports is not trusted (a file
 * can grow while read): reading stops as soon as more than `limit` bytes arrived.
 * FIFOs and devices are refused (`--manifests /dev/zero` must not read forever).
 */
async function readLimited(file: string, limit: number): Promise<Buffer | 'too-large' | 'not-a-file'> {
  // Checked before opening: opening a FIFO waits for a writer.
  const info = await stat(file);
  if (!info.isFile()) return 'not-a-file';
  if (info.size > limit) return 'too-large';
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, Math.max(info.size + 1, 64 * 1024)));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > limit) return 'too-large';
      chunks.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

async function readSources(options: ManifestOptions, context: CollectorContext, skips: Skips): Promise<SourceText[]> {
  const limit = options.maxBytes ?? maxManifestBytes;
  const display = (p: string): string => manifestDisplayPath(p, context.cwd);
  const texts: SourceText[] = [];
  const decode = (buffer: Buffer, label: string, shown: string | undefined): void => {
    if (looksBinary(buffer)) {
      skips.lostInput(`${label}: skipped, it holds binary data, not YAML or JSON`);
      return;
    }
    texts.push({ display: shown, label, text: buffer.toString('utf8') });
  };
  for (const given of options.paths) {
    context.signal.throwIfAborted();
    if (given === '-') {
      try {
        decode(await (options.readStdin ?? ((max: number) => readAll(context.stdin, max)))(limit), 'stdin', undefined);
      } catch (error) {
        skips.lostInput(error instanceof RangeError ? `stdin: skipped, larger than ${size(limit)}` : 'stdin: cannot be read', 'error');
      }
      continue;
    }
    const full = resolve(context.cwd, given);
    const info = await stat(full).catch(() => undefined);
    if (!info) {
      // A path that is not there is a typo, not a gap in the evidence: stop with exit 2.
      throw new ZtError('ZT_FILE_UNREADABLE', `--manifests ${display(full)}: no such file or folder`, {
        hint: 'Check the path (relative paths are read from the current folder), or pass - to read the manifests from stdin.',
        location: { file: display(full) },
      });
    }
    const files = info.isDirectory() ? await listFiles(full, skips, display, context.signal) : [full];
    if (info.isDirectory() && files.length === 0) skips.setAside(`${display(full)}: no .yaml, .yml or .json files in this folder`);
    for (const file of files) {
      context.progress(`Reading ${display(file)}`);
      try {
        const buffer = await readLimited(file, limit);
        if (buffer === 'too-large') skips.lostInput(`${display(file)}: skipped, larger than ${size(limit)}`);
        else if (buffer === 'not-a-file') skips.lostInput(`${display(file)}: skipped, not a regular file (a FIFO or a device)`);
        else decode(buffer, display(file), display(file));
      } catch (error) {
        skips.lostInput(`${display(file)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
  }
  return texts;
}

const isObject = (value: unknown): value is K8sObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const elementsAt = (positions: ElementPositions | undefined): Pick<MapInput, 'elementLines' | 'elementColumns'> =>
  positions === undefined ? {} : { elementLines: positions.lines, elementColumns: positions.columns };

/** Splits a source into Kubernetes objects with their lines; problems become issues. */
function objectsOf(source: SourceText, skips: Skips): MapInput[] {
  const out: MapInput[] = [];
  const where = (index: number, line: number | undefined): string => `${source.label}${line !== undefined ? `:${line}` : ''} (document ${index})`;
  const at = (line: number): { file?: string; line?: number } => (source.display !== undefined ? { file: source.display, line } : {});
  for (const doc of splitYamlDocuments(source.text)) {
    let value: unknown;
    try {
      value = parseYamlDocument(doc);
    } catch (error) {
      const line = error instanceof YamlDocumentError ? (error.line ?? doc.line) : doc.line;
      skips.lostInput(`${where(doc.index, line)}: skipped, ${(error as Error).message}`);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isObject(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
      skips.setAside(`${where(doc.index, doc.line)}: skipped, not a Kubernetes object (no apiVersion and kind)`);
      continue;
    }
    if (value.kind === 'List' || (value.kind.endsWith('List') && Array.isArray(value.items))) {
      const items = Array.isArray(value.items) ? value.items : [];
      const lines = itemLines(doc, items.length);
      const positions = source.display !== undefined ? listItemContainerLines(doc, lines, items.length) : [];
      // A typed list (PodList) may omit kind/apiVersion on items: take them from the list.
      const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
      items.forEach((item, i) => {
        const line = lines?.[i] ?? doc.line;
        if (!isObject(item)) {
          skips.setAside(`${where(doc.index, line)}: item ${i + 1} of the ${String(value.kind)} skipped, not a Kubernetes object`);
          return;
        }
        const object = itemKind ? { apiVersion: value.apiVersion, kind: itemKind, ...item } : item;
        if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
          skips.setAside(`${where(doc.index, line)}: item ${i + 1} of the List skipped, no apiVersion and kind`);
          return;
        }
        out.push({ object, ...at(line), ...elementsAt(positions[i]) });
      });
      continue;
    }
    out.push({ object: value, ...at(doc.line), ...elementsAt(source.display !== undefined ? containerLines(doc) : undefined) });
  }
  return out;
}

/** The only path in `object` whose value is `value` (a number or a non-empty string), if there is exactly one. */
function uniquePathOf(object: unknown, value: unknown): string | undefined {
  if (!(typeof value === 'number' || (typeof value === 'string' && value !== ''))) return undefined;
  const found: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (found.length > 1) return;
    if (Object.is(node, value)) found.push(path);
    else if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (typeof node === 'object' && node !== null) for (const [key, inner] of Object.entries(node)) walk(inner, path === '' ? key : `${path}.${key}`);
  };
  walk(object, '');
  return found.length === 1 ? found[0] : undefined;
}

function valueAt(attributes: Record<string, unknown>, path: string): unknown {
  let node: unknown = attributes;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Maps each object and checks it against its kind's schema at once. An object that does
 * not fit is the document's problem, not zt's (a value Kubernetes stores as int32, given
 * as 30 digits): the document is skipped as input that could not be read, naming where
 * it is and which field — the manifest's own path when the value is found there, else the
 * kind's attribute. It is not kept as a controller either, so what it would own is audited.
 */
function mapChecked(inputs: readonly MapInput[], settings: MapSettings, skips: Skips): MappedObject[] {
  return inputs.flatMap((input) => {
    const mapped = mapObject(input, settings);
    const resource = mapped.resource;
    if (!resource) return [mapped];
    const checked = validateResource(resource, 'r');
    if (checked.ok) return [mapped];
    const problem = checked.problems[0];
    const attribute = (problem?.path ?? '').replace(/^r\.attributes\.?/, '');
    const field = uniquePathOf(input.object, valueAt(resource.attributes, attribute)) ?? `${attribute || '(attributes)'} (the ${resource.kind} attribute)`;
    const where = input.file !== undefined ? `${input.file}${input.line !== undefined ? `:${input.line}` : ''}` : 'stdin';
    skips.lostInput(`${where}: ${scalarText(input.object.kind)} ${resource.name} skipped, ${field}: ${problem?.message ?? 'invalid'} (a value zt cannot audit; the rest was audited)`);
    return [];
  });
}

export async function collectManifests(options: ManifestOptions, context: CollectorContext): Promise<CollectorOutput> {
  const skips = new Skips();
  const sources = await readSources(options, context, skips);
  const inputs = sources.flatMap((s) => objectsOf(s, skips));
  const issues = skips.issues;
  const sourceName = `manifests:${options.paths.join(',')}`;
  const mapped = finishMapping(mapChecked(inputs, { cluster: MANIFEST_CLUSTER, source: sourceName, collector: MANIFEST_COLLECTOR_ID, defaultNamespace: 'default' }, skips));
  issues.push(...unmappedIssues(mapped.unmapped, MANIFEST_COLLECTOR_ID));
  // The same object in two files (a base and an overlay, a chart rendered twice): keep the first.
  const seen = new Map<string, Resource>();
  const resources: Resource[] = [];
  for (const r of mapped.resources) {
    const first = seen.get(r.id);
    if (!first) {
      seen.set(r.id, r);
      resources.push(r);
      continue;
    }
    const at = (x: Resource): string => (x.provenance.file !== undefined ? `${x.provenance.file}:${x.provenance.line ?? 1}` : 'stdin');
    skips.setAside(`${at(r)}: ${r.id} is also defined at ${at(first)}; the first definition is audited`);
  }
  // What is on disk is all there is: every kind zt maps is complete, even with no objects —
  // unless some input could not be read, which may have held objects of any kind.
  const lost = skips.lost.length;
  const readAll: KindCoverage = { state: 'complete' };
  const readPart: KindCoverage = {
    state: 'partial',
    reason: 'input_missing',
    detail: `${lost} manifest input${lost === 1 ? '' : 's'} could not be read (see the issues); objects in ${lost === 1 ? 'it' : 'them'} are not audited`,
  };
  const coverage: Partial<Record<Kind, KindCoverage>> = {};
  for (const kind of listedKinds) coverage[kind] = lost === 0 ? readAll : readPart;
  coverage['k8s.cluster'] = { state: 'missing', reason: 'unsupported', detail: 'manifests do not say which cluster or Kubernetes version they run on' };
  if (resources.length === 0) {
    issues.push(skipped(`no Kubernetes objects zt audits were found in ${options.paths.join(', ')}`, 'error', 'ZT_COLLECT_INPUT_EMPTY'));
  }
  return { source: { collector: MANIFEST_COLLECTOR_ID, source: sourceName, mode: 'offline' }, resources, coverage, issues };
}
