import { describe, expect, it } from 'vitest';
import {
  kubernetesReleases,
  parseKubernetesVersion,
  parseServerVersion,
  supportStatus,
} from '../../../src/analysis/kubernetes/k8s-releases.js';

describe('Kubernetes version strings', () => {
  it.each([
    ['v1.36.5', { major: 1, minor: 36 }],
    ['v1.35.2-eks-3cfe0ce', { major: 1, minor: 35 }],
    ['1.34.1+k3s1', { major: 1, minor: 34 }],
    ['v1.33.4-gke.1245000', { major: 1, minor: 33 }],
    ['v1.30', { major: 1, minor: 30 }],
    [' v1.31.0 ', { major: 1, minor: 31 }],
    ['', undefined],
    ['latest', undefined],
    ['v1', undefined],
    ['v1.x.3', undefined],
  ] as const)('%j → %j', (text, expected) => {
    expect(parseKubernetesVersion(text)).toEqual(expected);
  });

  it.each([
    [{ major: '1', minor: '36', gitVersion: 'v1.36.5' }, { major: 1, minor: 36 }],
    [{ major: '1', minor: '35+', gitVersion: 'v1.35.2-eks-3cfe0ce' }, { major: 1, minor: 35 }],
    [{ major: '', minor: '', gitVersion: 'v1.34.1' }, { major: 1, minor: 34 }],
    [{ major: '', minor: '', gitVersion: 'unknown' }, undefined],
  ] as const)('server %j → %j', (server, expected) => {
    expect(parseServerVersion(server)).toEqual(expected);
  });
});

describe('upstream support at a given date', () => {
  it.each([
    // version, now, supported, end of life
    ['1.34', '2026-10-27T23:00:00Z', true, '2026-10-27'], // last day of support
    ['1.34', '2026-10-28T00:00:00Z', false, '2026-10-27'], // the day after
    ['1.36', '2026-11-02T09:00:00Z', true, '2027-06-28'],
    ['1.30', '2026-11-02T09:00:00Z', false, '2025-07-15'],
    ['1.30', '2025-07-01T00:00:00Z', true, '2025-07-15'],
    ['1.26', '2023-01-01T00:00:00Z', false, null], // older than the table: never counted as supported
    ['1.99', '2026-11-02T09:00:00Z', true, null], // newer than the table: released after zt
    ['2.0', '2026-11-02T09:00:00Z', true, null],
    ['0.40', '2026-11-02T09:00:00Z', false, null],
  ] as const)('%s at %s → supported %s (EOL %s)', (minor, now, supported, endOfLife) => {
    const version = parseKubernetesVersion(minor);
    expect(version).toBeDefined();
    expect(supportStatus(version!, new Date(now))).toEqual({ supported, endOfLife });
  });

  it('the table is ordered, dated and each minor lives about 14 months', () => {
    const minors = kubernetesReleases.map((r) => parseKubernetesVersion(r.minor)!.minor);
    expect(minors).toEqual([...minors].sort((a, b) => a - b));
    for (const release of kubernetesReleases) {
      const months = (Date.parse(release.endOfLife) - Date.parse(release.released)) / (30.4 * 24 * 3600 * 1000);
      expect(months, release.minor).toBeGreaterThan(13);
      expect(months, release.minor).toBeLessThan(16);
    }
  });
});
