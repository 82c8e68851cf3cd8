import { z } from 'zod';
import { analyser } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import { parseKubernetesVersion, parseServerVersion, supportStatus, type ParsedVersion } from './k8s-releases.js';

/**
 * The API server's version per source: nodes name their cluster only through
 * provenance.source (e.g. `k8s:acme-prod`), so a merged snapshot of several clusters
 * compares each node with its own API server.
 */
function serverVersions(inventory: InventoryIndex): Map<string, ParsedVersion | undefined> {
  const out = new Map<string, ParsedVersion | undefined>();
  for (const cluster of inventory.ofKind('k8s.cluster')) {
    const server = cluster.attributes.serverVersion;
    out.set(cluster.provenance.source, server ? parseServerVersion(server) : undefined);
  }
  return out;
}

/**
 * Per node: is its kubelet's minor release still patched upstream (dated table in
 * k8s-releases.ts, judged at the as-of time of the node's source), and how many minors is
 * it behind the API server. Unknown stays `null` (unreadable version, no cluster version,
 * a source whose time is unknown), so a rule testing it errors instead of passing.
 */
const nodeOutput = z.object({
  kubeletSupported: z.boolean().nullable().describe('The kubelet\'s minor release is still patched upstream at collection time (null when the version cannot be read).'),
  kubeletEndOfLife: z.string().nullable().describe('Upstream end-of-life date of the kubelet\'s minor release (null when unknown or newer than zt\'s table).'),
  kubeletMinorsBehind: z.number().int().nullable().describe('API-server minor minus kubelet minor (null when either version is unknown).'),
});

export const nodeVersionAnalyser = analyser({
  kind: 'k8s.node',
  inputs: [],
  // kubeletMinorsBehind is null when the cluster's version was not read.
  judges: ['k8s.cluster'],
  output: nodeOutput,
  derive(inventory) {
    const servers = serverVersions(inventory);
    const out = new Map<string, z.output<typeof nodeOutput>>();
    for (const node of inventory.ofKind('k8s.node')) {
      const kubelet = parseKubernetesVersion(String(node.attributes.kubeletVersion));
      const server = servers.get(node.provenance.source);
      const now = inventory.timeOf(node).at;
      const status = kubelet && now ? supportStatus(kubelet, now) : undefined;
      out.set(node.id, {
        kubeletSupported: status ? status.supported : null,
        kubeletEndOfLife: status ? status.endOfLife : null,
        kubeletMinorsBehind: kubelet && server && kubelet.major === server.major ? server.minor - kubelet.minor : null,
      });
    }
    return out;
  },
});

const clusterOutput = z.object({
  serverMinor: z.string().nullable().describe('The API server\'s "major.minor" (null when the version was not read).'),
  serverSupported: z.boolean().nullable().describe('The API server\'s minor release is still patched upstream at collection time (null when unknown).'),
  serverEndOfLife: z.string().nullable().describe('Upstream end-of-life date of the API server\'s minor release (null when unknown or newer than zt\'s table).'),
});

/** Per cluster: is the API server's minor release still patched upstream (at the as-of time of the cluster's source). */
export const clusterVersionAnalyser = analyser({
  kind: 'k8s.cluster',
  inputs: [],
  output: clusterOutput,
  derive(inventory) {
    const out = new Map<string, z.output<typeof clusterOutput>>();
    for (const cluster of inventory.ofKind('k8s.cluster')) {
      const server = cluster.attributes.serverVersion;
      const parsed = server ? parseServerVersion(server) : undefined;
      const now = inventory.timeOf(cluster).at;
      const status = parsed && now ? supportStatus(parsed, now) : undefined;
      out.set(cluster.id, {
        serverMinor: parsed ? `${parsed.major}.${parsed.minor}` : null,
        serverSupported: status ? status.supported : null,
        serverEndOfLife: status ? status.endOfLife : null,
      });
    }
    return out;
  },
});
