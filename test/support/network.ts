import type { Network } from '../../src/collectors/network.js';
import { readNetwork } from '../../src/collectors/read-network.js';

/** The network a live run with this environment (and --ca-file, when given) would use: the proxy variables in `env` apply. */
export function networkOf(env: Readonly<Record<string, string | undefined>>, caFile?: string): Network {
  return readNetwork({ caFile, live: true }, { cwd: process.cwd(), env });
}
