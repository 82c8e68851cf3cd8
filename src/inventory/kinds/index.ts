import type { z } from 'zod';
import { awsKinds } from './aws.js';
import { entraKinds } from './entra.js';
import { identityKinds } from './identity.js';
import { k8sKinds } from './kubernetes.js';
import { oktaKinds } from './okta.js';

/**
 * The shared vocabulary: every resource kind a collector can produce, with the schema
 * its attributes satisfy. Collectors' mappers, snapshots on disk and rule test cases
 * are all validated against these, so fixtures cannot drift from collector output.
 */
export const kindSchemas = { ...k8sKinds, ...awsKinds, ...identityKinds, ...entraKinds, ...oktaKinds } as const;

export type Kind = keyof typeof kindSchemas;
export type KindAttributes<K extends Kind> = z.infer<(typeof kindSchemas)[K]>;

export const allKinds = Object.keys(kindSchemas).sort() as readonly Kind[];

export function isKind(value: string): value is Kind {
  return Object.hasOwn(kindSchemas, value);
}

/** The plane (and collector family) a kind belongs to, from its prefix. */
export type Plane = 'kubernetes' | 'aws' | 'identity';
export function planeOf(kind: Kind): Plane {
  if (kind.startsWith('k8s.') || kind.startsWith('istio.') || kind.startsWith('linkerd.') || kind.startsWith('cilium.')) return 'kubernetes';
  if (kind.startsWith('aws.')) return 'aws';
  return 'identity';
}

/** Top-level attribute names of a kind (used to check rule field references). */
export function attributeNames(kind: Kind): readonly string[] {
  return Object.keys(kindSchemas[kind].shape).sort();
}

/**
 * The collectors that produce a kind. A kind whose collectors were not part of an audit
 * is out of its scope (the user did not ask about that system), which is different
 * from a chosen source that could not read it.
 */
export function collectorsOf(kind: Kind): readonly string[] {
  if (kind.startsWith('okta.')) return ['okta'];
  if (kind.startsWith('entra.')) return ['entra'];
  if (kind.startsWith('idp.')) return ['okta', 'entra'];
  if (kind.startsWith('aws.')) return ['aws-iam'];
  return ['kubernetes'];
}
