/** `zt diff --format` choices. A module of its own, so the CLI's help loads no renderer. */
export const diffFormats = ['table', 'json', 'markdown'] as const;
export type DiffFormat = (typeof diffFormats)[number];
