import { describe, expect, it } from 'vitest';
import { parseNoProxy } from '../../../src/collectors/shared/no-proxy.js';
import { describeProxy, ProxyEnvironment } from '../../../src/collectors/shared/proxy.js';
import { ZtError } from '../../../src/errors/zt-error.js';

describe('NO_PROXY', () => {
  const bypass = (list: string, host: string, port = 443): boolean => parseNoProxy(list).bypasses(host, port);

  it('a name matches itself and every name under it, with or without a leading dot or *.', () => {
    for (const entry of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com.']) {
      expect(bypass(entry, 'example.com'), entry).toBe(true);
      expect(bypass(entry, 'api.Example.com'), entry).toBe(true);
      expect(bypass(entry, 'notexample.com'), entry).toBe(false);
      expect(bypass(entry, 'example.com.evil.net'), entry).toBe(false);
    }
  });

  it('* bypasses everything; an empty or unset list nothing — not even localhost or 127.0.0.1', () => {
    expect(bypass('*', 'anything.example')).toBe(true);
    expect(bypass('a.example, *', '10.1.2.3')).toBe(true);
    for (const list of ['', ' , ']) {
      expect(bypass(list, 'localhost')).toBe(false);
      expect(bypass(list, '127.0.0.1')).toBe(false);
    }
    expect(parseNoProxy(undefined).bypasses('::1', 443)).toBe(false);
  });

  it('host:port matches that port only', () => {
    expect(bypass('127.0.0.1:8443', '127.0.0.1', 8443)).toBe(true);
    expect(bypass('127.0.0.1:8443', '127.0.0.1', 443)).toBe(false);
    expect(bypass('example.com:443', 'api.example.com', 443)).toBe(true);
    expect(bypass('[::1]:8443', '[::1]', 8443)).toBe(true);
    expect(bypass('[::1]:8443', '::1', 80)).toBe(false);
  });

  it('IP addresses match as addresses (however IPv6 is written), CIDR ranges as ranges; names are not resolved', () => {
    expect(bypass('10.0.0.0/8', '10.20.30.40')).toBe(true);
    expect(bypass('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(bypass('10.0.0.0/8', 'ten.example')).toBe(false);
    expect(bypass('fd00::/8', '[fd12::1]')).toBe(true);
    expect(bypass('::1', '[0:0:0:0:0:0:0:1]')).toBe(true);
    expect(bypass('192.168.0.0/16:8443', '192.168.1.1', 8443)).toBe(true);
    expect(bypass('192.168.0.0/16:8443', '192.168.1.1', 443)).toBe(false);
    expect(bypass('127.0.0.1', 'localhost')).toBe(false);
  });

  it('entries are separated by commas or spaces; junk entries are ignored', () => {
    expect(bypass('a.example  b.example,,c.example', 'x.b.example')).toBe(true);
    expect(bypass('10.0.0.0/99, :, .', 'a.example')).toBe(false);
  });
});

describe('the proxy environment', () => {
  const read = (env: Record<string, string>) => ProxyEnvironment.read(env);

  it('https URLs use HTTPS_PROXY, http URLs HTTP_PROXY, lowercase first; no fallback between them', () => {
    const env = read({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:8080' });
    expect(env.routeFor('https://api.example.com/x')?.url.host).toBe('lower:3128');
    expect(env.routeFor('https://api.example.com/x')?.variable).toBe('https_proxy');
    expect(env.routeFor('http://api.example.com/x')?.url.host).toBe('plain:8080');
    expect(read({ HTTP_PROXY: 'http://plain:8080' }).routeFor('https://api.example.com')).toBeUndefined();
    expect(read({ HTTPS_PROXY: 'http://p:1' }).routeFor('http://api.example.com')).toBeUndefined();
    expect(read({}).enabled).toBe(false);
    expect(read({ https_proxy: '' }).enabled).toBe(false);
  });

  it('NO_PROXY applies with the URL\'s port (the scheme\'s default when none is written)', () => {
    const env = read({ HTTPS_PROXY: 'http://p:3128', no_proxy: 'internal.example:443', NO_PROXY: '*' });
    expect(env.routeFor('https://internal.example/')).toBeUndefined();
    expect(env.routeFor('https://internal.example:8443/')).toBeDefined();
  });

  it('link-local addresses (cloud metadata endpoints) are always reached directly', () => {
    const env = read({ HTTP_PROXY: 'http://p:3128', HTTPS_PROXY: 'http://p:3128' });
    expect(env.routeFor('http://169.254.169.254/latest/api/token')).toBeUndefined();
    expect(env.routeFor('http://[fe80::a9fe:a9fe]/')).toBeUndefined();
    expect(env.routeFor('http://169.255.0.1/')).toBeDefined();
  });

  it('a value without a scheme is http://, as curl takes it', () => {
    expect(read({ HTTPS_PROXY: 'proxy.corp:3128' }).routeFor('https://a.example')?.url.href).toBe('http://proxy.corp:3128/');
  });

  it.each([
    ['socks5://proxy:1080', 'uses socks5://, which zt does not support as a proxy (http:// and https:// are)'],
    ['ftp://proxy:21', 'uses ftp://'],
    ['http://proxy:99999', 'is not a proxy URL'],
    ['http://user:pass@[proxy:3128', 'is not a proxy URL'],
    ['http://', 'is not a proxy URL'],
  ])('refuses %s (exit 2, the variable named, the value not quoted)', (value, message) => {
    const error = (() => {
      try {
        read({ https_proxy: value });
      } catch (e) {
        return e as ZtError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ZtError);
    expect(error.code).toBe('ZT_PROXY_INVALID');
    expect(error.exitClass).toBe('usage');
    expect(error.message).toContain(`https_proxy ${message}`);
    expect(error.message).not.toContain('pass');
  });

  it('shows a proxy without its credentials, and hands them to the Redactor (decoded, and as sent)', () => {
    const env = read({ HTTPS_PROXY: 'http://svc%40corp:p%40ss-w0rd!@proxy.corp:3128' });
    const route = env.routeFor('https://a.example')!;
    expect(describeProxy(route.url)).toBe('http://proxy.corp:3128');
    expect(env.secrets()).toEqual(['p@ss-w0rd!', 'svc@corp:p@ss-w0rd!', Buffer.from('svc@corp:p@ss-w0rd!').toString('base64')]);
    expect(read({ HTTPS_PROXY: 'http://proxy.corp:3128' }).secrets()).toEqual([]);
  });
});
