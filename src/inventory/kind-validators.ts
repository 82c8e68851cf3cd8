import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { ShapeProblem } from '../text/zod-problems.js';
import { ajvOptions, kindJsonSchema } from './kind-schema-json.js';
import { isBuiltInKind, schemaOf, type Kind } from './kinds/index.js';

// Bulk validation of resource attributes. The zod schemas in kinds/ are the source of
// truth; for speed on large snapshots each kind's schema is converted to JSON Schema and
// compiled by ajv (kind-schema-json.ts). ajv validates in place (zod's safeParse copies
// every object), which matters at 100k+ resources. The build precompiles every kind's
// validator (kind-validators-module.ts); where that module is absent (tests run from the
// sources) a kind's validator is compiled when its first resource is seen.

/** The build's precompiled validators, by kind; null when not built (running from src). */
const precompiled: Readonly<Record<string, ValidateFunction>> | null = await import(
  new URL('./kind-validators.generated.js', import.meta.url).href
).then(
  (module: { validators: Record<string, ValidateFunction> }) => module.validators,
  () => null,
);

const require = createRequire(import.meta.url);
let ajv: Ajv | undefined;
const compiled = new Map<Kind, ValidateFunction>();

/** Plugin kinds' validators, by schema: a later run in the process may register another schema under the same name. */
const compiledForPlugins = new WeakMap<object, ValidateFunction>();

function pluginValidatorFor(kind: Kind): ValidateFunction {
  const schema = schemaOf(kind);
  let validate = compiledForPlugins.get(schema);
  if (!validate) {
    ajv ??= new (require('ajv') as { Ajv: new (options: object) => Ajv }).Ajv(ajvOptions);
    validate = ajv.compile(kindJsonSchema(kind));
    compiledForPlugins.set(schema, validate);
  }
  return validate;
}

function validatorFor(kind: Kind): ValidateFunction {
  if (!isBuiltInKind(kind)) return pluginValidatorFor(kind);
  let validate = compiled.get(kind);
  if (!validate) {
    validate = precompiled?.[kind];
    if (!validate) {
      // Loaded only here: ajv's compiler is not needed when the build's validators are there.
      ajv ??= new (require('ajv') as { Ajv: new (options: object) => Ajv }).Ajv(ajvOptions);
      validate = ajv.compile(kindJsonSchema(kind));
    }
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
