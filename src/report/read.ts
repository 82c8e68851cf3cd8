import { readFile } from 'node:fs/promises';
import { ZtError } from '../errors/zt-error.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../model/report.js';
import { withoutBom } from '../text/json-text.js';

/** Reads a JSON report written by `zt audit -f json`, refusing other tools' files and other versions. */
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
  return candidate as Report;
}
