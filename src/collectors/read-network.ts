import { ZtError } from '../errors/zt-error.js';
import type { Network } from './network.js';
import { readExtraCa } from './shared/extra-ca.js';
import { ProxyEnvironment } from './shared/proxy.js';

/** No proxy and no extra CA. */
export const directNetwork: Network = { proxy: ProxyEnvironment.none, extraCa: undefined };

/**
 * The run's network settings (network.ts), checked: ZT_PROXY_INVALID or ZT_CA_FILE_INVALID,
 * exit 2. The proxy variables are read only when a live source is chosen (an offline audit
 * never connects, and must not fail on a proxy setting it would not use); a --ca-file given
 * is checked either way.
 */
export function readNetwork(
  options: { readonly caFile: string | undefined; readonly live: boolean; readonly parallel?: string | undefined },
  site: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
): Network {
  return {
    proxy: options.live ? ProxyEnvironment.read(site.env) : ProxyEnvironment.none,
    extraCa: options.caFile !== undefined ? readExtraCa(options.caFile, site.cwd) : undefined,
    ...(options.parallel !== undefined ? { parallel: parallelOf(options.parallel) } : {}),
  };
}

/** --parallel's value: a whole number from 1 to 256, else exit 2. */
function parallelOf(value: string): number {
  const n = /^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new ZtError('ZT_USAGE', `--parallel ${JSON.stringify(value)}: expected a whole number from 1 to 256`, {
      hint: 'How many targets (accounts, clusters, tenants) to collect at once; the default is 8.',
    });
  }
  return n;
}
