import { z } from 'zod';
import { isoDateTime, labelSelector, optionalDate, stringMap } from './common.js';
import { defineKinds } from './define.js';

// Field names follow the Kubernetes API so that users can read rules next to the API
// reference. Defaults that Kubernetes applies (hostNetwork=false, …) are filled in at
// collection so rules do not have to know them; fields Kubernetes leaves unset and that
// change meaning when set (automountServiceAccountToken, policyTypes) stay `null`.

const securityContext = z.object({
  privileged: z.boolean().nullable(),
  allowPrivilegeEscalation: z.boolean().nullable(),
  readOnlyRootFilesystem: z.boolean().nullable(),
  runAsNonRoot: z.boolean().nullable(),
  runAsUser: z.number().int().nullable(),
  capabilitiesAdd: z.array(z.string()),
  capabilitiesDrop: z.array(z.string()),
  seccompProfileType: z.string().nullable(),
});

/** An environment variable: never its value, only where the value comes from. */
const envVar = z.object({
  name: z.string(),
  source: z.enum(['literal', 'secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef']),
  /** Secret or ConfigMap name for *KeyRef sources. */
  refName: z.string().nullable(),
});

export const containerSchema = z.object({
  name: z.string(),
  image: z.string(),
  securityContext,
  env: z.array(envVar),
  envFrom: z.array(z.object({ source: z.enum(['secret', 'configMap']), name: z.string() })),
  ports: z.array(
    z.object({
      name: z.string().nullable(),
      containerPort: z.number().int(),
      protocol: z.string(),
      /** The node port the container port is bound to (hostPort); absent when unset, and in snapshots from before zt recorded it. */
      hostPort: z.number().int().optional(),
    }),
  ),
  /**
   * Boolean command-line flags of command and args (`--name=true|false`, a bare `--name` is
   * true), by name without dashes; any other argument is never kept (it may hold a secret).
   * Absent in snapshots from before zt recorded them.
   */
  flags: z.record(z.string(), z.boolean()).optional(),
  /**
   * The pull policy in effect: as written, else as the API server defaults it
   * (SetDefaults_Container: Always when the tag is `latest` or there is neither tag nor
   * digest, IfNotPresent otherwise). Absent in snapshots from before zt recorded it.
   */
  imagePullPolicy: z.string().optional(),
  /**
   * Compute resources as written (`resources.limits` / `.requests`, quantities as text, e.g.
   * `{ cpu: "500m", memory: "256Mi" }`). Absent in snapshots from before zt recorded them.
   */
  resources: z.object({ limits: z.record(z.string(), z.string()), requests: z.record(z.string(), z.string()) }).optional(),
});

const volume = z.object({
  name: z.string(),
  /** The volume source key, e.g. hostPath, secret, configMap, emptyDir, persistentVolumeClaim. */
  type: z.string(),
  hostPath: z.string().nullable(),
  secretName: z.string().nullable(),
});

const podSpec = z.object({
  serviceAccountName: z.string(),
  automountServiceAccountToken: z.boolean().nullable(),
  hostNetwork: z.boolean(),
  hostPID: z.boolean(),
  hostIPC: z.boolean(),
  runAsNonRoot: z.boolean().nullable(),
  runAsUser: z.number().int().nullable(),
  seccompProfileType: z.string().nullable(),
  containers: z.array(containerSchema),
  initContainers: z.array(containerSchema),
  /**
   * Ephemeral containers (`kubectl debug`), added to a running Pod through its
   * ephemeralcontainers subresource; a pod template cannot hold them. Absent in snapshots
   * from before zt recorded them.
   */
  ephemeralContainers: z.array(containerSchema).optional(),
  volumes: z.array(volume),
});

const metadataOnly = {
  namespace: z.string(),
  labels: stringMap,
  annotations: stringMap,
};

