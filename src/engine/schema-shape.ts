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
