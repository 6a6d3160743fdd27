/**
 * Breadth-first search over the product of K connections' local spaces, with broadcasts
 * as the one synchronising transition, symmetry reduction (the K local states are kept
 * sorted: connections are interchangeable) and partial-order reduction (once no broadcast
 * is left, connections are independent: one connection's moves form an ample set).
 */
import type { Finding } from './localModel.ts';
import type { LocalSpace } from './localSpace.ts';
import { TupleTable } from './tupleTable.ts';

/** Which reductions are on. */
export interface Reductions {
  readonly symmetry: boolean;
  readonly partialOrder: boolean;
}

/** Bounds of the search besides the local ones (emits, capacity). */
export interface ProductBounds {
  readonly connections: number;
  readonly broadcasts: number;
  readonly maxStates: number;
  /** Deepest BFS level explored (Infinity: until the space closes). */
  readonly maxDepth: number;
}

/** A move of the product: connection `pos` of the parent's tuple takes `label`, or a broadcast. */
export type Move =
  | { readonly kind: 'own'; readonly pos: number; readonly label: number }
  | { readonly kind: 'broadcast'; readonly which: number };

/** The first violation of one property: the state it happened from and the move. */
export interface FoundViolation {
  readonly finding: Finding;
  readonly state: number;
  readonly move: Move;
}

/** Counts and violations of a product search. */
export interface ProductResult {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly statesPerDepth: readonly number[];
  readonly truncated: boolean;
  readonly violations: readonly FoundViolation[];
  readonly bytes: number;
}

/** The search's tables, kept so counterexamples can be rebuilt from parent links. */
export interface SearchTables {
  readonly table: TupleTable;
  parentOf(index: number): number;
  moveOf(index: number): Move;
}

function encode(move: Move): number {
  return move.kind === 'own' ? move.pos * 64 + move.label : -(move.which + 1);
}

function decode(code: number): Move {
  return code < 0
    ? { kind: 'broadcast', which: -code - 1 }
    : { kind: 'own', pos: Math.floor(code / 64), label: code % 64 };
}

/** Sorts the first `k` ints of `t` (insertion sort: k <= 3). */
function canonical(t: Int32Array, k: number): void {
  for (let i = 1; i < k; i++) {
    const v = t[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (t[j] ?? 0) > v) {
      t[j + 1] = t[j] ?? 0;
      j--;
    }
    t[j + 1] = v;
  }
}

/** The state of one breadth-first search: the table of tuples, parent links, counts, findings. */
class Search<S> {
  readonly k: number;
  readonly width: number;
  readonly table: TupleTable;
  parent: Int32Array = new Int32Array(1024);
  moves: Int32Array = new Int32Array(1024);
  depths: Int32Array = new Int32Array(1024);
  readonly found = new Map<string, FoundViolation>();
  /** The tuple being expanded. */
  readonly here: Int32Array;
  private readonly next: Int32Array;
  /** Reused for successors the table copies (`insert` keeps its own copy). */
  private readonly scratch: Int32Array;
  private readonly pending: Int32Array[] = [];
  private readonly pendingMoves: number[] = [];
  transitions = 0;
  truncated = false;
  readonly statesPerDepth = [1];

  constructor(
    private readonly space: LocalSpace<S>,
    private readonly bounds: ProductBounds,
    private readonly reductions: Reductions,
  ) {
    this.k = bounds.connections;
    this.width = this.k + 1;
    this.table = new TupleTable(this.width);
    const start = new Int32Array(this.width);
    start[this.k] = bounds.broadcasts;
    this.table.add(start);
    this.parent[0] = -1;
    this.here = new Int32Array(this.width);
    this.next = new Int32Array(this.width);
    this.scratch = new Int32Array(this.width);
  }

  /** Keeps the first violation of each property. */
  private record(state: number, move: Move, finding: Finding): void {
    if (!this.found.has(finding.property)) this.found.set(finding.property, { finding, state, move });
  }

  /** Adds tuple `t` reached from `from` by `move` at `depth`, unless seen or the table is full. */
  private insert(t: Int32Array, from: number, move: number, depth: number): void {
    if (this.table.count >= this.bounds.maxStates) {
      if (this.table.find(t) < 0) this.truncated = true;
      return;
    }
    const index = this.table.add(t);
    if (index < 0) return;
    if (index >= this.parent.length) {
      this.parent = grown(this.parent);
      this.moves = grown(this.moves);
      this.depths = grown(this.depths);
    }
    this.parent[index] = from;
    this.moves[index] = move;
    this.depths[index] = depth;
    this.statesPerDepth[depth] = (this.statesPerDepth[depth] ?? 0) + 1;
  }

