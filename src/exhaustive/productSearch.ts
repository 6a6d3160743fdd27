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
  const k = bounds.connections;
  const width = k + 1;
  const table = new TupleTable(width);
  let parent: Int32Array = new Int32Array(1024);
  let moves: Int32Array = new Int32Array(1024);
  let depths: Int32Array = new Int32Array(1024);
  const start = new Int32Array(width);
  start[k] = bounds.broadcasts;
  table.add(start);
  parent[0] = -1;
  const found = new Map<string, FoundViolation>();
  const here = new Int32Array(width);
  const next = new Int32Array(width);
  const pending: Int32Array[] = [];
  const pendingMoves: number[] = [];
  let transitions = 0;
  let truncated = false;
  const statesPerDepth = [1];

  const record = (state: number, move: Move, finding: Finding): void => {
    if (!found.has(finding.property)) found.set(finding.property, { finding, state, move });
  };
  const insert = (t: Int32Array, from: number, move: number, depth: number): void => {
    if (table.count >= bounds.maxStates) {
      if (table.find(t) < 0) truncated = true;
      return;
    }
    const index = table.add(t);
    if (index < 0) return;
    if (index >= parent.length) {
      parent = grown(parent);
      moves = grown(moves);
      depths = grown(depths);
    }
    parent[index] = from;
    moves[index] = move;
    depths[index] = depth;
    statesPerDepth[depth] = (statesPerDepth[depth] ?? 0) + 1;
  };
  const scratch = new Int32Array(width);
  const ownMoves = (index: number, pos: number, collect: boolean, sorted: boolean): void => {
    const depth = (depths[index] ?? 0) + 1;
    for (const t of space.successors(here[pos] ?? 0)) {
      transitions++;
      if (t.finding !== null) {
        record(index, { kind: 'own', pos, label: t.label }, t.finding);
        continue;
      }
      // Reused scratch: the table copies what it keeps.
      const n = collect ? new Int32Array(width) : scratch;
      n.set(here);
      n[pos] = t.to;
      if (sorted) canonical(n, k);
      if (collect) {
        pending.push(n);
        pendingMoves.push(pos * 64 + t.label);
      } else insert(n, index, pos * 64 + t.label, depth);
    }
  };

  let lastProgress = 0;
  for (let index = 0; index < table.count && !truncated; index++) {
    const depth = depths[index] ?? 0;
    if (depth >= bounds.maxDepth) continue;
    table.read(index, here);
    if (onProgress !== undefined && index - lastProgress >= 65536) {
      lastProgress = index;
      onProgress(table.count, transitions, depth);
    }
    const broadcastsLeft = here[k] ?? 0;
    // With both reductions on, tuples are kept sorted (symmetry) while broadcasts remain and
    // left in connection order afterwards, so the ample connection below stays the same one
    // move after move. Which states are sorted depends only on the state: still canonical.
    const sorted = reductions.symmetry && (!reductions.partialOrder || broadcastsLeft > 0);
    // Partial-order reduction: with no broadcast left, connections are independent and
    // the first one that can move (in tuple order, which no longer changes: see `sorted`)
    // is an ample set. Cycle proviso: a state is expanded in full when an ample move leads
    // to a state first seen at this depth or above; every cycle of the reduced graph has
    // such an edge, so every cycle holds a fully expanded state and no move is ignored.
    if (reductions.partialOrder && broadcastsLeft === 0) {
      let reduced = false;
      for (let pos = 0; pos < k; pos++) {
        if (space.successors(here[pos] ?? 0).length === 0) continue;
        pending.length = 0;
        pendingMoves.length = 0;
        const before = transitions;
        ownMoves(index, pos, true, false);
        // A move that breaks a property is visible: a state with one is expanded in full,
        // so a violation on one connection never hides the other connections' moves.
        const visible = pending.length < space.successors(here[pos] ?? 0).length;
        if (
          !visible &&
          pending.every((t) => {
            const seen = table.find(t);
            return seen < 0 || (depths[seen] ?? 0) > depth;
          })
        ) {
          pending.forEach((t, j) => insert(t, index, pendingMoves[j] ?? 0, depth + 1));
          reduced = true;
        } else transitions = before;
        break;
      }
      if (reduced) continue;
    }
    for (let pos = 0; pos < k; pos++) {
      // Symmetry: connections in the same local state have the same successors.
      if (sorted && pos > 0 && here[pos] === here[pos - 1]) continue;
      ownMoves(index, pos, false, sorted);
    }
    if (broadcastsLeft > 0) {
      for (let which = 0; which < 2; which++) {
        transitions++;
        next.set(here);
        next[k] = broadcastsLeft - 1;
        let broken = false;
        for (let pos = 0; pos < k && !broken; pos++) {
          const t = space.broadcastStep(here[pos] ?? 0, which);
          if (t === null) continue;
          if (t.finding !== null) {
            record(index, { kind: 'broadcast', which }, t.finding);
            broken = true;
          } else next[pos] = t.to;
        }
        if (broken) continue;
        if (reductions.symmetry && (!reductions.partialOrder || broadcastsLeft > 1)) canonical(next, k);
        insert(next, index, -(which + 1), depth + 1);
      }
    }
  }
  return {
    states: table.count,
    transitions,
    depth: statesPerDepth.length - 1,
    statesPerDepth,
    truncated,
    violations: [...found.values()],
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
