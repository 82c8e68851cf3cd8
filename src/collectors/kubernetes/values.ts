import { scalarText } from '../../text/scalar-text.js';

// Tolerant readers of Kubernetes objects in their wire (JSON/YAML) form: absent or
// mistyped fields read as empty or null, never as a value that could pass a rule.

export type K8sObject = Record<string, unknown>;

/** Annotations dropped at collection: they can hold whole manifests, including Secret data and env values. */
export const droppedAnnotations: ReadonlySet<string> = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const obj = (value: unknown): Record<string, unknown> => (isObject(value) ? value : {});
export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);
export const int = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
export const strings = (value: unknown): string[] => arr(value).filter((v): v is string => typeof v === 'string');

export function stringMap(value: unknown, drop?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) {
    if (drop?.has(k)) continue;
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** A deep copy with only JSON values (drops undefined, keeps Dates as ISO strings). */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

export function isoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string') return null;
  // YAML may have turned a quoted timestamp into a string already; keep only real date-times.
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  return /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : parsed.toISOString();
}

export function selector(value: unknown): Record<string, unknown> | null {
  if (!isObject(value)) return null;
  const out: Record<string, unknown> = {};
  if (isObject(value.matchLabels)) out.matchLabels = stringMap(value.matchLabels);
  if (Array.isArray(value.matchExpressions)) {
    out.matchExpressions = value.matchExpressions.filter(isObject).map((e) => {
      const expression: Record<string, unknown> = { key: scalarText(e.key), operator: scalarText(e.operator) };
      if (Array.isArray(e.values)) expression.values = strings(e.values);
      return expression;
    });
  }
  return out;
}
