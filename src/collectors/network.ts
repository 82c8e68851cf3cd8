import type { ExtraCa } from './shared/extra-ca.js';
import type { ProxyEnvironment } from './shared/proxy.js';
import type { SourceFlag } from './source.js';

/**
 * How every live collector reaches its servers: the proxy environment (shared/proxy.ts)
 * and the extra CA certificates of `--ca-file` (shared/extra-ca.ts). Read and checked once
 * per run, before anything is collected (read-network.ts: exit 2 for a bad proxy URL or CA
 * file), and handed to each collector on its context; each client turns it into what its
 * library takes (shared/fetch-transport.ts for undici, shared/node-agents.ts for
 * node:https). Types and flags only here: `zt audit --help` loads this file.
 */
export interface Network {
  readonly proxy: ProxyEnvironment;
  readonly extraCa: ExtraCa | undefined;
  /**
   * At most this many targets (accounts, clusters, tenants: one collector each) are
   * collected at once (`--parallel`): an estate of 200 accounts must not open 200 sessions
   * and trip every rate limit together. Undefined: the default (app/collect.ts).
   */
  readonly parallel?: number;
}

/** Targets collected at once unless --parallel says otherwise. */
export const DEFAULT_PARALLEL = 8;

/** The flags that apply to every live source, declared once (cli/source-flags.ts adds them). */
export const networkFlags: readonly SourceFlag[] = [
  {
    flags: '--ca-file <pem>',
    description: 'also trust the CA certificates in this PEM file, for every live source (a TLS-inspecting proxy; NODE_EXTRA_CA_CERTS is honoured too)',
  },
  { flags: '--parallel <n>', description: 'collect at most n targets (accounts, clusters, tenants) at once (default 8)' },
];
