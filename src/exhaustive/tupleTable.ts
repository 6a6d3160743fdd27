/**
 * A compact hash set of fixed-width integer tuples (the global states of the product
 * search): open addressing over typed arrays, no string keys, no per-state object. Entries
 * keep their insertion order, so a breadth-first search reads its queue straight from it.
 */

/**
 * Fixed-width int32 tuples, deduplicated, indexed by insertion order.
 *
 * @example
 * const t = new TupleTable(2);
 * t.add([3, 1]); // 0
 * t.add([3, 1]); // -1 (already there)
 */
export class TupleTable {
  /** Tuples, `width` ints each, in insertion order. */
  private data: Int32Array;
  /** Slot -> tuple index + 1 (0: empty). */
  private slots: Int32Array;
  private mask: number;
  count = 0;

  constructor(readonly width: number) {
    this.data = new Int32Array(1024 * width);
    this.slots = new Int32Array(2048);
    this.mask = this.slots.length - 1;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return this.data.byteLength + this.slots.byteLength;
  }

  /** Element `j` of tuple `index`. */
  at(index: number, j: number): number {
    return this.data[index * this.width + j] ?? 0;
  }

  /** Copies tuple `index` into `out`. */
  read(index: number, out: Int32Array | number[]): void {
    const base = index * this.width;
    for (let j = 0; j < this.width; j++) out[j] = this.data[base + j] ?? 0;
  }

  /** Index of `tuple`, or -1 when absent. */
  find(tuple: ArrayLike<number>): number {
    let slot = hash(tuple, this.width) & this.mask;
    for (;;) {
      const entry = this.slots[slot] ?? 0;
      if (entry === 0) return -1;
      if (this.equals(entry - 1, tuple)) return entry - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds `tuple`; returns its new index, or -1 when it was already there. */
  add(tuple: ArrayLike<number>): number {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    let slot = hash(tuple, this.width) & this.mask;
    for (;;) {
      const entry = this.slots[slot] ?? 0;
      if (entry === 0) break;
      if (this.equals(entry - 1, tuple)) return -1;
      slot = (slot + 1) & this.mask;
    }
    const index = this.count++;
    if ((index + 1) * this.width > this.data.length) {
      const data = new Int32Array(this.data.length * 2);
      data.set(this.data);
      this.data = data;
    }
    const base = index * this.width;
    for (let j = 0; j < this.width; j++) this.data[base + j] = tuple[j] ?? 0;
    this.slots[slot] = index + 1;
    return index;
  }

  private equals(index: number, tuple: ArrayLike<number>): boolean {
    const base = index * this.width;
    for (let j = 0; j < this.width; j++) if (this.data[base + j] !== tuple[j]) return false;
    return true;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const tuple = new Int32Array(this.width);
    for (let index = 0; index < this.count; index++) {
      this.read(index, tuple);
      let slot = hash(tuple, this.width) & mask;
      while ((slots[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** FNV-1a over the tuple's ints, then a final avalanche (murmur3 fmix32). */
function hash(tuple: ArrayLike<number>, width: number): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < width; j++) {
    h ^= tuple[j] ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
