import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import type { SarifLog } from '../../src/reporters/sarif-types.js';
import { artifactLocation, buildSarif, sarifReporter } from '../../src/reporters/sarif.js';
import { sampleReport } from '../support/sample-report.js';
import { runMultitool, sarifSchemaErrors, type ValidatorFinding } from './sarif-tools.js';

const context = { color: false, width: 80 };

function render(report: Report): SarifLog {
  return JSON.parse(sarifReporter.render(report, context)) as SarifLog;
}

function run(log: SarifLog) {
  const first = log.runs[0];
  if (!first || log.runs.length !== 1) throw new Error('expected exactly one run');
  return first;
}

/** Variants that exercise every branch a validator could object to. */
function withErrorIssue(): Report {
  const report = sampleReport();
  return {
    ...report,
    inventory: {
      ...report.inventory,
      issues: [
        ...report.inventory.issues,
        {
          collector: 'aws-iam',
          severity: 'error',
          code: 'ZT_AWS_CREDENTIALS',
          message: 'no AWS credentials were found',
          kinds: ['aws.iam.user'],
        },
      ],
    },
  };
}

function withoutFindings(): Report {
  const report = sampleReport();
  return { ...report, findings: [], inventory: { ...report.inventory, issues: [], coverage: {} } };
}

function withEmptySource(): Report {
  const report = sampleReport();
  return { ...report, inventory: { ...report.inventory, resourcesByCollector: { kubernetes: 17, okta: 7 }, resourcesBySource: { 'k8s:prod': 13, 'manifests:deploy': 4, 'okta:acme.okta.com': 7 } } };
}

function withAwkwardPaths(): Report {
  const report = sampleReport();
  return {
    ...report,
    findings: report.findings.map((f) =>
      f.resource.name === 'web'
        ? { ...f, resource: { ...f.resource, file: './deploy/my app/web #1.yaml', line: 3 } }
        : f,
    ),
  };
}

const variants: Readonly<Record<string, () => SarifLog>> = {
  sample: () => render(sampleReport()),
  errorIssue: () => render(withErrorIssue()),
  noFindings: () => render(withoutFindings()),
  awkwardPaths: () => render(withAwkwardPaths()),
  emptySource: () => render(withEmptySource()),
  truncated: () => buildSarif(sampleReport(), { maxResults: 3, maxEvaluationErrorNotifications: 0 }),
};

