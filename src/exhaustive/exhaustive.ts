/**
 * Exhaustive bounded exploration of a reducer design over K connections: every
 * interleaving of the inputs the reducer driver can give (bounded by emits per connection,
 * broadcasts, buffer capacity and optionally depth), breadth first, judging every step
 * against the trace properties. Each violation comes back as the shortest path to it,
 * replayed into a trace the checkers of `check` confirm.
 */
import { defaultConfig } from '../core/index.ts';
import type { LifecycleConfig } from '../core/types.ts';
import type { ReducerDesign } from '../sim/types.ts';
import type { TraceRecord } from '../trace/types.ts';
import { checkTrace } from '../properties/checkTrace.ts';
import { LocalSpace } from './localSpace.ts';
import { broadcastLabels } from './localModel.ts';
import { formatPath, replayPath, type PathStep } from './pathReplay.ts';
import { searchProduct, type ProductResult, type SearchTables } from './productSearch.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';

/**
 * The configuration `explore` explores: one send in flight so backpressure is reachable
 * within a few steps; the heartbeat off, since its ping nonce grows without bound and would
 * keep the space from closing (the random `check` covers the heartbeat). Pure.
 */
export function exhaustiveConfig(capacity: number): LifecycleConfig {
  return { ...defaultConfig, capacity, maxInFlight: 1, heartbeatIntervalMs: 0 };
}

/** Bounds and switches of one exploration. */
export interface ExhaustiveOptions {
  readonly config: LifecycleConfig;
  /** Connections explored together (1-3). */
  readonly connections: number;
  /** Direct emits per connection. */
  readonly maxEmits: number;
  /** Broadcasts in all (each reaches every open connection). */
  readonly broadcasts: number;
  /** Global states stored at most; past it the result is truncated (incomplete). */
  readonly maxStates: number;
  /** Deepest level explored; Infinity explores until the space closes. */
  readonly maxDepth?: number;
  readonly symmetry?: boolean;
  readonly partialOrder?: boolean;
  readonly onProgress?: (states: number, transitions: number, depth: number) => void;
  /** Called after every design step (a watchdog's sign of life). */
  readonly onStep?: () => void;
}

/** One violated property: its shortest path and the replayed trace. */
export interface ExhaustiveViolation {
  readonly property: PropertyId | 'contract';
  readonly message: string;
  /** The path as `--replay` takes it. */
  readonly path: string;
  readonly steps: number;
  readonly trace: readonly TraceRecord[];
  readonly offending: readonly number[];
  /** What `checkTrace` says of the replayed trace for this property (null: not flagged there). */
  readonly checkedBy: string | null;
}

/** Counts and verdict of one exploration. */
export interface ExhaustiveResult {
  readonly verdict: 'held' | 'violated' | 'incomplete';
  readonly states: number;
  readonly transitions: number;
  readonly localStates: number;
  readonly designSteps: number;
  readonly rejectedSkipped: number;
  readonly depth: number;
  readonly statesPerDepth: readonly number[];
  readonly truncated: boolean;
  readonly violations: readonly ExhaustiveViolation[];
  readonly tableBytes: number;
}

/** Rebuilds the concrete path to a violation from the search's parent links. */
function pathTo<S>(
  search: SearchTables,
  space: LocalSpace<S>,
  k: number,
  state: number,
  last: ReturnType<SearchTables['moveOf']>,
): PathStep[] {
  const chain: number[] = [];
  for (let i = state; i > 0; i = search.parentOf(i)) chain.push(i);
  chain.reverse();
  const moves = [
    ...chain.map((i) => ({ from: search.parentOf(i), move: search.moveOf(i) })),
    { from: state, move: last },
  ];
  // Concrete connections: the sorted tuple only says which local states are present, so each
  // move is given to the first concrete connection in the moved local state.
  const concrete = new Array<number>(k).fill(0);
  const steps: PathStep[] = [];
  for (const { from, move } of moves) {
    if (move.kind === 'broadcast') {
      steps.push({ conn: null, label: broadcastLabels[move.which] ?? 0 });
      for (let j = 0; j < k; j++) {
        const t = space.broadcastStep(concrete[j] ?? 0, move.which);
        if (t !== null && t.to >= 0) concrete[j] = t.to;
      }
      continue;
    }
    const local = search.table.at(from, move.pos);
    const j = concrete.indexOf(local);
    steps.push({ conn: j, label: move.label });
    const t = space.successors(local).find((x) => x.label === move.label);
    if (t !== undefined && t.to >= 0) concrete[j] = t.to;
  }
  return steps;
}

/**
 * Explores `design` exhaustively within the bounds. Deterministic (no clock, no I/O): the
 * same design and options give the same counts and counterexamples.
 *
 * @example
 * const r = exploreExhaustive(reference, { config, connections: 2, maxEmits: 2, broadcasts: 1, maxStates: 1e6 });
 * r.verdict; // 'held'
 */
export function exploreExhaustive<S>(design: ReducerDesign<S>, options: ExhaustiveOptions): ExhaustiveResult {
  const local = { maxEmits: options.maxEmits, capacity: options.config.capacity };
  const space = new LocalSpace(design, options.config, local, options.onStep);
  const k = options.connections;
  const search: ProductResult & SearchTables = searchProduct(
    space,
    {
      connections: k,
      broadcasts: k > 1 ? options.broadcasts : 0,
      maxStates: options.maxStates,
      maxDepth: options.maxDepth ?? Number.POSITIVE_INFINITY,
    },
    { symmetry: options.symmetry ?? true, partialOrder: options.partialOrder ?? true },
    options.onProgress,
  );
  const violations = search.violations.map((v): ExhaustiveViolation => {
    const steps = pathTo(search, space, k, v.state, v.move);
    const replayed = replayPath(design, options.config, { connections: k, ...local }, steps);
    const run = { design: design.name, trace: replayed.trace, userOf: {}, config: options.config };
    const verdict = checkTrace(run, {
      design: { name: design.name, kind: 'reducer' },
      profile: 'ideal',
    }).find((x) => x.id === v.finding.property && x.status === 'violated');
    return {
      property: v.finding.property,
      message: replayed.finding?.message ?? v.finding.message,
      path: formatPath(steps),
      steps: steps.length,
      trace: replayed.trace,
      offending: verdict?.steps ?? replayed.offending,
      checkedBy: verdict?.message ?? null,
    };
  });
  violations.sort((a, b) => a.steps - b.steps || a.property.localeCompare(b.property));
  return {
    verdict: violations.length > 0 ? 'violated' : search.truncated ? 'incomplete' : 'held',
    states: search.states,
    transitions: search.transitions,
    localStates: space.size,
    designSteps: space.designSteps,
    rejectedSkipped: space.rejectedSkipped,
    depth: search.depth,
    statesPerDepth: search.statesPerDepth,
    truncated: search.truncated,
    violations,
    tableBytes: search.bytes,
  };
}
