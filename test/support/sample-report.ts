import { findingFingerprint } from '../../src/engine/fingerprint.js';
import type { Finding, FindingResource, RuleResult } from '../../src/model/finding.js';
import type { Report, ReportRule } from '../../src/model/report.js';
import type { ScoreCard } from '../../src/model/scorecard.js';

/**
 * A small, hand-made but coherent audit report for reporter tests: 7 rules in three
 * pillars (identity, networks, applications), fail and error findings, one finding on a
 * manifest on disk (deploy/web.yaml line 12), a collection issue, a partial and a
 * missing kind, a not-assessed row, a pillar short of evidence (Networks: one row of seven)
 * and next-stage blockers. Numbers agree with each
 * other (counts, pass rates, thresholds, summary) so a reader of the snapshots is not
 * misled. Every call returns a fresh object.
 */

const ACCOUNT = '111122223333';
const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ciLegacy = `arn:aws:iam::${ACCOUNT}:user/ci-legacy`;
const bob = 'okta://acme.okta.com/user/00ub0oNGTSWTBKOLGLNR';
const ledger = 'k8s://prod/payments/Deployment/ledger';
const reportExport = 'k8s://prod/batch/CronJob/report-export';
const web = 'k8s://manifests/shop/Deployment/web';
const cart = 'k8s://prod/shop/Deployment/cart';

const rules: ReportRule[] = [
  {
    id: 'ZT-APP-004',
    title: 'Containers do not run privileged',
    kind: 'k8s.workload',
    severity: 'high',
    pillar: 'applications',
    row: 'applications.secure_dev_deploy',
    gates: [{ stage: 'initial', quantifier: 'most' }],
    supporting: false,
    remediation: 'Remove securityContext.privileged from {{name}} and grant only the capabilities it needs.',
    references: ['CISA ZTMM 2.0 Applications/Secure Application Development and Deployment Workflow', 'CIS Kubernetes 5.2.2'],
    file: 'rules/applications/k8s-no-privileged-containers.yaml',
    line: 8,
  },
  {
    id: 'ZT-IDN-001',
    title: 'IAM users with console access have MFA',
    kind: 'aws.iam.user',
    severity: 'critical',
    pillar: 'identity',
    row: 'identity.authentication',
    gates: [{ stage: 'initial', quantifier: 'all' }],
    supporting: false,
    remediation: 'Enable an MFA device for every IAM user with a console password, or remove the password.',
    references: ['CISA ZTMM 2.0 Identity/Authentication', 'CIS AWS 1.10', 'NIST SP 800-207 tenet 6'],
    file: 'rules/identity/aws-iam-console-user-mfa.yaml',
    line: 9,
  },
  {
    id: 'ZT-IDN-004',
    title: 'Human users have a phishing-resistant authenticator',
    kind: 'idp.user',
    severity: 'high',
    pillar: 'identity',
    row: 'identity.authentication',
    gates: [
      { stage: 'advanced', quantifier: 'most' },
      { stage: 'optimal', quantifier: 'all' },
    ],
    supporting: false,
    remediation: 'Enrol a FIDO2 security key or platform passkey for each human user and require it in the sign-on policy.',
    references: ['CISA ZTMM 2.0 Identity/Authentication', 'OMB M-22-09'],
    file: 'rules/identity/idp-phishing-resistant-factor.yaml',
    line: 10,
  },
  {
    id: 'ZT-IDN-013',
    title: 'IdP admin roles are assigned to groups, not users',
    kind: 'idp.user',
    severity: 'low',
    pillar: 'identity',
    row: 'identity.authentication',
    gates: [{ stage: 'initial', quantifier: 'most' }],
    supporting: true,
    remediation: 'Assign admin roles to a group and manage membership there.',
    references: ['NIST SP 800-207 tenet 3'],
    file: 'rules/identity/idp-admin-roles-via-groups.yaml',
    line: 7,
  },
  {
    id: 'ZT-NET-001',
    title: 'Namespaces have a default-deny NetworkPolicy',
    kind: 'k8s.namespace',
    severity: 'medium',
    pillar: 'networks',
    row: 'networks.segmentation',
    gates: [{ stage: 'initial', quantifier: 'some' }],
    supporting: false,
    remediation: 'Add a NetworkPolicy selecting every pod in {{name}} with empty ingress and egress rules.',
    references: ['CISA ZTMM 2.0 Networks/Network Segmentation'],
    file: 'rules/networks/k8s-namespace-default-deny.yaml',
    line: 8,
  },
  {
    id: 'ZT-NET-003',
    title: 'Workloads are isolated for ingress by a NetworkPolicy',
    kind: 'k8s.workload',
    severity: 'high',
    pillar: 'networks',
    row: 'networks.segmentation',
    gates: [{ stage: 'advanced', quantifier: 'most' }],
    supporting: false,
    remediation: 'Add a default-deny ingress NetworkPolicy to {{namespace}} and allow only the callers you expect.',
    references: ['CISA ZTMM 2.0 Networks/Network Segmentation', 'NIST SP 800-207 tenet 2'],
    file: 'rules/networks/k8s-ingress-isolation.yaml',
    line: 11,
  },
  {
    id: 'ZT-NET-011',
    title: 'Service-to-service traffic requires mutual TLS',
    kind: 'istio.peerAuthentication',
    severity: 'medium',
    pillar: 'networks',
    row: 'networks.traffic_encryption',
    gates: [{ stage: 'advanced', quantifier: 'most' }],
    supporting: false,
    remediation: 'Set a mesh-wide PeerAuthentication with mtls.mode STRICT.',
    references: ['CISA ZTMM 2.0 Networks/Traffic Encryption'],
    file: 'rules/networks/mesh-strict-mtls.yaml',
    line: 9,
  },
];

