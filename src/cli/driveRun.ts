/**
 * The work of `ws-lifecycle drive`: play generated client scenarios against a live server,
 * judge the part of the server's trace each run appended, and re-run each finding's
 * scenario to say how often it reproduces. Real time and real sockets.
 */
import { checkTraceFile } from '../judge/checkTraceFile.ts';
import type { PropertyId, PropertyVerdict } from '../properties/propertyTypes.ts';
import { parseTraceFile, TraceFileError } from '../trace/traceFile.ts';
import type { CheckedTrace } from '../report/traceReport.ts';
import { executeScenario, type PlayedScenario } from '../drive/executeScenario.ts';
import { driveScenario, withoutAction, type DriveScenario } from '../drive/scenario.ts';
import { sliceTrace, TraceSliceError } from '../drive/traceSlice.ts';
import { violationsOf } from '../drive/violationsOf.ts';
import { readAppended, traceSize } from './driveTrace.ts';
import { RunServer } from './driveServer.ts';
import { UsageError } from './usageError.ts';

/** What drive was asked to do (flags parsed). */
export interface DriveOptions {
  readonly url: string;
  /** The trace file as the user named it (reports) and resolved (reading). */
  readonly traceName: string;
  readonly tracePath: string;
  readonly seed: number;
  readonly runs: number;
  /** Play only this run's scenario (a reproduce line), or every run from 0. */
  readonly onlyRun: number | null;
  readonly timeLimitMs: number;
  readonly reruns: number;
  readonly settleMs: number;
  readonly shrink: boolean;
  /** A command starting a fresh server before every run (`--server`), or null. */
  readonly server: string | null;
}

/** One violation a run showed, of one kind, with the trace its verdict describes. */
export interface RunViolation {
  readonly id: PropertyId;
  readonly kind: string;
  readonly checked: CheckedTrace;
  readonly verdict: PropertyVerdict;
  /**
   * The call that raised it belongs to an earlier run (`detail.raisedByOutsideRun`): state the
   * server kept across runs, not this run's scenario, made it.
   */
  readonly carriedOver: boolean;
}

/** One judged run: what the clients did and the verdicts on its slice of the trace. */
export interface JudgedRun {
  readonly played: PlayedScenario;
  readonly checked: CheckedTrace;
  /** Every violation (several per property when the run showed several kinds). */
  readonly violations: readonly RunViolation[];
  readonly lateEntries: number;
}

/**
 * A kind of violation a run showed: a property and its message with what differs between
 * runs left out (connection ids, numbers, quoted texts), e.g. `P13 c#: its handler raised
 * ConnectionClosedError "", from the websocket.send on c# (another connection) ...`. Pure.
 *
 * @example findingKind('P13', 'c1: send raised RuntimeError "x" (t=9ms)'); // 'P13 c#: send raised RuntimeError ""'
 */
export function findingKind(id: PropertyId, message: string): string {
  const shape = message
    .replace(/\s*\(\+\d+ more\)/g, '')
    .replace(/\s*\(t=[\d.]+ms\)/g, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\bc\d+\b/g, 'c#')
    .replace(/\d+(\.\d+)?/g, '#');
  return `${id} ${shape}`;
}

/** A kind of violation: the first run that showed it, its re-runs, and the other runs that did. */
export interface DriveFinding {
  readonly id: PropertyId;
  /** `findingKind` of the first run's verdict. */
  readonly kind: string;
  readonly run: number;
  readonly scenario: DriveScenario;
  readonly judged: JudgedRun;
  /** The first run's violation of this kind. */
  readonly violation: RunViolation;
  /** Every run of the budget that violated it (the first included). */
  readonly runs: number[];
  rerunsPlayed: number;
  /** Re-runs that violated the same property (not through a connection of an earlier run). */
  reproduced: number;
  /** Of those, re-runs that showed the same kind. */
  reproducedKind: number;
  /** Re-runs that violated it only through a connection an earlier run left on the server. */
  carriedOnly: number;
  /** A smaller scenario that still violates it in 2 of 3 tries, when shrinking found one. */
  shrunk: DriveScenario | null;
}

/** Everything one drive did. */
export interface DriveResult {
  readonly runsPlayed: number;
  readonly connections: number;
  readonly messages: number;
  readonly entries: number;
  /** Entries of earlier runs' connections written after their run was judged. */
  readonly lateEntries: number;
  /** Per property: runs it held in (its precondition seen) and runs it was violated in. */
  readonly tally: Map<PropertyId, { held: number; violated: number }>;
  readonly findings: DriveFinding[];
  /** What each property's checker threw, the first time it did (`checker-error`: not judged). */
  readonly checkerErrors: string[];
  readonly elapsedMs: number;
  readonly stoppedBy: 'runs' | 'time';
  /** The trace header's recorder and design, for the report. */
  readonly recorder: string;
  readonly design: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the server's trace run after run: where the next run's part starts, and who was seen. */
class TraceCursor {
  private offset = 0;
  private readonly seen = new Set<string>();
  recorder = '?';
  design = '?';

