import type { z } from 'zod';
import type { Kind } from '../inventory/kinds/index.js';
import { describedFields } from './analyser.js';
import { activeAnalysers } from './index.js';

/** Names and descriptions of the fields analysis adds to a kind, from the analysers' output schemas (a later analyser's description wins on a shared name). */
export function derivedFields(kind: Kind): Readonly<Record<string, string>> {
  return Object.assign({}, ...activeAnalysers().filter((a) => a.kind === kind).map((a) => describedFields(a.output))) as Record<string, string>;
}

export function derivedFieldNames(kind: Kind): readonly string[] {
  return Object.keys(derivedFields(kind)).sort();
}

/** The schemas of the fields analysis adds to a kind, from the analysers' output schemas (a later analyser's wins on a shared name, as its values do). */
export function derivedFieldSchemas(kind: Kind): Readonly<Record<string, z.ZodType>> {
  return Object.assign({}, ...activeAnalysers().filter((a) => a.kind === kind).map((a) => a.output.shape)) as Record<string, z.ZodType>;
}
