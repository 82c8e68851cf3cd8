import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

// Starts one throwaway control plane for the whole integration run (building the
// binaries on a machine's first run) and stops it afterwards, by the pids it started.

export interface KubeClusterInfo {
  readonly server: string;
  readonly caFile: string;
  readonly adminTokenFile: string;
  readonly version: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kubeCluster: KubeClusterInfo;
  }
}

const here = fileURLToPath(new URL('.', import.meta.url));

export default function setup(project: TestProject): () => void {
  const state = mkdtempSync(join(tmpdir(), 'zt-k8s-'));
  const stop = (): void => {
    spawnSync('bash', [join(here, 'stop-cluster.sh'), state], { stdio: 'inherit' });
    rmSync(state, { recursive: true, force: true });
  };
  const started = Date.now();
  const result = spawnSync('bash', [join(here, 'start-cluster.sh'), state], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    stop();
    throw new Error(`start-cluster.sh failed (exit ${result.status ?? result.signal}); see its output above`);
  }
  console.log(`[integration] control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const env = Object.fromEntries(
    readFileSync(join(state, 'cluster.env'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  project.provide('kubeCluster', { server: env.ZT_K8S_SERVER!, caFile: env.ZT_K8S_CA!, adminTokenFile: env.ZT_K8S_ADMIN_TOKEN_FILE!, version: env.ZT_K8S_VERSION! });
  return stop;
}
