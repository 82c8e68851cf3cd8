import type { z } from 'zod';
import type { CelTypeDeclaration, ResourceTypes } from './cel-env.js';
import { schemaType, type SchemaType } from './schema-shape.js';

/**
 * `resource` for the type checker, as one kind has it: the kind's attributes and the
 * fields analysis derives for it (derived winning on a shared name, as in the views),
 * each typed from its zod schema (schemaType). Objects become message types named by
 * their path (`k8s.workload`, `k8s.workload.pod`, `k8s.workload.pod.containers`), so
 * the checker knows the fields and types under `resource` everywhere, in comprehension
 * variables and `cel.bind` too, and refuses a field the kind does not have or an operand
 * of the wrong type (`resource.replicas == "3"`) when the rule loads.
 *
 * Only for checking: rules run with `resource` a map (cel-env.ts), so nothing about how
 * they evaluate changes.
 */
export function resourceTypes(kind: string, attributes: z.ZodType, derived: Readonly<Record<string, z.ZodType>>): ResourceTypes {
  const collected = schemaType(attributes);
  // Attributes that admit any key (no kind's do): resource stays a map, its fields dyn.
  if (collected.kind !== 'object') return { root: 'map<string, dyn>', types: [] };
  const fields: Record<string, SchemaType> = { ...collected.fields };
  for (const [name, schema] of Object.entries(derived)) fields[name] = schemaType(schema);
  const types: CelTypeDeclaration[] = [];
  // Objects of one shape are one type, wherever they are (containers and initContainers
  // concatenate), named after the first path they are met at.
  const byShape = new Map<string, string>();
  const typeName = (type: SchemaType, path: string): string => {
    switch (type.kind) {
      case 'list':
        return `list<${typeName(type.element, path)}>`;
      case 'map':
        return `map<string, ${typeName(type.value, path)}>`;
      case 'object': {
        const declared: Record<string, string> = {};
        for (const [name, field] of Object.entries(type.fields)) declared[name] = typeName(field, `${path}.${name}`);
        const shape = JSON.stringify(Object.entries(declared).sort(([a], [b]) => (a < b ? -1 : 1)));
        const known = byShape.get(shape);
        if (known !== undefined) return known;
        byShape.set(shape, path);
        // After the types its fields name, which cel-js needs registered first.
        types.push({ name: path, fields: declared });
        return path;
      }
      default:
        return type.kind;
    }
  };
  const root = typeName({ kind: 'object', fields }, kind);
  return { root, types };
}
