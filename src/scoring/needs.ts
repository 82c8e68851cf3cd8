import { planeOf, type Kind } from '../inventory/kinds/index.js';
import type { CoverageReason } from '../model/coverage.js';

const planeInput: Readonly<Record<string, string>> = {
  kubernetes: 'Kubernetes data (a cluster, manifests, or a snapshot that includes them)',
  aws: 'AWS IAM data (an account, an authorization-details export, or a snapshot that includes them)',
  identity: 'identity-provider data (Okta or Entra ID, live or exported, or a snapshot that includes them)',
};

/** What a user has to provide so a check that could not run can run. */
export function needsFor(kind: Kind, reason: CoverageReason | undefined): string {
  switch (reason) {
    case 'permission_denied':
      return `read permission for ${kind} (see docs/permissions.md)`;
    case 'license_missing':
      return `the identity-provider licence that exposes ${kind}`;
    case 'not_installed':
      return `the component that provides ${kind} (it is not installed in the source)`;
    case 'api_error':
      return `a successful read of ${kind} (the API failed; re-run)`;
    case 'unsupported':
      return `a source that exposes ${kind}`;
    case 'as_of_unknown':
      return `the time the ${kind} data was taken (--as-of <date-time>: the input does not say)`;
    case 'out_of_scope':
      return 'a run that includes the rule (this one was scoped with --rule or --skip-rule)';
    case 'collector_disabled':
    case 'input_missing':
    case undefined:
      // A plugin kind's plane is its plugin's own (e.g. github): its source's data.
      return planeInput[planeOf(kind)] ?? `${planeOf(kind)} data (the plugin source that reads ${kind}, or a snapshot that includes it)`;
    default:
      return reason satisfies never;
  }
}
