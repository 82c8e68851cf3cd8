/**
 * Set questions about IAM wildcard patterns (`*` any run of characters, `?` exactly one):
 * does the union of some patterns cover every string another pattern stands for, and do
 * they share any string at all. The evaluator asks them for "on every resource" and "on
 * some resource": `arn:aws:iam::111122223333:*` covers every user ARN of that account,
 * `arn:aws:*` covers every ARN of the partition, `arn:aws:iam::999999999999:*` shares no
 * ARN with the users of 111122223333.
 *
 * A pattern is a small automaton over its positions; the alphabet is the characters the
 * patterns name plus one "any other" character (every character none of them names
 * behaves alike), so both questions are a finite search over reachable states.
 */

/** One position of a pattern: a literal character, `*` (any run) or `?` (any one). */
export type GlobToken = string | typeof STAR | typeof ONE;
export const STAR = Symbol('*');
export const ONE = Symbol('?');

/** Tokens of an IAM wildcard pattern. */
export function globTokens(pattern: string): readonly GlobToken[] {
  return [...pattern].map((ch) => (ch === '*' ? STAR : ch === '?' ? ONE : ch));
}

const OTHER = '\u0000other';

/** Positions reachable from `pos` without reading (a `*` may match nothing). */
function close(tokens: readonly GlobToken[], pos: number, into: Set<number>): void {
  let p = pos;
  for (;;) {
    if (into.has(p)) return;
    into.add(p);
    if (p < tokens.length && tokens[p] === STAR) p++;
    else return;
  }
}

function step(tokens: readonly GlobToken[], pos: number, ch: string, into: Set<number>): void {
  if (pos >= tokens.length) return;
  const t = tokens[pos];
  if (t === STAR) close(tokens, pos, into);
  else if (t === ONE || t === ch) close(tokens, pos + 1, into);
}

function alphabet(all: readonly (readonly GlobToken[])[]): string[] {
  const out = new Set<string>([OTHER]);
  for (const tokens of all) for (const t of tokens) if (typeof t === 'string') out.add(t);
  return [...out];
}

/** States of several patterns at once: `index * (maxLength + 1) + position`. */
interface Multi {
  readonly patterns: readonly (readonly GlobToken[])[];
  readonly width: number;
}

function multiStart(m: Multi): number[] {
  const out: number[] = [];
  m.patterns.forEach((tokens, i) => {
    const set = new Set<number>();
    close(tokens, 0, set);
    for (const p of set) out.push(i * m.width + p);
  });
  return out.sort((a, b) => a - b);
}

function multiStep(m: Multi, states: readonly number[], ch: string): number[] {
  const out = new Set<number>();
  for (const s of states) {
    const i = Math.floor(s / m.width);
    const tokens = m.patterns[i] as readonly GlobToken[];
    const next = new Set<number>();
    step(tokens, s % m.width, ch, next);
    for (const p of next) out.add(i * m.width + p);
  }
  return [...out].sort((a, b) => a - b);
}

function multiAccepts(m: Multi, states: readonly number[]): boolean {
  return states.some((s) => s % m.width === (m.patterns[Math.floor(s / m.width)] as readonly GlobToken[]).length);
}

/** Beyond this many states the answer is "not shown" (false): never met by real ARNs. */
const LIMIT = 20_000;

/**
 * Every string `universe` stands for is matched by one of `patterns`: L(universe) ⊆ ∪ L(patterns).
 * False also when the search would exceed its bound.
 */
export function globCovers(patterns: readonly (readonly GlobToken[])[], universe: readonly GlobToken[]): boolean {
  if (patterns.length === 0) return false;
  if (patterns.some((p) => p.length > 0 && p.every((t) => t === STAR))) return true;
  const width = Math.max(universe.length, ...patterns.map((p) => p.length)) + 1;
  const m: Multi = { patterns, width };
  const sigma = alphabet([...patterns, universe]);
  const seen = new Set<string>();
  const start = new Set<number>();
  close(universe, 0, start);
  const queue: [number, number[]][] = [...start].map((u) => [u, multiStart(m)]);
  while (queue.length > 0) {
    const [u, states] = queue.pop() as [number, number[]];
    const key = `${u}|${states.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > LIMIT) return false;
    // A string of the universe that no pattern accepts.
    if (u === universe.length && !multiAccepts(m, states)) return false;
    for (const ch of sigma) {
      const next = new Set<number>();
      step(universe, u, ch, next);
      if (next.size === 0) continue;
      const after = multiStep(m, states, ch);
      for (const v of next) queue.push([v, after]);
    }
  }
  return true;
}

/** Some string is matched both by `universe` and by one of `patterns`. True also when the search would exceed its bound. */
export function globIntersects(patterns: readonly (readonly GlobToken[])[], universe: readonly GlobToken[]): boolean {
  for (const pattern of patterns) {
    const sigma = alphabet([pattern, universe]);
    const seen = new Set<string>();
    const queue: [number, number][] = [];
    const a = new Set<number>();
    const b = new Set<number>();
    close(universe, 0, a);
    close(pattern, 0, b);
    for (const x of a) for (const y of b) queue.push([x, y]);
    while (queue.length > 0) {
      const [x, y] = queue.pop() as [number, number];
      const key = `${x}|${y}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size > LIMIT) return true;
      if (x === universe.length && y === pattern.length) return true;
      for (const ch of sigma) {
        const nx = new Set<number>();
        const ny = new Set<number>();
        step(universe, x, ch, nx);
        step(pattern, y, ch, ny);
        for (const p of nx) for (const q of ny) queue.push([p, q]);
      }
    }
  }
  return false;
}