function finding(
  ruleId: string,
  resource: FindingResource,
  outcome: { readonly message: string } | { readonly error: { readonly code: string; readonly message: string } },
): Finding {
  const fingerprint = findingFingerprint(ruleId, resource.kind, resource.id);
  if ('error' in outcome) return { ruleId, status: 'error', resource, error: outcome.error, fingerprint };
  return { ruleId, status: 'fail', resource, message: outcome.message, fingerprint };
}

const findings: Finding[] = [
  finding(
    'ZT-APP-004',
    { kind: 'k8s.workload', id: reportExport, name: 'report-export', source: 'k8s:prod' },
    { error: { code: 'evaluation_error', message: 'No such key: securityContext' } },
  ),
  finding(
    'ZT-APP-004',
    { kind: 'k8s.workload', id: ledger, name: 'ledger', source: 'k8s:prod' },
    {
      message:
        'ledger runs container "ledger-api" privileged, which gives it root on the node and a path to every other workload scheduled there',
    },
  ),
  finding(
    'ZT-IDN-001',
    { kind: 'aws.iam.user', id: alice, name: 'alice', source: `aws:${ACCOUNT}` },
    { message: 'alice can sign in to the console without MFA' },
  ),
  finding(
    'ZT-IDN-001',
    { kind: 'aws.iam.user', id: ciLegacy, name: 'ci-legacy', source: `aws:${ACCOUNT}` },
    { message: 'ci-legacy can sign in to the console without MFA' },
  ),
  finding(
    'ZT-IDN-004',
    { kind: 'idp.user', id: bob, name: 'bob@acme.example', source: 'okta:acme.okta.com' },
    { message: 'bob@acme.example has no phishing-resistant authenticator (enrolled: sms, push)' },
  ),
  finding(
    'ZT-NET-003',
    { kind: 'k8s.workload', id: web, name: 'web', source: 'manifests:deploy', file: 'deploy/web.yaml', line: 12 },
    { message: 'web accepts traffic from any pod in the cluster' },
  ),
  finding(
    'ZT-NET-003',
    { kind: 'k8s.workload', id: cart, name: 'cart', source: 'k8s:prod' },
    { message: 'cart accepts traffic from any pod in the cluster' },
  ),
  {
    ruleId: 'ZT-IDN-001',
    status: 'waived',
    resource: { kind: 'aws.iam.user', id: `arn:aws:iam::${ACCOUNT}:user/break-glass`, name: 'break-glass', source: `aws:${ACCOUNT}` },
    message: 'break-glass can sign in to the console without MFA',
    waiver: {
      reason: 'Break-glass account; its password is split between two sealed envelopes in the safe.',
      owner: 'security@acme.example',
      expires: '2026-12-31',
      ticket: 'https://tickets.acme.example/SEC-42',
    },
    fingerprint: findingFingerprint('ZT-IDN-001', 'aws.iam.user', `arn:aws:iam::${ACCOUNT}:user/break-glass`),
  },
];

