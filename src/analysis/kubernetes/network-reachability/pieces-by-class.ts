/**
 * Part of step 3 — for one side of the allow pieces (sources or destinations), which
 * pieces hold each pod class, stored as groups. Pieces whose side is the same class-set
 * object form one group (selector matching is memoised in ReachabilityIndex, so rules with
 * the same selector share a set), and a class lists the group once. A selector matching
 * every class then costs one entry per class however many rules use it, instead of one
 * per class per rule (classes × rules entries, which dominated the analysis).
 */
export class PiecesByClass {
  private readonly groupOfSet = new Map<object, number>();
  private readonly groupPieces: number[][] = [];
  private readonly groupsOfClass: number[][];

  constructor(classCount: number) {
    this.groupsOfClass = Array.from({ length: classCount }, () => []);
  }

  /** Records that piece `pieceId` holds every class of `set` on this side. */
  add(pieceId: number, set: { readonly idx: Int32Array }): void {
    let group = this.groupOfSet.get(set);
    if (group === undefined) {
      group = this.groupPieces.length;
      this.groupOfSet.set(set, group);
      this.groupPieces.push([]);
      for (const c of set.idx) (this.groupsOfClass[c] as number[]).push(group);
    }
    (this.groupPieces[group] as number[]).push(pieceId);
  }

  /** Equal for two classes held by the same groups, hence by the same pieces. */
  key(classIndex: number): string {
    return (this.groupsOfClass[classIndex] as number[]).join(',');
  }

  /** Ids of the pieces that hold the class. */
  pieces(classIndex: number): number[] {
    const out: number[] = [];
    for (const group of this.groupsOfClass[classIndex] as number[]) for (const id of this.groupPieces[group] as number[]) out.push(id);
    return out;
  }
}
