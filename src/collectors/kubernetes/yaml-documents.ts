import yaml from 'js-yaml';
import { ztYamlSchema } from '../../text/yaml-schema.js';

/**
 * Multi-document YAML with the line each document starts on. js-yaml's loadAll does
 * not report positions, so the text is split on `---` / `...` markers here and each
 * document is parsed on its own (a broken document then spoils only itself).
 */

export interface YamlDocument {
  /** 1-based index of the document in its file. */
  readonly index: number;
  /** 1-based line of the document's first content line (after comments such as Helm's `# Source:`). */
  readonly line: number;
  readonly text: string;
  /** 1-based line of text's first line in the file (for error positions). */
  readonly firstLine: number;
}

const startMarker = /^---(?:[ \t]|$)/;
const endMarker = /^\.\.\.(?:[ \t]|$)/;

export function splitYamlDocuments(source: string): YamlDocument[] {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const docs: YamlDocument[] = [];
  let current: string[] = [];
  let firstLine = 1;
  const flush = (): void => {
    const contentIndex = current.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !l.startsWith('%'));
    if (contentIndex >= 0) {
      docs.push({ index: docs.length + 1, line: firstLine + contentIndex, text: current.join('\n'), firstLine });
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (startMarker.test(line)) {
      flush();
      // `--- {…}` or `--- !tag`: the rest of the marker line belongs to the new document.
      const rest = line.slice(3);
      current = rest.trim() === '' ? [] : [rest];
      firstLine = rest.trim() === '' ? i + 2 : i + 1;
      continue;
    }
    if (endMarker.test(line)) {
      flush();
      current = [];
      firstLine = i + 2;
      continue;
    }
    current.push(line);
  }
  flush();
  return docs;
}

export class YamlDocumentError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line: number | undefined) {
    super(message);
    this.line = line;
  }
}

/** The most nodes a document may expand to (aliases counted at every use): stops alias bombs. */
export const maxExpandedNodes = 1_000_000;

function expandedSize(value: unknown, budget: { left: number }): void {
  if (--budget.left < 0) throw new YamlDocumentError(`the document expands to more than ${maxExpandedNodes} nodes through YAML aliases (an alias bomb?)`, undefined);
  if (Array.isArray(value)) for (const v of value) expandedSize(v, budget);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) expandedSize(v, budget);
}

/** Parses one document with zt's YAML schema; throws YamlDocumentError with the file line. */
export function parseYamlDocument(doc: YamlDocument): unknown {
  // JSON (`kubectl get -o json`, exports) parses much faster as JSON; YAML is the fallback.
  if (/^\s*[{[]/.test(doc.text)) {
    try {
      return JSON.parse(doc.text) as unknown;
    } catch {
      // not strict JSON (a YAML flow mapping): parse it as YAML below
    }
  }
  let value: unknown;
  try {
    value = yaml.load(doc.text, { schema: ztYamlSchema, json: true });
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? 'invalid YAML';
    const line = mark?.line !== undefined ? doc.firstLine + mark.line : doc.line;
    throw new YamlDocumentError(`not valid YAML: ${reason}`, line);
  }
  // Aliases share one object in memory; walking the value counts each use, as any consumer would.
  if (/[&*][^\s]/.test(doc.text)) expandedSize(value, { left: maxExpandedNodes });
  return value;
}

/**
 * Lines of the entries of a top-level `items:` block sequence (a `kubectl get -o yaml`
 * List), or undefined when the layout is not the plain one (then the document line is used).
 */
export function itemLines(doc: YamlDocument, count: number): number[] | undefined {
  const lines = doc.text.split('\n');
  const start = lines.findIndex((l) => /^items:\s*(#.*)?$/.test(l));
  if (start < 0) return jsonItemLines(doc, lines, count);
  const found: number[] = [];
  let indent: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^[^\s#-]/.test(line)) break;
    const match = /^(\s*)-(?:\s|$)/.exec(line);
    if (!match) continue;
    indent ??= match[1];
    if (match[1] === indent) found.push(doc.firstLine + i);
  }
  return found.length === count ? found : undefined;
}

/** The same for pretty-printed JSON (`kubectl get -o json`): each item opens with `{` alone on its line. */
function jsonItemLines(doc: YamlDocument, lines: string[], count: number): number[] | undefined {
  const start = lines.findIndex((l) => /^\s*"items"\s*:\s*\[\s*$/.test(l));
  if (start < 0) return undefined;
  const found: number[] = [];
  let indent: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const match = /^(\s*)\{\s*$/.exec(lines[i] as string);
    if (!match) continue;
    indent ??= match[1];
    if (match[1] === indent) found.push(doc.firstLine + i);
  }
  return found.length === count ? found : undefined;
}
