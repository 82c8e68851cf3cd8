import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { loadInputs } from '../../../src/app/inputs.js';
import { offlineCollector } from '../../../src/collectors/aws-iam/collector.js';
import { parseCredentialReportFile } from '../../../src/collectors/aws-iam/offline.js';
import { collectTenant } from '../../../src/collectors/entra/collect.js';
import { exportReader, readEntraExport } from '../../../src/collectors/entra/export.js';
import { manifestCollector } from '../../../src/collectors/kubernetes/manifests.js';
import { collectOkta } from '../../../src/collectors/okta/collector.js';
import { readOktaExport } from '../../../src/collectors/okta/export.js';
import type { Collector, CollectorContext } from '../../../src/collectors/types.js';
import { defaultConfig } from '../../../src/config/config.js';
import { ZtError } from '../../../src/errors/zt-error.js';
import { directNetwork } from '../../../src/collectors/read-network.js';
import { Redactor } from '../../../src/text/redact.js';
import { tempTree } from '../../support/temp.js';

// Design §10, time comes from evidence: where each source's as-of time comes from. The
// clock (`now`) is set far from every input's own time, so a time taken from it shows.
const CLOCK = new Date('2031-01-01T00:00:00Z');
const context: CollectorContext = { signal: new AbortController().signal, progress: () => {}, now: CLOCK, env: {}, cwd: '/', config: defaultConfig, network: directNetwork, redactor: new Redactor() };

const fixtures = fileURLToPath(new URL('../../../fixtures/collectors/', import.meta.url));
const aws = (name: string): string => join(fixtures, 'aws-iam', name);

function copyOf(dir: string, extra: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'zt-as-of-'));
  cpSync(dir, root, { recursive: true });
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(root, name), content);
  return root;
}

const awsCollector = (credentialReport: string): Collector => offlineCollector({ authorizationDetails: aws('gaad-cli.json'), credentialReport }, (p) => p);

function oktaCollector(dir: string): Collector {
  const raw = readOktaExport(dir, dir);
  return { id: 'okta', description: `okta:${raw.host}`, mode: 'offline', collect: (c) => collectOkta({ kind: 'export', raw, includeDeprovisioned: false }, c) };
}

