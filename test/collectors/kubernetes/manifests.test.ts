import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestCollector } from '../../../src/collectors/kubernetes/manifests.js';
import { splitYamlDocuments } from '../../../src/collectors/kubernetes/yaml-documents.js';
import { tempTree } from '../../support/temp.js';
import { asHelmRender, objects } from './fixtures.js';
import { context, kindsOf, snapshotOf } from './helpers.js';

const helmRender = `---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
---
# Source: shop/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  A: b
---
# Source: shop/templates/empty.yaml
# nothing rendered here: the template's condition was false
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: web:1.0
`;

const kubectlList = `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata:
    name: oops
  roleRef:
    apiGroup: rbac.authorization.k8s.io
    kind: ClusterRole
    name: cluster-admin
  subjects:
  - kind: Group
    name: system:authenticated
`;

async function collect(files: Record<string, string | Buffer>, paths: string[], readStdin?: (limit: number) => Promise<Buffer>, maxBytes?: number) {
  const root = tempTree({});
  for (const [path, content] of Object.entries(files)) {
    const { mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const snapshot = await snapshotOf([manifestCollector({ paths, readStdin, maxBytes })], context({ cwd: root }));
  return { snapshot, root };
}

describe('splitting multi-document YAML', () => {
  it('keeps the line each document starts on, after Helm # Source: comments; skips comment-only documents', () => {
    const docs = splitYamlDocuments(helmRender);
    expect(docs.map((d) => d.line)).toEqual([3, 10, 21]);
    expect(docs.map((d) => d.index)).toEqual([1, 2, 3]);
  });

  it('handles CRLF line endings, a BOM, a document before the first marker and `...` end markers', () => {
    const text = '\uFEFFa: 1\r\n---\r\nb: 2\r\n...\r\n---\r\n\r\nc: 3\r\n';
    expect(splitYamlDocuments(text).map((d) => [d.line, d.text.trim()])).toEqual([
      [1, 'a: 1'],
      [3, 'b: 2'],
      [7, 'c: 3'],
    ]);
  });
});

describe('manifests on disk', () => {
  it('reads a Helm render: file + line provenance, ConfigMaps reported as not audited, empty documents skipped', async () => {
    const { snapshot } = await collect({ 'out/render.yaml': helmRender }, ['out']);
    // Manifests do not say when they were taken: unknown until --as-of dates them.
    expect(snapshot.sources).toEqual([{ collector: 'kubernetes', source: 'manifests:out', mode: 'offline', asOf: null }]);
    const byKind = Object.fromEntries(snapshot.resources.map((r) => [r.kind, r]));
    expect(byKind['k8s.serviceAccount']?.provenance).toEqual({ collector: 'kubernetes', source: 'manifests:out', file: 'out/render.yaml', line: 3 });
    expect(byKind['k8s.workload']?.provenance.line).toBe(21);
    expect(byKind['k8s.workload']?.id).toBe('k8s://manifests/shop/Deployment/web');
    expect(byKind['k8s.workload']?.attributes.replicas).toBe(1);
    expect(snapshot.issues).toEqual([
      { collector: 'kubernetes', source: 'manifests:out', severity: 'info', code: 'ZT_COLLECT_INPUT_SKIPPED', message: 'unrecognised kinds not audited: v1 ConfigMap', kinds: [] },
    ]);
    expect(snapshot.coverage['k8s.workload']).toEqual({ state: 'complete' });
    expect(snapshot.coverage['k8s.node']).toEqual({ state: 'complete' });
    expect(snapshot.coverage['k8s.cluster']).toMatchObject({ state: 'missing', reason: 'unsupported' });
  });

  it('unwraps a `kubectl get -o yaml` List with each item at its own line, and typed lists without item kinds', async () => {
    const podList = JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccountList', items: [{ metadata: { name: 'ci', namespace: 'ci' } }] });
    const { snapshot } = await collect({ 'list.yaml': kubectlList, 'sa.json': podList }, ['list.yaml', 'sa.json']);
    expect(snapshot.resources.map((r) => [r.id, r.provenance.file, r.provenance.line])).toEqual([
      ['k8s://manifests/_cluster/Namespace/shop', 'list.yaml', 6],
      ['k8s://manifests/_cluster/ClusterRoleBinding/oops', 'list.yaml', 10],
      ['k8s://manifests/ci/ServiceAccount/ci', 'sa.json', 1],
    ]);
  });

  it('pretty-printed `kubectl get -o json` Lists give each item its line', async () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } }] }, null, 4);
    const { snapshot } = await collect({ 'k.json': json }, ['k.json']);
    expect(snapshot.resources.map((r) => r.provenance.line)).toEqual([5, 12]);
  });

  it('walks folders recursively in a stable order and puts objects without a namespace in `default`', async () => {
    const { snapshot } = await collect(
      {
        'deploy/b/sa.yml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: b }\n',
        'deploy/a/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: a }\n',
        'deploy/README.md': '# not yaml',
        'deploy/.git/config.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: hidden }\n',
      },
      ['deploy'],
    );
    expect(snapshot.resources.map((r) => [r.id, r.provenance.file])).toEqual([
      ['k8s://manifests/default/ServiceAccount/a', 'deploy/a/sa.yaml'],
      ['k8s://manifests/default/ServiceAccount/b', 'deploy/b/sa.yml'],
    ]);
  });

  it('bad input is an issue naming the file and line; the rest is still audited', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const { snapshot } = await collect(
      {
        'm/good.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n',
        'm/broken.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fine\n---\napiVersion: v1\nkind: [unclosed\n',
        'm/notk8s.yaml': 'just: a mapping\n---\n- a list\n',
        'm/old.yaml': 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: legacy\n',
        'm/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: lol }\ndata:\n  ${bomb.join('\n  ')}\n`,
        'm/binary.yaml': Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]),
        'm/huge.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: huge\n#${'x'.repeat(3000)}\n`,
      },
      ['m'],
      undefined,
      2048,
    );
    expect(snapshot.resources.map((r) => r.name).sort()).toEqual(['fine', 'ok']);
    const messages = snapshot.issues.map((i) => `${i.severity} ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'warning m/binary.yaml: skipped, it holds binary data, not YAML or JSON',
        expect.stringMatching(/^warning m\/bomb\.yaml:1 \(document 1\): skipped, the document expands to more than 1000000 nodes/),
        expect.stringMatching(/^warning m\/broken\.yaml:8 \(document 2\): skipped, not valid YAML: unexpected end of the stream/),
        'warning m/huge.yaml: skipped, larger than 2 KB',
        'info m/notk8s.yaml:1 (document 1): skipped, not a Kubernetes object (no apiVersion and kind)',
        'info m/notk8s.yaml:3 (document 2): skipped, not a Kubernetes object (no apiVersion and kind)',
        expect.stringMatching(/^warning m\/old\.yaml:1: Ingress legacy skipped: unrecognised apiVersion extensions\/v1beta1/),
      ]),
    );
    expect(snapshot.issues.every((i) => i.code === 'ZT_COLLECT_INPUT_SKIPPED')).toBe(true);
  });

  it('reads stdin for `-` (no file in provenance)', async () => {
    const { snapshot } = await collect({}, ['-'], async () => Buffer.from(kubectlList));
    expect(snapshot.resources).toHaveLength(2);
    expect(snapshot.resources[0]?.provenance).toEqual({ collector: 'kubernetes', source: 'manifests:-' });
  });

  it('empty input: no resources and an error issue, so the audit is incomplete (exit 3)', async () => {
    const { snapshot } = await collect({ 'empty.yaml': '# only a comment\n---\n' }, ['empty.yaml']);
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.issues).toEqual([expect.objectContaining({ severity: 'error', code: 'ZT_COLLECT_INPUT_EMPTY' })]);
  });

  it('maps the fixture cluster: every resource passes its kind schema', async () => {
    const { snapshot } = await collect({ 'all.yaml': asHelmRender(objects) }, ['all.yaml']);
    expect(snapshot.issues).toEqual([]);
    expect(kindsOf(snapshot)).toMatchObject({ 'k8s.workload': 3, 'k8s.secret': 1, 'istio.peerAuthentication': 2 });
  });
});
