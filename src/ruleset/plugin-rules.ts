/**
 * Rule folders of the configured plugins (docs/plugins.md), set when the plugins are
 * activated: loaded with the bundled rules, through the same loader and type-check.
 */
let folders: readonly string[] = [];

export function setPluginRuleFolders(list: readonly string[]): void {
  folders = list;
}

export function pluginRuleFolders(): readonly string[] {
  return folders;
}
