import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { ZtError } from '../errors/zt-error.js';
import { ztYamlSchema } from '../text/yaml-schema.js';

/**
 * What the snapshot cannot tell about how the planes connect, declared by the user
 * (`zt access-review --identity-map <file>`, YAML or JSON): EKS aws-auth mappings and
 * access entries (AWS role/user ARN → Kubernetes user and groups), IdP group → AWS role
 * assignments (the Okta AWS app or IAM Identity Center), and the prefix a cluster's
 * OIDC authenticator puts on IdP group names. Edges drawn from it are "declared".
 */
export const identityMapSchema = z.strictObject({
  eks: z
    .array(
      z.strictObject({
        cluster: z.string().min(1),
        /** IAM role or user ARN. */
        arn: z.string().min(1),
        username: z.string().optional(),
        groups: z.array(z.string()).default([]),
        /** EKS access policies of an access entry, e.g. AmazonEKSClusterAdminPolicy; namespaces empty = cluster-wide. */
        accessPolicies: z.array(z.strictObject({ policy: z.string(), namespaces: z.array(z.string()).default([]) })).default([]),
        source: z.enum(['aws-auth', 'access-entry']).default('aws-auth'),
      }),
    )
    .default([]),
  federation: z
    .array(
      z.strictObject({
        /** IdP group name or id. */
        idpGroup: z.string().min(1),
        roleArn: z.string().min(1),
      }),
    )
    .default([]),
  /** Kubernetes group names are IdP group names with this prefix (OIDC groups claim, e.g. "oidc:"). */
  oidcGroupPrefix: z.string().optional(),
});

export type IdentityMap = z.infer<typeof identityMapSchema>;

export function parseIdentityMap(text: string, file: string): IdentityMap {
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: ztYamlSchema });
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new ZtError('ZT_USAGE', `--identity-map ${file}: ${(error as { reason?: string }).reason ?? String(error)}`, {
      location: mark ? { file, line: mark.line + 1 } : { file },
    });
  }
  const parsed = identityMapSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ZtError('ZT_USAGE', `--identity-map ${file}: ${(issue?.path ?? []).join('.') || '(document)'}: ${issue?.message ?? 'invalid'}`, {
      location: { file },
      hint: 'See docs/access-review.md "Identity map" for the format.',
    });
  }
  return parsed.data;
}

export async function readIdentityMap(path: string, display: string): Promise<IdentityMap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read identity map ${display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file: display },
      cause: error,
    });
  }
  return parseIdentityMap(text, display);
}
