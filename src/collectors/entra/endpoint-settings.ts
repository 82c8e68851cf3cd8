import { ZtError } from '../../errors/zt-error.js';

export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com/v1.0';
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

/**
 * ZT_GRAPH_URL or ZT_ENTRA_AUTHORITY when set (sovereign clouds, tests), else the default:
 * an https URL with a host, without credentials, or exit 2 naming the variable (the client
 * secret is sent there; `not a url` used to crash the collector, ZT_COLLECT_CRASHED).
 */
export function endpointSetting(env: Readonly<Record<string, string | undefined>>, name: 'ZT_GRAPH_URL' | 'ZT_ENTRA_AUTHORITY', fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const refuse = (what: string): never => {
    throw new ZtError('ZT_USAGE', `${name} ${what}`, {
      hint: `${name} overrides Microsoft's endpoint (sovereign clouds, tests): unset it, or set an https URL such as ${fallback} (docs/entra.md).`,
    });
  };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('is not a URL');
  }
  if (url.protocol !== 'https:') refuse(`is not an https URL (${url.protocol}); zt sends credentials there`);
  if (url.hostname === '') refuse('names no host');
  if (url.username !== '' || url.password !== '') refuse('holds credentials; set the URL alone');
  return value;
}
