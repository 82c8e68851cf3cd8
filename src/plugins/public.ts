// `zt-audit/plugin`: the public module plugin authors import (types, and the API version
// their plugin is built for). Nothing else of zt is public: a plugin receives zt's zod and
// error constructors from `setup(api)`, so it never loads a second copy of zt.
export { PLUGIN_API_VERSION } from './api.js';
export type {
  PluginAnalyserDefinition,
  PluginApi,
  PluginInventory,
  PluginCollectorContext,
  PluginDefinition,
  PluginErrors,
  PluginKindDefinition,
  PluginOptions,
  PluginSourceDefinition,
  ZtPlugin,
} from './api.js';
export type { SourceFlag, SourceSite } from '../collectors/source.js';
export type { Collector, CollectorContext, CollectorOutput } from '../collectors/types.js';
import { PLUGIN_API_VERSION, type ZtPlugin } from './api.js';

/** A plugin stamped with the API version it is built for: `export const ztPlugin = definePlugin((api) => ({ … }))`. */
export function definePlugin(setup: ZtPlugin['setup']): ZtPlugin {
  return { apiVersion: PLUGIN_API_VERSION, setup };
}
