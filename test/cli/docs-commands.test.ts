import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommanderError, type Command } from '../../src/cli/commander.js';
import { memoryIo } from '../../src/cli/io.js';
import { createProgram } from '../../src/cli/program.js';

/**
 * Every `zt …` command shown in a code block of README.md and docs/*.md is parsed by zt's
 * own command line (commander, with every action replaced by one that does nothing): the
 * command exists, every flag is one it takes, values are among a flag's choices, the
 * arguments are the ones it takes, a single-value flag is not given twice. A renamed flag or
 * command then fails here, not in a newcomer's terminal.
 */

const root = join(import.meta.dirname, '..', '..');
const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Shown {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/**
 * The command lines of a Markdown file's fenced code blocks: lines that start with `zt `, or a
 * CI step's `run: … zt …`; continuations joined. A block right after the comment
 * `<!-- zt-docs-test: skip (why) -->` is left out: its commands need what only its reader has
 * (the plugin a walk-through has them write, with its own flags).
 */
function commandsIn(file: string): Shown[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const shown: Shown[] = [];
  let fenced = false;
  let skipped = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      skipped = fenced && /<!-- zt-docs-test: skip\b/.test(lines[i - 1] ?? '');
      continue;
    }
    if (!fenced || skipped) continue;
    let text = line.trim().replace(/^(?:- )?run: (?:npx (?:--yes )?(?:--package \S+ )?)?(?=zt )/, '');
    if (!text.startsWith('zt ')) continue;
    const start = i + 1;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${(lines[++i] as string).trim()}`;
    shown.push({ file, line: start, text });
  }
  return shown;
}

/** Shell words, quotes removed; stops at a comment, a pipe, a redirection or a command separator. */
function words(text: string): string[] {
  const out: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else current = (current ?? '') + c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      current ??= '';
      continue;
    }
    if (/\s/.test(c)) {
      if (current !== undefined) out.push(current);
      current = undefined;
      continue;
    }
    // A comment, pipe, redirection or `&&` starts a word; inside one (`<file>`, `workload|namespace`) they are text.
    if (current === undefined && (c === '#' || c === '|' || c === '>' || c === '&')) break;
    if (c === ';') break;
    current = (current ?? '') + c;
  }
  if (current !== undefined) out.push(current);
  return out;
}

/**
 * A synopsis as one command that exercises it: optional parts `[…]` included (the first of
 * `a|b`), `<source flags>` as a source's flag, a lone `…` (more of the same) left out.
 * Placeholders such as `<file>` stand as values.
 */
function argvOf(text: string): string[] | undefined {
  const expanded = text
    .replace(/\[([^\]]*)\]/g, (_all, inner: string) => inner.replace(/(\S+)\|\S+/g, '$1'))
    .replace(/<source flags>/g, '--kubernetes');
  const argv = words(expanded)
    .slice(1)
    .filter((w) => w !== '…');
  // `zt <command> --help`: a synopsis of every command, not one.
  if (argv[0]?.startsWith('<')) return undefined;
  return argv;
}

/** Every command's action does nothing: only the parse is judged (commands without one, `zt rules`, keep none). */
function withoutActions(command: Command): void {
  if ((command as unknown as { _actionHandler: unknown })._actionHandler) command.action(() => {});
  for (const sub of command.commands) withoutActions(sub);
}

async function parse(argv: readonly string[]): Promise<string> {
  const io = memoryIo({ columns: 100 });
  const program = await createProgram(io, { exitCode: 0, debug: false }, argv);
  withoutActions(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return '';
  } catch (error) {
    // Help and version, asked for, are printed: not mistakes.
    if (error instanceof CommanderError && ['commander.helpDisplayed', 'commander.version'].includes(error.code)) return '';
    return error instanceof Error ? error.message : String(error);
  }
}

const shown = files.flatMap(commandsIn);
/** Lists of commands (`zt --help, zt <command> --help`) and pipelines drawn with arrows (`zt collect … ─► zt audit …`) are split. */
const cases = shown.flatMap((s) => s.text.split(/(?:,|\s+─►)\s+(?=zt )/).map((text) => ({ ...s, text })));

describe('every zt command in README.md and docs/*.md parses', () => {
  it('finds the documented commands (README and the guides)', () => {
    expect(cases.length).toBeGreaterThan(60);
    expect([...new Set(cases.map((c) => c.file))]).toEqual(expect.arrayContaining(['README.md', 'docs/ci.md', 'docs/aws.md', 'docs/network-analysis.md', 'docs/access-review.md']));
  });

  it.each(cases.map((c) => [`${c.file}:${c.line}: ${c.text}`, c] as const))('%s', async (_name, c) => {
    const argv = argvOf(c.text);
    if (argv === undefined) return;
    expect(await parse(argv), `${c.file}:${c.line}: zt ${argv.join(' ')}`).toBe('');
  });

  it('the check fails on what it must: an unknown flag, a value not among the choices, a missing argument, an unknown command', async () => {
    expect(await parse(['audit', '--demo', '--frobnicate'])).toMatch(/has no option --frobnicate/);
    expect(await parse(['audit', '--demo', '-f', 'xml'])).toMatch(/--format "xml": not one of its values/);
    expect(await parse(['rules', 'show'])).toMatch(/needs <id>/);
    expect(await parse(['audt'])).toMatch(/has no command "audt"/);
    expect(await parse(['audit', '--fail-on', 'high', '--fail-on', 'low'])).toMatch(/--fail-on was given more than once/);
  });

  it('reads synopses as commands that exercise them', () => {
    expect(argvOf('zt rules list [--pillar networks] [--severity high] [-f json]')).toEqual(['rules', 'list', '--pillar', 'networks', '--severity', 'high', '-f', 'json']);
    expect(argvOf('zt network matrix [--namespace ns …] [--by workload|namespace]')).toEqual(['network', 'matrix', '--namespace', 'ns', '--by', 'workload']);
    expect(argvOf("zt audit --org --accounts 'prod-*' --exclude-accounts 111122223333,'*-sandbox'   # comment")).toEqual([
      'audit',
      '--org',
      '--accounts',
      'prod-*',
      '--exclude-accounts',
      '111122223333,*-sandbox',
    ]);
    expect(argvOf('zt audit -f json | jq .')).toEqual(['audit', '-f', 'json']);
    expect(argvOf('zt <command> --help')).toBeUndefined();
    expect(argvOf('zt network can-reach <from> <to> [--port 80/TCP]   # why')).toEqual(['network', 'can-reach', '<from>', '<to>', '--port', '80/TCP']);
  });
});
