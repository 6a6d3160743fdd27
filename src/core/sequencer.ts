/**
 * The per-connection sequencer (SPEC section 6): seq 1, 2, 3, ... assigned at send time.
 */

/** Next sequence number to hand out; starts at 1 and only grows. */
export interface Sequencer {
  readonly next: number;
}

/** A fresh sequencer for a new connection. Pure. */
export function initialSequencer(): Sequencer {
  return { next: 1 };
}

/**
 * Takes the next sequence number. Pure: returns the number and the advanced sequencer.
 *
 * @example
 * const { seq, sequencer } = takeSeq(initialSequencer()); // seq === 1, sequencer.next === 2
 */
export function takeSeq(sequencer: Sequencer): { readonly seq: number; readonly sequencer: Sequencer } {
  const seq = sequencer.next;
  // Positive space: seq is a positive integer. A gap or repeat would break P8 silently.
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`sequencer corrupted: next=${seq}`);
  return { seq, sequencer: { next: seq + 1 } };
}

/**
 * Whether `seqs` is exactly 1..n in order (what P8 requires of one connection's deliveries). Pure.
 *
 * @example isContiguousFromOne([1, 2, 3]) // true; isContiguousFromOne([1, 3]) // false
 */
export function isContiguousFromOne(seqs: readonly number[]): boolean {
  return seqs.every((seq, index) => seq === index + 1);
}
