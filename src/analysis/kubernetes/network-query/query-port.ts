import type { NetWorkload } from '../network-policy.js';
import { protocols, type Protocol } from '../network-ports.js';

/**
 * `--port`: `80`, `80/TCP`, `53/udp`, or a container port name (`http`, `http/TCP`),
 * which resolves per destination pod as a NetworkPolicy's named port does: against its
 * containers' ports of that name (and protocol, when given).
 */

export type QueryPort =
  | { readonly kind: 'number'; readonly text: string; readonly protocol: Protocol; readonly port: number }
  | { readonly kind: 'name'; readonly text: string; readonly protocol: Protocol | null; readonly name: string };

export class PortError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'PortError';
    this.hint = hint;
  }
}

const HINT = 'Write a port as 80, 80/TCP, 53/UDP, 36412/SCTP, or a container port name such as http or http/TCP.';

export function parseQueryPort(text: string): QueryPort {
  const [value = '', protocolText, extra] = text.trim().split('/');
  if (extra !== undefined || value === '') throw new PortError(`--port ${text}: not a port`, HINT);
  let protocol: Protocol | null = null;
  if (protocolText !== undefined) {
    const upper = protocolText.toUpperCase();
    if (!(protocols as readonly string[]).includes(upper)) throw new PortError(`--port ${text}: unknown protocol "${protocolText}" (NetworkPolicy knows TCP, UDP and SCTP)`, HINT);
    protocol = upper as Protocol;
  }
  if (/^\d+$/.test(value)) {
    const port = Number(value);
    if (port < 1 || port > 65535) throw new PortError(`--port ${text}: ${value} is not a port number (1-65535)`, HINT);
    return { kind: 'number', text: text.trim(), protocol: protocol ?? 'TCP', port };
  }
  // An IANA_SVC_NAME, as Kubernetes validates container port names: 1-15 characters, lowercase letters, digits and '-', at least one letter.
  if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(value) || !/[a-z]/.test(value)) {
    throw new PortError(`--port ${text}: "${value}" is neither a port number nor a valid port name`, HINT);
  }
  return { kind: 'name', text: text.trim(), protocol, name: value };
}

/** The (protocol, port) pairs the query's port means on a destination pod; empty when a name does not resolve there. */
export function resolveQueryPort(query: QueryPort, destination: NetWorkload | null): { protocol: Protocol; port: number }[] {
  if (query.kind === 'number') return [{ protocol: query.protocol, port: query.port }];
  if (!destination) return [];
  return (destination.namedPorts.get(query.name) ?? []).filter((p) => query.protocol === null || p.protocol === query.protocol).map((p) => ({ protocol: p.protocol, port: p.port }));
}