export const k8sKinds = defineKinds({ plane: 'kubernetes', collectors: ['kubernetes'] }, {
  'k8s.cluster': z.strictObject({
    clusterName: z.string(),
    serverVersion: z
      .object({ major: z.string(), minor: z.string(), gitVersion: z.string() })
      .nullable(),
    /** API groups served (from discovery); tells which CRDs (Istio, Cilium, Linkerd) exist. */
    apiGroups: z.array(z.string()),
  }),
  'k8s.namespace': z.strictObject({
    labels: stringMap,
    annotations: stringMap,
  }),
  'k8s.workload': z.strictObject({
    ...metadataOnly,
    workloadKind: z.enum(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']),
    replicas: z.number().int().nullable(),
    podLabels: stringMap,
    podAnnotations: stringMap,
    pod: podSpec,
    /**
     * A Pod the API server has created (its metadata.creationTimestamp is set): admission,
     * LimitRange defaults included, has already run on its spec. Absent on controllers
     * (their pods are admitted when created) and on Pods in manifests not yet applied.
     */
    admitted: z.literal(true).optional(),
  }),
  'k8s.serviceAccount': z.strictObject({
    ...metadataOnly,
    automountServiceAccountToken: z.boolean().nullable(),
  }),
  'k8s.service': z.strictObject({
    ...metadataOnly,
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']),
    selector: stringMap,
    ports: z.array(
      z.object({
        name: z.string().nullable(),
        port: z.number().int(),
        targetPort: z.union([z.number().int(), z.string()]).nullable(),
        protocol: z.string(),
      }),
    ),
  }),
  'k8s.ingress': z.strictObject({
    ...metadataOnly,
    ingressClassName: z.string().nullable(),
    hosts: z.array(z.string()),
    tls: z.array(z.object({ hosts: z.array(z.string()), secretName: z.string().nullable() })),
    /** Services the Ingress routes to (defaultBackend and every path), sorted; absent in snapshots from before zt recorded them. */
    backends: z.array(z.string()).optional(),
  }),
  'k8s.networkPolicy': z.strictObject({
    ...metadataOnly,
    podSelector: labelSelector,
    /** As written; `null` means Kubernetes' default (Ingress, plus Egress when egress rules exist). */
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).nullable(),
    ingress: z.array(z.object({ from: z.array(z.unknown()).optional(), ports: z.array(z.unknown()).optional() })),
    egress: z.array(z.object({ to: z.array(z.unknown()).optional(), ports: z.array(z.unknown()).optional() })),
  }),
  'k8s.rbac.role': z.strictObject({
    ...metadataOnly,
    rules: z.array(
      z.object({
        apiGroups: z.array(z.string()),
        resources: z.array(z.string()),
        verbs: z.array(z.string()),
        resourceNames: z.array(z.string()),
      }),
    ),
  }),
  'k8s.rbac.clusterRole': z.strictObject({
    labels: stringMap,
    annotations: stringMap,
    rules: z.array(
      z.object({
        apiGroups: z.array(z.string()),
        resources: z.array(z.string()),
        verbs: z.array(z.string()),
        resourceNames: z.array(z.string()),
        nonResourceURLs: z.array(z.string()),
      }),
    ),
    aggregated: z.boolean(),
  }),
  'k8s.rbac.roleBinding': z.strictObject({
    ...metadataOnly,
    roleRef: z.object({ kind: z.enum(['Role', 'ClusterRole']), name: z.string() }),
    subjects: z.array(
      z.object({
        kind: z.enum(['User', 'Group', 'ServiceAccount']),
        name: z.string(),
        namespace: z.string().nullable(),
      }),
    ),
  }),
  'k8s.rbac.clusterRoleBinding': z.strictObject({
    labels: stringMap,
    annotations: stringMap,
    roleRef: z.object({ kind: z.literal('ClusterRole'), name: z.string() }),
    subjects: z.array(
      z.object({
        kind: z.enum(['User', 'Group', 'ServiceAccount']),
        name: z.string(),
        namespace: z.string().nullable(),
      }),
    ),
  }),
  'k8s.node': z.strictObject({
    labels: stringMap,
    kubeletVersion: z.string(),
    osImage: z.string(),
    kernelVersion: z.string(),
    containerRuntimeVersion: z.string(),
    ready: z.boolean().nullable(),
    createdAt: isoDateTime,
  }),
  /** EKS's kube-system/aws-auth ConfigMap: which IAM roles and users map to which Kubernetes user and groups. */
  'k8s.awsAuth': z.strictObject({
    ...metadataOnly,
    mappings: z.array(
      z.object({
        /** IAM role (mapRoles) or user (mapUsers) ARN. */
        arn: z.string(),
        type: z.enum(['role', 'user']),
        username: z.string().nullable(),
        groups: z.array(z.string()),
      }),
    ),
  }),
  /**
   * LimitRange: per-namespace defaults and bounds the LimitRanger admission plugin applies
   * to pods when they are created. One entry per `spec.limits` item, quantities as text,
   * with the API server's defaulting of Container items applied (SetDefaults_LimitRangeItem:
   * `default` from `max`, `defaultRequest` from `default`, then from `min`).
   */
  'k8s.limitRange': z.strictObject({
    ...metadataOnly,
    limits: z.array(
      z.object({
        /** Container, Pod or PersistentVolumeClaim (as written). */
        type: z.string(),
        default: stringMap,
        defaultRequest: stringMap,
        max: stringMap,
        min: stringMap,
        maxLimitRequestRatio: stringMap,
      }),
    ),
  }),
  'k8s.secret': z.strictObject({
    ...metadataOnly,
    /** Secret type when known (metadata-only listing does not return it). */
    type: z.string().nullable(),
    ownerKinds: z.array(z.string()),
    createdAt: optionalDate,
  }),
  'istio.peerAuthentication': z.strictObject({
    namespace: z.string(),
    selector: labelSelector.nullable(),
    mtlsMode: z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']),
    portLevelMtls: z.record(z.string(), z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'])),
  }),
  'istio.authorizationPolicy': z.strictObject({
    namespace: z.string(),
    selector: labelSelector.nullable(),
    action: z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']),
    /** `null` when the policy has no rules field: with ALLOW that is allow-nothing. */
    rules: z.array(z.record(z.string(), z.unknown())).nullable(),
  }),
  'istio.requestAuthentication': z.strictObject({
    namespace: z.string(),
    selector: labelSelector.nullable(),
    issuers: z.array(z.string()),
  }),
  /** Linkerd Server (policy.linkerd.io): a port of the pods it selects, whose traffic only its authorizations admit. */
  'linkerd.server': z.strictObject({
    namespace: z.string(),
    /** `null` when the Server selects external workloads (externalWorkloadSelector), not pods. */
    podSelector: labelSelector.nullable(),
    /** Container port number or name. */
    port: z.union([z.number().int(), z.string()]),
    proxyProtocol: z.string().nullable(),
    /** What traffic no authorization matches gets (v1beta3 `accessPolicy`); `deny` when unset, as Linkerd applies it. */
    accessPolicy: z.string(),
  }),
  /** Linkerd AuthorizationPolicy (policy.linkerd.io): admits traffic to its target when every required authentication holds. */
  'linkerd.authorizationPolicy': z.strictObject({
    namespace: z.string(),
    targetRef: z.object({ group: z.string(), kind: z.string(), name: z.string() }),
    requiredAuthenticationRefs: z.array(
      z.object({ group: z.string(), kind: z.string(), name: z.string(), namespace: z.string().nullable() }),
    ),
  }),
  /** Linkerd ServerAuthorization (policy.linkerd.io/v1beta1, the older form of AuthorizationPolicy, still honoured). */
  'linkerd.serverAuthorization': z.strictObject({
    namespace: z.string(),
    /** The Server it names, or null when it selects Servers by label (`server.selector`). */
    serverName: z.string().nullable(),
    /** It admits clients without a mesh identity: `client.unauthenticated` or `client.meshTLS.unauthenticatedTLS`. */
    unauthenticated: z.boolean(),
  }),
  /**
   * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2): one entry in
   * `rules` per rule of `spec` and `specs`, with its peer sections kept as written.
   */
  'cilium.networkPolicy': z.strictObject({
    /** '' for the cluster-wide kind. */
    namespace: z.string(),
    clusterwide: z.boolean(),
    rules: z.array(
      z.object({
        /** `null` for a host policy (nodeSelector), which selects nodes rather than pods. */
        endpointSelector: labelSelector.nullable(),
        ingress: z.array(z.record(z.string(), z.unknown())).nullable(),
        ingressDeny: z.array(z.record(z.string(), z.unknown())).nullable(),
        egress: z.array(z.record(z.string(), z.unknown())).nullable(),
        egressDeny: z.array(z.record(z.string(), z.unknown())).nullable(),
        /** enableDefaultDeny as written; `null` means Cilium's default (true for a direction the rule has sections for). */
        enableDefaultDeny: z.object({ ingress: z.boolean().nullable(), egress: z.boolean().nullable() }),
      }),
    ),
  }),
});
