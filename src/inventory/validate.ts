import { type ShapeProblem } from '../text/zod-problems.js';
import { attributeProblem } from './kind-validators.js';
import { isKind, knownKinds } from './kinds/index.js';
import type { Resource } from './snapshot.js';

/** `{ <element>: line }` (or column): each a positive whole number. */
function elementLinesProblem(value: unknown, path: string): ShapeProblem | undefined {
  if (!isPlainObject(value)) return { path, message: 'must be an object { <element name>: line }' };
  for (const key in value) {
    const line = value[key];
    if (!(Number.isInteger(line) && (line as number) > 0)) return { path: `${path}.${key}`, message: 'must be a positive whole number' };
  }
  return undefined;
}

/**
 * Checks one resource: the envelope, that the kind is known, and that the attributes
 * satisfy the kind's schema. Returns the typed resource or the problems found.
 */
const envelopeKeys = new Set(['kind', 'id', 'name', 'attributes', 'provenance']);
const provenanceKeys = new Set(['collector', 'source', 'file', 'line', 'elementLines', 'elementColumns']);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The resource envelope, checked by hand: it runs for every resource of large snapshots. */
function envelopeProblem(value: unknown, prefix: string): ShapeProblem | undefined {
  if (!isPlainObject(value)) return { path: prefix, message: 'must be an object {kind, id, name, attributes, provenance}' };
  // for…in, not Object.keys: no array per resource (JSON objects have no inherited keys).
  for (const key in value) if (!envelopeKeys.has(key)) return { path: `${prefix}.${key}`, message: 'unknown field' };
  if (typeof value.kind !== 'string') return { path: `${prefix}.kind`, message: 'must be a string' };
  if (typeof value.id !== 'string' || value.id === '') return { path: `${prefix}.id`, message: 'must be a non-empty string' };
  if (typeof value.name !== 'string') return { path: `${prefix}.name`, message: 'must be a string' };
  if (!isPlainObject(value.attributes)) return { path: `${prefix}.attributes`, message: 'must be an object' };
  const provenance = value.provenance;
  if (!isPlainObject(provenance)) return { path: `${prefix}.provenance`, message: 'must be an object {collector, source}' };
  for (const key in provenance) if (!provenanceKeys.has(key)) return { path: `${prefix}.provenance.${key}`, message: 'unknown field' };
  if (typeof provenance.collector !== 'string') return { path: `${prefix}.provenance.collector`, message: 'must be a string' };
  if (typeof provenance.source !== 'string') return { path: `${prefix}.provenance.source`, message: 'must be a string' };
  if (provenance.file !== undefined && typeof provenance.file !== 'string') return { path: `${prefix}.provenance.file`, message: 'must be a string' };
  if (provenance.line !== undefined && !(Number.isInteger(provenance.line) && (provenance.line as number) > 0)) {
    return { path: `${prefix}.provenance.line`, message: 'must be a positive whole number' };
  }
  if (provenance.elementLines !== undefined) {
    const problem = elementLinesProblem(provenance.elementLines, `${prefix}.provenance.elementLines`);
    if (problem) return problem;
  }
  if (provenance.elementColumns !== undefined) return elementLinesProblem(provenance.elementColumns, `${prefix}.provenance.elementColumns`);
  return undefined;
}

/**
 * Checks one resource: the envelope, that the kind is known, and that the attributes
 * satisfy the kind's schema. Returns the resource (the same object: validation never
 * changes data) or the problems found.
 */
export function validateResource(
  value: unknown,
  prefix: string,
): { ok: true; resource: Resource } | { ok: false; problems: ShapeProblem[] } {
  const envelope = envelopeProblem(value, prefix);
  if (envelope) return { ok: false, problems: [envelope] };
  const resource = value as Resource & { kind: string };
  if (!isKind(resource.kind)) {
    return {
      ok: false,
      problems: [{ path: `${prefix}.kind`, message: `unknown kind "${String(resource.kind)}" (known: ${knownKinds().join(', ')})` }],
    };
  }
  const problem = attributeProblem(resource.kind, resource.attributes, `${prefix}.attributes`);
  if (problem) return { ok: false, problems: [problem] };
  return { ok: true, resource };
}
