import { describe, expect, it } from 'vitest';
import { celAst } from '../../../src/engine/cel-ast.js';
import { celEnvironment } from '../../../src/engine/cel-env.js';
import { resourceFieldsRead } from '../../../src/engine/expression-reads.js';
import { fieldPlan, ResourceView } from '../../../src/engine/resource-view.js';
import type { Resource } from '../../../src/inventory/snapshot.js';

const read = (expression: string) => {
  const fields = resourceFieldsRead(celAst(celEnvironment().parse(expression)));
  return fields === null ? null : [...fields].sort();
};

describe('resourceFieldsRead', () => {
  it('collects the top-level field of every resource.x chain, has() and macros included', () => {
    expect(read('resource.a.b == 1 && has(resource.c) && resource.d.exists(x, x.e == resource.f)')).toEqual(['a', 'c', 'd', 'f']);
  });
  it('ignores fields of other variables and of macro variables', () => {
    expect(read('meta.name == "x" && resource.list.all(item, item.deep.field)')).toEqual(['list']);
  });
  it('needs the whole resource when it is indexed or used as a value', () => {
    expect(read('resource["a"] == 1')).toBeNull();
    expect(read('size(resource) > 0')).toBeNull();
    expect(read('resource.a == 1 && "b" in resource')).toBeNull();
  });
});

describe('ResourceView with the fields read', () => {
  const resource = {
    kind: 'k8s.workload',
    id: 'w',
    name: 'w',
    // ingressIsolated as an attribute too: the derived fact must win.
    attributes: { replicas: 3, labels: { app: 'x' }, unused: { deep: [1, 2] }, ingressIsolated: 'attribute' },
    provenance: { collector: 'test', source: 'test' },
  } as unknown as Resource;
  const now = new Date(0);
  // ingressIsolated is a derived field of workloads: looked for among the derived parts first.
  const derivedNames = new Set(['ingressIsolated']);
  const cel = (derived: Record<string, unknown>[], reads?: ReadonlySet<string>) =>
    new ResourceView(resource, derived, now, fieldPlan(reads ?? null, derivedNames)).bindings().resource as Record<string, unknown>;

  it('holds only the fields read, derived facts winning over attributes (the later part first), absent fields absent', () => {
    const view = cel([{ ingressIsolated: true }, { ingressIsolated: false }], new Set(['replicas', 'ingressIsolated', 'labels', 'missing']));
    expect(view).toEqual({ replicas: 3n, ingressIsolated: false, labels: { app: 'x' } });
    expect(Object.hasOwn(view, 'missing')).toBe(false);
  });

  it('equals the full view on the fields read', () => {
    const full = cel([{ ingressIsolated: true }]);
    const narrow = cel([{ ingressIsolated: true }], new Set(['replicas', 'ingressIsolated']));
    expect(narrow).toEqual({ replicas: full.replicas, ingressIsolated: full.ingressIsolated });
    expect(full.ingressIsolated).toBe(true);
    expect(full.unused).toEqual({ deep: [1n, 2n] });
  });
});

describe('resourceFieldsRead through every operator shape', () => {
  it('sees fields under unary operators, the ternary, list and map literals', () => {
    expect(read('!resource.a && -resource.b < 0 && (resource.c ? resource.d : resource.e) && [resource.f] == [] && {"k": resource.g}.k')).toEqual([
      'a', 'b', 'c', 'd', 'e', 'f', 'g',
    ]);
  });
});
