import type { Resource } from './snapshot.js';

/**
 * Facts that belong to no one target but are seen from several (design §10, targets): an
 * AWS-managed policy (`arn:aws:iam::aws:policy/…`) is the same document in every account,
 * so audits of many accounts hold it once instead of refusing it as a conflict. Their
 * attributes must not carry anything per target (the AWS collector leaves an AWS-managed
 * policy's per-account usage counts null).
 */
export function isSharedFact(resource: Resource): boolean {
  return resource.kind === 'aws.iam.policy' && resource.attributes.awsManaged === true;
}