  constructor(
    private readonly options: DriveOptions,
    private readonly label: string,
  ) {}

  /** A fresh server writes a fresh trace: read it from its start, with no connection seen. */
  restart(): void {
    this.offset = 0;
    this.seen.clear();
  }

  /** Skips whatever was written since the last run was judged (late entries of earlier runs). */
  async mark(): Promise<void> {
    if ((await traceSize(this.options.tracePath)) === null) return;
    const appended = await readAppended(this.options.tracePath, this.offset);
    if (appended.restarted) this.seen.clear();
    this.offset = appended.end;
  }

  /** The trace of the entries written since `mark()`, judged. */
  async judge(run: number, played: PlayedScenario): Promise<JudgedRun> {
    const { tracePath, traceName, url } = this.options;
    if ((await traceSize(tracePath)) === null) {
      throw new UsageError(
        `trace file ${traceName} does not exist after ${this.label} ${run}: the server must write its trace there (docs/trace.md)`,
      );
    }
    if (played.opened === 0 && played.refused > 0) {
      throw new UsageError(
        `no connection of ${this.label} ${run} opened (${played.firstError ?? 'refused'}): is the server listening at ${url}?`,
      );
    }
    const appended = await readAppended(tracePath, this.offset);
    // A server that restarted numbers its connections from c1 again: none of them is an
    // earlier run's.
    if (appended.restarted) this.seen.clear();
    if (appended.header === null) {
      throw new UsageError(
        `trace file ${traceName} has no header line: the server must write its trace there`,
      );
    }
    let slice;
    try {
      slice = sliceTrace(appended.header, appended.text, this.seen);
    } catch (error) {
      if (error instanceof TraceSliceError) throw new UsageError(`${traceName}: ${error.message}`);
      throw error;
    }
    this.offset = appended.end;
    for (const conn of slice.conns) this.seen.add(conn);
    if (slice.entries === 0 && played.opened > 0) {
      throw new UsageError(
        `${this.label} ${run} opened ${played.opened} connection(s) but ${traceName} got no entry: the server must write its trace there`,
      );
    }
    const name = `${traceName} (${this.label} ${run})`;
    let file;
    try {
      file = parseTraceFile(slice.text, name);
    } catch (error) {
      if (error instanceof TraceFileError) throw new UsageError(error.message);
      throw error;
    }
    this.recorder = file.header.recorder;
    this.design = file.header.design.name;
    const verdicts = checkTraceFile(file);
    const violations = verdicts
      .filter((v) => v.status === 'violated')
      .flatMap((v) => violationsOf(file, v.id, (f) => checkTraceFile(f)))
      .map((x): RunViolation => ({
        id: x.verdict.id,
        kind: findingKind(x.verdict.id, x.verdict.message),
        checked: { name, file: x.file, verdicts: [x.verdict] },
        verdict: x.verdict,
        carriedOver:
          typeof x.file.run.trace[x.verdict.steps[0] ?? -1]?.detail?.['raisedByOutsideRun'] === 'number',
      }));
    return { played, checked: { name, file, verdicts }, violations, lateEntries: slice.lateEntries };
  }
}

/** A drive in progress: the cursor, the clock and the progress line. */
export class Drive {
  private readonly started = performance.now();
  private readonly cursor: TraceCursor;
  private lastProgress = performance.now();
  private runsPlayed = 0;
  private findingsSoFar = 0;

  constructor(
    private readonly options: DriveOptions,
    private readonly progress: (line: string) => void,
  ) {
    this.cursor = new TraceCursor(options, 'run');
  }

  private elapsed(): number {
    return performance.now() - this.started;
  }

  private outOfTime(): boolean {
    return this.elapsed() >= this.options.timeLimitMs;
  }

  private tick(what: string): void {
    const now = performance.now();
    if (now - this.lastProgress < 3000) return;
    this.lastProgress = now;
    const s = (this.elapsed() / 1000).toFixed(1);
    this.progress(`drive: ${what}, ${this.findingsSoFar} finding(s), ${s} s\n`);
  }

  /** Plays one scenario and judges its part of the trace (on a fresh server with `--server`). */
  async play(scenario: DriveScenario): Promise<JudgedRun> {
    const { server: command, url, tracePath, settleMs } = this.options;
    if (command === null) {
      await this.cursor.mark();
      const played = await executeScenario(scenario, url);
      await sleep(settleMs);
      return this.cursor.judge(scenario.run, played);
    }
    const server = await RunServer.start(command, url, tracePath);
    this.cursor.restart();
    try {
      const played = await executeScenario(scenario, url);
      await sleep(settleMs);
      // Judged before the server stops: its shutdown (cancelling handlers) is not the run's.
      return await this.cursor.judge(scenario.run, played);
    } finally {
      await server.stop();
    }
  }

