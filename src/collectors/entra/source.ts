import { resolve } from 'node:path';
import { ZtError } from '../../errors/zt-error.js';
import { defineSource } from '../source.js';
import type { Collector } from '../types.js';
import { DEFAULT_AUTHORITY, DEFAULT_GRAPH_URL, endpointSetting } from './endpoint-settings.js';

const credentialModes = ['auto', 'secret', 'certificate', 'default'] as const;

/**
 * Microsoft Entra ID: live with `--entra <tenant>` (client credentials from AZURE_*
 * variables, or the Azure credential chain), offline with `--entra-export <dir>`.
 * Nothing heavy is imported until the source is chosen.
 */
export const entraSource = defineSource({
  id: 'entra',
  flags: [
    { flags: '--entra <tenant-id>', description: 'audit a Microsoft Entra ID tenant live via Microsoft Graph (credentials: AZURE_CLIENT_ID + AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH; see docs/entra.md)' },
    { flags: '--entra-export <dir>', description: 'read an Entra ID export instead: one Graph JSON file per endpoint (docs/entra.md)' },
    { flags: '--entra-credential <mode>', description: 'Entra credential: auto (default: secret, else certificate, else the Azure chain), secret, certificate, or default (the Azure credential chain: CLI, managed identity, …)' },
  ],
  settings: (options) => ({
    tenant: options.string('entra')?.trim(),
    exportDir: options.string('entraExport'),
    credential: options.choice('entraCredential', credentialModes, 'auto'),
  }),
  chosen: (settings) => settings.tenant !== undefined || settings.exportDir !== undefined,
  async load() {
    const [{ collectTenant }, { readEntraExport, exportReader }] = await Promise.all([import('./collect.js'), import('./export.js')]);
    return (settings, site): Collector[] => {
      const { tenant, credential } = settings;
      if (tenant !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(tenant)) {
        throw new ZtError('ZT_USAGE', `--entra expects a tenant id (a GUID) or a domain such as contoso.onmicrosoft.com, got "${tenant}"`);
      }
      if (settings.exportDir !== undefined) {
        const given = settings.exportDir;
        const data = readEntraExport(resolve(site.cwd, given), given, tenant);
        return [
          {
            id: 'entra',
            description: `entra:${data.tenant}`,
            mode: 'offline',
            collect: (context) => collectTenant(exportReader(data), data.tenant, context, `entra:${data.tenant}`),
          },
        ];
      }
      const liveTenant = tenant as string;
      // Checked now, with the flags (exit 2 before any source is read), and again with the collection's environment.
      endpointSetting(site.env, 'ZT_GRAPH_URL', DEFAULT_GRAPH_URL);
      endpointSetting(site.env, 'ZT_ENTRA_AUTHORITY', DEFAULT_AUTHORITY);
      return [
        {
          id: 'entra',
          description: `entra:${liveTenant}`,
          async collect(context) {
            const graphUrl = endpointSetting(context.env, 'ZT_GRAPH_URL', DEFAULT_GRAPH_URL);
            const authority = endpointSetting(context.env, 'ZT_ENTRA_AUTHORITY', DEFAULT_AUTHORITY);
            const { GraphClient } = await import('./client.js');
            const { liveReader } = await import('./live.js');
            const maxRetries = 6;
            const client = new GraphClient({
              tenant: liveTenant,
              graphUrl,
              authority,
              credential,
              env: context.env,
              signal: context.signal,
              network: context.network,
              redactor: context.redactor,
              maxRetries,
            });
            try {
              context.progress(`Entra: signing in to tenant ${liveTenant}`);
              await client.authenticate();
              return await collectTenant(liveReader(client, maxRetries), liveTenant, context, `entra:${liveTenant}`);
            } finally {
              await client.close();
            }
          },
        },
      ];
    };
  },
  async loadDoctor() {
    const { entraProbes } = await import('./doctor.js');
    return entraProbes;
  },
});
