/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * `; did you mean "json"?` for a value close to one of `choices` (case-insensitive, at most a
 * third of its letters off), else the empty string: a suggestion, never a list of them all.
 */
export function didYouMean(value: string, choices: readonly string[]): string {
  const given = value.toLowerCase();
  let best: { choice: string; distance: number } | undefined;
  for (const choice of choices) {
    const d = distance(given, choice.toLowerCase());
    if (best === undefined || d < best.distance) best = { choice, distance: d };
  }
  if (best === undefined || best.distance === 0 || best.distance > Math.max(1, Math.floor(best.choice.length / 3))) return '';
  return `; did you mean "${best.choice}"?`;
}

/**
 * The suggestion when one is close, else the accepted values in brackets when they are few
 * (`max`), else nothing: the caller's hint says where to look them up.
 */
export function didYouMeanOrList(value: string, choices: readonly string[], max = 12): string {
  const suggestion = didYouMean(value, choices);
  if (suggestion) return suggestion;
  return choices.length <= max ? ` (one of ${choices.join(', ')})` : '';
}
