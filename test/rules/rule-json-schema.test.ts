import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { bundledRulesDir, listRuleFiles } from '../../src/ruleset/load.js';
import { ruleFileSchema } from '../../src/ruleset/rule-schema.js';
import { ztYamlSchema } from '../../src/text/yaml-schema.js';
import { ruleSchemaFile, ruleSchemaText } from '../../scripts/gen-rule-schema.js';
import { validRule } from '../support/temp.js';

// rules/schema.json is what editors check rule files against (each bundled rule names it
// in its first line). It is generated from the zod rule schema by `npm run schema`.

const committed = readFileSync(ruleSchemaFile, 'utf8');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(committed));
const load = (text: string): unknown => yaml.load(text, { schema: ztYamlSchema });

describe('rules/schema.json', () => {
  it('is what `npm run schema` generates now (run it after changing src/ruleset/rule-schema.ts)', () => {
    expect(committed, 'rules/schema.json is stale: run npm run schema').toBe(ruleSchemaText(ruleFileSchema));
  });

  it('is named by every bundled rule, and every bundled rule validates against it', async () => {
    const files = await listRuleFiles([bundledRulesDir]);
    expect(files.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const modeline = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
      if (!modeline || resolve(dirname(file), modeline[1] as string) !== ruleSchemaFile) problems.push(`${file}: first line does not name rules/schema.json`);
      if (!validate(load(text))) problems.push(`${file}: ${JSON.stringify(validate.errors)}`);
    }
    expect(problems).toEqual([]);
  });

  it('accepts and rejects what zt itself accepts and rejects', () => {
    const base = load(validRule('ACME-IDN-1')) as Record<string, unknown> & { ztmm: Record<string, unknown> };
    const variants: [string, unknown, boolean][] = [
      ['a valid rule', base, true],
      ['several stages', { ...base, ztmm: { row: 'identity.authentication', stages: { advanced: 'most', optimal: 'all' } } }, true],
      ['all optional fields', { ...base, when: 'true', whenEmpty: 'fail', tags: ['x'], ztmm: { ...base.ztmm, quantifier: 'some', supporting: true } }, true],
      ['both stage and stages', { ...base, ztmm: { ...base.ztmm, stages: { optimal: 'all' } } }, false],
      ['neither stage nor stages', { ...base, ztmm: { row: 'identity.authentication' } }, false],
      ['an unknown stage in stages', { ...base, ztmm: { row: 'identity.authentication', stages: { final: 'all' } } }, false],
      ['an unknown quantifier', { ...base, ztmm: { ...base.ztmm, quantifier: 'many' } }, false],
      ['an unknown key', { ...base, asert: 'true' }, false],
      ['an unknown ztmm key', { ...base, ztmm: { ...base.ztmm, pillar: 'identity' } }, false],
      ['no assert', { ...base, assert: undefined }, false],
      ['an empty assert', { ...base, assert: '' }, false],
      ['a lower-case id', { ...base, id: 'acme-1' }, false],
      ['a short title', { ...base, title: 'MFA' }, false],
      ['an unknown severity', { ...base, severity: 'urgent' }, false],
      ['no references', { ...base, references: [] }, false],
      ['a numeric tag', { ...base, tags: [1] }, false],
    ];
    for (const [what, rule, valid] of variants) {
      const json = JSON.parse(JSON.stringify(rule)) as unknown;
      expect(ruleFileSchema.safeParse(json).success, `zod: ${what}`).toBe(valid);
      expect(validate(json), `rules/schema.json: ${what}`).toBe(valid);
    }
  });
});
