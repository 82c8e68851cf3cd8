/**
 * The JSON ↔ CEL boundary. CEL distinguishes int from double and does no implicit
 * conversion (`3.0 * 2` is an error), while JSON has one number type. Whole numbers
 * become CEL ints (BigInt) so `resource.replicas * 2` and `size(x) > resource.max`
 * work as rule authors expect; other numbers stay doubles.
 *
 * Copy-on-write: a subtree without whole numbers is returned as it is, so converting a
 * resource allocates only where numbers are (this runs once per resource per audit).
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const converted = toCelValue(value[i]);
      if (converted !== value[i]) {
        copy ??= value.slice();
        copy[i] = converted;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const inner = (value as Record<string, unknown>)[key];
    const converted = toCelValue(inner);
    if (converted !== inner) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = converted;
    }
  }
  return copy ?? value;
}
