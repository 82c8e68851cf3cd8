import type { Kind } from '../inventory/kinds/index.js';
import { analysers } from './index.js';

/** Names (and descriptions) of the fields analysis adds to a kind. */
export function derivedFields(kind: Kind): Readonly<Record<string, string>> {
  return Object.assign({}, ...analysers.filter((a) => a.kind === kind).map((a) => a.fields)) as Record<string, string>;
}

export function derivedFieldNames(kind: Kind): readonly string[] {
  return Object.keys(derivedFields(kind)).sort();
}
