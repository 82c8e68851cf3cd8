import { describe, expect, it } from 'vitest';
import { pullPolicy } from '../../../src/collectors/kubernetes/kinds.js';
import { mapObjects } from '../../../src/collectors/kubernetes/map.js';

/**
 * The pull policy as the API server defaults it (pkg/apis/core/v1/defaults.go,
 * SetDefaults_Container; the Images documentation, "Default image pull policy"): Always
 * when the tag is `latest` or the image names neither a tag nor a digest, IfNotPresent
 * otherwise; a policy written in the object is kept.
 */
describe('imagePullPolicy in effect', () => {
  it.each([
    ['nginx', undefined, 'Always'],
    ['nginx:latest', undefined, 'Always'],
    ['registry.example.com:5000/team/app', undefined, 'Always'],
    ['registry.example.com:5000/team/app:1.2', undefined, 'IfNotPresent'],
    ['nginx:1.25', undefined, 'IfNotPresent'],
    ['nginx@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', undefined, 'IfNotPresent'],
    ['nginx:latest@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', undefined, 'Always'],
    ['nginx:1.25', 'Always', 'Always'],
    ['nginx', 'Never', 'Never'],
    ['nginx', '', 'Always'],
  ])('%s with %s → %s', (image, given, expected) => {
    expect(pullPolicy(given, image)).toBe(expected);
  });
});

describe('container resources', () => {
  it('keeps limits and requests as text (numbers too), and nothing for a container without them', () => {
    const out = mapObjects(
      [
        {
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p', namespace: 'shop' },
            spec: {
              containers: [
                { name: 'a', image: 'a:1', resources: { limits: { cpu: 2, memory: '1Gi' }, requests: { cpu: '500m' } } },
                { name: 'b', image: 'b:1' },
              ],
            },
          },
        },
      ],
      { cluster: 'c1', source: 'k8s:c1', collector: 'kubernetes', defaultNamespace: 'default' },
    );
    const containers = (out.resources[0]?.attributes.pod as { containers: { resources: unknown; imagePullPolicy: string }[] }).containers;
    expect(containers.map((c) => c.resources)).toEqual([
      { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m' } },
      { limits: {}, requests: {} },
    ]);
    expect(containers.map((c) => c.imagePullPolicy)).toEqual(['IfNotPresent', 'IfNotPresent']);
  });
});
