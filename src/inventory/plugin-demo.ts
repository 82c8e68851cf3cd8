/**
 * Snapshots the configured plugins add to the demo organisation (`zt audit --demo`): each
 * plugin's own demo data, merged with zt's, so its rules and analysers show on the demo.
 * Set when the plugins are activated (plugins/activate.ts).
 */
let files: readonly string[] = [];

export function setPluginDemoSnapshots(list: readonly string[]): void {
  files = list;
}

export function pluginDemoSnapshots(): readonly string[] {
  return files;
}
