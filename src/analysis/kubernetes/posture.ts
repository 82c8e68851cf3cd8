import type { Analyser } from '../analyser.js';
import { clusterDaemonSetAnalyser } from './cluster-workloads.js';
import {
  clusterRoleBindingAnalyser,
  clusterRolePermissionsAnalyser,
  roleBindingAnalyser,
  rolePermissionsAnalyser,
  serviceAccountRbacAnalyser,
  workloadRbacAnalyser,
} from './rbac-permissions.js';
import { networkPolicySelectionAnalyser } from './network-policy-selection.js';
import { workloadServiceAccountGrantsAnalyser } from './service-account-grants.js';
import { clusterVersionAnalyser, nodeVersionAnalyser } from './version-support.js';

/**
 * The Kubernetes posture analysers behind the starter rule pack: RBAC permission facts
 * (and what a workload's service account holds), what each NetworkPolicy selects, version support of nodes and API servers, and the cluster's node agents. Registered
 * in src/analysis/index.ts as one entry.
 */
export const kubernetesPostureAnalysers: readonly Analyser[] = [
  clusterRolePermissionsAnalyser,
  rolePermissionsAnalyser,
  clusterRoleBindingAnalyser,
  roleBindingAnalyser,
  serviceAccountRbacAnalyser,
  workloadRbacAnalyser,
  workloadServiceAccountGrantsAnalyser,
  networkPolicySelectionAnalyser,
  nodeVersionAnalyser,
  clusterVersionAnalyser,
  clusterDaemonSetAnalyser,
];
