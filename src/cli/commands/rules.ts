import { resolve } from 'node:path';
import { derivedFields } from '../../analysis/derived-fields.js';
import { casesFileFor, runRuleCases, type CaseOutcome } from '../../app/rule-tester.js';
import { engineMode, loadRules } from '../../app/rules.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import { isKind, knownKinds, schemaOf } from '../../inventory/kinds/index.js';
import { severities, type Severity } from '../../model/severity.js';
import { findRow } from '../../model/ztmm-rows.js';
import { pillarIds } from '../../model/ztmm.js';
import { readRuleCases } from '../../ruleset/cases.js';
import { displayPath } from '../../ruleset/load.js';
import type { RuleDefinition } from '../../ruleset/rule.js';
import { drawTable, layoutTable } from '../../output/text-table.js';
import { didYouMean, didYouMeanOrList } from '../../text/did-you-mean.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { writeOutput } from '../write-output.js';

/** A kind zt does not know, with the closest one when there is one (the 40 kinds are listed by `zt rules kinds`, not here). */
function unknownKind(where: string, kind: string): ZtError {
  return new ZtError('ZT_USAGE', `${where} ${kind}: not a resource kind${didYouMean(kind, knownKinds())}`, { hint: 'Run `zt rules kinds` for the kinds, `zt rules kinds <kind>` for its fields.' });
}

const gatesText = (rule: RuleDefinition): string =>
  rule.gates.map((g) => `${g.stage}${g.quantifier === 'all' ? '' : ` (${g.quantifier})`}`).join(', ') + (rule.supporting ? ' [supporting]' : '');

export async function listRules(options: CommandOptions, io: Io): Promise<number> {
  const pillar = options.string('pillar');
  if (pillar && !(pillarIds as readonly string[]).includes(pillar)) {
    throw new ZtError('ZT_USAGE', `--pillar ${pillar}: not a pillar${didYouMeanOrList(pillar, pillarIds)}`);
  }
  const severity = options.string('severity');
  if (severity && !(severities as readonly string[]).includes(severity)) {
    throw new ZtError('ZT_USAGE', `--severity ${severity}: not a severity${didYouMeanOrList(severity, severities)}`);
  }
  const kind = options.string('kind');
  // A kind no rule could have lists nothing: a typo must not read as "no rules apply".
  if (kind !== undefined && !isKind(kind)) throw unknownKind('--kind', kind);
  const { definitions } = await loadRules({ extraPaths: options.strings('rules').map((p) => resolve(io.cwd, p)) }, io.cwd);
  const selected = definitions.filter(
    (r) =>
      (!pillar || r.pillar === pillar) &&
      (!severity || severities.indexOf(r.severity) <= severities.indexOf(severity as Severity)) &&
      (!kind || r.kind === kind),
  );
  if (options.string('format') === 'json') {
    const rows = selected.map((r) => ({ id: r.id, title: r.title, severity: r.severity, kind: r.kind, row: r.row, gates: r.gates, supporting: r.supporting }));
    await writeOutput(io, 'json', undefined, [`${JSON.stringify(rows, null, 2)}\n`]);
    return ExitCode.OK;
  }
  // Fitted to the terminal (at least 60 columns): columns narrow from the widest, cells wrap (identifiers at their separators).
  const head = ['id', 'severity', 'ZTMM row', 'gates', 'title'];
  const layout = layoutTable(head, selected.map((r) => [r.id, r.severity, r.row, gatesText(r), r.title]), [12, 10, 12, 10, 22], Math.max(60, io.columns));
  const table = drawTable(head, layout.rows, layout.widths, { rowRules: true });
  io.stdout(`${table.join('\n')}\n${selected.length} rule${selected.length === 1 ? '' : 's'}\n`);
  return ExitCode.OK;
}

