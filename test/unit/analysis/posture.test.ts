import { describe, expect, it } from 'vitest';
import { derivedFieldNames } from '../../../src/analysis/derived-fields.js';
import { analysers } from '../../../src/analysis/index.js';
import { kubernetesPostureAnalysers } from '../../../src/analysis/kubernetes/posture.js';

// The rule compiler only accepts derived fields of registered analysers: a posture analyser
// left out of src/analysis/index.ts would make every rule that reads its fields fail to load.
describe('Kubernetes posture analysers are registered', () => {
  it.each([
    ['k8s.rbac.clusterRole', ['dangerousPermissions', 'systemRole']],
    ['k8s.rbac.role', ['dangerousPermissions', 'systemRole']],
    ['k8s.rbac.clusterRoleBinding', ['boundRole', 'grants', 'nonSystemSubjects', 'publicSubjects', 'roleFound']],
    ['k8s.rbac.roleBinding', ['boundRole', 'grants', 'nonSystemSubjects', 'publicSubjects', 'roleFound']],
    ['k8s.serviceAccount', ['boundRoles', 'systemNamespace']],
    ['k8s.node', ['kubeletEndOfLife', 'kubeletMinorsBehind', 'kubeletSupported']],
    ['k8s.cluster', ['daemonSetImages', 'daemonSets', 'serverEndOfLife', 'serverMinor', 'serverSupported']],
  ] as const)('%s has %j', (kind, fields) => {
    expect(derivedFieldNames(kind)).toEqual(expect.arrayContaining([...fields]));
  });

  it('k8s.workload gains serviceAccountRoles next to the core fields', () => {
    expect(derivedFieldNames('k8s.workload')).toEqual(expect.arrayContaining(['serviceAccountRoles', 'ingressIsolated', 'automountToken']));
  });

  it('every posture analyser runs exactly once', () => {
    for (const analyser of kubernetesPostureAnalysers) expect(analysers.filter((a) => a === analyser)).toHaveLength(1);
  });
});