const ruleResults: RuleResult[] = [
  {
    ruleId: 'ZT-APP-004',
    counts: { pass: 5, fail: 1, error: 1, skip: 2, waived: 0 },
    passRate: 5 / 7,
    coverage: 'complete',
    gates: [{ stage: 'initial', quantifier: 'most', threshold: 0.75, status: 'error' }],
    status: 'error',
  },
  {
    ruleId: 'ZT-IDN-001',
    counts: { pass: 3, fail: 2, error: 0, skip: 0, waived: 0 },
    passRate: 0.6,
    coverage: 'complete',
    gates: [{ stage: 'initial', quantifier: 'all', threshold: 1, status: 'fail' }],
    status: 'fail',
  },
  {
    ruleId: 'ZT-IDN-004',
    counts: { pass: 3, fail: 1, error: 0, skip: 0, waived: 0 },
    passRate: 0.75,
    coverage: 'partial',
    gates: [
      { stage: 'advanced', quantifier: 'most', threshold: 0.75, status: 'pass' },
      { stage: 'optimal', quantifier: 'all', threshold: 1, status: 'fail' },
    ],
    status: 'fail',
  },
  {
    ruleId: 'ZT-IDN-013',
    counts: { pass: 4, fail: 0, error: 0, skip: 0, waived: 0 },
    passRate: 1,
    coverage: 'partial',
    gates: [{ stage: 'initial', quantifier: 'most', threshold: 0.75, status: 'pass' }],
    status: 'pass',
  },
  {
    ruleId: 'ZT-NET-001',
    counts: { pass: 2, fail: 2, error: 0, skip: 0, waived: 0 },
    passRate: 0.5,
    coverage: 'complete',
    gates: [{ stage: 'initial', quantifier: 'some', threshold: 0.25, status: 'pass' }],
    status: 'pass',
  },
  {
    ruleId: 'ZT-NET-003',
    counts: { pass: 4, fail: 2, error: 0, skip: 3, waived: 0 },
    passRate: 4 / 6,
    coverage: 'complete',
    gates: [{ stage: 'advanced', quantifier: 'most', threshold: 0.75, status: 'fail' }],
    status: 'fail',
  },
  {
    ruleId: 'ZT-NET-011',
    counts: { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 },
    passRate: null,
    coverage: 'missing',
    notEvaluatedReason: 'not_installed',
    gates: [{ stage: 'advanced', quantifier: 'most', threshold: 0.75, status: 'not_evaluated' }],
    status: 'not_evaluated',
  },
];

