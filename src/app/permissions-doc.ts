import { ASSUME_ROLE_ACTION, awsReads, type AwsRead } from '../collectors/aws-iam/reads.js';
import { DEFAULT_ORG_ROLE, MEMBER_ASSUME_ACTION, organizationsReads } from '../collectors/aws-organizations/reads.js';
import { broaderPermissions, graphPermissions } from '../collectors/entra/endpoints.js';
import { kubernetesReads, readName, type ResourceRead } from '../collectors/kubernetes/reads.js';
import { oktaReadingRoles, oktaReads, oktaScopes } from '../collectors/okta/reads.js';

/**
 * docs/permissions.md: every grant zt needs, rendered from the declarations the collectors
 * call by and `zt doctor` checks (kubernetes/reads.ts, aws-iam/reads.ts, aws-organizations/reads.ts, okta/reads.ts,
 * entra/endpoints.ts), so the page, the collectors and the doctor cannot disagree.
 */
export function renderPermissionsDoc(): string {
  const base = awsReads.filter((r: AwsRead) => r.optIn === undefined);
  const optional = awsReads.filter((r: AwsRead) => r.optIn !== undefined);
  const code = (s: string): string => `\`${s}\``;
  const graph = graphPermissions();
  const resources = kubernetesReads.filter((r): r is ResourceRead => r.type === 'resource');
  return [
    '# Permissions zt needs',
    '',
    '<!-- Generated from the collectors\' declarations (src/collectors/*/reads.ts, src/collectors/entra/endpoints.ts) by `npm run docs`; a test fails when this file is stale. -->',
    '',
    'zt only reads. Each source needs a read-only identity; what it lacks is never a pass: the',
    'kinds it could not read are `missing` or `partial` with reason `permission_denied`, their',
    'rules are `not_evaluated` naming the permission, and the audit is incomplete (exit 3,',
    '`ZT_COLLECT_ACCESS_DENIED`). This page lists the grants, generated from the same',
    'declarations the collectors call by; each source\'s page has the detail (which call feeds',
    'which kind) and how a refusal is reported.',
    '',
    '**Check them before an audit:** `zt doctor` takes the same source flags as `zt audit` and,',
    'for each chosen live target, shows which credential was found (the chain step, profile,',
    'context, token kind), whether the API answers and how fast, and every permission below',
    'checked at the source itself — Kubernetes by a SelfSubjectAccessReview per read, AWS by',
    '`iam:SimulatePrincipalPolicy` for the caller (else the cheapest call of each action), Okta by',
    'the scopes the token was granted and the admin role, Entra ID by the `roles` claim of the',
    'app\'s token — with the exact grant to add for each gap. It exits 0 when everything is in',
    'place and 3 otherwise; `-f json` gives the same as data.',
    '',
    '```sh',
    'zt doctor --kubernetes --context prod --aws --profile audit --okta https://acme.okta.com --entra <tenant-id>',
    '```',
    '',
    '| source | grant | details |',
    '|---|---|---|',
    `| AWS IAM | an IAM policy allowing ${base.map((r) => code(`iam:${r.action}`)).join(', ')} on \`*\` (AWS's \`SecurityAudit\` managed policy covers them); with \`--role-arn\`, \`${ASSUME_ROLE_ACTION}\` on that role; with \`--aws-last-accessed\`, ${optional.map((r) => code(`iam:${r.action}`)).join(' and ')} | [AWS IAM](#aws-iam), [aws.md](aws.md#minimal-read-only-policy) |`,
    `| AWS Organizations (\`--org\`) | in the management or delegated-administrator account: ${organizationsReads.map((r) => code(`organizations:${r.action}`)).join(', ')} on \`*\`, and \`${MEMBER_ASSUME_ACTION}\` on each member's \`--org-role\` (default \`${DEFAULT_ORG_ROLE}\`); in each member account, that role with the AWS IAM grant above, trusting the starting identity | [AWS Organizations](#aws-organizations), [aws.md](aws.md#aws-organizations) |`,
    '| Kubernetes | a ClusterRole with `list` on every type zt reads (below) and `get` on `/version` and `/apis` (every authenticated user has these); `list secrets` only with `--kubernetes-secrets` (metadata only is kept) | [Kubernetes](#kubernetes), [kubernetes.md](kubernetes.md#least-privilege-clusterrole) |',
    `| Okta | a Read-Only Administrator API token, or an OAuth service app granted ${oktaScopes.map(code).join(', ')} and a read-only admin role | [Okta](#okta), [okta.md](okta.md#credentials-and-the-least-privilege-zt-needs) |`,
    `| Microsoft Entra ID | an app registration with the Microsoft Graph application permissions ${graph.filter((p) => !p.optional).map((p) => code(p.permission)).join(', ')} (optionally ${graph.filter((p) => p.optional).map((p) => code(p.permission)).join(', ')}), admin consent granted; some reads need Entra ID P1/P2 (reported as \`license_missing\`, never as a pass) | [Microsoft Entra ID](#microsoft-entra-id), [entra.md](entra.md#app-registration-and-permissions) |`,
    '',
    'Offline inputs (exports, manifests, snapshots) need only read access to the files.',
    '',
    '## AWS IAM',
    '',
    'Every action the live collector calls, on `*`:',
    '',
    '```json',
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ZtReadOnly', Effect: 'Allow', Action: base.map((r) => `iam:${r.action}`), Resource: '*' },
          { Sid: 'ZtAccessAdvisorOptional', Effect: 'Allow', Action: optional.map((r) => `iam:${r.action}`), Resource: '*' },
        ],
      },
      null,
      2,
    ),
    '```',
    '',
    '| action | what zt reads with it | when |',
    '|---|---|---|',
    ...awsReads.map((r: AwsRead) => `| \`iam:${r.action}\` | ${r.why} | ${r.optIn ? `with \`${r.optIn}\`` : 'always'} |`),
    `| \`${ASSUME_ROLE_ACTION}\` | the base identity assumes the role to audit as | with \`--role-arn\` (on that role; its trust policy must name the base identity) |`,
    '',
    '`sts:GetCallerIdentity`, which `zt doctor` uses to name the caller, needs no grant. `zt doctor`',
    'also calls `iam:SimulatePrincipalPolicy` on the caller when it may (optional: without it, each',
    'action is tried with its cheapest call instead).',
    '',
    '## AWS Organizations',
    '',
    'With `--org`, in the account zt starts from (the management account, or a delegated',
    'administrator for AWS Organizations), every action below on `*`, and `sts:AssumeRole` on',
    `each member account's \`--org-role\` (default \`${DEFAULT_ORG_ROLE}\`). Each member account needs that`,
    'role, holding the AWS IAM policy above and trusting the starting identity (with',
    '`sts:ExternalId` when `--external-id` is given). The account zt starts from is read with its',
    'own credentials, not through the role.',
    '',
    '```json',
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ZtOrganizationsRead', Effect: 'Allow', Action: organizationsReads.map((r) => `organizations:${r.action}`), Resource: '*' },
          { Sid: 'ZtAssumeMemberRole', Effect: 'Allow', Action: MEMBER_ASSUME_ACTION, Resource: `arn:aws:iam::*:role/${DEFAULT_ORG_ROLE}` },
        ],
      },
      null,
      2,
    ),
    '```',
    '',
    '| action | what zt reads with it |',
    '|---|---|',
    ...organizationsReads.map((r) => `| \`organizations:${r.action}\` | ${r.why} |`),
    `| \`${MEMBER_ASSUME_ACTION}\` | each member account's \`--org-role\`, to read its IAM |`,
    '',
    '## Kubernetes',
    '',
    'A ClusterRole with every list the live collector makes (custom resources are listed only where',
    'the cluster serves their group), and a Role for what is read in one namespace only:',
    '',
    '```yaml',
    ...clusterRoleYaml(resources),
    '```',
    '',
    '| read | feeds | when |',
    '|---|---|---|',
    ...kubernetesReads.map((r) =>
      r.type === 'nonResource'
        ? `| \`${readName(r)}\` | ${r.why} | always (granted to every authenticated user by \`system:public-info-viewer\` and \`system:discovery\`) |`
        : `| \`${readName(r)}\` | \`${r.ztKind}\` | ${r.optIn ? `with \`${r.optIn}\`` : r.crd ? `where ${r.crd} is installed` : 'always'} |`,
    ),
    '',
    '`zt doctor` creates SelfSubjectAccessReviews (every authenticated user may, through',
    '`system:basic-user`); where it may not, it tries each list with `limit=1`.',
    '',
    '## Okta',
    '',
    'An API token (`OKTA_API_TOKEN`) acts with the admin role of the user who created it: one of',
    `${oktaReadingRoles.map(code).join(', ')} reads all of the below (create it as a Read-Only Administrator).`,
    'An OAuth service app (`--okta-client-id`) needs each scope granted (its "Okta API Scopes" tab)',
    'and an admin role assigned to the app (scopes alone are not enough):',
    '',
    '| scope | endpoints |',
    '|---|---|',
    ...oktaScopes.map((scope) => `| \`${scope}\` | ${oktaReads.filter((r) => r.scope === scope).map((r) => `\`${r.path}\` (${r.why})`).join(', ')} |`),
    '',
    '## Microsoft Entra ID',
    '',
    'Microsoft Graph application permissions of the app registration, with admin consent (a',
    'broader permission grants what it includes):',
    '',
    '| permission | Graph reads | also granted by |',
    '|---|---|---|',
    ...graph.map((p) => `| \`${p.permission}\`${p.optional ? ' (optional: the tenant\'s display name)' : ''} | ${p.reads.map(code).join(', ')} | ${(broaderPermissions[p.permission] ?? []).map(code).join(', ') || '—'} |`),
    '',
  ].join('\n');
}

/** The ClusterRole (and the namespaced Role) of the resource reads, grouped by API group in the declaration's order. */
function clusterRoleYaml(reads: readonly ResourceRead[]): string[] {
  const groups = new Map<string, string[]>();
  const namespaced = reads.filter((r) => r.namespace !== undefined);
  for (const r of reads.filter((x) => x.namespace === undefined && x.optIn === undefined)) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.resource])]);
  const lines = ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: zt-posture-reader', 'rules:'];
  for (const [group, resources] of groups) lines.push(`- apiGroups: ["${group}"]`, `  resources: [${resources.join(', ')}]`, '  verbs: [list]');
  for (const r of reads.filter((x) => x.optIn !== undefined)) lines.push(`# with ${r.optIn}:`, `# - apiGroups: ["${r.group}"]`, `#   resources: [${r.resource}]`, '#   verbs: [list]');
  for (const r of namespaced) {
    lines.push('---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata:', '  name: zt-posture-reader', `  namespace: ${r.namespace}`, 'rules:', `- apiGroups: ["${r.group}"]`, `  resources: [${r.resource}]`, '  verbs: [list]');
  }
  return lines;
}
