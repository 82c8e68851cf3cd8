import type { NetworkResult } from '../analysis/kubernetes/network-query/results.js';
import { renderNetworkDot } from './render-dot.js';
import { renderNetworkMermaid } from './render-mermaid.js';
import { renderNetworkTable } from './render-table.js';

/** The formats of `zt network`: the answer for a terminal, for programs, and as a picture. */
export const networkFormats = ['table', 'json', 'dot', 'mermaid', 'html'] as const;
export type NetworkFormat = (typeof networkFormats)[number];

/** Every format but the HTML page, which draws a matrix with its explanations (render-html.ts). */
export function renderNetwork(result: NetworkResult, format: Exclude<NetworkFormat, 'html'>, width = 100): string {
  switch (format) {
    case 'table':
      return renderNetworkTable(result, width);
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'dot':
      return renderNetworkDot(result);
    case 'mermaid':
      return renderNetworkMermaid(result);
    default:
      return format satisfies never;
  }
}
