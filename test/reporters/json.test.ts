import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../src/reporters/json.js';
import { sampleReport } from '../support/sample-report.js';

const context = { color: false, width: 80 };

describe('json reporter', () => {
  it('parses back to the report, keys in the report’s own order, findings with their rule’s severity and remediation', () => {
    const report = sampleReport();
    const text = jsonReporter.render(report, context);
    const parsed = JSON.parse(text) as { findings: Record<string, unknown>[] } & Record<string, unknown>;
    const rules = new Map(report.rules.map((r) => [r.id, r]));
    const expected = {
      ...report,
      findings: report.findings.map((f) => {
        const rule = rules.get(f.ruleId)!;
        const { ruleId, status, resource, message, ...rest } = f;
        const fixable = status === 'fail' || status === 'waived';
        return { ruleId, status, severity: rule.severity, resource, ...(message !== undefined ? { message } : {}), ...(fixable ? { remediation: rule.remediation } : {}), ...rest };
      }),
    };
    // toEqual ignores key order; the serialised form does not.
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(expected));
    expect(report.findings.length).toBeGreaterThan(1);
    expect(report.findings.some((f) => f.status !== 'fail')).toBe(true);
    for (const finding of parsed.findings) {
      expect(finding.severity).toBe(rules.get(finding.ruleId as string)?.severity);
      expect('remediation' in finding).toBe(finding.status === 'fail' || finding.status === 'waived');
    }
    expect(Object.keys(parsed as object)).toEqual([
      'schemaVersion',
      'tool',
      'inventory',
      'rules',
      'ruleResults',
      'findings',
      'waivers',
      'score',
      'summary',
    ]);
  });

  it('is indented by two spaces and ends with one newline', () => {
    const text = jsonReporter.render(sampleReport(), context);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "zt",')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('gives byte-identical output for the same report, whatever the context', () => {
    const a = jsonReporter.render(sampleReport(), context);
    const b = jsonReporter.render(sampleReport(), { color: true, width: 200 });
    expect(b).toBe(a);
  });

  it('keeps the manifest position of file-based findings', () => {
    const parsed = JSON.parse(jsonReporter.render(sampleReport(), context)) as {
      findings: { resource: { file?: string; line?: number; name: string } }[];
    };
    const web = parsed.findings.find((f) => f.resource.name === 'web');
    expect(web?.resource).toMatchObject({ file: 'deploy/web.yaml', line: 12 });
  });
});
