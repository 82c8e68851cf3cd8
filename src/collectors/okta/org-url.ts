/**
 * An Okta org URL as zt accepts it, from --okta or an export's org.json: https only (zt
 * sends a token to it; an export's URL becomes every resource id), a host (`javascript:alert(1)` is not an
 * https URL with a host), and the org rather than its
 * admin console. A bare host means https. Returns the URL, or what is wrong with it.
 */
export function parseOrgUrl(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    return 'is not a URL; expected the org URL, e.g. https://acme.okta.com';
  }
  if (url.protocol !== 'https:') return `is not an https URL (${url.protocol}); zt talks to Okta over https only, e.g. https://acme.okta.com`;
  if (url.hostname === '') return 'names no host; expected the org URL, e.g. https://acme.okta.com';
  if (url.username !== '' || url.password !== '') return 'holds credentials; pass the org URL alone, e.g. https://acme.okta.com';
  if (url.hostname.includes('-admin.')) return `is the admin console URL; pass the org URL (without -admin), e.g. https://${url.hostname.replace('-admin.', '.')}`;
  return url;
}
