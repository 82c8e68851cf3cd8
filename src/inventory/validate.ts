import type { z } from 'zod';
import { allKinds, isKind, kindSchemas } from './kinds/index.js';
import { resourceEnvelopeSchema, type Resource } from './snapshot.js';

/** One problem with one value: a dotted path into it and what is wrong. */
export interface ShapeProblem {
  readonly path: string;
  readonly message: string;
}

export function formatZodPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function zodProblems(error: z.ZodError, prefix = ''): ShapeProblem[] {
  return error.issues.map((issue) => ({
    path: formatZodPath(issue.path, prefix),
    message: issue.message,
  }));
}

/**
 * Checks one resource: the envelope, that the kind is known, and that the attributes
 * satisfy the kind's schema. Returns the typed resource or the problems found.
 */
export function validateResource(
  value: unknown,
  prefix: string,
): { ok: true; resource: Resource } | { ok: false; problems: ShapeProblem[] } {
  const envelope = resourceEnvelopeSchema.safeParse(value);
  if (!envelope.success) return { ok: false, problems: zodProblems(envelope.error, prefix) };
  const { kind } = envelope.data;
  if (!isKind(kind)) {
    return {
      ok: false,
      problems: [{ path: `${prefix}.kind`, message: `unknown kind "${kind}" (known: ${allKinds.join(', ')})` }],
    };
  }
  const attributes = kindSchemas[kind].safeParse(envelope.data.attributes);
  if (!attributes.success) {
    return { ok: false, problems: zodProblems(attributes.error, `${prefix}.attributes`) };
  }
  // Keep the original object (not zod's parsed copy): validation must not change data.
  return { ok: true, resource: { ...envelope.data, kind } as Resource };
}
