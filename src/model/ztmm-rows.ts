import type { ZtmmRow } from './ztmm-model.js';
import { ztmmModel } from './ztmm-v2.js';
import type { PillarId } from './ztmm.js';

const rowsById = new Map<string, { row: ZtmmRow; pillar: PillarId }>(
  ztmmModel.pillars.flatMap((p) => p.rows.map((row) => [row.id, { row, pillar: p.id }] as const)),
);

export function findRow(id: string): { row: ZtmmRow; pillar: PillarId } | undefined {
  return rowsById.get(id);
}

export function allRowIds(): readonly string[] {
  return [...rowsById.keys()];
}
