import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import { derivedFieldSchemas } from '../../../src/analysis/derived-fields.js';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { loadRules } from '../../../src/app/rules.js';
import { resourceTypes } from '../../../src/engine/resource-types.js';
import { schemaType, type SchemaType } from '../../../src/engine/schema-shape.js';
import { toCelValue } from '../../../src/engine/values.js';
import { ZtAggregateError } from '../../../src/errors/zt-error.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { allKinds, kindSchemas } from '../../../src/inventory/kinds/index.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { readSnapshotFile } from '../../../src/inventory/snapshot-file.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { tempTree, validRule } from '../../support/temp.js';
// @ts-expect-error bench/synth.js is plain JavaScript, without type declarations
import { synthSnapshot } from '../../../bench/synth.js';

describe('schemaType: what the checker is told, never narrower than the schema', () => {
  it('maps scalars, and leaves dyn what JSON could make of another type', () => {
    expect(schemaType(z.string())).toEqual({ kind: 'string' });
    expect(schemaType(z.iso.datetime({ offset: true }).nullable())).toEqual({ kind: 'string' });
    expect(schemaType(z.boolean().optional())).toEqual({ kind: 'bool' });
    expect(schemaType(z.number().int().nullable())).toEqual({ kind: 'int' });
    expect(schemaType(z.number())).toEqual({ kind: 'dyn' }); // 2 is an int, 2.5 a double
    expect(schemaType(z.enum(['a', 'b']))).toEqual({ kind: 'string' });
    expect(schemaType(z.literal(['a', 'b']))).toEqual({ kind: 'string' });
    expect(schemaType(z.literal(3))).toEqual({ kind: 'int' });
    expect(schemaType(z.union([z.number().int(), z.string()]))).toEqual({ kind: 'dyn' });
    expect(schemaType(z.union([z.literal('a'), z.enum(['b'])]))).toEqual({ kind: 'string' });
    expect(schemaType(z.unknown())).toEqual({ kind: 'dyn' });
    expect(schemaType(z.string().default('x').readonly())).toEqual({ kind: 'string' });
  });

  it('maps lists, records and objects; an object open to other keys is a map', () => {
    expect(schemaType(z.array(z.string()))).toEqual({ kind: 'list', element: { kind: 'string' } });
    expect(schemaType(z.record(z.string(), z.boolean()))).toEqual({ kind: 'map', value: { kind: 'bool' } });
    expect(schemaType(z.strictObject({ a: z.string(), b: z.object({ c: z.number().int() }).nullable() }))).toEqual({
      kind: 'object',
      fields: { a: { kind: 'string' }, b: { kind: 'object', fields: { c: { kind: 'int' } } } },
    });
    expect(schemaType(z.looseObject({ a: z.string() }))).toEqual({ kind: 'map', value: { kind: 'dyn' } });
    expect(schemaType(z.object({ a: z.string() }).catchall(z.string()))).toEqual({ kind: 'map', value: { kind: 'dyn' } });
  });
});

describe('resourceTypes', () => {
  it('names objects by path, one type per shape, each declared after the types it uses, derived fields included', () => {
    const { root, types } = resourceTypes('k8s.workload', kindSchemas['k8s.workload'], derivedFieldSchemas('k8s.workload'));
    expect(root).toBe('k8s.workload');
    const byName = new Map(types.map((t) => [t.name, t.fields]));
    const pod = byName.get('k8s.workload.pod');
    expect(pod?.containers).toBe('list<k8s.workload.pod.containers>');
    expect(pod?.initContainers).toBe(pod?.containers); // one shape, one type: they concatenate
    expect(byName.get('k8s.workload')).toMatchObject({ replicas: 'int', ingressIsolated: 'bool' });
    const declared = new Set<string>();
    for (const type of types) {
      for (const fieldType of Object.values(type.fields)) {
        for (const named of fieldType.match(/k8s\.workload[\w.]*/g) ?? []) expect(declared, `${type.name} uses ${named}`).toContain(named);
      }
      declared.add(type.name);
    }
  });
});

/** Whether a CEL value (values.ts) is of the type the checker was told; null is allowed anywhere (the checker allows comparing anything with null). */
function conforms(value: unknown, type: SchemaType, path: string, problems: string[]): void {
  if (value === null || value === undefined || type.kind === 'dyn') return;
  const wrong = (): void => void problems.push(`${path}: ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))} is not ${type.kind}`);
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') wrong();
      return;
    case 'bool':
      if (typeof value !== 'boolean') wrong();
      return;
    case 'int':
      if (typeof value !== 'bigint') wrong();
      return;
    case 'list':
      if (!Array.isArray(value)) return wrong();
      value.forEach((item, i) => conforms(item, type.element, `${path}[${i}]`, problems));
      return;
    case 'map':
    case 'object': {
      const entries = value instanceof Map ? [...(value as Map<string, unknown>)] : typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : undefined;
      if (!entries) return wrong();
      for (const [key, inner] of entries) {
        const innerType = type.kind === 'map' ? type.value : type.fields[key];
        if (innerType) conforms(inner, innerType, `${path}.${key}`, problems);
      }
    }
  }
}

