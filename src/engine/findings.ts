import type { Resource } from '../inventory/snapshot.js';
import type { Finding, FindingElement, FindingResource } from '../model/finding.js';
import type { Outcome } from './outcome.js';
import type { DerivedParts } from './resource-view.js';

/** The resource as findings name it. */
export function findingResource(resource: Resource): FindingResource {
  const { file, line, source } = resource.provenance;
  // Built key by key (not with spreads): this runs once per resource with findings.
  const out: { -readonly [K in keyof FindingResource]: FindingResource[K] } = { kind: resource.kind, id: resource.id, name: resource.name, source };
  if (file !== undefined) out.file = file;
  if (line !== undefined) out.line = line;
  return out;
}

/** A failing finding, as one literal with its keys in the report's order: one allocation, no added properties. */
export function failFinding(ruleId: string, resource: FindingResource, message: string, fingerprint: string): Finding {
  return { ruleId, status: 'fail', resource, message, fingerprint };
}

/** A failing finding with structured evidence (the rule's `evidence` field), keys in the report's order. */
export function failFindingWithEvidence(ruleId: string, resource: FindingResource, message: string, evidence: Readonly<Record<string, unknown>>, fingerprint: string): Finding {
  return { ruleId, status: 'fail', resource, message, evidence, fingerprint };
}

/** A failing finding that names the elements it fails on (culprits.ts), keys in the report's order. */
export function failFindingOnElements(
  ruleId: string,
  resource: FindingResource,
  message: string,
  evidence: Readonly<Record<string, unknown>> | undefined,
  elements: readonly FindingElement[],
  fingerprint: string,
): Finding {
  return evidence === undefined ? { ruleId, status: 'fail', resource, message, elements, fingerprint } : { ruleId, status: 'fail', resource, message, evidence, elements, fingerprint };
}

/** An error finding, or a listed pass, key by key in the report's order. */
export function otherFinding(ruleId: string, outcome: Outcome, resource: FindingResource, fingerprint: string): Finding {
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = { ruleId, status: outcome.status, resource } as Finding;
  if (outcome.error) finding.error = outcome.error;
  finding.fingerprint = fingerprint;
  return finding;
}

/** The values a message template can use: meta fields, then derived facts, then attributes. */
export function messageValues(resource: Resource, derived: DerivedParts): (name: string) => unknown {
  return (name) => {
    switch (name) {
      case 'name':
        return resource.name;
      case 'id':
        return resource.id;
      case 'kind':
        return resource.kind;
      case 'source':
        return resource.provenance.source;
      default:
        for (let i = derived.length - 1; i >= 0; i--) {
          const part = derived[i] as Readonly<Record<string, unknown>>;
          if (Object.hasOwn(part, name)) return part[name];
        }
        return resource.attributes[name];
    }
  };
}
