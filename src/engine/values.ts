/**
 * The JSON ↔ CEL boundary. CEL distinguishes int from double and does no implicit
 * conversion (`3.0 * 2` is an error), while JSON has one number type. Whole numbers
 * become CEL ints (BigInt) so `resource.replicas * 2` and `size(x) > resource.max`
 * work as rule authors expect; other numbers stay doubles.
 *
 * Copy-on-write: a subtree without whole numbers is returned as it is, so converting a
 * resource allocates only where numbers are (this runs once per resource per audit).
 *
 * Two shapes cel-js cannot take as plain objects are changed: an object with its own
 * `constructor` key (a valid label or annotation key; cel-js reads a value's type from
 * `.constructor`) becomes a Map, and members whose value is undefined are left out, as
 * JSON would.
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
    if (inner === undefined) {
      copy ??= { ...(value as Record<string, unknown>) };
      delete copy[key];
      continue;
    }
    const converted = toCelValue(inner);
    if (converted !== inner) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = converted;
    }
  }
  const result = copy ?? value;
  return Object.hasOwn(result, 'constructor') ? new Map(Object.entries(result)) : result;
}
