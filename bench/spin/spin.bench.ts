/**
 * The exhaustive explorer against SPIN on the same bounded model, in one run:
 *
 *   npx tsx bench/spin/spin.bench.ts [--connections 2] [--max-emits 6] [--capacity 3] [--rounds 3]
 *
 * SPIN explores bench/spin/lifecycle.pml (the reference lifecycle as Promela, same bounds,
 * same driver contract); the explorer explores the reference design itself. Each side runs
 * with its reductions off (the full product: like for like) and on (SPIN's partial-order
 * reduction; the explorer's symmetry and partial-order reduction), interleaved, and the
 * median of `--rounds` rounds is reported. The figure compared is states stored per second
 * (SPIN's own elapsed time; the explorer's includes building its per-connection spaces).
 * Skipped, with a note, when `spin` or `gcc` is not installed (apt-get install spin gcc).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exhaustiveConfig, exploreExhaustive } from '../../src/exhaustive/exhaustive.ts';
import { reference } from '../../src/designs/reference.ts';

interface Sample {
  readonly states: number;
  readonly seconds: number;
}

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '2' },
    'max-emits': { type: 'string', default: '6' },
    capacity: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
  },
});
const k = Number(values.connections);
const maxEmits = Number(values['max-emits']);
const capacity = Number(values.capacity);
const rounds = Number(values.rounds);

function installed(cmd: string, arg: string): boolean {
  return spawnSync(cmd, [arg], { encoding: 'utf8' }).status === 0;
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Compiles the model once per variant; returns a function running it. */
function spinVariant(dir: string, name: string, reduce: boolean): () => Sample {
  const defines = [`-DK=${k}`, `-DMAXE=${maxEmits}`, `-DCAP=${capacity}`];
  run('spin', [...defines, '-a', 'lifecycle.pml'], dir);
  run(
    'gcc',
    ['-w', '-O2', '-DSAFETY', '-DMEMLIM=4096', ...(reduce ? [] : ['-DNOREDUCE']), '-o', name, 'pan.c'],
    dir,
  );
  return () => {
    const out = run(`./${name}`, ['-m1000000', '-w24'], dir);
    const stored = /(\d+) states, stored/.exec(out);
    const elapsed = /elapsed time ([\d.e+-]+) seconds/.exec(out);
    if (/errors: [1-9]/.test(out)) throw new Error(`SPIN found an error:\n${out}`);
    return { states: Number(stored?.[1]), seconds: Number(elapsed?.[1]) };
  };
}

function explorerVariant(reduce: boolean): () => Sample {
  return () => {
    const started = performance.now();
    const r = exploreExhaustive(reference, {
      config: exhaustiveConfig(capacity),
      connections: k,
      maxEmits,
      broadcasts: 0,
      maxStates: 100_000_000,
      symmetry: reduce,
      partialOrder: reduce,
    });
    if (r.verdict !== 'held') throw new Error(`explorer: ${r.verdict}`);
    return { states: r.states, seconds: (performance.now() - started) / 1000 };
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function main(): void {
  if (!installed('spin', '-V') || !installed('gcc', '--version')) {
    console.log('spin.bench: spin or gcc not installed; skipped (apt-get install -y spin gcc)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wsl-spin-'));
  try {
    copyFileSync(fileURLToPath(new URL('./lifecycle.pml', import.meta.url)), join(dir, 'lifecycle.pml'));
    const variants = {
      'spin full': spinVariant(dir, 'pan-full', false),
      'explorer full': explorerVariant(false),
      'spin reduced (POR)': spinVariant(dir, 'pan-por', true),
      'explorer reduced (symmetry+POR)': explorerVariant(true),
    };
    const samples = new Map<string, Sample[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, f] of Object.entries(variants))
        samples.set(name, [...(samples.get(name) ?? []), f()]);
    }
    console.log(
      `bounds: ${k} connections, ${maxEmits} emits each, capacity ${capacity}, one send in flight; median of ${rounds}`,
    );
    const rate = new Map<string, number>();
    for (const [name, list] of samples) {
      const states = list[0]?.states ?? 0;
      const seconds = median(list.map((s) => s.seconds));
      rate.set(name, states / seconds);
      console.log(
        `  ${name.padEnd(32)} ${String(states).padStart(10)} states  ${seconds.toFixed(3).padStart(8)} s  ${Math.round(
          states / seconds,
        )
          .toString()
          .padStart(10)} states/s`,
      );
    }
    const ratio = (a: string, b: string): string => ((rate.get(a) ?? 0) / (rate.get(b) ?? 1)).toFixed(2);
    console.log(`explorer/SPIN states/s, full product: ${ratio('explorer full', 'spin full')}`);
    console.log(
      `explorer/SPIN states/s, reduced:      ${ratio('explorer reduced (symmetry+POR)', 'spin reduced (POR)')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