const score: ScoreCard = {
  model: { id: 'cisa-ztmm', version: '2.0' },
  overall: {
    stage: 'traditional',
    possibleStage: 'traditional',
    // Networks has a stage short of evidence: it counts as no progress (scoring.md §3).
    score: 0,
    rowsAssessed: 3,
    rowsTotal: 37,
    coverage: 0.08,
    evidence: { parts: 'pillars', assessed: 2, required: 3, total: 5, sufficient: false, assessedStage: 'traditional' },
  },
  pillars: [
    {
      id: 'identity',
      name: 'Identity',
      stage: 'traditional',
      possibleStage: 'traditional',
      score: 0,
      rowsAssessed: 1,
      rowsTotal: 7,
      evidence: { parts: 'rows', assessed: 1, required: 4, total: 7, sufficient: false, assessedStage: 'traditional' },
      rows: [
        {
          id: 'identity.authentication',
          name: 'Authentication',
          pillar: 'identity',
          stage: 'traditional',
          possibleStage: 'traditional',
          score: 0,
          rules: [
            { ruleId: 'ZT-IDN-001', status: 'fail', gating: true },
            { ruleId: 'ZT-IDN-004', status: 'fail', gating: true },
            { ruleId: 'ZT-IDN-013', status: 'pass', gating: false },
          ],
          next: {
            stage: 'initial',
            blockers: [
              {
                ruleId: 'ZT-IDN-001',
                title: 'IAM users with console access have MFA',
                status: 'fail',
                stage: 'initial',
                passRate: 0.6,
                threshold: 1,
                failing: [alice, ciLegacy],
                failingCount: 2,
              },
            ],
          },
        },
      ],
    },
    {
      id: 'devices',
      name: 'Devices',
      stage: 'not_assessed',
      possibleStage: 'not_assessed',
      score: null,
      rowsAssessed: 0,
      rowsTotal: 7,
      evidence: { parts: 'rows', assessed: 0, required: 4, total: 7, sufficient: false, assessedStage: 'not_assessed' },
      rows: [],
    },
    {
      id: 'networks',
      name: 'Networks',
      // One row of seven at Initial: too little evidence to claim Initial for the pillar.
      stage: 'not_assessed',
      possibleStage: 'initial',
      score: null,
      rowsAssessed: 1,
      rowsTotal: 7,
      evidence: { parts: 'rows', assessed: 1, required: 4, total: 7, sufficient: false, assessedStage: 'initial' },
      rows: [
        {
          id: 'networks.segmentation',
          name: 'Network Segmentation',
          pillar: 'networks',
          stage: 'initial',
          possibleStage: 'initial',
          score: 1,
          rules: [
            { ruleId: 'ZT-NET-001', status: 'pass', gating: true },
            { ruleId: 'ZT-NET-003', status: 'fail', gating: true },
          ],
          next: {
            stage: 'advanced',
            blockers: [
              {
                ruleId: 'ZT-NET-003',
                title: 'Workloads are isolated for ingress by a NetworkPolicy',
                status: 'fail',
                stage: 'advanced',
                passRate: 4 / 6,
                threshold: 0.75,
                failing: [web, cart],
                failingCount: 2,
              },
            ],
          },
        },
        {
          id: 'networks.traffic_encryption',
          name: 'Traffic Encryption',
          pillar: 'networks',
          stage: 'not_assessed',
          possibleStage: 'advanced',
          score: null,
          rules: [{ ruleId: 'ZT-NET-011', status: 'not_evaluated', gating: true }],
          next: {
            stage: 'advanced',
            blockers: [
              {
                ruleId: 'ZT-NET-011',
                title: 'Service-to-service traffic requires mutual TLS',
                status: 'not_evaluated',
                stage: 'advanced',
                passRate: null,
                threshold: 0.75,
                failing: [],
                failingCount: 0,
                reason: 'not_installed',
                needs: 'istio.peerAuthentication is not installed in the source',
              },
            ],
          },
        },
      ],
    },
    {
      id: 'applications',
      name: 'Applications and Workloads',
      stage: 'traditional',
      possibleStage: 'initial',
      score: 0,
      rowsAssessed: 1,
      rowsTotal: 8,
      evidence: { parts: 'rows', assessed: 1, required: 4, total: 8, sufficient: false, assessedStage: 'traditional' },
      rows: [
        {
          id: 'applications.secure_dev_deploy',
          name: 'Secure Application Development and Deployment Workflow',
          pillar: 'applications',
          stage: 'traditional',
          possibleStage: 'initial',
          score: 0,
          rules: [{ ruleId: 'ZT-APP-004', status: 'error', gating: true }],
          next: {
            stage: 'initial',
            blockers: [
              {
                ruleId: 'ZT-APP-004',
                title: 'Containers do not run privileged',
                status: 'error',
                stage: 'initial',
                passRate: 5 / 7,
                threshold: 0.75,
                failing: [ledger],
                failingCount: 2,
              },
            ],
          },
        },
      ],
    },
    {
      id: 'data',
      name: 'Data',
      stage: 'not_assessed',
      possibleStage: 'not_assessed',
      score: null,
      rowsAssessed: 0,
      rowsTotal: 8,
      evidence: { parts: 'rows', assessed: 0, required: 4, total: 8, sufficient: false, assessedStage: 'not_assessed' },
      rows: [],
    },
  ],
  crossCutting: [
    { id: 'visibility_analytics', name: 'Visibility and Analytics', stage: 'not_assessed', possibleStage: 'not_assessed', evidence: { parts: 'rows', assessed: 0, required: 3, total: 5, sufficient: false, assessedStage: 'not_assessed' } },
    { id: 'automation_orchestration', name: 'Automation and Orchestration', stage: 'not_assessed', possibleStage: 'not_assessed', evidence: { parts: 'rows', assessed: 0, required: 3, total: 5, sufficient: false, assessedStage: 'not_assessed' } },
    { id: 'governance', name: 'Governance', stage: 'not_assessed', possibleStage: 'not_assessed', evidence: { parts: 'rows', assessed: 0, required: 3, total: 5, sufficient: false, assessedStage: 'not_assessed' } },
  ],
  nextSteps: [
    { ruleId: 'ZT-APP-004', unlocks: ['applications.secure_dev_deploy'], contributesTo: [] },
    { ruleId: 'ZT-IDN-001', unlocks: ['identity.authentication'], contributesTo: [] },
    { ruleId: 'ZT-NET-003', unlocks: ['networks.segmentation'], contributesTo: [] },
    { ruleId: 'ZT-NET-011', unlocks: ['networks.traffic_encryption'], contributesTo: [] },
  ],
};

