/**
 * Duplicate detection by (resource type, id) for one pass over the input. An open-addressing table
 * of input positions in one Int32Array, sized once from the input length: no rehashing as it fills,
 * nothing allocated per resource, and no large hash table for the garbage collector to copy. (A
 * JavaScript Set of 100,000 ids was the most expensive single line of the engine: each rehash
 * re-reads every id string, scattered across the input.)
 */
type Identified = { resourceType?: unknown; id?: unknown };

/** FNV-1a over the UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class SeenIds {
  /** Input position + 1 of the first resource in each slot; 0 is empty. */
  private slots: Int32Array;
  private mask: number;

  constructor(private readonly resources: readonly unknown[]) {
    let size = 16;
    while (size < resources.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Whether a resource of this type with this id came earlier in the input; if not, remembers this one. */
  seenBefore(type: string, id: string, position: number): boolean {
    const slots = this.slots;
    for (let slot = hashOf(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = slots[slot];
      if (v === 0) {
        slots[slot] = position + 1;
        return false;
      }
      const other = this.resources[v - 1] as Identified;
      if (other.id === id && other.resourceType === type) return true;
    }
  }
}
