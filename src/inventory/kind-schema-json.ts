import type { Options } from 'ajv';
import { z } from 'zod';
import { schemaOf, type Kind } from './kinds/index.js';

// How a kind's attributes are validated in bulk: its zod schema (the source of truth)
// as JSON Schema, compiled by ajv with these options. Shared by the validators compiled
// at run time (kind-validators.ts) and those the build precompiles (kind-validators-module.ts),
// so the two are the same code.

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

export const ajvOptions: Options = { allErrors: false, strict: false, formats: { 'date-time': isoDateTime } };

export function kindJsonSchema(kind: Kind): object {
  return z.toJSONSchema(schemaOf(kind), { target: 'draft-7', io: 'input' });
}