describe('sarif reporter: validity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zt-sarif-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(Object.keys(variants))('%s is valid against the official SARIF 2.1.0 schema', (name) => {
    const log = variants[name]?.();
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('the schema check catches what it must (a wrong level, an unknown property)', () => {
    const log = render(sampleReport());
    const result = run(log).results[0] as unknown as Record<string, unknown>;
    result.level = 'fatal';
    result.bogus = true;
    const errors = sarifSchemaErrors(log);
    expect(errors.some((e) => e.includes('level'))).toBe(true);
    expect(errors.some((e) => e.includes('bogus'))).toBe(true);
  });

  it(
    'passes Microsoft’s validator with the SARIF and GitHub rules: no errors, no warnings',
    () => {
      const files = Object.entries(variants).map(([name, build]) => {
        const file = join(dir, `${name}.sarif`);
        writeFileSync(file, `${JSON.stringify(build(), null, 2)}\n`);
        return file;
      });
      const findings = runMultitool(files, dir);
      // The validator skips, silently, a file it cannot deserialise: make sure each one
      // was really analysed (it always leaves notes, e.g. SARIF2012 for the missing helpUri).
      for (const file of files) {
        expect(findings.some((f) => file.endsWith(f.file.replace(/^file:\/\//, ''))), `no validator output for ${file}`).toBe(true);
      }
      const problems = findings.filter((f) => f.level === 'error' || f.level === 'warning');
      // One known, deliberate exception: zt has no public project URL yet, so
      // tool.driver.informationUri is omitted (SARIF2005 warns). It is accepted only while
      // the property really is absent; once it is set, no warning at all is accepted.
      const informationUri = run(render(sampleReport())).tool.driver as { informationUri?: string };
      const accepted = (f: ValidatorFinding): boolean => f.ruleId === 'SARIF2005' && informationUri.informationUri === undefined;
      const unexpected = problems.filter((f) => !accepted(f));
      expect(unexpected.map((f) => `${f.level} ${f.ruleId} ${f.file}:${f.line ?? '?'} ${f.text}`)).toEqual([]);
    },
    120_000,
  );

  it(
    'the validator check catches what it must (results GitHub would reject)',
    () => {
      const log = render(sampleReport());
      const results = run(log).results as unknown as Record<string, unknown>[];
      delete results[0]?.locations;
      const file = join(dir, 'broken.sarif');
      writeFileSync(file, JSON.stringify(log));
      const errors = runMultitool([file], dir).filter((f) => f.level === 'error');
      expect(errors.map((f) => f.ruleId)).toContain('GH1017');
    },
    120_000,
  );
});

describe('sarif reporter: content', () => {
  it('is byte-identical across renders and ends with one newline', () => {
    const a = sarifReporter.render(sampleReport(), context);
    const b = sarifReporter.render(sampleReport(), { color: true, width: 200 });
    expect(b).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('describes the tool and every rule, sorted by id', () => {
    const log = render(sampleReport());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const driver = run(log).tool.driver;
    expect(driver).toMatchObject({ name: 'zt', version: '0.1.0', semanticVersion: '0.1.0' });
    expect(driver).not.toHaveProperty('informationUri');
    expect(driver.rules.map((r) => r.id)).toEqual([
      'ZT-APP-004',
      'ZT-IDN-001',
      'ZT-IDN-004',
      'ZT-IDN-013',
      'ZT-NET-001',
      'ZT-NET-003',
      'ZT-NET-011',
    ]);
    const mfa = driver.rules[1];
    expect(mfa).toMatchObject({
      id: 'ZT-IDN-001',
      name: 'AwsIamConsoleUserMfa',
      shortDescription: { text: 'IAM users with console access have MFA' },
      fullDescription: { text: 'Enable an MFA device for every IAM user with a console password, or remove the password.' },
      help: { text: 'Enable an MFA device for every IAM user with a console password, or remove the password.' },
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'zero-trust', 'ztmm:identity', 'ztmm-row:identity.authentication', 'ztmm-stage:initial'],
        'security-severity': '9.5',
        precision: 'high',
      },
    });
    expect(mfa?.help.markdown).toContain('**CISA ZTMM v2.0** (ZTMM-aligned estimate): identity pillar, row `identity.authentication`; gates Initial (all).');
    expect(mfa?.help.markdown).toContain('- CIS AWS 1.10');
    // Templates in remediation texts are shown as placeholders, not as raw braces.
    expect(driver.rules[0]?.help.text).toBe('Remove securityContext.privileged from <name> and grant only the capabilities it needs.');
    expect(driver.rules[2]?.properties.tags).toEqual([
      'security',
      'zero-trust',
      'ztmm:identity',
      'ztmm-row:identity.authentication',
      'ztmm-stage:advanced',
      'ztmm-stage:optimal',
    ]);
  });

  it('maps severities to fixed security-severity strings and levels', () => {
    const byId = new Map(run(render(sampleReport())).tool.driver.rules.map((r) => [r.id, r]));
    const seen = [...byId.values()].map((r) => [r.properties['security-severity'], r.defaultConfiguration.level]);
    expect(seen).toEqual([
      ['8.0', 'error'], // high
      ['9.5', 'error'], // critical
      ['8.0', 'error'], // high
      ['3.0', 'note'], // low
      ['5.5', 'warning'], // medium
      ['8.0', 'error'], // high
      ['5.5', 'warning'], // medium
    ]);
  });

  it('has one result per failing or waived finding, pointing at its rule', () => {
    const report = sampleReport();
    const { results, tool } = run(render(report));
    const failing = report.findings.filter((f) => f.status === 'fail' || f.status === 'waived');
    expect(results).toHaveLength(failing.length);
    for (const result of results) {
      expect(tool.driver.rules[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
      expect(result).not.toHaveProperty('kind');
    }
    const alice = results.find((r) => r.properties.resourceId === 'arn:aws:iam::111122223333:user/alice');
    expect(alice).toMatchObject({
      ruleId: 'ZT-IDN-001',
      level: 'error',
      message: { text: 'alice can sign in to the console without MFA. Resource: arn:aws:iam::111122223333:user/alice (aws.iam.user).' },
      properties: { resourceKind: 'aws.iam.user', resourceId: 'arn:aws:iam::111122223333:user/alice', resourceSource: 'aws:111122223333' },
    });
  });

  it('carries a waived finding as an accepted external suppression with its justification', () => {
    const { results } = run(render(sampleReport()));
    const waived = results.filter((r) => r.suppressions);
    expect(waived).toHaveLength(1);
    expect(waived[0]?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Break-glass account; its password is split between two sealed envelopes in the safe.',
        properties: { owner: 'security@acme.example', expires: '2026-12-31', ticket: 'https://tickets.acme.example/SEC-42' },
      },
    ]);
    expect(results.filter((r) => !r.suppressions).every((r) => r.properties.resourceId !== 'arn:aws:iam::111122223333:user/break-glass')).toBe(true);
  });

  it('points a manifest finding at its file and line', () => {
    const { results } = run(render(sampleReport()));
    const web = results.find((r) => r.properties.resourceId === 'k8s://manifests/shop/Deployment/web');
    expect(web?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 12 },
        },
        logicalLocations: [{ index: expect.any(Number), fullyQualifiedName: 'k8s://manifests/shop/Deployment/web', name: 'web', kind: 'resource' }],
      },
    ]);
  });

  it('points a live finding at the rule file, with the resource as logical location', () => {
    const { results } = run(render(sampleReport()));
    const cart = results.find((r) => r.properties.resourceId === 'k8s://prod/shop/Deployment/cart');
    expect(cart?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'rules/networks/k8s-ingress-isolation.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 11 },
        },
        logicalLocations: [{ index: expect.any(Number), fullyQualifiedName: 'k8s://prod/shop/Deployment/cart', name: 'cart', kind: 'resource' }],
      },
    ]);
    for (const result of results) expect(result.locations).toHaveLength(1);
  });

  it('names each result’s resource inside its target and Kubernetes namespace (SARIF §3.33 logical locations)', () => {
    const log = run(render(sampleReport()));
    const logical = (log as unknown as { logicalLocations: { fullyQualifiedName: string; name: string; kind: string; parentIndex?: number }[] }).logicalLocations;
    const names = logical.map((l) => l.fullyQualifiedName);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    const chain = (fqn: string): string[] => {
      const out: string[] = [];
      for (let entry = logical.find((l) => l.fullyQualifiedName === fqn); entry; entry = entry.parentIndex === undefined ? undefined : logical[entry.parentIndex]) {
        out.unshift(`${entry.kind}:${entry.name}`);
      }
      return out;
    };
    expect(chain('k8s://prod/shop/Deployment/cart')).toEqual(['cluster:prod', 'namespace:shop', 'resource:cart']);
    const user = log.results.find((r) => (r.properties.resourceId as string).includes(':user/'));
    const userLocation = user?.locations[0]?.logicalLocations?.[0];
    expect(chain(userLocation?.fullyQualifiedName as string)).toEqual([`account:${userLocation?.fullyQualifiedName.split(':')[4]}`, `resource:${userLocation?.name}`]);
    // Every result's logical location is its resource's entry of the run, by index.
    for (const result of log.results) {
      const [location] = result.locations[0]?.logicalLocations ?? [];
      expect(logical[location?.index as number]).toMatchObject({ fullyQualifiedName: location?.fullyQualifiedName, name: location?.name, kind: 'resource' });
    }
  });

  it('gives every result the finding’s fingerprint, unique per result', () => {
    const report = sampleReport();
    const { results } = run(render(report));
    const prints = results.map((r) => r.partialFingerprints['ztFindingFingerprint/v1']);
    expect(prints.every((p) => typeof p === 'string' && /^[0-9a-f]{32}$/.test(p))).toBe(true);
    expect(new Set(prints).size).toBe(results.length);
    const expected = report.findings.filter((f) => f.status === 'fail' || f.status === 'waived').map((f) => f.fingerprint).sort();
    expect([...prints].sort()).toEqual(expected);
  });

  it('reports evaluation errors as tool notifications, not as results', () => {
    const { results, invocations } = run(render(sampleReport()));
    expect(results.some((r) => r.properties.resourceId === 'k8s://prod/batch/CronJob/report-export')).toBe(false);
    const notification = invocations[0]?.toolExecutionNotifications.find((n) => n.descriptor.id === 'ZT_RULE_EVALUATION_ERROR');
    expect(notification).toMatchObject({
      level: 'warning',
      associatedRule: { id: 'ZT-APP-004', index: 0 },
      properties: { errorCode: 'evaluation_error', resourceId: 'k8s://prod/batch/CronJob/report-export' },
    });
    expect(notification?.message.text).toBe(
      'ZT-APP-004 could not be evaluated on report-export: No such key: securityContext. Resource: k8s://prod/batch/CronJob/report-export (k8s.workload). Its verdict counts as missing, never as a pass.',
    );
    expect(notification?.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe('k8s://prod/batch/CronJob/report-export');
  });

  it('reports collection issues and incomplete coverage as tool notifications', () => {
    const invocation = run(render(sampleReport())).invocations[0];
    expect(invocation?.executionSuccessful).toBe(true);
    expect(invocation?.toolExecutionNotifications.map((n) => [n.descriptor.id, n.level])).toEqual([
      ['ZT_COLLECT_ACCESS_DENIED', 'warning'],
      ['ZT_COVERAGE_PARTIAL', 'note'],
      ['ZT_COVERAGE_MISSING', 'warning'],
      ['ZT_RULE_EVALUATION_ERROR', 'warning'],
    ]);
    const [issue, partial, missing] = invocation?.toolExecutionNotifications ?? [];
    expect(issue?.message.text).toBe(
      'okta: GET /api/v1/users/{id}/factors returned 403 for 3 users: the token lacks the okta.users.read scope. Kinds affected: idp.user.',
    );
    expect(partial?.message.text).toContain('Coverage of idp.user is partial (permission denied): authenticator enrolments');
    expect(missing?.message.text).toContain('Coverage of istio.peerAuthentication is missing (not installed)');
    expect(missing?.message.text).toContain('Rules on this kind were not evaluated.');
  });

  it('marks the execution unsuccessful when a collection issue is an error', () => {
    const invocation = run(render(withErrorIssue())).invocations[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications.find((n) => n.descriptor.id === 'ZT_AWS_CREDENTIALS')?.level).toBe('error');
  });

  it('marks the execution unsuccessful when a chosen source contributed nothing', () => {
    const invocation = run(render(withEmptySource())).invocations[0];
    expect(invocation?.executionSuccessful).toBe(false);
    const note = invocation?.toolExecutionNotifications[0];
    expect(note).toMatchObject({ level: 'error', descriptor: { id: 'ZT_SOURCE_EMPTY' } });
    expect(note?.message.text).toBe(
      'Source aws:111122223333 (aws-iam, live) contributed no resources, so the audit is incomplete: its rules were not evaluated.',
    );
  });

  it('always has a results array, empty when nothing fails', () => {
    const text = sarifReporter.render(withoutFindings(), context);
    expect(text).toContain('"results": []');
    expect(run(JSON.parse(text) as SarifLog).invocations[0]?.toolExecutionNotifications).toEqual([]);
  });

  it('keeps the most severe results when over the per-run limit, and says how many were dropped', () => {
    const log = buildSarif(sampleReport(), { maxResults: 3 });
    const { results, invocations, properties } = run(log);
    // Two critical (ZT-IDN-001) and the first high one in rule/resource order; the waived critical one goes first.
    expect(results.map((r) => `${r.ruleId} ${String(r.properties.resourceId)}`)).toEqual([
      'ZT-APP-004 k8s://prod/payments/Deployment/ledger',
      'ZT-IDN-001 arn:aws:iam::111122223333:user/alice',
      'ZT-IDN-001 arn:aws:iam::111122223333:user/ci-legacy',
    ]);
    const note = invocations[0]?.toolExecutionNotifications.find((n) => n.descriptor.id === 'ZT_SARIF_RESULTS_TRUNCATED');
    expect(note?.level).toBe('warning');
    expect(note?.message.text).toContain('4 of 7 failing findings were left out of this run');
    expect(properties.resultsDropped).toBe(4);
    // ruleIndex still points at the right rule after the cut.
    for (const r of results) expect(run(log).tool.driver.rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
  });

  it('summarises evaluation errors beyond the notification cap', () => {
    const log = buildSarif(sampleReport(), { maxEvaluationErrorNotifications: 0 });
    const notes = run(log).invocations[0]?.toolExecutionNotifications.filter((n) => n.descriptor.id === 'ZT_RULE_EVALUATION_ERROR');
    expect(notes?.map((n) => n.message.text)).toEqual([
      '1 more evaluation error is not listed here. The JSON report (--format json) has every one.',
    ]);
  });

  it('carries the ZTMM score for dashboards', () => {
    const { properties } = run(render(sampleReport()));
    expect(properties.ztmm).toEqual({
      model: 'cisa-ztmm',
      version: '2.0',
      assessment: 'ZTMM-aligned estimate',
      overall: {
        stage: 'traditional',
        possibleStage: 'traditional',
        score: 0,
        rowsAssessed: 3,
        rowsTotal: 37,
        coverage: 0.08,
        evidence: { parts: 'pillars', assessed: 2, required: 3, total: 5, sufficient: false, assessedStage: 'traditional' },
      },
      pillars: [
        {
          id: 'identity',
          name: 'Identity',
          stage: 'traditional',
          possibleStage: 'traditional',
          score: 0,
          rowsAssessed: 1,
          rowsTotal: 7,
          evidence: { parts: 'rows', assessed: 1, required: 4, total: 7, sufficient: false, assessedStage: 'traditional' },
        },
        {
          id: 'devices',
          name: 'Devices',
          stage: 'not_assessed',
          possibleStage: 'not_assessed',
          score: null,
          rowsAssessed: 0,
          rowsTotal: 7,
          evidence: { parts: 'rows', assessed: 0, required: 4, total: 7, sufficient: false, assessedStage: 'not_assessed' },
        },
        // One row of seven at Initial: the stage is withheld, Initial stays possible (insufficient evidence).
        {
          id: 'networks',
          name: 'Networks',
          stage: 'not_assessed',
          possibleStage: 'initial',
          score: null,
          rowsAssessed: 1,
          rowsTotal: 7,
          evidence: { parts: 'rows', assessed: 1, required: 4, total: 7, sufficient: false, assessedStage: 'initial' },
        },
        {
          id: 'applications',
          name: 'Applications and Workloads',
          stage: 'traditional',
          possibleStage: 'initial',
          score: 0,
          rowsAssessed: 1,
          rowsTotal: 8,
          evidence: { parts: 'rows', assessed: 1, required: 4, total: 8, sufficient: false, assessedStage: 'traditional' },
        },
        {
          id: 'data',
          name: 'Data',
          stage: 'not_assessed',
          possibleStage: 'not_assessed',
          score: null,
          rowsAssessed: 0,
          rowsTotal: 8,
          evidence: { parts: 'rows', assessed: 0, required: 4, total: 8, sufficient: false, assessedStage: 'not_assessed' },
        },
      ],
    });
    expect(properties.collectedAt).toBe('2025-03-01T11:58:30.000Z');
    expect(JSON.stringify(properties)).not.toMatch(/compliant/i);
  });

  it('writes repository-relative URIs under %SRCROOT% and keeps absolute paths absolute', () => {
    expect(artifactLocation('deploy/web.yaml')).toEqual({ uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./deploy/my app/web #1.yaml')).toEqual({ uri: 'deploy/my%20app/web%20%231.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('deploy\\win\\web.yaml')).toEqual({ uri: 'deploy/win/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/home/me/repo/deploy/web.yaml')).toEqual({ uri: 'file:///home/me/repo/deploy/web.yaml' });
    expect(artifactLocation('C:\\repo\\web.yaml')).toEqual({ uri: 'file:///C:/repo/web.yaml' });
    const log = render(sampleReport());
    expect(run(log).originalUriBaseIds?.['%SRCROOT%']).not.toHaveProperty('uri');
  });
});
