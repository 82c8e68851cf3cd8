import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { MARKDOWN_LIMIT, renderMarkdown } from '../../src/reporters/markdown.js';
import { sampleReport } from '../support/sample-report.js';

describe('markdown reporter', () => {
  it('summarises stages, failures, next steps, collection gaps and waivers', () => {
    const text = renderMarkdown(sampleReport());
    expect(text).toMatch(/^## zt: /);
    expect(text).toMatch(/ZTMM-aligned estimate/);
    expect(text).toMatch(/\| Pillar \| Stage \| Possible \| Score \| Rows assessed \|/);
    expect(text).toMatch(/### Failing findings \(\d+\)/);
    expect(text).toMatch(/### To reach the next stage/);
    expect(text).toMatch(/### Collection/);
    expect(text).toMatch(/\*\*expired\*\* 2026-06-30: `ZT-NET-003`/);
    expect(text).toBe(renderMarkdown(sampleReport()));
  });

  it('says "Insufficient evidence" where a pillar or the overall has too few parts assessed, and why', () => {
    const report = sampleReport();
    const text = renderMarkdown(report);
    expect(text).toContain('| Networks | Insufficient evidence | Initial | — | 1/7 |');
    expect(text).toContain('_Insufficient evidence: Networks: 1 of 7 rows assessed, reaching Initial; a stage above Traditional needs 4._');
    const overall: Report['score']['overall'] = {
      ...report.score.overall,
      stage: 'not_assessed',
      possibleStage: 'initial',
      score: null,
      evidence: { parts: 'pillars', assessed: 2, required: 3, total: 5, sufficient: false, assessedStage: 'initial' },
    };
    const withheld = renderMarkdown({
      ...report,
      score: { ...report.score, overall },
      baseline: { file: 'b.json', collectedAt: '2026-01-01T00:00:00Z', newFindings: [], resolved: [], stageRegressions: [{ level: 'pillar', id: 'networks', from: 'initial', to: 'not_assessed' }] },
    });
    expect(withheld).toMatch(/^## zt: Insufficient evidence \(— \/ 3\.00\)$/m);
    expect(withheld).toContain('; overall: 2 of 5 pillars with a stage, reaching Initial; a stage above Traditional needs 3._');
    expect(withheld).toContain('- pillar `networks`: Initial → Insufficient evidence');
  });

  it('shows only new failures when there is a baseline', () => {
    const report = sampleReport();
    const failing = report.findings.filter((f) => f.status === 'fail');
    const withBaseline: Report = {
      ...report,
      baseline: { file: '.zt/baseline.json', collectedAt: '2026-01-01T00:00:00Z', newFindings: [failing[0]!.fingerprint], resolved: [], stageRegressions: [{ level: 'pillar', id: 'identity', from: 'initial', to: 'traditional' }] },
    };
    const text = renderMarkdown(withBaseline);
    expect(text).toMatch(/### New failures since the baseline \(1\)/);
    expect(text).toMatch(new RegExp(`${failing.length - 1} still failing`));
    expect(text).toMatch(/- pillar `identity`: Initial → Traditional/);
  });

  it('cannot be broken by audited text, and stays within GitHub comment limits', () => {
    const report = sampleReport();
    const nasty = report.findings.map((f) => ({ ...f, message: 'a | b\n<script>x</script> `c`', resource: { ...f.resource, name: `${f.resource.name}|x` } }));
    const text = renderMarkdown({ ...report, findings: nasty });
    const tableRows = text.split('\n').filter((l) => l.startsWith('| ') && l.includes('a \\| b'));
    expect(tableRows.length).toBeGreaterThan(0);
    for (const row of tableRows) expect(row.split(/(?<!\\)\|/).length).toBe(6);
    expect(text).not.toMatch(/<script>/);
    const huge = { ...report, score: { ...report.score, nextSteps: [] }, inventory: { ...report.inventory, issues: Array.from({ length: 3000 }, (_, i) => ({ collector: 'okta', severity: 'warning' as const, code: 'X', message: `issue ${i} ${'x'.repeat(40)}`, kinds: [] })) } };
    const cut = renderMarkdown(huge);
    expect(cut.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(cut).toMatch(/cut to stay within GitHub's comment size/);
  });
});

describe('junit reporter', () => {
  const parse = (text: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);

  it('is well-formed XML with a suite per rule and a case per failing, erroring and waived resource', () => {
    const report = sampleReport();
    const text = renderJunit(report);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = parse(text);
    const suites = [doc.testsuites.testsuite].flat();
    expect(suites).toHaveLength(report.rules.length);
    const fails = report.findings.filter((f) => f.status === 'fail').length;
    expect(Number(doc.testsuites.failures)).toBe(fails);
    expect(Number(doc.testsuites.errors)).toBe(report.findings.filter((f) => f.status === 'error').length);
    const allCases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as { name: string; failure?: { message: string }; skipped?: { message: string } }[];
    expect(allCases.filter((c) => c.failure)).toHaveLength(fails);
    expect(allCases.find((c) => c.name.startsWith('break-glass'))?.skipped?.message).toMatch(/^waived until 2026-12-31 by security@acme\.example/);
    expect(text).toBe(renderJunit(sampleReport()));
  });

  it('a rule that could not run is a skipped case with the reason, never a pass', () => {
    const report = sampleReport();
    const notEvaluated = report.ruleResults.find((r) => r.status === 'not_evaluated');
    expect(notEvaluated).toBeDefined();
    const suite = [parse(renderJunit(report)).testsuites.testsuite].flat().find((s: { name: string }) => s.name.startsWith(notEvaluated!.ruleId));
    expect(suite.skipped).toBe('1');
    expect(suite.testcase.skipped.message).toMatch(/^not evaluated: /);
  });

  it('escapes hostile text and drops characters XML cannot carry', () => {
    const report = sampleReport();
    const hostile = report.findings.map((f) => ({ ...f, message: 'x < y & "z" \u0001 ]]>', resource: { ...f.resource, name: "o'neil" } }));
    expect(XMLValidator.validate(renderJunit({ ...report, findings: hostile }))).toBe(true);
  });
});
