import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { kindSchemas, type Kind } from './kinds/index.js';
import type { ShapeProblem } from './validate.js';

// Bulk validation of resource attributes. The zod schemas in kinds/ are the source of
// truth; for speed on large snapshots each kind's schema is converted to JSON Schema and
// compiled by ajv once, when the first resource of that kind is seen. ajv validates in
// place (zod's safeParse copies every object), which matters at 100k+ resources.

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

let ajv: Ajv | undefined;
const compiled = new Map<Kind, ValidateFunction>();

function validatorFor(kind: Kind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: false, strict: false, formats: { 'date-time': isoDateTime } });
    validate = ajv.compile(z.toJSONSchema(kindSchemas[kind], { target: 'draft-7', io: 'input' }));
    compiled.set(kind, validate);
  }
  return validate;
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return `unknown field "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'required') return `missing field "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'enum') return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return error.message ?? 'is invalid';
}

/** Checks one resource's attributes; returns the first problem, or undefined when valid. */
export function attributeProblem(kind: Kind, attributes: unknown, prefix: string): ShapeProblem | undefined {
  const validate = validatorFor(kind);
  if (validate(attributes)) return undefined;
  const error = validate.errors?.[0];
  if (!error) return { path: prefix, message: 'is invalid' };
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');
  return { path: `${prefix}${path}`, message: describe(error) };
}
