/** Timing and reporting helpers shared by the benchmark's processes. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles of a sample. */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

/**
 * Unmeasured passes before the timed ones: V8 keeps recompiling the search path through the
 * first few thousand calls, and the bot answers from a process that has long passed them. With
 * one pass, the first timed round's p99 on the article came out 0.7–1.3 ms where later rounds of
 * the same run gave 0.5–0.8 ms (dist/scratch runs, 27 Nov 2026).
 */
const WARM_UP_ROUNDS = 2;

/**
 * Times each call of each function over the questions, `rounds` times, after WARM_UP_ROUNDS
 * unmeasured rounds. Each round runs every function over all the questions in turn, in
 * alternating order, so that drift in the machine's load falls on all of them alike while the
 * garbage one of them leaves is collected mostly in its own time.
 */
export function timeEach(questions: readonly string[], rounds: number, fns: Readonly<Record<string, (q: string) => unknown>>): Record<string, Percentiles> {
  const names = Object.keys(fns);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 1 - WARM_UP_ROUNDS; round <= rounds; round++) {
    for (const name of Math.abs(round) % 2 === 0 ? names : [...names].reverse()) {
      const fn = fns[name] as (q: string) => unknown;
      const times = samples[name] as number[];
      for (const question of questions) {
        const started = performance.now();
        fn(question);
        const elapsed = performance.now() - started;
        if (round > 0) times.push(elapsed);
      }
    }
  }
  return Object.fromEntries(names.map((n) => [n, percentiles(samples[n] as number[])]));
}

export interface Machine {
  readonly cpus: number;
  readonly cpu: string;
  readonly node: string;
  readonly load: string;
}

export function machine(): Machine {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: the model stays unknown.
  }
  return { cpus: availableParallelism(), cpu, node: process.version, load: loadavg().map((l) => l.toFixed(2)).join(' ') };
}

export const mb = (bytes: number) => bytes / 1024 / 1024;
export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A plain text table: a header row, then rows, columns padded (numbers to the right). */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  // The first column is a label; the others, numbers, are aligned right, headers included.
  const line = (r: readonly string[]) => r.map((cell, c) => (c > 0 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(r.map(String)))].join('\n');
}
