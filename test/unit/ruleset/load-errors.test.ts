import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/app/rules.js';
import { ZtAggregateError } from '../../../src/errors/zt-error.js';
import { formatZtError } from '../../../src/cli/format-error.js';
import { tempTree, validRule } from '../../support/temp.js';

async function ruleErrors(files: Record<string, string>) {
  const root = tempTree(files);
  try {
    await loadRules({ extraPaths: [root], withoutBundled: true }, root);
  } catch (error) {
    expect(error).toBeInstanceOf(ZtAggregateError);
    const aggregate = error as ZtAggregateError;
    return {
      errors: aggregate.errors.map((e) => ({ code: e.code, file: e.location?.file, line: e.location?.line, message: e.message })),
      text: formatZtError(aggregate),
    };
  }
  throw new Error('expected rule errors');
}

describe('rule errors are all reported together, with file and line', () => {
  it('loads a valid rule folder', async () => {
    const root = tempTree({ 'a.yaml': validRule() });
    const rules = await loadRules({ extraPaths: [root], withoutBundled: true }, root);
    expect(rules.definitions.map((r) => r.id)).toEqual(['ACME-IDN-1']);
  });

  it('reports YAML syntax, schema, kind, row, CEL syntax, CEL type, unknown field and placeholder errors in one run', async () => {
    const { errors, text } = await ruleErrors({
      'syntax.yaml': 'id: X-1\ntitle: [unclosed\n',
      'schema.yaml': validRule('ACME-IDN-2').replace('severity: high', 'severity: urgent'),
      'kind.yaml': validRule('ACME-IDN-3').replace('kind: idp.user', 'kind: idp.usr'),
      'row.yaml': validRule('ACME-IDN-4').replace('row: identity.authentication', 'row: identity.authn'),
      'celsyntax.yaml': validRule('ACME-IDN-5').replace('assert: size(resource.factors) > 0', 'assert: size(resource.factors) >>> 0'),
      'celtype.yaml': validRule('ACME-IDN-6').replace('assert: size(resource.factors) > 0', 'assert: size(resource.factors) + "x"'),
      'field.yaml': validRule('ACME-IDN-7').replace('assert: size(resource.factors) > 0', 'assert: size(resource.factorz) > 0'),
      'placeholder.yaml': validRule('ACME-IDN-8').replace('{{login}}', '{{logn}}'),
      'zdup.yaml': validRule('ACME-IDN-7'),
    });
    const byFile = Object.fromEntries(errors.map((e) => [e.file, e]));
    expect(byFile['syntax.yaml']).toMatchObject({ code: 'ZT_RULE_YAML', line: 3 });
    expect(byFile['schema.yaml']).toMatchObject({ code: 'ZT_RULE_SCHEMA', line: 4 });
    expect(byFile['kind.yaml']).toMatchObject({ code: 'ZT_RULE_UNKNOWN_KIND', line: 3 });
    expect(byFile['row.yaml']).toMatchObject({ code: 'ZT_RULE_UNKNOWN_ZTMM', line: 6 });
    expect(byFile['celsyntax.yaml']).toMatchObject({ code: 'ZT_RULE_CEL_SYNTAX', line: 9 });
    expect(byFile['celtype.yaml']).toMatchObject({ code: 'ZT_RULE_CEL_TYPE', line: 9 });
    expect(byFile['field.yaml']).toMatchObject({ code: 'ZT_RULE_CEL_TYPE', line: 9 });
    expect(byFile['field.yaml']?.message).toMatch(/resource\.factorz is not a field of idp\.user/);
    expect(byFile['placeholder.yaml']).toMatchObject({ code: 'ZT_RULE_PLACEHOLDER', line: 10 });
    expect(errors.some((e) => e.code === 'ZT_RULE_DUPLICATE_ID')).toBe(true);
    // The caret snippet points into the expression, and the summary names every file.
    expect(text).toMatch(/field\.yaml:9: assert: resource\.factorz/);
    expect(text).toMatch(/\^/);
    expect(text).toMatch(/^✖ Rules are invalid \(ZT_RULES_INVALID\)/);
  });

  it('checks nested fields against the kind schema', async () => {
    const rule = validRule().replace('kind: idp.user', 'kind: k8s.workload').replace('{{login}}', '{{name}}')
      .replace('when: resource.status == "active"', 'when: resource.pod.hostNetwork')
      .replace('assert: size(resource.factors) > 0', 'assert: resource.pod.serviceAcountName != "default"');
    const { errors } = await ruleErrors({ 'nested.yaml': rule });
    expect(errors[0]?.message).toMatch(/resource\.pod\.serviceAcountName is not a field of k8s\.workload.*serviceAccountName/s);
  });

  it('checks fields under a negation too', async () => {
    const rule = validRule().replace('assert: size(resource.factors) > 0', 'assert: "!resource.factorz.exists(f, f == 1)"');
    const { errors } = await ruleErrors({ 'negated.yaml': rule });
    expect(errors[0]?.message).toMatch(/resource\.factorz is not a field of idp\.user/);
  });

  it('rejects an assert that is not a boolean expression', async () => {
    const { errors } = await ruleErrors({ 'a.yaml': validRule().replace('assert: size(resource.factors) > 0', 'assert: size(resource.factors)') });
    expect(errors[0]).toMatchObject({ code: 'ZT_RULE_CEL_TYPE' });
    expect(errors[0]?.message).toMatch(/must be a bool expression, but it is int/);
  });

  it('a missing rules path is a clear error', async () => {
    const error = await loadRules({ extraPaths: [join('/nonexistent', 'rules')], withoutBundled: true }).catch((e: unknown) => e);
    expect((error as ZtAggregateError).errors[0]?.message).toMatch(/rules path \/nonexistent\/rules does not exist/);
  });

  it('skips cases files in a rule folder', async () => {
    const root = tempTree({ 'a.yaml': validRule(), 'a.cases.yaml': 'rule: ACME-IDN-1\n' });
    const rules = await loadRules({ extraPaths: [root], withoutBundled: true }, root);
    expect(rules.definitions).toHaveLength(1);
  });
});
