/**
 * The one redaction step for text zt does not write itself: error bodies, status messages
 * and library errors from the systems the collectors talk to. A server that echoes the
 * request's `Authorization` header in a 403 body, an exec credential plugin that prints its
 * token on failure, a JSON parser that quotes the body it choked on — whatever they say
 * reaches issues, snapshots, reports and the terminal only after `Redactor.redact`.
 *
 * Two things are taken out, both replaced by `[redacted]`:
 * - the credential values of this run, registered by each collector from the credentials
 *   it actually used (a kubeconfig token, the Okta API token, an Entra client secret or
 *   access token, an AWS secret key or session token), also in their URL- and JSON-escaped
 *   forms;
 * - credential-shaped text, whoever's it is: `user:password@` in a URL (a proxy's),
 *   `Bearer`/`SSWS`/`Basic` followed by a credential, `password=`/`token:`/`client_secret=`-style pairs, JWTs (`eyJ…`), AWS
 *   access key ids (the prefix is kept: `AKIA[redacted]`), and long random-looking blobs
 *   (32+ base64 characters mixing upper case, lower case and digits; 32+ hex digits).
 *
 * The collector boundary (`app/collect.ts`) applies it to every issue message, coverage
 * detail, progress line and error a collector lets out, so a collector cannot forget it;
 * collectors register the values and may call it earlier where a message is built.
 * Every pattern is a single character-class run or a fixed prefix: linear in the text.
 */

export const REDACTED = '[redacted]';

/** Shorter values are not registered: replacing every "abc" would garble messages and hide nothing. */
const MIN_SECRET_LENGTH = 6;

/** Where collectors register the credentials they use. */
export interface SecretSink {
  /** Registers credential values; empty, missing and very short values are ignored. */
  add(...values: readonly (string | null | undefined)[]): void;
}

const AUTH_SCHEME = /\b(bearer|ssws|basic)(\s+|%20|\+)([A-Za-z0-9._~+/=-]+)/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g;
const AWS_KEY_ID = /\b(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{12,}\b/g;
const SECRET_PAIR =
  /\b(authorization|password|passwd|pwd|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|security[_-]?token|x-amz-security-token|api[_-]?key|apikey|private[_-]?key|client[_-]?assertion|signature)(\s*["']?\s*[:=]\s*["']?)(?!\[redacted\])(?!(?:bearer|ssws|basic)\b)([^\s"'&,;<>]+)/gi;
/** `scheme://user:password@host`: a URL carrying its credentials (a proxy URL quoted by a library). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:]*:[^\s/?#@]*@/gi;
const BLOB = /[A-Za-z0-9+/_=-]{32,}/g;
const HEX = /\b[0-9a-fA-F]{32,}\b/g;

/** A credential after an auth scheme: SSWS always; Bearer/Basic when it is not an ordinary word. */
function schemeCredential(scheme: string, credential: string): boolean {
  if (scheme.toLowerCase() === 'ssws') return credential.length >= 4;
  return credential.length >= 8 && (/[\d._~+/=-]/.test(credential) || credential.length >= 20);
}

/** Random-looking: upper case, lower case and digits mixed. A run starting with `/` is a path (`/api/v1/users/00u…`). */
function looksRandom(run: string): boolean {
  return !run.startsWith('/') && /\d/.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run);
}

/** Credential-shaped text replaced, without knowing any value (see the module comment). */
export function redactPatterns(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(AUTH_SCHEME, (match, scheme: string, gap: string, credential: string) => (schemeCredential(scheme, credential) ? `${scheme}${gap}${REDACTED}` : match))
    .replace(JWT, REDACTED)
    .replace(AWS_KEY_ID, `$1${REDACTED}`)
    .replace(SECRET_PAIR, `$1$2${REDACTED}`)
    .replace(BLOB, (run) => (looksRandom(run) ? REDACTED : run))
    .replace(HEX, (run) => (/\d/.test(run) && /[a-fA-F]/.test(run) ? REDACTED : run));
}

/** The forms a value may take in an echo: as is, URL-encoded (a form body, a query), JSON-escaped. */
function formsOf(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

/** The credentials of one run, and the redaction step over everything a server or library said. */
export class Redactor implements SecretSink {
  private readonly secrets = new Set<string>();
  /** Longest first, so a value containing another is replaced whole. */
  private ordered: string[] = [];

  add(...values: readonly (string | null | undefined)[]): void {
    let added = false;
    for (const value of values) {
      if (typeof value !== 'string') continue;
      const trimmed = value.trim();
      if (trimmed.length < MIN_SECRET_LENGTH) continue;
      for (const form of formsOf(trimmed)) {
        if (this.secrets.has(form)) continue;
        this.secrets.add(form);
        added = true;
      }
    }
    if (added) this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  /** `text` with this run's credential values and credential-shaped text replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return redactPatterns(out);
  }

  /**
   * Redacts an error in place — its message, stack and every other string field (a
   * ZtError's hint), then its cause chain — and returns it, for errors that leave a
   * collector to be printed (`--debug` prints stacks).
   */
  redactError<T>(error: T): T {
    const seen = new Set<unknown>();
    let current: unknown = error;
    while (current instanceof Error && !seen.has(current) && seen.size < 8) {
      seen.add(current);
      const fields = current as unknown as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(current)) {
        const value = fields[key];
        if (typeof value !== 'string') continue;
        try {
          fields[key] = this.redact(value);
        } catch {
          // a read-only field: nothing a formatter prints
        }
      }
      current = current.cause;
    }
    return error;
  }
}
