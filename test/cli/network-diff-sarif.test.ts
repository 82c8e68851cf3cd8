import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { SarifLog } from '../../src/reporters/sarif-types.js';
import { runMultitool, sarifSchemaErrors } from '../reporters/sarif-tools.js';
import { tempTree } from '../support/temp.js';

// `zt network diff -f sarif` in a repository: main/ before, pr/ after, run from the root as
// a CI job does. Each opened path is a result at the rule that opens it.

const deployment = (name: string, port: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: registry.example/${name}:1
          ports: [${port}]
---
`;
const workloads = deployment('web', '{name: http, containerPort: 8080}') + deployment('db', '{name: pg, containerPort: 5432}') + deployment('api', '{name: https, containerPort: 8443}');

const main = `${workloads}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-deny, namespace: shop}
spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-deny, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress]}
`;

// db-deny gains two rules (web on pg, then api on 5432); api-deny is deleted.
const pr = `${workloads}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-deny
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: db}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: {matchLabels: {app: web}}
      ports:
        - port: pg
    - from:
        - podSelector: {matchLabels: {app: web}}
        - podSelector: {matchLabels: {app: api}}
      ports: [{port: 5432}]
`;

const lineOf = (text: string, needle: string, from = 1): number => text.split('\n').findIndex((l, i) => i + 1 >= from && l.includes(needle)) + 1;

async function sarif(root: string, ...extra: string[]) {
  const io = memoryIo({ cwd: root });
  const code = await run(['network', 'diff', 'main', 'pr', '-f', 'sarif', '--quiet', ...extra], io);
  return { code, out: io.out(), err: io.err(), log: JSON.parse(io.out()) as SarifLog };
}

type Result = SarifLog['runs'][number]['results'][number];
const place = (r: Result | undefined) => {
  const p = r?.locations[0]?.physicalLocation;
  return p ? `${p.artifactLocation.uri} ${p.region?.startLine ?? '?'}-${p.region?.endLine ?? p.region?.startLine ?? '?'}` : undefined;
};

describe('zt network diff -f sarif', () => {
  const root = tempTree({ 'main/app.yaml': main, 'pr/app.yaml': pr });

  it('one result per opened path, at the lines of the rule that opens it; paths to a sensitive workload are errors', async () => {
    const { code, log, err } = await sarif(root, '--fail-on-new-path', 'shop/db');
    expect(code).toBe(1);
    expect(err).toContain('✖ gate: new path');
    const results = log.runs[0]?.results ?? [];
    const toDb = results.filter((r) => (r.properties.to as string[]).includes('shop/db'));
    // web → db on 5432 (both rules admit it) and api → db on 5432 (the second rule only).
    expect(toDb.map((r) => [r.ruleId, r.level, (r.properties.from as string[]).join(',')])).toEqual([
      ['ZT-NETDIFF-001', 'error', 'shop/api'],
      ['ZT-NETDIFF-001', 'error', 'shop/web'],
    ]);
    const policy = lineOf(pr, 'name: db-deny') - 2;
    const first = lineOf(pr, '- from:', policy);
    const second = lineOf(pr, '- from:', first + 1);
    const api = toDb[0];
    expect(place(api)).toBe(`pr/app.yaml ${second}-${second + 3}`);
    expect(api?.relatedLocations).toBeUndefined();
    expect(api?.message.text).toBe(
      'New network path: shop/api → the sensitive workload shop/db on TCP/5432, allowed by shop/db-deny ingress[1] from[1]. Before the change: policy shop/db-deny isolates shop/db for ingress and admits nothing on these ports.',
    );
    // Two rules admit web: the first is the location, the other a related location.
    const web = toDb[1];
    expect(place(web)).toBe(`pr/app.yaml ${first}-${first + 3}`);
    expect(web?.relatedLocations?.map((l) => `${l.physicalLocation?.region?.startLine ?? '?'} ${l.message?.text ?? ''}`)).toEqual([`${second} also admitted by shop/db-deny ingress[1] from[0]`]);
    // api-deny deleted: no rule opens the paths to api, so they point at the api workload itself.
    const toApi = results.filter((r) => (r.properties.to as string[]).includes('shop/api'));
    expect(toApi.map((r) => (r.properties.from as string[]).join(',')).sort()).toEqual(['internet', 'shop/api', 'shop/db', 'shop/web']);
    for (const r of toApi) {
      expect(r.ruleId).toBe('ZT-NETDIFF-002');
      expect(r.level).toBe('note');
      expect(place(r)).toBe(`pr/app.yaml ${lineOf(pr, 'kind: Deployment', lineOf(pr, 'name: api') - 2) - 1}-${lineOf(pr, 'kind: Deployment', lineOf(pr, 'name: api') - 2) - 1}`);
    }
    // Fingerprints are per path and distinct.
    const prints = results.map((r) => r.partialFingerprints['ztNetworkPath/v1']);
    expect(new Set(prints).size).toBe(results.length);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('byte-identical for the same input; the fingerprint of a path does not depend on the sensitive list', async () => {
    const a = await sarif(root, '--fail-on-new-path', 'shop/db');
    const b = await sarif(root, '--fail-on-new-path', 'shop/db');
    expect(a.out).toBe(b.out);
    const plain = await sarif(root);
    expect(plain.code).toBe(0);
    expect(plain.log.runs[0]?.results.every((r) => r.ruleId === 'ZT-NETDIFF-002')).toBe(true);
    // Only the rule id enters the fingerprint besides the path: a path to api keeps its print.
    const apiPrint = (log: SarifLog) => log.runs[0]?.results.find((r) => (r.properties.from as string[])[0] === 'internet')?.partialFingerprints['ztNetworkPath/v1'];
    expect(apiPrint(plain.log)).toBe(apiPrint(a.log));
  });

  it('an unchanged cluster gives a valid log with no results', async () => {
    const same = tempTree({ 'main/app.yaml': main, 'pr/app.yaml': main });
    const { code, log } = await sarif(same);
    expect(code).toBe(0);
    expect(log.runs[0]?.results).toEqual([]);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it(
    'passes Microsoft’s validator with the SARIF and GitHub rules',
    async () => {
      const { out } = await sarif(root, '--fail-on-new-path', 'shop/db');
      const file = join(root, 'network-diff.sarif');
      writeFileSync(file, out);
      const findings = runMultitool([file], root);
      expect(findings.length).toBeGreaterThan(0);
      // SARIF2005 (no informationUri): zt has no public project URL yet, as for the audit's SARIF.
      const problems = findings.filter((f) => (f.level === 'error' || f.level === 'warning') && f.ruleId !== 'SARIF2005');
      expect(problems.map((f) => `${f.level} ${f.ruleId} ${f.text}`)).toEqual([]);
    },
    120_000,
  );
});
