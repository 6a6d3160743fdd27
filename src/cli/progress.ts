/**
 * A progress line on stderr (`design reference: 3200/10000 runs, 1.2 s`), shown only when
 * stderr is a terminal, the output is not JSON, and the work has taken over a second.
 */
import type { Io } from './io.ts';

/** Shown after this long: short runs stay quiet. */
const quietMs = 1000;
/** Redraws at most this often: writing to a terminal on every run would cost more than the run. */
const redrawMs = 200;

/**
 * Progress of one piece of work. Reads the wall clock (performance.now), writes to stderr.
 *
 * @example
 * const p = new Progress(io, 'design reference', 10_000, true);
 * p.tick(3200); p.done();
 */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(
    private readonly io: Io,
    private readonly label: string,
    private readonly total: number,
    wanted: boolean,
  ) {
    this.enabled = wanted && io.errIsTTY;
  }

  /** Records `done` units of work; redraws when due. */
  tick(done: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.started < quietMs || now - this.lastDraw < redrawMs) return;
    this.lastDraw = now;
    this.drawn = true;
    const seconds = ((now - this.started) / 1000).toFixed(1);
    this.io.err(`\r${this.label}: ${done}/${this.total} runs, ${seconds} s\x1b[K`);
  }

  /** Clears the progress line, if one was drawn. */
  done(): void {
    if (this.drawn) this.io.err('\r\x1b[K');
  }
}
