import { BlockList, isIP } from 'node:net';

/**
 * NO_PROXY as curl reads it: entries separated by commas (or spaces), each one of
 * - `*`: every host is reached directly;
 * - a host name, with or without a leading dot (or `*.`): that name and every name under
 *   it (`example.com` and `.example.com` both match `example.com` and `api.example.com`);
 * - an IP address, or a CIDR range (`10.0.0.0/8`, `fd00::/8`): the URL's host as written
 *   (no DNS lookup: a name is matched as a name);
 * - any of those with `:port` (`[::1]:8443` for IPv6): only that port.
 * Case and a trailing dot do not matter. Nothing is bypassed unless listed: not
 * `localhost`, not 127.0.0.1 (curl and Go differ there; a proxy on the loopback, as a
 * test or a local forwarder runs, must be usable for loopback targets too).
 */

interface Entry {
  readonly host: string;
  readonly port: number | undefined;
}

export interface NoProxy {
  /** True when `hostname:port` is to be reached directly. `hostname` as URL.hostname gives it (IPv6 in brackets is fine). */
  bypasses(hostname: string, port: number): boolean;
}

/** Host and optional port of one entry; undefined when the entry is not a host at all. */
function entryOf(raw: string): Entry | undefined {
  let text = raw.trim().toLowerCase();
  if (text === '') return undefined;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    text = bracketed[1] ?? '';
    port = bracketed[2] !== undefined ? Number(bracketed[2]) : undefined;
  } else {
    // One colon is host:port; more is a bare IPv6 address (or range), which carries no port.
    const colon = text.lastIndexOf(':');
    if (colon > 0 && text.indexOf(':') === colon && /^\d+$/.test(text.slice(colon + 1))) {
      port = Number(text.slice(colon + 1));
      text = text.slice(0, colon);
    }
  }
  text = text.replace(/^\*\./, '.').replace(/^\.+/, '').replace(/\.$/, '');
  return text === '' ? undefined : { host: text, port };
}

const normalHost = (hostname: string): string => hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

/** Parses a NO_PROXY value (undefined or empty: nothing bypassed). */
export function parseNoProxy(value: string | undefined): NoProxy {
  const parts = (value ?? '').split(/[\s,]+/).filter((p) => p.trim() !== '');
  if (parts.some((p) => p.trim() === '*')) return { bypasses: () => true };
  const names: Entry[] = [];
  const ranges: { list: BlockList; port: number | undefined }[] = [];
  for (const part of parts) {
    const entry = entryOf(part);
    if (!entry) continue;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry.host);
    const family = cidr ? isIP(cidr[1] ?? '') : 0;
    if (cidr && family !== 0) {
      const list = new BlockList();
      const prefix = Number(cidr[2]);
      if (prefix > (family === 4 ? 32 : 128)) continue;
      list.addSubnet(cidr[1] ?? '', prefix, family === 4 ? 'ipv4' : 'ipv6');
      ranges.push({ list, port: entry.port });
    } else {
      names.push(entry);
    }
  }
  return {
    bypasses(hostname, port) {
      const host = normalHost(hostname);
      const family = isIP(host);
      const portMatches = (entry: { port: number | undefined }): boolean => entry.port === undefined || entry.port === port;
      for (const entry of names) {
        if (!portMatches(entry)) continue;
        if (family !== 0 && isIP(entry.host) === family) {
          // An address matches the same address however it is written (::1 and 0:0:…:1).
          const one = new BlockList();
          one.addAddress(entry.host, family === 4 ? 'ipv4' : 'ipv6');
          if (one.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
        } else if (host === entry.host || host.endsWith(`.${entry.host}`)) {
          return true;
        }
      }
      if (family === 0) return false;
      return ranges.some((range) => portMatches(range) && range.list.check(host, family === 4 ? 'ipv4' : 'ipv6'));
    },
  };
}