function entraCollector(dir: string): Collector {
  const data = readEntraExport(dir, dir);
  return { id: 'entra', description: `entra:${data.tenant}`, mode: 'offline', collect: (c) => collectTenant(exportReader(data), data.tenant, c, `entra:${data.tenant}`) };
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "registry.example/web@sha256:${'a'.repeat(64)}" }] }
`;

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('as-of time per source', () => {
  it('AWS: the JSON credential report is as of its GeneratedTime (in UTC), never the clock', async () => {
    const snapshot = await collectSnapshot([awsCollector(aws('credential-report.json'))], context);
    expect(snapshot.sources).toEqual([{ collector: 'aws-iam', source: 'aws:111122223333', mode: 'offline', asOf: '2025-05-22T06:00:00.000Z' }]);
    expect(snapshot.collectedAt).toBe('2025-05-22T06:00:00.000Z');
    // An offset is kept as the instant it names.
    const report = JSON.parse(readFileSync(aws('credential-report.json'), 'utf8')) as Record<string, unknown>;
    expect(parseCredentialReportFile(JSON.stringify({ ...report, GeneratedTime: '2025-05-22T08:00:00+02:00' }), 'r.json').generatedAt).toBe('2025-05-22T06:00:00Z');
  });

  it('AWS: a GeneratedTime that is not a date-time is refused (exit 2 naming the file), not replaced by the clock', () => {
    const report = JSON.parse(readFileSync(aws('credential-report.json'), 'utf8')) as Record<string, unknown>;
    for (const bad of ['yesterday', '2025-02-30T00:00:00Z', 1747893600, '2025-05-22T06:00:00']) {
      const error = thrown(() => parseCredentialReportFile(JSON.stringify({ ...report, GeneratedTime: bad }), 'r.json'));
      expect(error).toBeInstanceOf(ZtError);
      expect(error).toMatchObject({ code: 'ZT_AWS_EXPORT_INVALID', message: expect.stringMatching(/GeneratedTime/) as unknown, location: { file: 'r.json' } });
    }
  });

  it('AWS: the CSV credential report does not say when it was generated: unknown, with a warning naming the account', async () => {
    const snapshot = await loadInputs({ demo: false, snapshots: [], collectors: [awsCollector(aws('credential-report.csv'))], context });
    expect(snapshot.sources).toEqual([{ collector: 'aws-iam', source: 'aws:111122223333', mode: 'offline', asOf: null }]);
    expect(snapshot.collectedAt).toBeNull();
    expect(snapshot.issues[0]).toEqual({
      collector: 'aws-iam',
      severity: 'warning',
      code: 'ZT_AS_OF_UNKNOWN',
      message: expect.stringMatching(/^aws:111122223333: the input does not say when it was taken.*Give --as-of <date-time>/) as unknown,
      kinds: [],
    });
  });

  it('--as-of dates input that does not say, and only that: the JSON report keeps its GeneratedTime', async () => {
    const asOf = new Date('2025-06-30T12:00:00+02:00');
    const snapshot = await loadInputs({
      demo: false,
      snapshots: [],
      collectors: [awsCollector(aws('credential-report.csv')), manifestCollector({ paths: [join(tempTree({ 'web.yaml': deployment }), 'web.yaml')] })],
      context,
      asOf,
    });
    expect(snapshot.sources.map((s) => [s.source.replace(/^manifests:.*/, 'manifests'), s.asOf])).toEqual([
      ['aws:111122223333', '2025-06-30T10:00:00.000Z'],
      ['manifests', '2025-06-30T10:00:00.000Z'],
    ]);
    expect(snapshot.issues.map((i) => i.code)).not.toContain('ZT_AS_OF_UNKNOWN');
    const own = await loadInputs({ demo: false, snapshots: [], collectors: [awsCollector(aws('credential-report.json'))], context, asOf });
    expect(own.sources[0]?.asOf).toBe('2025-05-22T06:00:00.000Z');
  });

  it('Kubernetes manifests do not say when they were taken: unknown, with a warning', async () => {
    const snapshot = await loadInputs({ demo: false, snapshots: [], collectors: [manifestCollector({ paths: [join(tempTree({ 'web.yaml': deployment }), 'web.yaml')] })], context });
    expect(snapshot.sources).toEqual([{ collector: 'kubernetes', source: expect.stringMatching(/^manifests:/) as unknown, mode: 'offline', asOf: null }]);
    expect(snapshot.issues.filter((i) => i.code === 'ZT_AS_OF_UNKNOWN')).toHaveLength(1);
  });

  it("Okta: an export is as of org.json's exportedAt; without it, unknown", async () => {
    const dated = copyOf(join(fixtures, 'okta', 'export'), { 'org.json': JSON.stringify({ orgUrl: 'https://acme.okta.com', exportedAt: '2026-11-02T10:00:00+01:00' }) });
    const snapshot = await collectSnapshot([oktaCollector(dated)], context);
    expect(snapshot.sources).toEqual([{ collector: 'okta', source: 'okta:acme.okta.com', mode: 'offline', asOf: '2026-11-02T09:00:00.000Z' }]);
    const undated = await collectSnapshot([oktaCollector(join(fixtures, 'okta', 'export'))], context);
    expect(undated.sources[0]?.asOf).toBeNull();
    const bad = copyOf(join(fixtures, 'okta', 'export'), { 'org.json': JSON.stringify({ orgUrl: 'https://acme.okta.com', exportedAt: '2026-11-02' }) });
    expect(thrown(() => readOktaExport(bad, 'okta-export'))).toMatchObject({ code: 'ZT_EXPORT_INVALID', message: expect.stringContaining('exportedAt "2026-11-02"') as unknown });
  });

  it("Entra: an export is as of export.json's exportedAt; without it, unknown", async () => {
    const dated = copyOf(join(fixtures, 'entra', 'contoso'), { 'export.json': JSON.stringify({ exportedAt: '2026-11-23T12:00:00Z' }) });
    const snapshot = await collectSnapshot([entraCollector(dated)], context);
    expect(snapshot.sources).toEqual([{ collector: 'entra', source: expect.stringMatching(/^entra:/) as unknown, mode: 'offline', asOf: '2026-11-23T12:00:00.000Z' }]);
    const undated = await collectSnapshot([entraCollector(join(fixtures, 'entra', 'contoso'))], context);
    expect(undated.sources[0]?.asOf).toBeNull();
    for (const content of ['{"exportedAt": "soon"}', '[]', '{']) {
      const bad = copyOf(join(fixtures, 'entra', 'contoso'), { 'export.json': content });
      expect(thrown(() => readEntraExport(bad, 'entra-export'))).toMatchObject({ code: 'ZT_EXPORT_INVALID', message: expect.stringContaining('export.json') as unknown });
    }
  });

  it('a live source is as of the moment collection started (the clock, read once)', async () => {
    const live: Collector = {
      id: 'okta',
      description: 'okta:acme',
      collect: async () => ({ source: { collector: 'okta', source: 'okta:acme', mode: 'live' }, resources: [], coverage: {}, issues: [] }),
    };
    const snapshot = await collectSnapshot([live, awsCollector(aws('credential-report.json'))], context);
    expect(snapshot.sources.map((s) => s.asOf)).toEqual([CLOCK.toISOString(), '2025-05-22T06:00:00.000Z']);
    // The snapshot's time is the latest of its sources'.
    expect(snapshot.collectedAt).toBe(CLOCK.toISOString());
  });

  it('an offline collector that fails outright is still offline: its time is unknown, not the clock', async () => {
    const broken: Collector = {
      id: 'kubernetes',
      description: 'manifests in ./deploy',
      mode: 'offline',
      collect: () => Promise.reject(new ZtError('ZT_COLLECT_INPUT_MISSING', 'no such folder')),
    };
    const snapshot = await collectSnapshot([broken], context);
    expect(snapshot.sources).toEqual([{ collector: 'kubernetes', source: 'manifests in ./deploy', mode: 'offline', asOf: null }]);
  });
});
