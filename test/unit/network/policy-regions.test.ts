import { describe, expect, it } from 'vitest';
import { policyRuleRegion } from '../../../src/network/policy-regions.js';

// The lines of a NetworkPolicy rule in its manifest, as SARIF points at them.

const multi = `# Source: chart/templates/policies.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: payments
spec:
  podSelector:
    matchLabels: {app: api}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: cart}}
    ports:
    - port: 8443

  # the public entry
  - from:
      - ipBlock: {cidr: 0.0.0.0/0}
  egress:
    - to: [{podSelector: {}}]
      ports: [{port: 53, protocol: UDP}]
    - {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: flow, namespace: payments}
spec: {podSelector: {}, ingress: [{}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: half, namespace: payments}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {}}]}]
`;

const list = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: a, namespace: x}
    spec:
      podSelector: {}
      policyTypes: [Ingress]
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: b, namespace: x}
    spec:
      podSelector: {}
      ingress:
        - from: [{podSelector: {}}]
`;

describe('policyRuleRegion', () => {
  it('finds each rule of a block sequence, items at the key indentation or deeper, comments and blank lines outside', () => {
    expect(policyRuleRegion(multi, 2, 'ingress', 0)).toEqual({ startLine: 12, endLine: 15 });
    expect(policyRuleRegion(multi, 2, 'ingress', 1)).toEqual({ startLine: 18, endLine: 19 });
    expect(policyRuleRegion(multi, 2, 'egress', 0)).toEqual({ startLine: 21, endLine: 22 });
    expect(policyRuleRegion(multi, 2, 'egress', 1)).toEqual({ startLine: 23, endLine: 23 });
  });

  it('falls back to the key, then to spec, then to the object line, never past the object', () => {
    // A rule index the manifest does not have: the whole ingress list.
    expect(policyRuleRegion(multi, 2, 'ingress', 5)).toEqual({ startLine: 11, endLine: 19 });
    // spec in flow style: its line.
    expect(policyRuleRegion(multi, 25, 'ingress', 0)).toEqual({ startLine: 28, endLine: 28 });
    // ingress in flow style: its line.
    expect(policyRuleRegion(multi, 30, 'ingress', 0)).toEqual({ startLine: 35, endLine: 35 });
    // No egress in that policy: spec's line, not the next document's egress.
    expect(policyRuleRegion(multi, 30, 'egress', 0)).toEqual({ startLine: 33, endLine: 33 });
    // JSON: the object's line.
    expect(policyRuleRegion('{"apiVersion": "networking.k8s.io/v1",\n "spec": {"ingress": [{}]}}', 1, 'ingress', 0)).toEqual({ startLine: 1, endLine: 1 });
  });

  it('stays inside one item of a List', () => {
    expect(policyRuleRegion(list, 4, 'ingress', 0)).toEqual({ startLine: 7, endLine: 7 }); // no ingress: spec, not b's
    expect(policyRuleRegion(list, 10, 'ingress', 0)).toEqual({ startLine: 16, endLine: 16 });
  });
});
