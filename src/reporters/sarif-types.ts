/**
 * The subset of SARIF 2.1.0 zt writes (names and shapes as in the OASIS schema).
 * Optional members are left out rather than set to undefined, so JSON output is stable.
 */

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** SARIF 2.1.0 §3.33. In run.logicalLocations, `parentIndex` names the containing one; in a result, `index` names its entry there. */
export interface SarifLogicalLocation {
  index?: number;
  fullyQualifiedName: string;
  name: string;
  kind: string;
  parentIndex?: number;
}

export interface SarifLocation {
  /** Set on related locations, which results refer to by it. */
  id?: number;
  physicalLocation?: {
    artifactLocation: SarifArtifactLocation;
    region?: { startLine: number; startColumn?: number; endLine?: number };
  };
  logicalLocations?: SarifLogicalLocation[];
  /** On related locations: what this place has to do with the result. */
  message?: SarifMessage;
}

export type SarifPropertyBag = Record<string, unknown>;

export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
  properties: SarifPropertyBag & { tags: string[] };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  /** Other places the result involves (other admitting rules, a finding's second and later containers), each at its line. */
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  /** Present on waived findings: the accepted risk, with its justification. */
  suppressions?: SarifSuppression[];
  properties: SarifPropertyBag;
}

export interface SarifSuppression {
  kind: 'external' | 'inSource';
  status: 'accepted' | 'underReview' | 'rejected';
  justification: string;
  properties?: SarifPropertyBag;
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor: { id: string };
  associatedRule?: { id: string; index?: number };
  locations?: SarifLocation[];
  properties?: SarifPropertyBag;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications: SarifNotification[];
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      version: string;
      semanticVersion: string;
      rules: SarifReportingDescriptor[];
    };
  };
  invocations: SarifInvocation[];
  originalUriBaseIds?: Record<string, { uri?: string; description?: SarifMessage }>;
  /** Every result's logical location and the ones containing it (the target, the Kubernetes namespace), each once. */
  logicalLocations?: SarifLogicalLocation[];
  results: SarifResult[];
  properties: SarifPropertyBag;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}
