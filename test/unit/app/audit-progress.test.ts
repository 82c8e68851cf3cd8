import { describe, expect, it } from 'vitest';
import { audit } from '../../../src/app/audit.js';

describe('audit progress', () => {
  it('names each phase in order: rules, inputs, analysis, evaluation (with the rules in scope), scoring', async () => {
    const messages: string[] = [];
    const run = (scope?: { rules: string[]; skipRules: string[]; namespaces: string[]; excludeNamespaces: string[] }) =>
      audit({ rules: { extraPaths: [] }, inputs: { demo: true, snapshots: [] }, toolVersion: 'test', progress: (m) => messages.push(m), ...(scope ? { scope } : {}) });
    const report = await run();
    const rules = report.rules.length;
    const resources = report.inventory.resourceCount;
    expect(messages).toEqual([
      'Loading rules',
      'Reading inputs',
      `Analysing ${resources} resources`,
      `Evaluating ${rules} rules over ${resources} resources`,
      'Scoring against CISA ZTMM v2.0',
    ]);
    messages.length = 0;
    await run({ rules: ['ZT-IDN-00*'], skipRules: [], namespaces: [], excludeNamespaces: [] });
    const inScope = report.rules.filter((r) => /^ZT-IDN-00/.test(r.id)).length;
    expect(messages).toContain(`Evaluating ${inScope} rules over ${resources} resources`);
  });
});
