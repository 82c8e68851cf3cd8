import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc, renderRulesDoc, renderZtmmDoc } from '../../src/app/docs.js';
import { renderPermissionsDoc } from '../../src/app/permissions-doc.js';
import { loadRules } from '../../src/app/rules.js';

// Generated docs must match the code and rules they describe: run `npm run docs` after a change.
describe('generated docs are up to date', async () => {
  const { definitions } = await loadRules({ extraPaths: [] });
  it.each([
    ['docs/errors.md', () => renderErrorsDoc()],
    ['docs/rules.md', () => renderRulesDoc(definitions)],
    ['docs/ztmm.md', () => renderZtmmDoc(definitions)],
    ['docs/permissions.md', () => renderPermissionsDoc()],
  ])('%s', (file, render) => {
    expect(readFileSync(file, 'utf8'), `${file} is stale: run npm run docs`).toBe(render());
  });
});
