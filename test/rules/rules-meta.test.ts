import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesFileFor } from '../../src/app/rule-tester.js';
import { loadRules } from '../../src/app/rules.js';
import { pillarIds } from '../../src/model/ztmm.js';
import { readRuleCases } from '../../src/ruleset/cases.js';

// Conventions every bundled rule follows (ESLint's checkRuleFiles in spirit).
const { definitions } = await loadRules({ extraPaths: [] });
const pillarCode = { identity: 'IDN', devices: 'DEV', networks: 'NET', applications: 'APP', data: 'DAT' } as const;

describe('bundled rule pack', () => {
  it('has at least 20 rules covering all five pillars', () => {
    expect(definitions.length).toBeGreaterThanOrEqual(20);
    expect(new Set(definitions.map((r) => r.pillar))).toEqual(new Set(pillarIds));
  });

  describe.each(definitions.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    it('id, folder and file name follow the conventions', () => {
      expect(rule.id).toMatch(new RegExp(`^ZT-${pillarCode[rule.pillar]}-\\d{3}$`));
      expect(basename(dirname(rule.source.file))).toBe(rule.pillar);
      expect(rule.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
    });

    it('says how to fix it and where the requirement comes from', () => {
      expect(rule.remediation.length).toBeGreaterThan(20);
      expect(rule.references.length).toBeGreaterThan(0);
      expect(rule.message).toMatch(/\{\{/); // names the resource it is about
    });

    it('has cases with valid and invalid examples', async () => {
      const file = casesFileFor(rule.source.file);
      expect(file && existsSync(file), `missing cases for ${rule.source.file}`).toBeTruthy();
      const cases = await readRuleCases(file as string);
      expect(cases.rule).toBe(rule.id);
      expect(cases.valid.filter((c) => (c.expect ?? 'pass') === 'pass').length).toBeGreaterThanOrEqual(1);
      expect(cases.invalid.length).toBeGreaterThanOrEqual(1);
    });
  });
});
