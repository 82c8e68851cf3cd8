import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/app/rules.js';
import { casesFileFor, runRuleCases } from '../../src/app/rule-tester.js';
import { readRuleCases } from '../../src/ruleset/cases.js';

// The RuleTester harness: every bundled rule runs against its cases file through the
// real analysis and evaluation. A failing case prints what the rule author must fix.
const { compiled } = await loadRules({ extraPaths: [] });

describe.each(compiled.map((rule) => [rule.definition.id, rule] as const))('%s', (_id, rule) => {
  it('has a cases file and every case behaves as stated', async () => {
    const file = casesFileFor(rule.definition.source.file);
    expect(file, `no cases file for ${rule.definition.source.file}`).toBeDefined();
    const outcomes = runRuleCases(rule, await readRuleCases(file as string));
    const failures = outcomes.filter((o) => !o.ok).map((o) => `${o.group} › ${o.name}: ${o.problem}`);
    expect(failures).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
  });
});
