import type { z } from 'zod';

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
