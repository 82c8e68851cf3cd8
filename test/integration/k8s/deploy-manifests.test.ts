import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { clusterInfo, serves } from './cluster.js';
import type { KubeObject } from './demo-objects.js';
import { apply, call, collectionPath } from './kube-rest.js';

// The fan-out manifests in deploy/kubernetes (docs/fan-out.md) are accepted by a real
// kube-apiserver: every object is sent with a server-side dry run (?dryRun=All), which runs
// the server's defaulting, validation and admission without storing anything. Their
// namespace is created for real first: namespaced objects cannot be dry-run into a
// namespace that does not exist. The objects go into their own namespace and names
// (zt-deploy-check), apart from the zt/zt objects other suites create: a dry-run create of
// an object that exists is a conflict, not a validation.

const deployDir = fileURLToPath(new URL('../../../deploy/kubernetes/', import.meta.url));
const cluster = clusterInfo();

/** The object moved to its own namespace and cluster-scoped names. */
function apart(object: KubeObject): KubeObject {
  const text = JSON.stringify(object).replaceAll('"zt-posture-reader"', '"zt-deploy-check"').replaceAll('"namespace":"zt"', '"namespace":"zt-deploy-check"');
  const moved = JSON.parse(text) as KubeObject;
  return moved.kind === 'Namespace' ? { ...moved, metadata: { ...moved.metadata, name: 'zt-deploy-check' } } : moved;
}

function deployObjects(): { file: string; object: KubeObject }[] {
  return readdirSync(deployDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      (yaml.loadAll(readFileSync(join(deployDir, file), 'utf8')) as (KubeObject | null)[]).filter((o): o is KubeObject => o !== null).map((object) => ({ file, object: apart(object) })),
    );
}

describe('deploy/kubernetes against the real kube-apiserver', () => {
  it('every object passes a server-side dry run (CronJob as batch/v1beta1 where batch/v1 is not served, Kubernetes < 1.21)', async () => {
    const objects = deployObjects();
    expect(objects.map((o) => o.object.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'CronJob', 'Namespace', 'NetworkPolicy', 'PersistentVolumeClaim', 'Role', 'RoleBinding', 'ServiceAccount'].sort(),
    );
    const namespace = objects.find((o) => o.object.kind === 'Namespace');
    await apply(cluster, cluster.adminToken, namespace!.object);
    const cronJobVersion = (await serves(cluster, cluster.adminToken, 'batch/v1', 'cronjobs')) ? 'batch/v1' : 'batch/v1beta1';
    for (const { file, object } of objects) {
      if (object.kind === 'Namespace') continue;
      const sent = object.kind === 'CronJob' ? { ...object, apiVersion: cronJobVersion } : object;
      const metadata = object.metadata as { name: string; namespace?: string };
      const answer = await call(cluster, cluster.adminToken, 'POST', `${collectionPath(sent.apiVersion, sent.kind, metadata.namespace)}?dryRun=All`, sent).catch((error: unknown) => {
        throw new Error(`${file}: ${object.kind} ${metadata.name} was refused: ${String(error)}`);
      });
      expect(answer.metadata?.name, `${file}: ${object.kind}`).toBe(metadata.name);
    }
    // Dry run stored nothing: the CronJob is not there.
    const listed = await call(cluster, cluster.adminToken, 'GET', collectionPath(cronJobVersion, 'CronJob', 'zt-deploy-check'));
    expect(listed.items).toEqual([]);
  });
});
