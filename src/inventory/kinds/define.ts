import type { z } from 'zod';

/** The part of the estate a kind describes; it decides what a check that could not run asks for. */
export type Plane = 'kubernetes' | 'aws' | 'identity';

/** zt's collectors, by the `id` of their source (src/collectors/<folder>/source.ts; a test holds the two equal). */
export type CollectorId = 'kubernetes' | 'aws-iam' | 'aws-organizations' | 'okta' | 'entra';

/** Who produces a group of kinds: their plane and the collectors that can produce them. */
export interface Producer {
  readonly plane: Plane;
  readonly collectors: readonly [CollectorId, ...CollectorId[]];
}

/**
 * A kind, described once: the zod schema of its attributes, its plane and the collectors
 * that produce it. A collector's own description of how it produces the kind (Kubernetes:
 * the API types and mappers, src/collectors/kubernetes/kinds.ts) is keyed by the kinds
 * whose entry names that collector, so the type checker asks for it.
 */
export interface KindEntry<S extends z.ZodObject = z.ZodObject, P extends Producer = Producer> {
  readonly schema: S;
  readonly plane: P['plane'];
  readonly collectors: P['collectors'];
}

/** The entries of kinds that share a producer: `defineKinds(producer, { kind: schema, … })`. */
export function defineKinds<const P extends Producer, S extends Readonly<Record<string, z.ZodObject>>>(
  producer: P,
  schemas: S,
): { readonly [K in keyof S]: KindEntry<S[K], P> } {
  const entries = Object.entries(schemas).map(([kind, schema]) => [kind, { schema, plane: producer.plane, collectors: producer.collectors }]);
  return Object.fromEntries(entries) as { readonly [K in keyof S]: KindEntry<S[K], P> };
}
