import { renderDoctorJson, renderDoctorTable } from '../../app/doctor-render.js';
import { diagnoseSources } from '../../app/doctor.js';
import type { Probe } from '../../collectors/doctor.js';
import { readNetwork } from '../../collectors/read-network.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { activeSources } from '../../collectors/sources.js';
import { defaultConfig } from '../../config/config.js';
import { ZtError } from '../../errors/zt-error.js';
import { collectorContext } from '../collection.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';

export const doctorFormats = ['table', 'json'] as const;

/**
 * `zt doctor [source flags]`: for each chosen live target, the credential found, whether
 * the API answers and how fast, and every permission zt needs, checked at the source.
 * Exit 0 when everything is in place, 3 otherwise; bad flags exit 2. Only the chosen
 * sources' code (and SDKs) load.
 */
export async function runDoctor(options: CommandOptions, io: Io): Promise<number> {
  const format = options.choice('format', doctorFormats, 'table');
  const site = { cwd: io.cwd, env: io.env };
  const probes: Probe[] = [];
  for (const source of activeSources()) probes.push(...(await source.probes(options, site)));
  if (probes.length === 0) {
    throw new ZtError('ZT_NO_SOURCE', 'zt doctor checks live sources, and none was chosen', {
      hint: 'Choose one or more: --kubernetes (or --context <name>), --aws (or --profile, --role-arn), --okta <org-url>, --entra <tenant-id>. Offline input (exports, manifests) needs no permission.',
    });
  }
  const network = readNetwork({ caFile: options.string('caFile'), live: true }, site);
  const controller = new AbortController();
  const context = collectorContext(io, () => undefined, controller.signal, defaultConfig, network);
  const report = await diagnoseSources(probes, context);
  io.stdout(format === 'json' ? renderDoctorJson(report) : renderDoctorTable(report));
  return report.ready ? ExitCode.OK : ExitCode.INCOMPLETE;
}
