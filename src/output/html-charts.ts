import { esc } from './html-page.js';

/** Inline SVG charts for zt's HTML pages, drawn from the data alone (no library, deterministic bytes). */

export interface Bar {
  readonly label: string;
  readonly segments: readonly { readonly name: string; readonly value: number; readonly colour: string }[];
}

/** Horizontal stacked bars with a legend; sizes from the data only (deterministic). */
export function barChart(id: string, title: string, bars: readonly Bar[]): string {
  const width = 460;
  const labelWidth = 130;
  const barHeight = 22;
  const gap = 10;
  const max = Math.max(1, ...bars.map((b) => b.segments.reduce((n, s) => n + s.value, 0)));
  const scale = (width - labelWidth - 40) / max;
  const legend = [...new Map(bars.flatMap((b) => b.segments.map((s) => [s.name, s.colour] as const))).entries()];
  const height = bars.length * (barHeight + gap) + 34;
  const parts: string[] = [];
  parts.push(`<svg id="${esc(id)}" class="chart" role="img" aria-labelledby="${esc(id)}-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`);
  parts.push(`<title id="${esc(id)}-t">${esc(title)}</title>`);
  bars.forEach((bar, i) => {
    const y = i * (barHeight + gap);
    parts.push(`<text x="0" y="${y + 15}" class="lbl">${esc(bar.label)}</text>`);
    let x = labelWidth;
    let total = 0;
    for (const s of bar.segments) {
      if (s.value === 0) continue;
      const w = Math.max(2, Math.round(s.value * scale));
      parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${barHeight}" fill="${s.colour}"><title>${esc(`${bar.label}: ${s.name} ${s.value}`)}</title></rect>`);
      x += w;
      total += s.value;
    }
    parts.push(`<text x="${x + 6}" y="${y + 15}" class="num">${total}</text>`);
  });
  let lx = 0;
  const ly = bars.length * (barHeight + gap) + 14;
  for (const [name, colour] of legend) {
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour}"></rect><text x="${lx + 16}" y="${ly}" class="lgd">${esc(name.replace(/_/g, ' '))}</text>`);
    lx += 22 + name.length * 7;
  }
  parts.push('</svg>');
  return parts.join('');
}

