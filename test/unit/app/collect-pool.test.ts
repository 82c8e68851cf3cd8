import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { directNetwork } from '../../../src/collectors/read-network.js';
import type { Collector, CollectorContext } from '../../../src/collectors/types.js';
import { defaultConfig } from '../../../src/config/config.js';
import { Redactor } from '../../../src/text/redact.js';

function context(parallel: number | undefined): CollectorContext {
  return {
    signal: new AbortController().signal,
    progress: () => {},
    now: new Date('2026-01-01T00:00:00Z'),
    env: {},
    cwd: '/',
    config: defaultConfig,
    network: parallel === undefined ? directNetwork : { ...directNetwork, parallel },
    redactor: new Redactor(),
  };
}

/** Collectors that each take a few milliseconds and record how many ran at once. */
function tracked(count: number): { collectors: Collector[]; peak: () => number } {
  let running = 0;
  let peak = 0;
  const collectors = Array.from({ length: count }, (_, i): Collector => ({
    id: 'okta',
    description: `tenant ${i}`,
    mode: 'offline',
    async collect() {
      running++;
      peak = Math.max(peak, running);
      await new Promise((done) => setTimeout(done, 5));
      running--;
      return { source: { collector: 'okta', source: `okta:t${String(i).padStart(2, '0')}.example.com`, mode: 'offline' }, resources: [], coverage: {}, issues: [] };
    },
  }));
  return { collectors, peak: () => peak };
}

describe('collection of many targets', () => {
  it('runs at most --parallel collectors at once, and keeps every target in the order given', async () => {
    const { collectors, peak } = tracked(20);
    const snapshot = await collectSnapshot(collectors, context(3));
    expect(peak()).toBe(3);
    expect(snapshot.sources.map((s) => s.source)).toEqual(collectors.map((_, i) => `okta:t${String(i).padStart(2, '0')}.example.com`));
  });

  it('runs 8 at once by default', async () => {
    const { collectors, peak } = tracked(20);
    await collectSnapshot(collectors, context(undefined));
    expect(peak()).toBe(8);
  });
});
