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
  options: { readonly caFile: string | undefined; readonly live: boolean },
  site: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
): Network {
  return {
    proxy: options.live ? ProxyEnvironment.read(site.env) : ProxyEnvironment.none,
    extraCa: options.caFile !== undefined ? readExtraCa(options.caFile, site.cwd) : undefined,
  };
}