describe('the types hold for real data', () => {
  // The checker refuses a rule whose types do not fit; were a declared type narrower than
  // the data, it would refuse rules that run. Every attribute and derived fact of the demo
  // organisation and of a synthetic estate, as the rules see them, has its declared type.
  it.each([
    ['the demo organisation', async () => mergeSnapshots(await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f))))],
    ['a synthetic estate', () => Promise.resolve(synthSnapshot(1500) as Snapshot)],
  ])('%s', async (_name, snapshot) => {
    const inventory = new InventoryIndex(await snapshot());
    const facts = analyse(inventory);
    const problems: string[] = [];
    let checked = 0;
    for (const kind of allKinds) {
      const attributes = schemaType(kindSchemas[kind]);
      const fields = { ...(attributes.kind === 'object' ? attributes.fields : {}) };
      for (const [name, schema] of Object.entries(derivedFieldSchemas(kind))) fields[name] = schemaType(schema);
      for (const resource of inventory.ofKind(kind)) {
        const view = Object.assign({}, resource.attributes, ...facts.partsOf(resource)) as Record<string, unknown>;
        conforms(toCelValue(view), { kind: 'object', fields }, resource.id, problems);
        checked++;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});

describe('rules are type-checked at load (#15 item 16)', () => {
  async function ruleErrors(kind: string, assert: string, placeholder = '{{name}}') {
    const rule = validRule().replace('kind: idp.user', `kind: ${kind}`).replace('{{login}}', placeholder).replace('when: resource.status == "active"\n', '');
    const root = tempTree({ 'a.yaml': rule.replace('assert: size(resource.factors) > 0', `assert: '${assert}'`) });
    const error = await loadRules({ extraPaths: [root], withoutBundled: true }, root).catch((e: unknown) => e);
    if (!(error instanceof ZtAggregateError)) return [];
    return error.errors.map((e) => ({ code: e.code, line: e.location?.line, message: e.message.split('\n')[0] }));
  }

  it.each([
    ['a string as the assert', 'idp.user', 'meta.name', /must be a bool expression, but it is string/],
    ['a string plus an int', 'idp.user', 'meta.name + 1 == 2', /no such overload: string \+ int/],
    ['a string compared with an int', 'idp.user', 'meta.name == 1', /no such overload: string == int/],
    ['a meta field that does not exist', 'idp.user', 'meta.nmae == "x"', /No such key: nmae/],
    ['a field the kind does not have', 'idp.user', 'resource.namespace == "x"', /resource\.namespace is not a field of idp\.user/],
    ['the same, read with brackets', 'idp.user', 'resource["namespace"] == "x"', /No such key: namespace/],
    ['a field of a list element the kind does not have', 'idp.user', 'resource.factors.exists(f, f.namespace == "x")', /No such key: namespace/],
    ['a field through cel.bind', 'k8s.workload', 'cel.bind(p, resource.pod, p.hostNetwrk)', /No such key: hostNetwrk/],
    ['a bool compared with a string', 'idp.user', 'resource.privileged == "true"', /no such overload: bool == string/],
    ['a nullable int compared with a string', 'k8s.workload', 'resource.replicas == "3"', /no such overload: int == string/],
    ['a nullable string compared with an int', 'idp.user', 'resource.email == 1', /no such overload: string == int/],
    ['a derived fact compared with another type', 'idp.user', 'resource.mfaStrength == 3', /no such overload: string == int/],
    ['a list element compared with another type', 'idp.user', 'resource.adminRoles.exists(r, r == true)', /no such overload: string == bool/],
    ['an int field as the assert', 'k8s.workload', 'resource.replicas', /must be a bool expression, but it is int/],
    ['a string method on a bool', 'idp.user', 'resource.privileged.startsWith("t")', /no matching overload for 'bool\.startsWith\(string\)'/],
  ])('refuses %s: %s', async (_what, kind, assert, message) => {
    const errors = await ruleErrors(kind, assert);
    expect(errors).toEqual([{ code: 'ZT_RULE_CEL_TYPE', line: 8, message: expect.stringMatching(message) as string }]);
  });

  it.each([
    ['a nullable field compared with null', 'idp.user', 'resource.email == null || resource.email.endsWith("@example.com")'],
    ['null on either side, and a nullable int as an int', 'k8s.workload', 'null != resource.replicas && resource.replicas > 1'],
    ['a list element of a nullable object', 'k8s.workload', 'resource.pod.containers.all(c, c.securityContext == null || c.securityContext.privileged != true)'],
    ['a derived fact as its type', 'idp.user', 'resource.mfaStrength in ["mfa", "phishing_resistant"]'],
    ['meta fields as strings', 'idp.user', 'meta.name.startsWith("a") && meta.kind == "idp.user" && meta.source != ""'],
    ['a map of strings', 'k8s.workload', '"app" in resource.labels && resource.labels["app"] != "x"'],
    ['now and timestamps', 'idp.user', 'resource.lastSignInAt == null || now - timestamp(resource.lastSignInAt) < duration("2160h")'],
    ['dyn where the schema allows several types', 'k8s.service', 'resource.ports.all(p, p.targetPort == null || p.targetPort == 80 || p.targetPort == "http")'],
  ])('accepts %s: %s', async (_what, kind, assert) => {
    expect(await ruleErrors(kind, assert)).toEqual([]);
  });
});
