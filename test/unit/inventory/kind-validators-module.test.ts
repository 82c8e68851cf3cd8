import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { ajvOptions, kindJsonSchema } from '../../../src/inventory/kind-schema-json.js';
import { kindValidatorsModule } from '../../../src/inventory/kind-validators-module.js';
import { allKinds, type Kind } from '../../../src/inventory/kinds/index.js';

// The build's precompiled validators must judge every value as the validators compiled at
// run time do (the tests that run from the sources use those): same verdict, same first error.
describe('precompiled kind validators (npm run build)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zt-validators-'));
  const file = join(dir, 'kind-validators.generated.mjs');
  writeFileSync(file, kindValidatorsModule());
  const { validators } = (await import(pathToFileURL(file).href)) as { validators: Record<string, ValidateFunction> };
  const ajv = new Ajv(ajvOptions);
  const runtime = (kind: Kind) => ajv.compile(kindJsonSchema(kind));

  const demo: { kind: Kind; attributes: Record<string, unknown> }[] = [];
  for (const path of await demoSnapshotFiles()) demo.push(...JSON.parse(readFileSync(path, 'utf8')).resources);

  /** Valid attributes and broken variants of them: a field removed, retyped, an unknown field added. */
  function variants(attributes: Record<string, unknown>): unknown[] {
    const out: unknown[] = [attributes, {}, null, [], { ...attributes, unexpectedField: 1 }];
    for (const key of Object.keys(attributes).slice(0, 6)) {
      const { [key]: _removed, ...without } = attributes;
      out.push(without, { ...attributes, [key]: 12345 }, { ...attributes, [key]: ['x'] }, { ...attributes, [key]: 'not-a-date' });
    }
    return out;
  }

  it('has one validator per kind', () => {
    expect(Object.keys(validators).sort()).toEqual([...allKinds]);
  });

  it.each(allKinds.filter((kind) => demo.some((r) => r.kind === kind)))('%s: same verdicts and first errors as run-time compilation', (kind) => {
    const compiled = runtime(kind);
    const pre = validators[kind] as ValidateFunction;
    let invalid = 0;
    for (const resource of demo.filter((r) => r.kind === kind)) {
      for (const value of variants(resource.attributes)) {
        const expected = compiled(value);
        expect(pre(value)).toBe(expected);
        if (!expected) {
          invalid++;
          expect(pre.errors?.[0]).toEqual(compiled.errors?.[0]);
        }
      }
    }
    expect(invalid).toBeGreaterThan(0);
  });
});
