import { readFile } from 'node:fs/promises';
import { ZtError } from '../errors/zt-error.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../model/report.js';
import { checkJsonShape } from '../text/json-shape.js';
import { withoutBom } from '../text/json-text.js';
import { reportSchema } from './report-schema.js';

/**
 * Reads a JSON report written by `zt audit -f json`, refusing other tools' files, other
 * versions, and values outside the documented enumerations (report-schema.ts: exit 2
 * naming the file, line and JSON path).
 */
export async function readReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ZtError('ZT_FILE_UNREADABLE', `cannot read report ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(text));
  } catch {
    throw new ZtError('ZT_REPORT_INVALID', `${file} is not JSON`, { location: { file } });
  }
  const candidate = raw as Partial<Report> & { tool?: { name?: unknown } };
  if (typeof candidate !== 'object' || candidate === null || candidate.tool?.name !== 'zt' || !Array.isArray(candidate.findings)) {
    throw new ZtError('ZT_REPORT_INVALID', `${file} is not a zt report (no "tool": {"name": "zt"} and findings)`, { location: { file } });
  }
  if (candidate.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new ZtError(
      'ZT_REPORT_INVALID',
      `${file} is a zt report of schemaVersion ${JSON.stringify(candidate.schemaVersion)}; this zt reads version ${REPORT_SCHEMA_VERSION}`,
      { location: { file, path: 'schemaVersion' }, hint: 'Re-run the audit with this zt version to get a comparable report.' },
    );
  }
  checkJsonShape(reportSchema, raw, { text, file }, {
    code: 'ZT_REPORT_INVALID',
    hint: 'The report was edited, or written by another tool: a value is outside what docs/report-format.md documents. Re-run `zt audit -f json` to get the report again.',
  });
  // The checked value is the parsed one unchanged (loose objects): the original is kept, not a copy of 100k findings.
  return raw as Report;
}
