import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** zt's version from package.json (read once; cheap enough for --version). */
export function toolVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = pkg.version;
  }
  return cached;
}
