/**
 * Shell-style globs as zt's configuration files use them (waiver selectors, break-glass and
 * service accounts): `*` any run of characters (slashes too: resource ids are URLs), `?` one
 * character, everything else literal. One definition, so a pattern means the same in every file.
 */
export function globToRegExp(glob: string, options: { readonly ignoreCase?: boolean } = {}): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, options.ignoreCase ? 'is' : 's');
}

/** Whether a pattern has wildcards (otherwise it is matched as it is). */
export const isGlob = (pattern: string): boolean => /[*?]/.test(pattern);
