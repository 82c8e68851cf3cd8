import { z } from 'zod';
import { analyser, type DerivedRecord } from '../analyser.js';
import { containerSchema } from '../../inventory/kinds/kubernetes.js';
import { UnknownFact } from '../../model/unknown-fact.js';

/**
 * Every container a workload's pods run, so container rules judge them all: `containers`,
 * `initContainers` and, on Pods, `ephemeralContainers` (`kubectl debug` adds them to a
 * running Pod; a privileged debug container is a privileged container). A pod template
 * cannot hold ephemeral containers (the API server refuses them there), so for controllers
 * the list is complete without them; a Pod from a snapshot taken before zt recorded them
 * has the list unknown (its rules are not evaluated, never passed on a part).
 */

const output = z.object({
  allContainers: z
    .array(containerSchema)
    .describe('Every container of the pods: containers, then initContainers, then ephemeralContainers (Pods only; kubectl debug).'),
  ephemeralContainerNames: z.array(z.string()).describe('Names of the ephemeral containers (kubectl debug) of a Pod; [] for controllers.'),
});

const notRecorded = new UnknownFact(
  { kind: 'k8s.workload', state: 'partial', reason: 'input_missing' },
  'this Pod comes from a snapshot taken before zt recorded ephemeral containers (collect it again)',
);
const NOT_RECORDED: Readonly<Record<string, UnknownFact>> = Object.freeze({ allContainers: notRecorded, ephemeralContainerNames: notRecorded });

export const workloadContainersAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: [],
  output,
  derive(inventory) {
    const out = new Map<string, DerivedRecord<typeof output>>();
    for (const w of inventory.ofKind('k8s.workload')) {
      const pod = w.attributes.pod;
      const ephemeral = pod.ephemeralContainers ?? [];
      out.set(w.id, {
        allContainers: ephemeral.length === 0 && pod.initContainers.length === 0 ? pod.containers : [...pod.containers, ...pod.initContainers, ...ephemeral],
        ephemeralContainerNames: ephemeral.map((c) => c.name),
      });
    }
    return out;
  },
  unknowns(inventory) {
    const out = new Map<string, Readonly<Record<string, UnknownFact>>>();
    for (const w of inventory.ofKind('k8s.workload')) {
      if (w.attributes.workloadKind === 'Pod' && w.attributes.pod.ephemeralContainers === undefined) out.set(w.id, NOT_RECORDED);
    }
    return out;
  },
});
