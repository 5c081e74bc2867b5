/**
 * What a live corpus update costs the process that answers: the summit article and the first
 * N−1 BBC articles written as a corpus folder, then one article changed, `rounds` times, rebuilt
 * each way the bot could: in its own process (`KnowledgeBase.open`) or in a child process whose
 * saved index it then opens (`openInChildProcess`, what `npm start` does). Reported: the time to
 * the new index, and the longest the event loop stalled meanwhile (Node's event-loop delay
 * monitor, 10 ms resolution): how long an interaction arriving then would have waited.
 * Prints one JSON line.
 *
 *   node --import tsx bench/liveRebuild.ts [--documents N] [--rounds 3]   (or bundled: dist/bench/liveRebuild.mjs)
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { openInChildProcess } from '../src/runtime/indexInChildProcess.ts';
import { childEntry } from '../src/runtime/typescriptChild.ts';
import { writeLargeCorpusFolder } from './largeCorpus.ts';
import { percentiles, type Percentiles } from './measure.ts';

const { values } = parseArgs({ options: { documents: { type: 'string', default: '2226' }, rounds: { type: 'string', default: '3' } } });
const DOCUMENTS = Number(values.documents);
const ROUNDS = Number(values.rounds);
/** The index child: bundled beside this script under `npm run bench`, its source under tsx. */
const CHILD = childEntry(import.meta.url, '../src/runtime/indexChild.ts', 'indexChild');

const base = await mkdtemp(path.join(tmpdir(), 'summit-live-bench-'));
const dir = path.join(base, 'corpus');
const cacheDir = path.join(base, 'cache');
try {
  const documents = await writeLargeCorpusFolder(dir, DOCUMENTS);
  await KnowledgeBase.open(dir, { cacheDir });

  const ways: Record<string, (d: string) => Promise<KnowledgeBase>> = {
    'in process': (d) => KnowledgeBase.open(d, { cacheDir }),
    'child process': (d) => openInChildProcess(d, { entry: CHILD, cacheDir, logger: { warn: (_, message) => process.stderr.write(`${message}\n`) } }),
  };
  const results: Record<string, { rebuild: Percentiles; stall: Percentiles }> = {};
  let edit = 0;
  for (const [way, load] of Object.entries(ways)) {
    const rebuild: number[] = [];
    const stall: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A real change: the saved index is stale and must be rebuilt.
      await appendFile(path.join(dir, 'sochi-summit-2022-10-31.md'), `\nA line added by the benchmark, edit ${++edit}.\n`);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const started = performance.now();
      const kb = await load(dir);
      rebuild.push(performance.now() - started);
      delay.disable();
      stall.push(delay.max / 1e6);
      if (kb.documents.length !== documents) throw new Error(`${way}: ${kb.documents.length} documents`);
    }
    results[way] = { rebuild: percentiles(rebuild), stall: percentiles(stall) };
  }
  process.stdout.write(`${JSON.stringify({ documents, rounds: ROUNDS, results })}\n`);
} finally {
  await rm(base, { recursive: true, force: true });
}
