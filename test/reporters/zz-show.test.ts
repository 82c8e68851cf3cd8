import { test } from 'vitest';
import { renderTable } from '../../src/reporters/table.js';
import { sampleReport } from '../../test/support/sample-report.js';
test('show', () => {
  process.stdout.write(renderTable(sampleReport(), { color: false, width: Number(process.env.W ?? 80) }));
});
