import { catalog, type ErrorCode, type ExitClass } from './catalog.js';

/** Where in a user's file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** Dotted path inside the document, e.g. `assert` or `ztmm.row`. */
  readonly path?: string;
  /** A caret snippet showing the offending expression, already formatted. */
  readonly snippet?: string;
}

export interface ZtErrorOptions {
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly cause?: unknown;
}

/** An expected, user-facing failure. Anything else that is thrown is a bug (exit 4). */
export class ZtError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: ZtErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ZtError';
    this.code = code;
    this.hint = options.hint ?? catalog[code].hint;
    this.location = options.location;
  }

  get exitClass(): ExitClass {
    return catalog[this.code].exitClass;
  }
}

/** Many errors found in one pass (all rule errors are reported together). */
export class ZtAggregateError extends ZtError {
  readonly errors: readonly ZtError[];

  constructor(code: ErrorCode, errors: readonly ZtError[], summary: string) {
    super(code, summary);
    this.errors = errors;
  }
}

export function isZtError(value: unknown): value is ZtError {
  return value instanceof ZtError;
}
