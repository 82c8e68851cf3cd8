// Synthetic snapshots for the benchmark: resources cloned from the demo organisation
// (so every one is valid against its kind schema and shaped like real data), with new
// ids and names, spread over many namespaces, accounts and tenants.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const demoDir = new URL('../fixtures/demo/', import.meta.url);

function demoFiles() {
  return readdirSync(demoDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(demoDir.pathname, f), 'utf8')));
}

function demoResources() {
  return demoFiles().flatMap((s) => s.resources);
}

/**
 * The demo's coverage for the estate's sources (Kubernetes, AWS, Okta; Entra's kinds left
 * out): every kind read, most of them with none in the estate. Without it a kind the mix
 * leaves out would be "not collected", and the facts derived from it unknown.
 */
function demoCoverage() {
  return Object.fromEntries(demoFiles().flatMap((s) => Object.entries(s.coverage)).filter(([kind]) => !kind.startsWith('entra.')));
}

// Share of each kind in a synthetic estate (kinds missing from the demo are skipped).
const mix = {
  'k8s.workload': 30,
  'k8s.networkPolicy': 6,
  'k8s.namespace': 1,
  'k8s.serviceAccount': 8,
  'k8s.rbac.roleBinding': 6,
  'k8s.rbac.role': 4,
  'idp.user': 20,
  'aws.iam.role': 12,
  'aws.iam.user': 6,
  'aws.iam.policy': 5,
  'aws.iam.group': 2,
};

export function synthSnapshot(size, seed = 1) {
  const templates = new Map();
  for (const r of demoResources()) {
    if (!templates.has(r.kind)) templates.set(r.kind, []);
    templates.get(r.kind).push(r);
  }
  const kinds = Object.entries(mix).filter(([k]) => templates.has(k));
  const total = kinds.reduce((s, [, w]) => s + w, 0);
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const namespaces = Math.max(5, Math.round(size / 200));
  const resources = [];
  const coverage = demoCoverage();
  for (const [kind, weight] of kinds) {
    coverage[kind] = { state: 'complete' };
    const count = Math.round((size * weight) / total);
    const list = templates.get(kind);
    for (let i = 0; i < count; i++) {
      const t = list[Math.floor(rand() * list.length)];
      const attributes = structuredClone(t.attributes);
      const name = `${t.name}-${i}`;
      if ('namespace' in attributes) attributes.namespace = `ns-${i % namespaces}`;
      if (kind === 'k8s.namespace') {
        resources.push({ ...t, id: `k8s://bench/_cluster/namespace/ns-${i}`, name: `ns-${i}`, attributes });
        continue;
      }
      resources.push({ ...t, id: `${t.id}#${i}`, name, attributes });
    }
  }
  return {
    schemaVersion: 1,
    collectedAt: '2026-11-02T09:00:00Z',
    sources: [
      { collector: 'kubernetes', source: 'k8s:bench', mode: 'offline' },
      { collector: 'aws-iam', source: 'aws:111122223333', mode: 'offline' },
      { collector: 'okta', source: 'okta:bench.okta.com', mode: 'offline' },
    ],
    coverage,
    issues: [],
    resources,
  };
}
