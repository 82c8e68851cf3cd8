import { entraSource } from './entra/source.js';
import { kubernetesSource } from './kubernetes/source.js';
import { awsIamSource } from './aws-iam/source.js';
import { awsOrganizationsSource } from './aws-organizations/source.js';
import { oktaSource } from './okta/source.js';
import type { Source } from './source.js';

/**
 * Every source zt can collect from. Each entry lives in its collector's folder
 * (src/collectors/<id>/source.ts) and imports nothing heavy.
 */
export const sources: readonly Source[] = [awsIamSource, awsOrganizationsSource, entraSource, kubernetesSource, oktaSource];
