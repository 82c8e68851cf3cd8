import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../src/reporters/json.js';
import { sampleReport } from '../support/sample-report.js';

const context = { color: false, width: 80 };

describe('json reporter', () => {
  it('parses back to exactly the report, keys in the report’s own order', () => {
    const report = sampleReport();
    const text = jsonReporter.render(report, context);
    const parsed: unknown = JSON.parse(text);
    expect(parsed).toEqual(report);
    // toEqual ignores key order; the serialised form does not.
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(report));
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
