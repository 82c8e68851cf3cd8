// Regenerates the docs that are derived from code and rules (npm run docs).
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc, renderRulesDoc, renderZtmmDoc } from '../dist/app/docs.js';
import { renderPermissionsDoc } from '../dist/app/permissions-doc.js';
import { loadRules } from '../dist/app/rules.js';

const { definitions } = await loadRules({ extraPaths: [] });
writeFileSync('docs/errors.md', renderErrorsDoc());
writeFileSync('docs/rules.md', renderRulesDoc(definitions));
writeFileSync('docs/ztmm.md', renderZtmmDoc(definitions));
writeFileSync('docs/permissions.md', renderPermissionsDoc());
console.log(`docs/errors.md, docs/rules.md, docs/ztmm.md, docs/permissions.md written (${definitions.length} rules)`);
