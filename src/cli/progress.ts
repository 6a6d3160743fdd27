/**
 * Progress of a check on stderr, like a model checker's: runs done of total, rate, ETA,
 * violations found so far and the explorations running. On a terminal one line redrawn in
 * place; off a terminal (a CI log) one plain line every few seconds. stdout never sees it, so
 * `--json` stays clean.
 */
import type { Io } from './io.ts';
import { UsageError } from './usageError.ts';

/** Values of `--progress`. */
export const progressModes = ['auto', 'tty', 'plain', 'none'] as const;

/** `--progress`: auto (tty when stderr is a terminal, else plain), tty, plain or none. */
export type ProgressMode = (typeof progressModes)[number];

/** The environment variable that sets the ms between plain progress lines (tests set it low). */
export const progressIntervalVar = 'WS_LIFECYCLE_PROGRESS_MS';

/** Default ms between plain progress lines (a CI log gets one every 5 s). */
export const plainIntervalMs = 5000;

/** A terminal line is drawn only after this long: short runs stay quiet. */
const quietMs = 1000;
/** A terminal line is redrawn at most this often: drawing on every run would cost more than the run. */
const redrawMs = 200;

/**
 * Parses `--progress` (absent: auto). Pure.
 *
 * @throws UsageError on any other value, listing the allowed ones.
 * @example
 * progressFlag('plain'); // 'plain'
 */
export function progressFlag(value: string | undefined): ProgressMode {
  if (value === undefined) return 'auto';
  const found = progressModes.find((m) => m === value);
  if (found === undefined) {
    throw new UsageError(
      `--progress must be one of ${progressModes.join(', ')}, got "${value}"; pass e.g. --progress=plain`,
    );
  }
  return found;
}

/**
 * The ms between plain progress lines from the environment (absent: 5000). Pure.
 *
 * @throws UsageError when the variable is set to anything but a positive integer.
 */
export function plainIntervalOf(env: Io['env']): number {
  const value = env?.[progressIntervalVar];
  if (value === undefined || value === '') return plainIntervalMs;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(
      `${progressIntervalVar} must be a positive integer (ms between progress lines), got "${value}"; unset it for the default`,
    );
  }
  return Number(value);
}

/** What is drawn: `auto` resolved against stderr. Pure. */
export function resolveProgress(mode: ProgressMode, errIsTTY: boolean): 'tty' | 'plain' | 'none' {
  if (mode === 'auto') return errIsTTY ? 'tty' : 'plain';
  return mode;
}

/** Where a check is. */
export interface ProgressState {
  /** Generated runs done (finished explorations count all their runs). */
  readonly done: number;
  /** Violated design x property cells found so far (finished explorations). */
  readonly violations: number;
  /** The explorations running, e.g. `reference lan`. */
  readonly running: readonly string[];
}

/** `17.3 s` below a minute, `2m05s` above. Pure. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * The progress text, without line control. Pure. `compact` is the terminal's form, which
 * fits 80 columns more often: no label, no percentage, one running exploration and a count.
 *
 * @example
 * progressText({ done: 8270, violations: 12, running: ['reference lan'] }, 26800, 17_300);
 * // 'check 17.3 s: 8270/26800 runs (30%), 478 runs/s, ETA 38.8 s, 12 violations; running reference lan'
 * progressText({ done: 8270, violations: 12, running: ['reference lan', 'naive lan'] }, 26800, 17_300, true);
 * // '17.3 s 8270/26800 runs, 478 runs/s, ETA 38.8 s, 12 violations | reference lan +1'
 */
export function progressText(
  state: ProgressState,
  total: number,
  elapsedMs: number,
  compact = false,
): string {
  const percent = total === 0 ? 100 : Math.floor((100 * state.done) / total);
  const rate = elapsedMs > 0 ? (1000 * state.done) / elapsedMs : 0;
  const left = Math.max(0, total - state.done);
  const eta = rate > 0 ? `ETA ${duration((1000 * left) / rate)}` : 'ETA ?';
  const found = `${state.violations} violation${state.violations === 1 ? '' : 's'}`;
  const most = compact ? 1 : 2;
  const shown = state.running.slice(0, most).join(', ');
  const more = state.running.length > most ? ` +${state.running.length - most}` : '';
  const facts = `${Math.round(rate)} runs/s, ${eta}, ${found}`;
  if (compact) {
    const running = state.running.length === 0 ? '' : ` | ${shown}${more}`;
    return `${duration(elapsedMs)} ${state.done}/${total} runs, ${facts}${running}`;
  }
  const running = state.running.length === 0 ? '' : `; running ${shown}${more}`;
  return `check ${duration(elapsedMs)}: ${state.done}/${total} runs (${percent}%), ${facts}${running}`;
}

/** How a `Progress` draws and reads time. */
export interface ProgressOptions {
  readonly mode: 'tty' | 'plain' | 'none';
  /** Milliseconds, monotonic (default performance.now). */
  readonly now?: () => number;
  /** Between plain lines (default 5000). */
  readonly intervalMs?: number;
  /** Width of the terminal line (default 80); the text is cut to fit. */
  readonly columns?: number;
}

/**
 * Progress of a check's runs. Writes to `err` (stderr); reads the clock it is given.
 *
 * @example
 * const p = new Progress(io.err, 10_000, { mode: 'plain' });
 * p.update({ done: 3200, violations: 1, running: ['reference lan'] }); p.done();
 */
export class Progress {
  private readonly now: () => number;
  private readonly started: number;
  private readonly intervalMs: number;
  private readonly columns: number;
  private last: number;
  private drawn = false;
  private state: ProgressState = { done: 0, violations: 0, running: [] };

  constructor(
    private readonly err: (text: string) => void,
    private readonly total: number,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.last = this.started;
    this.intervalMs = options.intervalMs ?? plainIntervalMs;
    this.columns = options.columns ?? 80;
  }

  /** Records where the check is; draws when due. */
  update(state: ProgressState): void {
    this.state = state;
    this.poll();
  }

  /** Draws the latest state when due (a timer calls this while no run ends, e.g. during a shrink). */
  poll(): void {
    const now = this.now();
    const elapsed = now - this.started;
    if (this.options.mode === 'plain') {
      if (now - this.last < this.intervalMs) return;
      this.last = now;
      this.err(`${progressText(this.state, this.total, elapsed)}\n`);
    } else if (this.options.mode === 'tty') {
      if (elapsed < quietMs || (this.drawn && now - this.last < redrawMs)) return;
      this.last = now;
      this.drawn = true;
      const text = progressText(this.state, this.total, elapsed, true);
      const width = Math.max(20, this.columns - 1);
      const fitted = text.length > width ? `${text.slice(0, width - 1)}\u2026` : text;
      this.err(`\r${fitted}\x1b[K`);
    }
  }

  /** Clears the terminal line, if one was drawn. */
  done(): void {
    if (this.drawn) this.err('\r\x1b[K');
    this.drawn = false;
  }
}
