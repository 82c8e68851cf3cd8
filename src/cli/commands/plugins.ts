import { readRuleDefinitions } from '../../ruleset/load.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { loadedPlugins } from '../plugins.js';
import { terminalText } from '../../text/terminal-text.js';

/** `zt plugins list`: each configured plugin with what it adds. */
export async function listPlugins(format: 'table' | 'json', io: Io): Promise<number> {
  const plugins = [];
  for (const plugin of loadedPlugins()) {
    const rules = plugin.rules ? (await readRuleDefinitions([plugin.rules], io.cwd)).rules.map((r) => r.id).sort() : [];
    plugins.push({ name: plugin.name, version: plugin.version, apiVersion: plugin.apiVersion, path: plugin.path, sources: plugin.sources, kinds: plugin.kinds, rules });
  }
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ plugins }, null, 2)}\n`);
    return ExitCode.OK;
  }
  if (plugins.length === 0) {
    io.stdout('No plugins configured (`plugins:` in .zt/config.yaml, or --plugin <name|path>; docs/plugins.md).\n');
    return ExitCode.OK;
  }
  const lines: string[] = [];
  for (const p of plugins) {
    lines.push(`${terminalText(p.name)} ${terminalText(p.version)} (plugin API ${p.apiVersion})  ${terminalText(p.path)}`);
    lines.push(`  sources: ${p.sources.map(terminalText).join(', ') || '(none)'}`);
    lines.push(`  kinds:   ${p.kinds.map(terminalText).join(', ') || '(none)'}`);
    lines.push(`  rules:   ${p.rules.join(', ') || '(none)'}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return ExitCode.OK;
}
