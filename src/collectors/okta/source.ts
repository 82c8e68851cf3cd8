import { resolve } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import { defineSource } from '../source.js';
import type { Collector } from '../types.js';
import { parseOrgUrl } from './org-url.js';
import { oktaScopes } from './reads.js';

/** Scopes zt asks an OAuth service app for (all read-only; reads.ts, docs/okta.md). */
export { oktaScopes };

function orgUrlOf(value: string): URL {
  const url = parseOrgUrl(value);
  if (typeof url === 'string') throw new ZtError('ZT_USAGE', `--okta ${value} ${url}`);
  return url;
}

/**
 * Okta: live with `--okta <org-url>` (OKTA_API_TOKEN, or an OAuth service app with
 * --okta-client-id and a private key), offline with `--okta-export <dir>`.
 * Nothing else is imported until the source is chosen.
 */
export const oktaSource = defineSource({
  id: 'okta',
  flags: [
    { flags: '--okta <org-url>', description: 'audit an Okta org live, e.g. https://acme.okta.com (OKTA_API_TOKEN, or --okta-client-id; see docs/okta.md)' },
    { flags: '--okta-client-id <id>', description: 'Okta OAuth service app client id (private-key JWT; key in OKTA_PRIVATE_KEY or --okta-private-key)' },
    { flags: '--okta-private-key <file>', description: 'PEM or JWK file with the service app\'s private key (default: OKTA_PRIVATE_KEY)' },
    { flags: '--okta-key-id <kid>', description: 'key id (kid) of the service app key, when the key file has none' },
    { flags: '--okta-scopes <scopes>', description: `scopes to request, space- or comma-separated (default: ${oktaScopes.join(' ')})` },
    { flags: '--okta-export <dir>', description: 'read an Okta export instead: JSON files in the API\'s own shapes (docs/okta.md)' },
    { flags: '--okta-include-deprovisioned', description: 'also read DEPROVISIONED (deactivated) Okta users' },
  ],
  settings: (options) => ({
    org: options.string('okta'),
    exportDir: options.string('oktaExport'),
    clientId: options.string('oktaClientId'),
    privateKeyFile: options.string('oktaPrivateKey'),
    keyId: options.string('oktaKeyId'),
    scopes: options.string('oktaScopes'),
    includeDeprovisioned: options.flag('oktaIncludeDeprovisioned'),
  }),
  chosen: (settings) => settings.org !== undefined || settings.exportDir !== undefined,
  async load() {
    const [{ collectOkta }, { readOktaExport }] = await Promise.all([import('./collector.js'), import('./export.js')]);
    return (settings, site): Collector[] => {
      const org = settings.org !== undefined ? orgUrlOf(settings.org.trim()) : undefined;
      if (settings.exportDir !== undefined) {
        const given = settings.exportDir;
        // Read now: a malformed export stops the run (exit 2) before anything is collected.
        const raw = readOktaExport(resolve(site.cwd, given), given, org?.origin);
        return [{ id: 'okta', description: `okta:${raw.host}`, mode: 'offline', collect: (context) => collectOkta({ kind: 'export', raw, includeDeprovisioned: settings.includeDeprovisioned }, context) }];
      }
      const url = org as URL;
      return [
        {
          id: 'okta',
          description: `okta:${url.host}`,
          collect: (context) =>
            collectOkta(
              {
                kind: 'live',
                orgUrl: url.origin,
                clientId: settings.clientId,
                privateKeyFile: settings.privateKeyFile,
                keyId: settings.keyId,
                scopes: settings.scopes !== undefined ? settings.scopes.split(/[\s,]+/).filter(Boolean) : [...oktaScopes],
                includeDeprovisioned: settings.includeDeprovisioned,
              },
              context,
            ),
        },
      ];
    };
  },
  async loadDoctor() {
    const { oktaProbes } = await import('./doctor.js');
    return oktaProbes;
  },
});
