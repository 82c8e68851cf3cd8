import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// The runtime floor zt claims (package.json engines.node, which bin/zt.js enforces at start)
// must be at least the floor of every package zt runs with: on a Node that package.json
// allows but a dependency does not, zt fails late and obscurely (undici under
// @kubernetes/client-node needs 22.19: on 22.12 live Kubernetes died on a missing method).
// What an older Node is told: test/e2e/bin.test.ts.

const root = process.cwd();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
};

describe('the runtime floor', () => {
  const claimed = semver.minVersion(manifest.engines.node);

  it('package.json claims a floor of the form >=X.Y (bin/zt.js reads it so)', () => {
    expect(manifest.engines.node).toMatch(/^>=\d+\.\d+(\.\d+)?$/);
    expect(claimed).not.toBeNull();
  });

  it("is at least every runtime dependency's floor (installed packages, from the lockfile)", () => {
    const runtime = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.dev);
    expect(runtime.length).toBeGreaterThan(50);
    const unmet: string[] = [];
    for (const [path] of runtime) {
      // What is installed, not only what the lockfile recorded.
      const file = join(root, path, 'package.json');
      if (!existsSync(file)) continue;
      const engines = (JSON.parse(readFileSync(file, 'utf8')) as { engines?: { node?: unknown } }).engines;
      const range = typeof engines?.node === 'string' ? engines.node : undefined;
      if (!range || !semver.validRange(range)) continue;
      if (claimed && !semver.satisfies(claimed, range)) unmet.push(`${path.replace(/^.*node_modules\//, '')} needs node ${range}`);
    }
    expect(unmet, `package.json engines.node is ${manifest.engines.node}`).toEqual([]);
  });

  it('the lockfile records the same floor as package.json', () => {
    const own = lock.packages['']?.engines;
    expect(own && !Array.isArray(own) ? own.node : undefined).toBe(manifest.engines.node);
  });
});
