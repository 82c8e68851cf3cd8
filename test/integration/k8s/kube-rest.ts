import { request } from 'node:https';
import type { KubeObject } from './demo-objects.js';

// A few REST calls against the test API server (seeding, reading tokens). Independent of
// zt's own client on purpose: the suite checks zt against the server, not against itself.

export interface Cluster {
  readonly server: string;
  /** PEM of the throwaway CA. */
  readonly ca: string;
}

export class KubeRestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function call(cluster: Cluster, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const url = new URL(path, cluster.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: cluster.ca,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(text ? JSON.parse(text) : undefined);
          else reject(new KubeRestError(status, `${method} ${path}: ${status} ${text.slice(0, 300)}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const plurals: Record<string, [plural: string, namespaced: boolean]> = {
  Namespace: ['namespaces', false],
  Node: ['nodes', false],
  Pod: ['pods', true],
  ServiceAccount: ['serviceaccounts', true],
  Service: ['services', true],
  Secret: ['secrets', true],
  ConfigMap: ['configmaps', true],
  Deployment: ['deployments', true],
  StatefulSet: ['statefulsets', true],
  DaemonSet: ['daemonsets', true],
  ReplicaSet: ['replicasets', true],
  Job: ['jobs', true],
  CronJob: ['cronjobs', true],
  Ingress: ['ingresses', true],
  NetworkPolicy: ['networkpolicies', true],
  PersistentVolumeClaim: ['persistentvolumeclaims', true],
  Role: ['roles', true],
  RoleBinding: ['rolebindings', true],
  ClusterRole: ['clusterroles', false],
  ClusterRoleBinding: ['clusterrolebindings', false],
  CustomResourceDefinition: ['customresourcedefinitions', false],
  PeerAuthentication: ['peerauthentications', true],
  AuthorizationPolicy: ['authorizationpolicies', true],
  RequestAuthentication: ['requestauthentications', true],
  Server: ['servers', true],
  ServerAuthorization: ['serverauthorizations', true],
  CiliumNetworkPolicy: ['ciliumnetworkpolicies', true],
  CiliumClusterwideNetworkPolicy: ['ciliumclusterwidenetworkpolicies', false],
};

export function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const entry = plurals[kind];
  if (!entry) throw new Error(`no plural known for ${kind}`);
  const [plural, namespaced] = entry;
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${base}${namespaced ? `/namespaces/${namespace ?? 'default'}` : ''}/${plural}`;
}

/**
 * Creates the object. One that exists already (the bootstrap ClusterRoles, the built-in
 * namespaces and their `default` service accounts) is left as the server has it:
 * returns `existing`, and the caller reads it back.
 */
export async function apply(cluster: Cluster, token: string, object: KubeObject): Promise<'created' | 'existing'> {
  const metadata = object.metadata as { namespace?: string };
  try {
    await call(cluster, token, 'POST', collectionPath(object.apiVersion, object.kind, metadata.namespace), object);
    return 'created';
  } catch (error) {
    if (error instanceof KubeRestError && error.status === 409) return 'existing';
    throw error;
  }
}

/** The object as the server holds it now (what `kubectl get -o yaml` shows). */
export async function read(cluster: Cluster, token: string, object: KubeObject): Promise<KubeObject> {
  const metadata = object.metadata as { name: string; namespace?: string };
  const current = await call(cluster, token, 'GET', `${collectionPath(object.apiVersion, object.kind, metadata.namespace)}/${metadata.name}`);
  return { ...current, apiVersion: object.apiVersion, kind: object.kind };
}

/** Polls until `check` resolves truthy (or throws after `ms`). */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      if (Date.now() > end) throw error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
