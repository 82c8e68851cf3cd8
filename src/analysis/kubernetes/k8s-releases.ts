/**
 * Upstream Kubernetes minor releases and their end-of-life dates, from the release pages
 * on kubernetes.io (https://kubernetes.io/releases/<minor>/). Upstream patches a minor
 * for about 14 months; managed offerings (EKS/GKE/AKS extended support) may patch
 * longer, which this table deliberately does not model: zt reports the upstream date.
 *
 * Maintenance: add a row when a minor is released. A minor newer than the newest row
 * counts as supported (zt is older than that release); a minor older than the oldest
 * row is past end of life.
 */
export interface KubernetesRelease {
  /** "1.36" */
  readonly minor: string;
  /** General availability (YYYY-MM-DD). */
  readonly released: string;
  /** Last day of upstream patch support (YYYY-MM-DD, end of that day UTC). */
  readonly endOfLife: string;
}

export const kubernetesReleases: readonly KubernetesRelease[] = [
  { minor: '1.27', released: '2023-04-11', endOfLife: '2024-06-28' },
  { minor: '1.28', released: '2023-08-15', endOfLife: '2024-10-28' },
  { minor: '1.29', released: '2023-12-13', endOfLife: '2025-02-28' },
  { minor: '1.30', released: '2024-04-17', endOfLife: '2025-07-15' },
  { minor: '1.31', released: '2024-08-13', endOfLife: '2025-10-28' },
  { minor: '1.32', released: '2024-12-11', endOfLife: '2026-02-28' },
  { minor: '1.33', released: '2025-04-23', endOfLife: '2026-06-28' },
  { minor: '1.34', released: '2025-08-27', endOfLife: '2026-10-27' },
  { minor: '1.35', released: '2025-12-17', endOfLife: '2027-02-28' },
  { minor: '1.36', released: '2026-04-22', endOfLife: '2027-06-28' },
  { minor: '1.37', released: '2026-08-26', endOfLife: '2027-10-28' },
];

export interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
}

/**
 * The major.minor of a Kubernetes version string as kubelets and the API server report
 * it: "v1.36.5", "v1.35.2-eks-3cfe0ce", "1.34.1+k3s1", "v1.33.4-gke.1245000". `undefined`
 * when it cannot be read (never guessed).
 */
export function parseKubernetesVersion(version: string): ParsedVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/**
 * The API server's minor from discovery (`/version`): `minor` may carry a "+" suffix on
 * managed clusters ("36+"); fall back to gitVersion.
 */
export function parseServerVersion(server: { major: string; minor: string; gitVersion: string }): ParsedVersion | undefined {
  const major = /^(\d+)\+?$/.exec(server.major.trim());
  const minor = /^(\d+)\+?$/.exec(server.minor.trim());
  if (major && minor) return { major: Number(major[1]), minor: Number(minor[1]) };
  return parseKubernetesVersion(server.gitVersion);
}

export interface SupportStatus {
  /** End-of-life date (YYYY-MM-DD), or `null` for a minor newer than the table. */
  readonly endOfLife: string | null;
  /** Still patched upstream at `now`. */
  readonly supported: boolean;
}

function endOfDay(date: string): number {
  return Date.parse(`${date}T23:59:59.999Z`);
}

/** Upstream support of a minor at `now` (the as-of time of the resource's source). */
export function supportStatus(version: ParsedVersion, now: Date, releases: readonly KubernetesRelease[] = kubernetesReleases): SupportStatus {
  const key = `${version.major}.${version.minor}`;
  const row = releases.find((r) => r.minor === key);
  if (row) return { endOfLife: row.endOfLife, supported: now.getTime() <= endOfDay(row.endOfLife) };
  const newest = releases.at(-1);
  const newestMinor = newest ? parseKubernetesVersion(newest.minor) : undefined;
  const isNewer =
    newestMinor !== undefined &&
    (version.major > newestMinor.major || (version.major === newestMinor.major && version.minor > newestMinor.minor));
  // Newer than zt knows: supported. Older than the table (or another major): long past end of life.
  return { endOfLife: null, supported: isNewer };
}
