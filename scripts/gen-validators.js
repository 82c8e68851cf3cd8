// Part of `npm run build`: precompiles every kind's attribute validator into
// dist/inventory/kind-validators.generated.js (see src/inventory/kind-validators-module.ts).
import { writeFileSync } from 'node:fs';
import { kindValidatorsModule } from '../dist/inventory/kind-validators-module.js';

writeFileSync(new URL('../dist/inventory/kind-validators.generated.js', import.meta.url), kindValidatorsModule());
