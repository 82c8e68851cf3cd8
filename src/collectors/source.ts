import type { Collector } from './types.js';

/** A command-line flag a source adds to `zt audit` and `zt collect`. */
export interface SourceFlag {
  /** Commander flag syntax, e.g. `--kubeconfig <path>` or `--kubernetes`. */
  readonly flags: string;
  readonly description: string;
  /** Repeatable: the parsed value is a list. */
  readonly repeatable?: boolean;
}

/**
 * A source of evidence (Kubernetes, AWS IAM, Okta, Entra ID) as the CLI sees it: its
 * flags, whether the parsed options chose it, and a lazy loader that builds its
 * collectors. Only the loader imports the source's code and SDK, so `zt --help` lists
 * every flag without loading any of them.
 */
export interface SourceDefinition {
  readonly id: string;
  readonly flags: readonly SourceFlag[];
  /** True when the options ask for this source (live or offline). */
  chosen(options: Readonly<Record<string, unknown>>): boolean;
  load(): Promise<(options: Readonly<Record<string, unknown>>) => Collector[]>;
}
