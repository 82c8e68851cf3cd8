import { z } from 'zod';

/**
 * The fields of an object schema, looking through optional, nullable and default
 * wrappers; undefined for anything else (a list, a map, a union …). The engine's one
 * reading of a zod schema's structure, through zod's public classes.
 */
export function objectShape(schema: z.ZodType): Readonly<Record<string, z.ZodType>> | undefined {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodExactOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current instanceof z.ZodObject ? current.shape : undefined;
}

/** What the CEL type checker is told about a schema's values (resource-types.ts). */
export type SchemaType =
  | { readonly kind: 'string' | 'bool' | 'int' | 'dyn' }
  | { readonly kind: 'list'; readonly element: SchemaType }
  | { readonly kind: 'map'; readonly value: SchemaType }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, SchemaType>> };

const DYN: SchemaType = { kind: 'dyn' };
const STRING: SchemaType = { kind: 'string' };
const BOOL: SchemaType = { kind: 'bool' };
const INT: SchemaType = { kind: 'int' };

/** The CEL type of a JSON scalar literal (whole numbers are CEL ints: values.ts). */
function literalType(value: unknown): SchemaType {
  if (typeof value === 'string') return STRING;
  if (typeof value === 'boolean') return BOOL;
  return typeof value === 'number' && Number.isSafeInteger(value) ? INT : DYN;
}

/** One scalar type for all, or dyn. */
function common(types: readonly SchemaType[]): SchemaType {
  const [first] = types;
  if (!first || (first.kind !== 'string' && first.kind !== 'bool' && first.kind !== 'int')) return DYN;
  return types.every((t) => t.kind === first.kind) ? first : DYN;
}

/**
 * The CEL type of the values a schema admits, as JSON makes them, never narrower: a type
 * the checker is told must hold for every valid value, or the checker would refuse a rule
 * that runs. So a number that need not be whole is dyn (JSON's 2 is an int, 2.5 a double),
 * a union is dyn unless all its members are one scalar type, and an object that admits
 * undeclared keys is a map. Optional and default values have their value's type (a missing
 * field is an error to read, as before), and so do nullable ones: the checker lets any
 * value be compared with null (cel-env.ts), which is all CEL does with a null that is not
 * an error.
 */
export function schemaType(schema: z.ZodType): SchemaType {
  let current: z.ZodType = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodExactOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodReadonly
  ) {
    current = current.unwrap() as z.ZodType;
  }
  if (current.type === 'string') return STRING;
  if (current instanceof z.ZodBoolean) return BOOL;
  if (current instanceof z.ZodNumber) return current.isInt ? INT : DYN;
  if (current instanceof z.ZodEnum) return common(current.options.map(literalType));
  if (current instanceof z.ZodLiteral) return common([...current.values].map(literalType));
  if (current instanceof z.ZodArray) return { kind: 'list', element: schemaType(current.element as z.ZodType) };
  if (current instanceof z.ZodRecord) return { kind: 'map', value: schemaType(current.valueType as z.ZodType) };
  if (current instanceof z.ZodUnion) return common((current.options as readonly z.ZodType[]).map(schemaType));
  if (current instanceof z.ZodObject) {
    const catchall = current.def.catchall;
    if (catchall !== undefined && !(catchall instanceof z.ZodNever)) return { kind: 'map', value: DYN };
    const fields: Record<string, SchemaType> = {};
    for (const [name, field] of Object.entries(objectShape(current) ?? {})) fields[name] = schemaType(field);
    return { kind: 'object', fields };
  }
  return DYN;
}
