/**
 * The two independent SARIF checks the reporter tests use:
 *  - the official SARIF 2.1.0 JSON schema (the copy shipped in @microsoft/jest-sarif),
 *    validated with the Ajv that package itself uses (Ajv 6, the last Ajv with built-in
 *    JSON Schema draft-04 support, which is the draft the schema declares);
 *  - Microsoft's SARIF validator (sarif-multitool) with its SARIF and GitHub rule sets.
 */
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

interface AjvError {
  readonly dataPath?: string;
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: unknown;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: readonly AjvError[] | null;
}
interface Ajv6 {
  addMetaSchema(schema: unknown): unknown;
  compile(schema: unknown): AjvValidate;
}
type Ajv6Constructor = new (options: Record<string, unknown>) => Ajv6;

let schemaValidator: AjvValidate | undefined;

function sarifSchemaValidator(): AjvValidate {
  if (schemaValidator) return schemaValidator;
  const jestSarif = dirname(require.resolve('@microsoft/jest-sarif/package.json'));
  const schema = JSON.parse(readFileSync(join(jestSarif, 'lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as { $schema: string };
  if (schema.$schema !== 'http://json-schema.org/draft-04/schema#') {
    throw new Error(`expected the SARIF schema to declare draft-04, it declares ${schema.$schema}`);
  }
  // Resolve ajv from jest-sarif's own folder: its dependency (Ajv 6), not the project's Ajv 8.
  const fromJestSarif = createRequire(join(jestSarif, 'package.json'));
  const ajvVersion = (fromJestSarif('ajv/package.json') as { version: string }).version;
  if (!ajvVersion.startsWith('6.')) throw new Error(`expected Ajv 6 beside @microsoft/jest-sarif, found ${ajvVersion}`);
  const Ajv = fromJestSarif('ajv') as Ajv6Constructor;
  // meta: false leaves out Ajv 6's default draft-07 meta-schema; draft-04 is added instead.
  const ajv = new Ajv({ schemaId: 'id', meta: false, allErrors: true, format: 'full' });
  ajv.addMetaSchema(fromJestSarif('ajv/lib/refs/json-schema-draft-04.json'));
  schemaValidator = ajv.compile(schema);
  return schemaValidator;
}

/** Schema errors of a SARIF log, as readable lines (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  const validate = sarifSchemaValidator();
  if (validate(log)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.dataPath ?? e.instancePath ?? ''} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`,
  );
}

/**
 * Path of an executable sarif-multitool. The npm package is a .NET single-file binary
 * made executable by a postinstall script; when scripts were skipped at install time it
 * is not executable, so a copy with the exec bit is kept in the temp folder.
 */
function multitoolBinary(): string {
  const packaged = require('@microsoft/sarif-multitool') as string;
  try {
    accessSync(packaged, constants.X_OK);
    return packaged;
  } catch {
    const version = (require('@microsoft/sarif-multitool/package.json') as { version: string }).version;
    const dir = join(tmpdir(), `zt-sarif-multitool-${version}-${process.platform}-${process.arch}`);
    const copy = join(dir, 'Sarif.Multitool');
    if (!existsSync(copy) || statSync(copy).size !== statSync(packaged).size) {
      mkdirSync(dir, { recursive: true });
      const partial = `${copy}.${process.pid}.tmp`;
      copyFileSync(packaged, partial);
      chmodSync(partial, 0o755);
      renameSync(partial, copy);
    }
    return copy;
  }
}

export interface ValidatorFinding {
  readonly ruleId: string;
  readonly level: string;
  readonly file: string;
  readonly line: number | undefined;
  readonly text: string;
}

interface ValidatorLog {
  runs: {
    invocations?: { executionSuccessful?: boolean; toolExecutionNotifications?: { message?: { text?: string } }[] }[];
    tool: {
      driver: {
        rules?: {
          id: string;
          defaultConfiguration?: { level?: string };
          messageStrings?: Record<string, { text?: string }>;
        }[];
      };
    };
    results?: {
      ruleId: string;
      ruleIndex?: number;
      level?: string;
      message: { text?: string; id?: string; arguments?: string[] };
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
    }[];
  }[];
}

/**
 * Runs `sarif-multitool validate --rule-kind "Sarif;Gh"` over the files and returns every
 * validator result, notes included (each with its effective level), so callers can check
 * both that nothing is wrong and that each file was really analysed.
 */
export function runMultitool(files: readonly string[], workDir: string): ValidatorFinding[] {
  // A fresh folder per run: the validator will not overwrite an existing output file,
  // and an old one must never be read as this run's verdict.
  const output = join(mkdtempSync(join(workDir, 'validation-')), 'validation.sarif');
  const args = ['validate', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note', '--output', output, ...files];
  try {
    execFileSync(multitoolBinary(), args, {
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: 120_000,
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
  } catch (error) {
    // A non-zero exit still writes the log when results are errors; a crash does not.
    if (!existsSync(output)) throw error;
  }
  const log = JSON.parse(readFileSync(output, 'utf8')) as ValidatorLog;
  const run = log.runs[0];
  if (!run) throw new Error('the validator wrote no run');
  const invocation = run.invocations?.[0];
  if (invocation?.executionSuccessful !== true) {
    const notes = (invocation?.toolExecutionNotifications ?? []).map((n) => n.message?.text ?? '').join('\n');
    throw new Error(`the validator did not run successfully:\n${notes}`);
  }
  const rules = run.tool.driver.rules ?? [];
  return (run.results ?? []).map((r) => {
    const rule = r.ruleIndex !== undefined ? rules[r.ruleIndex] : rules.find((x) => x.id === r.ruleId);
    const template = r.message.id ? rule?.messageStrings?.[r.message.id]?.text : undefined;
    const text =
      r.message.text ??
      (template ?? `${r.message.id ?? ''} {0} {1} {2}`).replace(/\{(\d+)\}/g, (_, i: string) => r.message.arguments?.[Number(i)] ?? '');
    const location = r.locations?.[0]?.physicalLocation;
    return {
      ruleId: r.ruleId,
      // SARIF: an absent level defaults to the rule's configured level, else "warning".
      level: r.level ?? rule?.defaultConfiguration?.level ?? 'warning',
      file: location?.artifactLocation?.uri ?? '',
      line: location?.region?.startLine,
      text,
    };
  });
}
