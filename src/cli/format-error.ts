import { catalog } from '../errors/catalog.js';
import { ZtAggregateError, type SourceLocation, type ZtError } from '../errors/zt-error.js';

function where(location: SourceLocation | undefined, message: string): string | undefined {
  if (!location) return undefined;
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  // The path is shown unless the message already starts with it.
  if (location.path && !message.startsWith(`${location.path}:`)) text += ` (${location.path})`;
  return text;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function formatOne(error: ZtError, debug: boolean): string {
  const lines: string[] = [];
  const at = where(error.location, error.message);
  lines.push(at ? `  ${at}: ${error.message}` : `  ${error.message}`);
  if (error.location?.snippet) lines.push(indent(error.location.snippet, '    '));
  if (debug && error.stack) lines.push(indent(error.stack, '    '));
  return lines.join('\n');
}

/**
 * `✖ <title> (<CODE>)`, the location and message of each problem (with the CEL caret
 * snippet when there is one), then `hint:`. Stacks only with --debug.
 */
export function formatZtError(error: ZtError, debug = false): string {
  const parts = error instanceof ZtAggregateError ? error.errors : [error];
  const head = `✖ ${catalog[error.code].title} (${error.code})`;
  // A part's code and hint are shown when they are not the whole's (said once, below).
  const own = (e: ZtError): string => (e.code !== error.code ? `\n    [${e.code}] ${e.hint}` : e.hint !== error.hint ? `\n    hint: ${e.hint}` : '');
  const body = parts.map((e) => (e === error ? formatOne(e, debug) : `${formatOne(e, debug)}${own(e)}`)).join('\n');
  return `${head}\n${body}\n  hint: ${error.hint}\n`;
}

export function formatInternalError(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack ? `\n${indent(error.stack, '    ')}` : '';
  return `✖ ${catalog.ZT_INTERNAL.title} (ZT_INTERNAL)\n  ${message}${stack}\n  hint: ${catalog.ZT_INTERNAL.hint}\n`;
}
