import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { celAst } from '../../../src/engine/cel-ast.js';
import { celEnvironment } from '../../../src/engine/cel-env.js';
import { findUnknownFields } from '../../../src/engine/field-check.js';
import { objectShape } from '../../../src/engine/schema-shape.js';
import { allKinds, kindSchemas } from '../../../src/inventory/kinds/index.js';

const schema = z.strictObject({
  name: z.string(),
  spec: z.object({ replicas: z.number(), template: z.object({ image: z.string() }).nullable().optional() }).default({ replicas: 1, template: null }),
  labels: z.record(z.string(), z.string()),
  ports: z.array(z.object({ port: z.number() })),
});

const problems = (expression: string, derived: readonly string[] = []) =>
  findUnknownFields(celAst(celEnvironment().parse(expression)), schema, derived).map((p) => [p.path, p.start, p.end, p.known.join(',')]);

describe('findUnknownFields', () => {
  it('checks resource.x.y chains through optional, nullable and default objects, with the caret span of the chain', () => {
    expect(problems('resource.name == "a" && resource.spec.template.image == "b"')).toEqual([]);
    expect(problems('resource.nmae == "a"')).toEqual([['nmae', 0, 13, 'labels,name,ports,spec']]);
    expect(problems('resource.spec.template.imag == "b"')).toEqual([['spec.template.imag', 0, 27, 'image']]);
    expect(problems('true && resource.spec.replica > 1')).toEqual([['spec.replica', 8, 29, 'replicas,template']]);
  });

  it('stops at maps and lists (macro variables are not typed), and accepts derived fields', () => {
    expect(problems('resource.labels.anything == "x" && resource.ports.all(p, p.nope > 0)')).toEqual([]);
    expect(problems('resource.isolated && resource.isolated.deep', ['isolated'])).toEqual([]);
    expect(problems('resource.isolated')).toEqual([['isolated', 0, 17, 'labels,name,ports,spec']]);
  });

  it('reports names an object has only through its prototype (once an internal error)', () => {
    expect(problems('resource.constructor == "x" || resource.spec.toString == "y"')).toEqual([
      ['constructor', 0, 20, 'labels,name,ports,spec'],
      ['spec.toString', 31, 53, 'replicas,template'],
    ]);
  });
});

/** The same unwrapping read from zod's internal definitions, as the engine did before objectShape. */
type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
function internalShape(s: z.ZodType): Record<string, z.ZodType> | undefined {
  let def = defOf(s);
  while ((def.type === 'nullable' || def.type === 'optional' || def.type === 'default') && def.innerType) def = defOf(def.innerType);
  return def.type === 'object' ? def.shape : undefined;
}

describe('objectShape (zod public API)', () => {
  it('gives what zod internals give on every object reachable in every kind schema', () => {
    let compared = 0;
    const walk = (s: z.ZodType, path: string): void => {
      const shape = objectShape(s);
      expect(shape, path).toBe(internalShape(s));
      compared++;
      for (const [name, inner] of Object.entries(shape ?? {})) walk(inner, `${path}.${name}`);
    };
    for (const kind of allKinds) walk(kindSchemas[kind], kind);
    expect(compared).toBeGreaterThan(300);
  });
});