  /** Connection `pos`'s own moves from `here`: inserted, or collected in `pending` (`collect`). */
  private ownMoves(index: number, pos: number, collect: boolean, sorted: boolean): void {
    const { here, width, k } = this;
    const depth = (this.depths[index] ?? 0) + 1;
    for (const t of this.space.successors(here[pos] ?? 0)) {
      this.transitions++;
      if (t.finding !== null) {
        this.record(index, { kind: 'own', pos, label: t.label }, t.finding);
        continue;
      }
      // Reused scratch: the table copies what it keeps.
      const n = collect ? new Int32Array(width) : this.scratch;
      n.set(here);
      n[pos] = t.to;
      if (sorted) canonical(n, k);
      if (collect) {
        this.pending.push(n);
        this.pendingMoves.push(pos * 64 + t.label);
      } else this.insert(n, index, pos * 64 + t.label, depth);
    }
  }

  /**
   * Partial-order reduction: with no broadcast left, connections are independent and the
   * first one that can move (in tuple order, which no longer changes: see `expand`) is an
   * ample set. Cycle proviso: a state is expanded in full when an ample move leads to a
   * state first seen at this depth or above; every cycle of the reduced graph has such an
   * edge, so every cycle holds a fully expanded state and no move is ignored.
   *
   * @returns whether the ample moves were taken (else the state is expanded in full).
   */
  private ampleMoves(index: number, depth: number): boolean {
    const { here, pending, pendingMoves } = this;
    for (let pos = 0; pos < this.k; pos++) {
      if (this.space.successors(here[pos] ?? 0).length === 0) continue;
      pending.length = 0;
      pendingMoves.length = 0;
      const before = this.transitions;
      this.ownMoves(index, pos, true, false);
      // A move that breaks a property is visible: a state with one is expanded in full,
      // so a violation on one connection never hides the other connections' moves.
      const visible = pending.length < this.space.successors(here[pos] ?? 0).length;
      if (
        !visible &&
        pending.every((t) => {
          const seen = this.table.find(t);
          return seen < 0 || (this.depths[seen] ?? 0) > depth;
        })
      ) {
        pending.forEach((t, j) => this.insert(t, index, pendingMoves[j] ?? 0, depth + 1));
        return true;
      }
      this.transitions = before;
      return false;
    }
    return false;
  }

  /** The two broadcasts from `here`: every connection takes it at once. */
  private broadcastMoves(index: number, depth: number, broadcastsLeft: number): void {
    const { here, next, k } = this;
    for (let which = 0; which < 2; which++) {
      this.transitions++;
      next.set(here);
      next[k] = broadcastsLeft - 1;
      let broken = false;
      for (let pos = 0; pos < k && !broken; pos++) {
        const t = this.space.broadcastStep(here[pos] ?? 0, which);
        if (t === null) continue;
        if (t.finding !== null) {
          this.record(index, { kind: 'broadcast', which }, t.finding);
          broken = true;
        } else next[pos] = t.to;
      }
      if (broken) continue;
      if (this.reductions.symmetry && (!this.reductions.partialOrder || broadcastsLeft > 1))
        canonical(next, k);
      this.insert(next, index, -(which + 1), depth + 1);
    }
  }

  /** Expands state `index` (its tuple read into `here`) at `depth`. */
  expand(index: number, depth: number): void {
    const { here, k, reductions } = this;
    const broadcastsLeft = here[k] ?? 0;
    // With both reductions on, tuples are kept sorted (symmetry) while broadcasts remain and
    // left in connection order afterwards, so the ample connection stays the same one move
    // after move. Which states are sorted depends only on the state: still canonical.
    const sorted = reductions.symmetry && (!reductions.partialOrder || broadcastsLeft > 0);
    if (reductions.partialOrder && broadcastsLeft === 0 && this.ampleMoves(index, depth)) return;
    for (let pos = 0; pos < k; pos++) {
      // Symmetry: connections in the same local state have the same successors.
      if (sorted && pos > 0 && here[pos] === here[pos - 1]) continue;
      this.ownMoves(index, pos, false, sorted);
    }
    if (broadcastsLeft > 0) this.broadcastMoves(index, depth, broadcastsLeft);
  }
}

/**
 * Explores the product breadth first. Deterministic: the same spaces and bounds give the
 * same counts and the same (shortest) counterexamples.
 */
export function searchProduct<S>(
  space: LocalSpace<S>,
  bounds: ProductBounds,
  reductions: Reductions,
  onProgress?: (states: number, transitions: number, depth: number) => void,
): ProductResult & SearchTables {
  const search = new Search(space, bounds, reductions);
  const { table } = search;
  let lastProgress = 0;
  for (let index = 0; index < table.count && !search.truncated; index++) {
    const depth = search.depths[index] ?? 0;
    if (depth >= bounds.maxDepth) continue;
    table.read(index, search.here);
    if (onProgress !== undefined && index - lastProgress >= 65536) {
      lastProgress = index;
      onProgress(table.count, search.transitions, depth);
    }
    search.expand(index, depth);
  }
  const { parent, moves } = search;
  return {
    states: table.count,
    transitions: search.transitions,
    depth: search.statesPerDepth.length - 1,
    statesPerDepth: search.statesPerDepth,
    truncated: search.truncated,
    violations: [...search.found.values()],
    bytes: table.bytes + parent.byteLength * 3,
    table,
    parentOf: (i) => parent[i] ?? -1,
    moveOf: (i) => decode(moves[i] ?? 0),
  };
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

export { encode as encodeMove };
