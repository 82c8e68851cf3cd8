import type { CommandOptions } from './source-options.js';
import type { Probe } from './doctor.js';
import type { Collector } from './types.js';

/** A command-line flag a source adds to `zt audit` and `zt collect`. */
export interface SourceFlag {
  /** Commander flag syntax, e.g. `--kubeconfig <path>` or `--kubernetes`. */
  readonly flags: string;
  readonly description: string;
  /** Repeatable: the parsed value is a list. */
  readonly repeatable?: boolean;
}

/** Where relative paths on the command line are resolved, and the environment the run sees (settings read from variables are checked with the flags). */
export interface SourceSite {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * A source of evidence (Kubernetes, AWS IAM, Okta, Entra ID) as the CLI sees it: its
 * flags, its settings read from them (typed, checked: exit 2), whether they choose it,
 * and a lazy loader that builds its collectors. Only the loader imports the source's
 * code and SDK, so `zt --help` lists every flag without loading any of them.
 */
export interface SourceDefinition<Settings> {
  readonly id: string;
  readonly flags: readonly SourceFlag[];
  settings(options: CommandOptions): Settings;
  /** True when the settings ask for this source (live or offline). */
  chosen(settings: Settings): boolean;
  /** The source's collector builder; asynchronous where building reads something (the kubeconfig's contexts). */
  load(): Promise<(settings: Settings, site: SourceSite) => Collector[] | Promise<Collector[]>>;
  /** `zt doctor`: the probes of the live targets the settings choose (none for offline input); loaded like `load`, only when chosen. */
  loadDoctor(): Promise<(settings: Settings, site: SourceSite) => Probe[] | Promise<Probe[]>>;
}

/** A source with its settings type hidden, so sources of different settings share one list. */
export interface Source {
  readonly id: string;
  readonly flags: readonly SourceFlag[];
  /** The collectors the command line asks of this source; none (and nothing loaded) when it is not chosen. */
  collectors(options: CommandOptions, site: SourceSite): Promise<Collector[]>;
  /** `zt doctor`'s probes of the live targets the command line chooses; none (and nothing loaded) when it chooses none. */
  probes(options: CommandOptions, site: SourceSite): Promise<Probe[]>;
}

export function defineSource<Settings>(definition: SourceDefinition<Settings>): Source {
  return {
    id: definition.id,
    flags: definition.flags,
    async collectors(options, site) {
      const settings = definition.settings(options);
      if (!definition.chosen(settings)) return [];
      const build = await definition.load();
      return await build(settings, site);
    },
    async probes(options, site) {
      const settings = definition.settings(options);
      if (!definition.chosen(settings)) return [];
      const build = await definition.loadDoctor();
      return await build(settings, site);
    },
  };
}
