/** How outputs show a time that may be unknown (a snapshot or source whose input does not say when it was taken). */
export const UNKNOWN_TIME_TEXT = 'time unknown (no --as-of)';

/** ", as of <time>" for a source that records its as-of time (null: unknown); '' for one from a snapshot written before zt did. */
export function sourceAsOfText(asOf: string | null | undefined): string {
  if (asOf === undefined) return '';
  return asOf === null ? `, ${UNKNOWN_TIME_TEXT}` : `, as of ${asOf}`;
}

/** The time as recorded, or UNKNOWN_TIME_TEXT. */
export function timeText(iso: string | null | undefined): string {
  return iso ?? UNKNOWN_TIME_TEXT;
}

/** A date-time with seconds optional, fractions allowed, and a zone (Z or ±hh:mm). */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date-time with its time zone (`2026-03-01T09:00:00Z`, `2026-03-01T10:00+01:00`),
 * as --as-of, an export's `exportedAt` and a credential report's GeneratedTime give it; undefined
 * for anything else, including dates that do not exist (2026-02-30, 24:00): Date.parse
 * would roll those over into another day.
 */
export function parseIsoDateTime(text: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const exists =
    local.getUTCFullYear() === year && local.getUTCMonth() === month - 1 && local.getUTCDate() === day && local.getUTCHours() === hour && local.getUTCMinutes() === minute && local.getUTCSeconds() === second;
  if (!exists || Number(m[8] ?? 0) > 23 || Number(m[9] ?? 0) > 59) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
