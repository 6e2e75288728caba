/**
 * A number column of a lab series (labStore.ts): an append-only list in blocks of 1,024 entries.
 * A plain array that outgrows its space copies itself into one half as large again: the copies
 * come to about twice what the array holds, garbage that for the long columns of a large record
 * lands in the old generation, where each collection marks the patient's whole input. A column
 * never copies what it holds: the first block grows like a plain array (the short series of an
 * ordinary record stay small), every later one is made at its full size.
 *
 * Numbers and strings have a class each: V8 keeps the numbers of an array unboxed while the
 * array holds nothing else, and code shared with lists of strings would make it box them.
 */
const BLOCK_BITS = 10;
const BLOCK = 1 << BLOCK_BITS;
const IN_BLOCK = BLOCK - 1;

export class NumberColumn {
  length = 0;
  private readonly blocks: number[][] = [[]];

  push(v: number): void {
    const i = this.length++;
    if (i < BLOCK) {
      this.blocks[0].push(v);
      return;
    }
    if (i >>> BLOCK_BITS === this.blocks.length) this.blocks.push(new Array<number>(BLOCK));
    this.set(i, v);
  }

  get(i: number): number {
    return this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK];
  }

  set(i: number, v: number): void {
    this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK] = v;
  }
}

/** The same blocks for a column of strings (a series' references and sort keys). */
export class StringColumn {
  length = 0;
  private readonly blocks: string[][] = [[]];

  push(v: string): void {
    const i = this.length++;
    if (i < BLOCK) {
      this.blocks[0].push(v);
      return;
    }
    if (i >>> BLOCK_BITS === this.blocks.length) this.blocks.push(new Array<string>(BLOCK));
    this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK] = v;
  }

  get(i: number): string {
    return this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK];
  }
}