export async function showRule(id: string, options: CommandOptions, io: Io): Promise<number> {
  const { definitions } = await loadRules({ extraPaths: options.strings('rules').map((p) => resolve(io.cwd, p)) }, io.cwd);
  const rule = definitions.find((r) => r.id === id.toUpperCase());
  if (!rule) {
    throw new ZtError('ZT_RULE_NOT_FOUND', `no rule has the id ${id}${didYouMean(id, definitions.map((r) => r.id))}`);
  }
  const row = findRow(rule.row);
  const lines = [
    `${rule.id}  ${rule.title}`,
    '',
    `severity     ${rule.severity}`,
    `resource     ${rule.kind}`,
    `ZTMM row     ${rule.row} (${row?.row.name ?? '?'})`,
    `gates        ${gatesText(rule)}`,
    `file         ${rule.source.file}`,
    '',
    ...(rule.when ? [`when         ${rule.when}`] : []),
    `assert       ${rule.assert}`,
    `message      ${rule.message}`,
    '',
    `remediation  ${rule.remediation}`,
    'references',
    ...rule.references.map((r) => `  - ${r}`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return ExitCode.OK;
}

export async function validateRules(paths: readonly string[], io: Io): Promise<number> {
  const { definitions } = await loadRules({ extraPaths: paths.map((p) => resolve(io.cwd, p)), withoutBundled: paths.length > 0 }, io.cwd);
  io.stdout(`✔ ${definitions.length} rule${definitions.length === 1 ? '' : 's'} valid\n`);
  return ExitCode.OK;
}

export async function testRules(paths: readonly string[], io: Io): Promise<number> {
  const { compiled } = await loadRules({ extraPaths: paths.map((p) => resolve(io.cwd, p)), withoutBundled: paths.length > 0, engine: engineMode(io.env) }, io.cwd);
  let passed = 0;
  let failed = 0;
  for (const rule of compiled) {
    const file = casesFileFor(rule.definition.source.path);
    let outcomes: CaseOutcome[];
    if (!file) {
      outcomes = [{ group: 'valid', name: '(cases file)', ok: false, problem: `no cases file: add ${rule.definition.source.file.replace(/\.ya?ml$/, '.cases.yaml')}` }];
    } else {
      outcomes = runRuleCases(rule, await readRuleCases(file));
    }
    const bad = outcomes.filter((o) => !o.ok);
    passed += outcomes.length - bad.length;
    failed += bad.length;
    io.stdout(`${bad.length === 0 ? '✔' : '✖'} ${rule.definition.id} ${displayPath(file ?? rule.definition.source.file, io.cwd)} (${outcomes.length} case${outcomes.length === 1 ? '' : 's'})\n`);
    for (const o of bad) io.stdout(`    ✖ ${o.group} › ${o.name}: ${o.problem}\n`);
  }
  io.stdout(`\n${passed} passed, ${failed} failed\n`);
  return failed === 0 ? ExitCode.OK : ExitCode.GATE_FAILED;
}

type ZodDef = { type: string; shape?: Record<string, { _zod: { def: ZodDef } }>; innerType?: { _zod: { def: ZodDef } }; element?: { _zod: { def: ZodDef } } };

function describeType(def: ZodDef): string {
  switch (def.type) {
    case 'nullable':
      return `${describeType(def.innerType?._zod.def as ZodDef)} | null`;
    case 'optional':
      return `${describeType(def.innerType?._zod.def as ZodDef)}?`;
    case 'array':
      return `list<${describeType(def.element?._zod.def as ZodDef)}>`;
    case 'object':
      return 'map';
    case 'record':
      return 'map';
    default:
      return def.type;
  }
}

export async function listKinds(kind: string | undefined, io: Io): Promise<number> {
  if (kind === undefined) {
    io.stdout(`${knownKinds().join('\n')}\n`);
    return ExitCode.OK;
  }
  if (!isKind(kind)) throw unknownKind('zt rules kinds', kind);
  const shape = (schemaOf(kind) as unknown as { _zod: { def: ZodDef } })._zod.def.shape ?? {};
  const lines = [`${kind}`, '', 'collected fields (resource.<field>):'];
  for (const [name, schema] of Object.entries(shape)) lines.push(`  ${name}: ${describeType(schema._zod.def)}`);
  const derived = derivedFields(kind);
  if (Object.keys(derived).length > 0) {
    lines.push('', 'derived fields (from analysis):');
    for (const [name, text] of Object.entries(derived)) lines.push(`  ${name}: ${text}`);
  }
  lines.push('', 'also: meta.name, meta.id, meta.kind, meta.source, now (the snapshot time)');
  io.stdout(`${lines.join('\n')}\n`);
  return ExitCode.OK;
}
