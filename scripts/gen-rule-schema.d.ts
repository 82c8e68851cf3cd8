import type { ZodType } from 'zod';

/** The rule file's JSON Schema, as written to rules/schema.json. */
export function ruleJsonSchema(ruleFileSchema: ZodType): Record<string, unknown>;
/** The bytes of rules/schema.json. */
export function ruleSchemaText(ruleFileSchema: ZodType): string;
/** The absolute path of rules/schema.json. */
export const ruleSchemaFile: string;
