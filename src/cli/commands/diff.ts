import { diffReports } from '../../diff/diff.js';
import { renderDiff, type DiffFormat } from '../../diff/render.js';
import { readReport } from '../../report/read.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { writeOutput } from '../write-output.js';
import { fileRef } from './audit.js';

/** `zt diff old.json new.json`: what changed between two audits. Informational: exit 0. */
export async function runDiff(oldFile: string, newFile: string, format: DiffFormat, io: Io): Promise<number> {
  const before = await readReport(fileRef(io, oldFile).path);
  const after = await readReport(fileRef(io, newFile).path);
  await writeOutput(io, format, undefined, [renderDiff(diffReports(before, after), format, io.columns)]);
  return ExitCode.OK;
}
