import { collectSnapshot } from '../../../src/app/collect.js';
import { liveCollector, type LiveOptions } from '../../../src/collectors/kubernetes/live.js';
import type { Collector, CollectorContext } from '../../../src/collectors/types.js';
import { defaultConfig } from '../../../src/config/config.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { Redactor } from '../../../src/text/redact.js';
import { networkOf } from '../../support/network.js';

/** A collector context; its network is read from its env (a proxy set there is used). */
export function context(overrides: Partial<CollectorContext> = {}): CollectorContext {
  return {
    signal: new AbortController().signal,
    progress: () => undefined,
    now: new Date('2026-11-20T10:00:00Z'),
    env: {},
    cwd: process.cwd(),
    config: defaultConfig,
    redactor: new Redactor(),
    network: networkOf(overrides.env ?? {}),
    ...overrides,
  };
}

/** Fast retries for tests. */
export const fast: Partial<LiveOptions> = { backoffMs: 5, maxRetryAfterMs: 2_000, requestTimeoutMs: 2_000, execTimeoutMs: 2_000 };

/** Runs collectors through app/collect (schema validation, thrown errors → issues). */
export async function snapshotOf(collectors: Collector[], ctx: CollectorContext = context()): Promise<Snapshot> {
  return collectSnapshot(collectors, ctx);
}

export function live(kubeconfig: string, options: Partial<LiveOptions> = {}): Collector {
  return liveCollector({ kubeconfig, ...fast, ...options });
}

export const kindsOf = (snapshot: Snapshot): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of snapshot.resources) out[r.kind] = (out[r.kind] ?? 0) + 1;
  return out;
};