export function sampleReport(): Report {
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'zt', version: '0.1.0' },
    inventory: {
      collectedAt: '2025-03-01T11:58:30.000Z',
      sources: [
        { collector: 'aws-iam', source: `aws:${ACCOUNT}`, mode: 'live' },
        { collector: 'kubernetes', source: 'k8s:prod', mode: 'live' },
        { collector: 'kubernetes', source: 'manifests:deploy', mode: 'offline' },
        { collector: 'okta', source: 'okta:acme.okta.com', mode: 'live' },
      ],
      coverage: {
        'aws.iam.user': { state: 'complete' },
        'idp.user': {
          state: 'partial',
          reason: 'permission_denied',
          detail: 'authenticator enrolments of 3 of 7 users could not be read',
        },
        'istio.peerAuthentication': {
          state: 'missing',
          reason: 'not_installed',
          detail: 'the PeerAuthentication CRD is not installed in cluster prod',
        },
        'k8s.namespace': { state: 'complete' },
        'k8s.workload': { state: 'complete' },
      },
      issues: [
        {
          collector: 'okta',
          severity: 'warning',
          code: 'ZT_COLLECT_ACCESS_DENIED',
          message: 'GET /api/v1/users/{id}/factors returned 403 for 3 users: the token lacks the okta.users.read scope',
          kinds: ['idp.user'],
        },
      ],
      resourceCount: 29,
      resourcesByKind: { 'aws.iam.user': 5, 'idp.user': 7, 'k8s.namespace': 4, 'k8s.workload': 13 },
      resourcesByCollector: { 'aws-iam': 5, kubernetes: 17, okta: 7 },
      resourcesBySource: { 'aws:111122223333': 5, 'k8s:prod': 13, 'manifests:deploy': 4, 'okta:acme.okta.com': 7 },
    },
    rules,
    ruleResults,
    findings,
    waivers: {
      file: '.zt/waivers.yaml',
      applied: 1,
      expired: [
        { index: 1, line: 9, rule: 'ZT-NET-003', resource: 'k8s://prod/legacy/*', owner: 'platform@acme.example', expires: '2026-06-30', matched: 2 },
      ],
      unused: [
        { index: 2, line: 15, rule: 'ZT-IDN-004', resource: 'okta://acme.okta.com/user/00u-gone', owner: 'it@acme.example', expires: '2027-03-31', matched: 0 },
      ],
    },
    score,
    summary: {
      findingsBySeverity: { critical: 2, high: 4, medium: 0, low: 0, info: 0 },
      waivedFindings: 1,
      rulesByStatus: { pass: 2, fail: 3, error: 1, not_applicable: 0, not_evaluated: 1 },
    },
  };
  // A fresh deep copy each time, so a test that edits its report cannot affect another.
  return structuredClone(report);
}
