import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { HTML_MAX_FINDINGS, renderHtml } from '../../src/reporters/html.js';
import { sampleReport } from '../support/sample-report.js';

/** The rows the page's script pages through (the data block of the findings table). */
function findingRows(html: string): { a: Record<string, string>; k: string[]; t: string; h: string }[] {
  const block = /<script type="application\/gzip;base64" id="findings-data">(.*?)<\/script>/s.exec(html);
  const json = gunzipSync(Buffer.from(block?.[1] ?? '', 'base64')).toString('utf8');
  return (JSON.parse(json) as { rows: { a: Record<string, string>; k: string[]; t: string; h: string }[] }).rows;
}

describe('html reporter', () => {
  it('is one self-contained page: nothing may be fetched, and the same report gives the same bytes', () => {
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<(link|img|iframe)\b|src="http|href="http/);
    expect(html).toBe(renderHtml(sampleReport()));
  });

  it('draws the overall and every pillar stage, lists every row and every non-passing finding', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    for (const p of report.score.pillars) {
      const withheld = p.id === 'networks' ? ' data-evidence="insufficient"' : '';
      expect(html).toContain(`<g data-pillar="${p.name}" data-stage="${p.stage}"${withheld}>`);
    }
    expect(html).toContain(`<g data-pillar="Overall" data-stage="${report.score.overall.stage}">`);
    const rows = report.score.pillars.reduce((n, p) => n + p.rows.length, 0);
    expect(html.match(/<tr><td>[^<]*<\/td><td>[^<]*<br><span class="muted">[a-z_]+\.[a-z_]+<\/span><\/td>/g)?.length).toBe(rows);
    const listed = report.findings.filter((f) => f.status !== 'pass').length;
    expect(findingRows(html)).toHaveLength(listed);
    // The first page is also plain HTML, drawn before any script runs.
    expect(html.match(/<tr data-severity=/g)?.length).toBe(Math.min(listed, 100));
  });

  it('says "insufficient evidence" where a pillar or the overall has too few parts assessed to claim a stage', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    // Networks: one row of seven, at Initial — nothing proven is drawn, Initial is hatched as possible.
    const networks = /<g data-pillar="Networks"[^>]*>(.*?)<\/g>/s.exec(html)?.[1] ?? '';
    expect(networks).toContain('>insufficient evidence · rows 1/7</text>');
    expect(networks).toContain('fill="url(#hatch)" stroke="#d5dbdb"><title>Networks: possible Initial</title>');
    expect(networks).not.toMatch(/proven/);
    expect(html).toContain(
      '<p id="insufficient-evidence" class="muted">Insufficient evidence: Networks: 1 of 7 rows assessed, reaching Initial; a stage above Traditional needs 4.</p>',
    );
    const overall: Report['score']['overall'] = {
      ...report.score.overall,
      stage: 'not_assessed',
      possibleStage: 'initial',
      score: null,
      evidence: { parts: 'pillars', assessed: 2, required: 3, total: 5, sufficient: false, assessedStage: 'initial' },
    };
    const withheld = renderHtml({ ...report, score: { ...report.score, overall } });
    expect(withheld).toContain('<h1>zt audit: Insufficient evidence (— / 3.00)</h1>');
    expect(withheld).toContain('<span class="muted">Overall stage</span><b>Insufficient evidence</b>');
    expect(withheld).toContain('<g data-pillar="Overall" data-stage="not_assessed" data-evidence="insufficient">');
    const claimed = report.score.pillars.map((p) => (p.id === 'networks' ? { ...p, stage: 'initial' as const, score: 1 } : p));
    expect(renderHtml({ ...report, score: { ...report.score, pillars: claimed } })).not.toMatch(/insufficient/i);
  });

  it('gives each failing finding its rule\'s remediation in its own column (none for an evaluation error)', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    expect(html).toMatch(/<th[^>]*data-col="remediation"[^>]*>Remediation<\/th>/);
    const rules = new Map(report.rules.map((r) => [r.id, r]));
    const listed = report.findings.filter((f) => f.status !== 'pass');
    const rows = findingRows(html);
    expect(rows).toHaveLength(listed.length);
    for (const finding of listed) {
      const row = rows.find((r) => r.h.includes(`>${finding.ruleId}<`) && r.h.includes(finding.resource.name));
      const cell = /<td data-col="remediation"[^>]*>(.*?)<\/td>/.exec(row?.h ?? '')?.[1];
      const remediation = rules.get(finding.ruleId)?.remediation ?? '';
      expect(cell, `${finding.ruleId} ${finding.resource.name}`).toBe(finding.status === 'error' ? '' : remediation.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    }
  });

  it('escapes whatever the audited systems named their resources', () => {
    const report = sampleReport();
    const hostile = '<script>alert(1)</script>"\'&';
    const first = report.findings[0] as Finding;
    const changed: Report = { ...report, findings: [{ ...first, resource: { ...first.resource, name: hostile }, message: hostile }, ...report.findings.slice(1)] };
    const html = renderHtml(changed);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    // The data block is base64: no "<" at all, so nothing can close it early.
    const block = /<script type="application\/gzip;base64" id="findings-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(block).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(findingRows(html).some((r) => r.t.includes('<script>alert(1)</script>'))).toBe(true);
  });

  it(`lists the ${HTML_MAX_FINDINGS} most severe findings and says the JSON report holds the rest`, () => {
    const report = sampleReport();
    const template = report.findings.find((f) => f.status === 'fail') as Finding;
    const many = Array.from({ length: HTML_MAX_FINDINGS + 5 }, (_, i) => ({ ...template, resource: { ...template.resource, id: `${template.resource.id}-${i}` } }));
    const html = renderHtml({ ...report, findings: many });
    expect(findingRows(html)).toHaveLength(HTML_MAX_FINDINGS);
    expect(html).toContain(`The ${HTML_MAX_FINDINGS} most severe of ${HTML_MAX_FINDINGS + 5} findings; the JSON report holds them all.`);
  });
});
