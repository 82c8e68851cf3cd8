// `npm run schema`: writes rules/schema.json, the JSON Schema of a rule file that every
// bundled rule names in its first line (`# yaml-language-server: $schema=../schema.json`),
// so editors complete and check rule files. It is generated from the rule schema zt
// itself validates with (src/ruleset/rule-schema.ts, zod); a test regenerates it in
// memory and fails when the committed file is stale. No network: zod converts it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Shown by editors on hover; keyed by property path. Every key must name a property of the schema. */
const descriptions = {
  '': 'A zt rule: one per file; the file name (without .yaml) is its slug. `zt rules validate` checks what this schema cannot: CEL, kinds, fields and ZTMM rows.',
  id: 'Permanent, unique id such as ZT-IDN-001 or ACME-NET-7; never reused.',
  title: 'What holds when the rule passes, in one line.',
  kind: 'The resource kind the rule checks (`zt rules kinds` lists kinds and their fields).',
  severity: 'How bad a failure is.',
  ztmm: 'The CISA ZTMM v2.0 row the rule evidences and the stage(s) it gates.',
  'ztmm.row': 'A ZTMM row id, e.g. identity.authentication (docs/ztmm.md).',
  'ztmm.stage': 'The one stage this rule gates (give either stage or stages).',
  'ztmm.quantifier': 'With stage: the share of in-scope resources that must pass (some 25 %, most 75 %, all 100 %; default all).',
  'ztmm.stages': 'Several gated stages with their own quantifiers, e.g. { advanced: most, optimal: all } (give either stage or stages).',
  'ztmm.supporting': 'Reported and counts towards progress, but gates no stage.',
  when: 'CEL: which resources are in scope (default: all of the kind).',
  assert: 'CEL: what must hold for a resource in scope.',
  message: 'Shown for a failing resource; {{name}}, {{id}}, {{kind}}, {{source}} or a top-level field of the kind.',
  evidence: 'A top-level field of the kind (or derived fact) each failing finding carries as structured evidence in JSON and SARIF, e.g. escalationPath.',
  whenEmpty: 'What nothing in scope means: not_applicable (default), or fail when the thing must exist.',
  remediation: 'How to fix a failure.',
  references: 'Where the requirement comes from (at least one).',
  tags: 'Free-form labels.',
};

/**
 * The rule file's JSON Schema (draft-07, which every YAML editor reads). zod's refinement
 * "either ztmm.stage or ztmm.stages" has no JSON Schema form of its own; it is added here
 * as a oneOf (a test checks that zod and this schema agree on it).
 */
export function ruleJsonSchema(ruleFileSchema) {
  const schema = z.toJSONSchema(ruleFileSchema, { target: 'draft-7', io: 'input' });
  const ztmm = schema.properties?.ztmm;
  if (!ztmm?.properties?.stage || !ztmm.properties.stages) throw new Error('the rule schema has no ztmm.stage and ztmm.stages');
  ztmm.oneOf = [{ required: ['stage'] }, { required: ['stages'] }];
  for (const [path, description] of Object.entries(descriptions)) {
    let node = schema;
    for (const key of path === '' ? [] : path.split('.')) node = node?.properties?.[key];
    if (!node) throw new Error(`described property ${path} is not in the rule schema`);
    node.description = description;
  }
  const { $schema, description, ...rest } = schema;
  return { $schema, $comment: 'Generated from src/ruleset/rule-schema.ts by `npm run schema`; do not edit.', title: 'zt rule file', description, ...rest };
}

/** The bytes of rules/schema.json. */
export function ruleSchemaText(ruleFileSchema) {
  return `${JSON.stringify(ruleJsonSchema(ruleFileSchema), null, 2)}\n`;
}

export const ruleSchemaFile = fileURLToPath(new URL('../rules/schema.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ruleFileSchema } = await import('../dist/ruleset/rule-schema.js');
  writeFileSync(ruleSchemaFile, ruleSchemaText(ruleFileSchema));
  console.log('rules/schema.json written');
}
