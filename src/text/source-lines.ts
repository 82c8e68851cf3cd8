/**
 * Lines of the keys of a YAML mapping document, for error locations. js-yaml does not
 * keep positions, and rule files are small block mappings, so a scan of the text is
 * exact for them: top-level keys start at column 0, and the keys of a nested block
 * mapping (ztmm:) are recorded as `ztmm.row`. Flow-style mappings fall back to the
 * parent key's line.
 */
export function keyLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  let parent: string | undefined;
  text.split('\n').forEach((line, index) => {
    const top = /^([A-Za-z_][\w-]*)\s*:/.exec(line);
    if (top?.[1]) {
      parent = top[1];
      lines[parent] ??= index + 1;
      return;
    }
    const nested = /^\s+([A-Za-z_][\w-]*)\s*:/.exec(line);
    if (nested?.[1] && parent) lines[`${parent}.${nested[1]}`] ??= index + 1;
  });
  return lines;
}

/** The line for a dotted path, falling back to its nearest recorded parent. */
export function lineForPath(lines: Readonly<Record<string, number>>, path: string): number | undefined {
  let current = path;
  for (;;) {
    const found = lines[current];
    if (found !== undefined) return found;
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    if (cut <= 0) return undefined;
    current = current.slice(0, cut);
  }
}
