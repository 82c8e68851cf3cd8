/**
 * The JSON ↔ CEL boundary. CEL distinguishes int from double and does no implicit
 * conversion (`3.0 * 2` is an error), while JSON has one number type. Whole numbers
 * become CEL ints (BigInt) so `resource.replicas * 2` and `size(x) > resource.max`
 * work as rule authors expect; other numbers stay doubles.
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = toCelValue(inner);
    return out;
  }
  return value;
}
