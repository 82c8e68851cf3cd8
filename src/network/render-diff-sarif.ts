import { createHash } from 'node:crypto';
import type { DiffChange, DiffRule, NetworkDiffResult } from '../analysis/kubernetes/network-query/diff.js';
import { artifactLocation, SARIF_SCHEMA, SRCROOT } from '../reporters/sarif.js';
import type { SarifLocation, SarifLog, SarifReportingDescriptor, SarifResult } from '../reporters/sarif-types.js';
import type { LineRegion } from './policy-regions.js';

/**
 * `zt network diff -f sarif`: every connection the change opens as a code-scanning result,
 * anchored to the lines of the NetworkPolicy rule that admits it in the `<after>` manifests
 * (what a reviewer must look at), the other admitting rules as related locations. A path
 * opened without an admitting rule (a policy removed, a workload added) points at the
 * workload it newly reaches. Paths to a `--fail-on-new-path` workload are errors, the rest
 * notes. Fingerprints hash what the path is (rule, ends, ports), never the wording, and
 * the log holds no time: the same two inputs give the same bytes.
 */

export interface PlaceInFile {
  /** As the manifests collector recorded it: relative to the working directory when inside it. */
  readonly file: string;
  readonly region: LineRegion;
}

/** Where things of the `<after>` input were read from (undefined: not from a file, e.g. a live cluster). */
export interface DiffPlaces {
  rule(rule: DiffRule): PlaceInFile | undefined;
  workload(name: string): PlaceInFile | undefined;
}

export const NETWORK_PATH_FINGERPRINT = 'ztNetworkPath/v1';
const SENSITIVE_RULE = 'ZT-NETDIFF-001';
const OPENED_RULE = 'ZT-NETDIFF-002';

const descriptors: readonly SarifReportingDescriptor[] = [
  {
    id: SENSITIVE_RULE,
    name: 'NewNetworkPathToSensitiveWorkload',
    shortDescription: { text: 'The change opens a network path to a sensitive workload.' },
    fullDescription: { text: 'A connection denied before the change is allowed after it, and it reaches a workload named by --fail-on-new-path.' },
    help: {
      text: 'Narrow the rule that admits the connection (its peers or ports), or confirm the new path is intended and update the sensitive-workload list.',
      markdown:
        '**Remediation.** Narrow the NetworkPolicy rule that admits the connection (its `from`/`to` peers or its `ports`), or confirm the new path is intended.\n\nThe result points at the admitting rule in the changed manifests; `zt network diff` explains every opened and closed connection.',
    },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'zero-trust', 'network', 'networkpolicy'], 'security-severity': '8.0', precision: 'high' },
  },
  {
    id: OPENED_RULE,
    name: 'NewNetworkPath',
    shortDescription: { text: 'The change opens a network path.' },
    fullDescription: { text: 'A connection denied before the change is allowed after it.' },
    help: {
      text: 'Check that the new connection is intended; otherwise narrow the rule that admits it.',
      markdown: '**Review.** Check that the new connection is intended; otherwise narrow the NetworkPolicy rule that admits it (its `from`/`to` peers or its `ports`).',
    },
    defaultConfiguration: { level: 'note' },
    properties: { tags: ['security', 'zero-trust', 'network', 'networkpolicy'], 'security-severity': '3.0', precision: 'high' },
  },
];

const names = (list: readonly string[], max = 5): string => `${list.slice(0, max).join(', ')}${list.length > max ? ` (+${list.length - max} more)` : ''}`;
const portsText = (list: readonly string[]): string => (list.includes('*') ? 'every port' : list.join(', '));

function physical(place: PlaceInFile): NonNullable<SarifLocation['physicalLocation']> {
  const { startLine, endLine } = place.region;
  return { artifactLocation: artifactLocation(place.file), region: endLine > startLine ? { startLine, endLine } : { startLine } };
}

const ruleText = (r: DiffRule): string => `${r.policy} ${r.rule}${r.peer === null ? '' : ` ${r.peer}`}`;

function result(change: DiffChange, sensitive: ReadonlySet<string>, places: DiffPlaces): SarifResult {
  const reached = change.to.filter((w) => sensitive.has(w));
  const ruleId = reached.length > 0 ? SENSITIVE_RULE : OPENED_RULE;
  const anchored = change.admittedBy.flatMap((r) => {
    const place = places.rule(r);
    return place ? [{ rule: r, place }] : [];
  });
  const logicalLocations = change.to.map((w) => ({ fullyQualifiedName: w, name: w.slice(w.indexOf('/') + 1), kind: 'workload' }));
  const [primary, ...others] = anchored;
  let location: SarifLocation;
  if (primary) location = { physicalLocation: physical(primary.place), logicalLocations };
  else {
    const workload = [...change.to, ...change.from].map((w) => places.workload(w)).find((p) => p !== undefined);
    location = workload ? { physicalLocation: physical(workload), logicalLocations } : { logicalLocations };
  }
  const target = reached.length > 0 ? `the sensitive workload ${names(reached)}` : names(change.to);
  const why = change.admittedBy.length > 0 ? `allowed by ${change.admittedBy.map(ruleText).join('; ')}` : `allowed because ${change.allowedBy.join('; ')}`;
  const before = change.deniedBy.length > 0 ? ` Before the change: ${change.deniedBy.join('; ')}.` : '';
  const fingerprint = createHash('sha256')
    .update([ruleId, change.from.join(','), change.to.join(','), change.ports.join(',')].join('\n'))
    .digest('hex');
  return {
    ruleId,
    ruleIndex: ruleId === SENSITIVE_RULE ? 0 : 1,
    level: ruleId === SENSITIVE_RULE ? 'error' : 'note',
    message: { text: `New network path: ${names(change.from)} → ${target} on ${portsText(change.ports)}, ${why}.${before}` },
    locations: [location],
    ...(others.length > 0
      ? { relatedLocations: others.map((o, i) => ({ id: i + 1, physicalLocation: physical(o.place), message: { text: `also admitted by ${ruleText(o.rule)}` } })) }
      : {}),
    partialFingerprints: { [NETWORK_PATH_FINGERPRINT]: fingerprint },
    properties: { from: change.from, to: change.to, ports: change.ports, allowedBy: change.allowedBy, deniedBy: change.deniedBy, sensitive: reached },
  };
}

export interface DiffSarifContext {
  readonly sensitive: ReadonlySet<string>;
  readonly places: DiffPlaces;
  readonly tool: { readonly name: string; readonly version: string };
  /** What the inputs lacked (coverage gaps): said as warnings, the answers may be wrong. */
  readonly gaps: readonly string[];
}

export function buildNetworkDiffSarif(result_: NetworkDiffResult, { sensitive, places, tool, gaps }: DiffSarifContext): SarifLog {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, semanticVersion: tool.version, rules: [...descriptors] } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: gaps.map((gap) => ({
              level: 'warning' as const,
              message: { text: `Incomplete input: ${gap}. A policy or workload zt did not see may change these results.` },
              descriptor: { id: 'ZT_NETWORK_INCOMPLETE' },
            })),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The repository root: manifest paths are relative to it.' } } },
        results: result_.opened.map((c) => result(c, sensitive, places)),
        properties: {
          networkDiff: { before: result_.before, after: result_.after, opened: result_.opened.length, closed: result_.closed.length, added: result_.added, removed: result_.removed },
        },
      },
    ],
  };
}

export function renderNetworkDiffSarif(result_: NetworkDiffResult, context: DiffSarifContext): string {
  return `${JSON.stringify(buildNetworkDiffSarif(result_, context), null, 2)}\n`;
}
