import { z } from 'zod';
import { analyser, type DerivedRecord } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { ResourceOf } from '../../inventory/snapshot.js';
import { UnknownFact } from '../../model/unknown-fact.js';
import { compareStrings } from '../../text/order.js';

/**
 * The compute resources each container runs with, as the API server gives them to a pod
 * it creates, so resource rules judge the effective value rather than the template's text:
 *
 * 1. SetDefaults_Pod (pkg/apis/core/v1/defaults.go): a resource with a limit and no request
 *    gets the limit as its request (containers and init containers).
 * 2. The LimitRanger admission plugin (plugin/pkg/admission/limitranger): every LimitRange of
 *    the pod's namespace with `type: Container` items gives each container and init
 *    container its `default` for every limit it lacks and its `defaultRequest` for every
 *    request it lacks. LimitRanges are applied one after the other, so the first to give a
 *    resource a value wins; Kubernetes does not define their order (its informer's), so
 *    when two disagree zt takes the first by name — that a value is set is certain.
 *
 * Ephemeral containers get neither (the API refuses resources on them). A Pod the API
 * server has already created (`admitted`) ran admission then: its resources are as read (a
 * LimitRange added later does not change it). Facts are unknown when the cluster's
 * LimitRanges were not read, and for a workload from a snapshot taken before zt recorded
 * container resources.
 */

const quantities = z.record(z.string(), z.string());

const output = z.object({
  effectiveResources: z
    .record(
      z.string(),
      z.object({
        limits: quantities,
        requests: quantities,
        /** `limits.<name>` / `requests.<name>` set by a LimitRange default, sorted. */
        defaulted: z.array(z.string()),
      }),
    )
    .describe(
      "Each container's compute resources by name, as its pods get them: limits copied to missing requests, then the namespace's LimitRange defaults for what is still unset (not for Pods already created); `defaulted` lists what a LimitRange set.",
    ),
});

type Effective = DerivedRecord<typeof output>['effectiveResources'][string];

interface Written {
  readonly limits: Readonly<Record<string, string>>;
  readonly requests: Readonly<Record<string, string>>;
}

type ContainerDefaults = Written;

const NONE: ContainerDefaults = { limits: {}, requests: {} };

/** Per cluster and namespace, what LimitRanger gives a container, the LimitRanges taken in name order. */
function defaultsByNamespace(inventory: InventoryIndex): Map<string, ContainerDefaults> {
  const byNamespace = new Map<string, ResourceOf<'k8s.limitRange'>[]>();
  for (const lr of inventory.ofKind('k8s.limitRange')) {
    const key = `${lr.provenance.source}\u0000${lr.attributes.namespace}`;
    const list = byNamespace.get(key);
    if (list) list.push(lr);
    else byNamespace.set(key, [lr]);
  }
  const out = new Map<string, ContainerDefaults>();
  for (const [key, ranges] of byNamespace) {
    const limits: Record<string, string> = {};
    const requests: Record<string, string> = {};
    for (const lr of [...ranges].sort((a, b) => compareStrings(a.name, b.name))) {
      for (const item of lr.attributes.limits) {
        if (item.type !== 'Container') continue;
        for (const [name, quantity] of Object.entries(item.default)) limits[name] ??= quantity;
        for (const [name, quantity] of Object.entries(item.defaultRequest)) requests[name] ??= quantity;
      }
    }
    out.set(key, { limits, requests });
  }
  return out;
}

/** One container's resources after pod defaulting and LimitRanger. */
function effective(resources: Written, defaults: ContainerDefaults): Effective {
  const limits: Record<string, string> = { ...resources.limits };
  const requests: Record<string, string> = { ...resources.limits, ...resources.requests };
  const defaulted: string[] = [];
  for (const [name, quantity] of Object.entries(defaults.limits)) {
    if (Object.hasOwn(limits, name)) continue;
    limits[name] = quantity;
    defaulted.push(`limits.${name}`);
  }
  for (const [name, quantity] of Object.entries(defaults.requests)) {
    if (Object.hasOwn(requests, name)) continue;
    requests[name] = quantity;
    defaulted.push(`requests.${name}`);
  }
  return { limits, requests, defaulted: defaulted.sort(compareStrings) };
}

const asRead = (resources: Written): Effective => ({ limits: resources.limits, requests: resources.requests, defaulted: [] });

const notRecorded = new UnknownFact(
  { kind: 'k8s.workload', state: 'partial', reason: 'input_missing' },
  'this workload comes from a snapshot taken before zt recorded container resources (collect it again)',
);

export const containerResourcesAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: ['k8s.limitRange'],
  output,
  derive(inventory) {
    const defaults = defaultsByNamespace(inventory);
    const out = new Map<string, DerivedRecord<typeof output>>();
    for (const w of inventory.ofKind('k8s.workload')) {
      const { pod } = w.attributes;
      const all = [...pod.containers, ...pod.initContainers];
      if (all.some((c) => c.resources === undefined)) continue;
      const applied = w.attributes.admitted === true ? null : (defaults.get(`${w.provenance.source}\u0000${w.attributes.namespace}`) ?? NONE);
      const byName: Record<string, Effective> = {};
      for (const c of all) {
        const resources = c.resources as NonNullable<typeof c.resources>;
        byName[c.name] = applied === null ? asRead(resources) : effective(resources, applied);
      }
      // Ephemeral containers: never defaulted (resources are refused on them).
      for (const c of pod.ephemeralContainers ?? []) byName[c.name] = asRead(c.resources ?? { limits: {}, requests: {} });
      out.set(w.id, { effectiveResources: byName });
    }
    return out;
  },
  unknowns(inventory) {
    const out = new Map<string, Readonly<Record<string, UnknownFact>>>();
    for (const w of inventory.ofKind('k8s.workload')) {
      const { pod } = w.attributes;
      if ([...pod.containers, ...pod.initContainers].some((c) => c.resources === undefined)) out.set(w.id, { effectiveResources: notRecorded });
    }
    return out;
  },
});
