import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fresh temporary folder with the given files (path → content). */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'zt-test-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

export const validRule = (id = 'ACME-IDN-1', extra = ''): string => `id: ${id}
title: Users have a factor
kind: idp.user
severity: high
ztmm:
  row: identity.authentication
  stage: initial
when: resource.status == "active"
assert: size(resource.factors) > 0
message: "{{login}} has no factor"
remediation: Enrol a factor.
references: [test]
${extra}`;
