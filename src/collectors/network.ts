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
}

/** The flags that apply to every live source, declared once (cli/source-flags.ts adds them). */
export const networkFlags: readonly SourceFlag[] = [
  {
    flags: '--ca-file <pem>',
    description: 'also trust the CA certificates in this PEM file, for every live source (a TLS-inspecting proxy; NODE_EXTRA_CA_CERTS is honoured too)',
  },
];