  /**
   * Whether `scenario` violates `id` again (one more play), and with the same kind; a
   * violation carried over from an earlier run does not count.
   */
  private async violatesAgain(
    scenario: DriveScenario,
    id: PropertyId,
    kind = '',
  ): Promise<{ property: boolean; kind: boolean; carriedOnly: boolean }> {
    const again = await this.play(scenario);
    const all = again.violations.filter((v) => v.id === id);
    const same = all.filter((v) => !v.carriedOver);
    const carriedOnly = same.length === 0 && all.length > 0;
    return { property: same.length > 0, kind: same.some((v) => v.kind === kind), carriedOnly };
  }

  private async rerun(finding: DriveFinding): Promise<void> {
    for (let k = 0; k < this.options.reruns && !this.outOfTime(); k++) {
      const again = await this.violatesAgain(finding.scenario, finding.id, finding.kind);
      if (again.property) finding.reproduced++;
      if (again.kind) finding.reproducedKind++;
      if (again.carriedOnly) finding.carriedOnly++;
      finding.rerunsPlayed++;
      this.tick(
        `re-running run ${finding.run} (${finding.id}): ${finding.rerunsPlayed}/${this.options.reruns}`,
      );
    }
  }

  /**
   * Drops each action of the finding's scenario once (an open stays: its connection's other
   * actions need it); keeps a smaller scenario that still violates the property in 2 of 3
   * tries. Bounded by the time limit.
   */
  private async shrink(finding: DriveFinding): Promise<void> {
    let current = finding.scenario;
    for (let k = current.actions.length - 1; k > 0 && !this.outOfTime(); k--) {
      if (current.actions[k]?.type === 'open') continue;
      const smaller = withoutAction(current, k);
      let hits = 0;
      for (let t = 0; t < 3 && hits < 2 && t - hits < 2; t++) {
        if ((await this.violatesAgain(smaller, finding.id)).property) hits++;
      }
      if (hits >= 2) current = smaller;
      this.tick(`shrinking run ${finding.run} (${finding.id}): ${current.actions.length} actions`);
    }
    if (current !== finding.scenario) finding.shrunk = current;
  }

  /** Runs the budget: every run (or `onlyRun`), then re-runs and shrinks each finding. */
  async drive(): Promise<DriveResult> {
    const { seed, runs, onlyRun } = this.options;
    const tally = new Map<PropertyId, { held: number; violated: number }>();
    const findings = new Map<string, DriveFinding>();
    const checkerErrors = new Map<PropertyId, string>();
    let connections = 0;
    let messages = 0;
    let entries = 0;
    let lateEntries = 0;
    let stoppedBy: 'runs' | 'time' = 'runs';
    const indexes = onlyRun === null ? Array.from({ length: runs }, (_, k) => k) : [onlyRun];
    for (const run of indexes) {
      if (this.runsPlayed > 0 && this.outOfTime()) {
        stoppedBy = 'time';
        break;
      }
      const scenario = driveScenario(seed, run);
      const judged = await this.play(scenario);
      this.runsPlayed++;
      connections += judged.played.opened;
      messages += judged.played.sent;
      entries += judged.checked.file.run.trace.length;
      lateEntries += judged.lateEntries;
      for (const v of judged.checked.verdicts) {
        const t = tally.get(v.id) ?? { held: 0, violated: 0 };
        if (v.status === 'held') t.held++;
        if (v.status === 'violated') t.violated++;
        if (v.status === 'checker-error' && !checkerErrors.has(v.id)) checkerErrors.set(v.id, v.message);
        tally.set(v.id, t);
      }
      for (const violation of judged.violations) {
        const { id, kind } = violation;
        const known = findings.get(kind);
        if (known !== undefined) {
          if (!known.runs.includes(run)) known.runs.push(run);
        } else {
          const finding: DriveFinding = {
            ...{ id, kind, run, scenario, judged, violation, runs: [run] },
            ...{ rerunsPlayed: 0, reproduced: 0, reproducedKind: 0, carriedOnly: 0, shrunk: null },
          };
          findings.set(kind, finding);
        }
      }
      this.findingsSoFar = findings.size;
      this.tick(`${this.runsPlayed}/${indexes.length} runs`);
    }
    for (const finding of findings.values()) await this.rerun(finding);
    if (this.options.shrink) for (const finding of findings.values()) await this.shrink(finding);
    return {
      runsPlayed: this.runsPlayed,
      ...{ connections, messages, entries, lateEntries, tally, findings: [...findings.values()] },
      checkerErrors: [...checkerErrors.values()],
      elapsedMs: this.elapsed(),
      stoppedBy,
      recorder: this.cursor.recorder,
      design: this.cursor.design,
    };
  }
}
